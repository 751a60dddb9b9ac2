/** Deleting an account (and its numbers, D20) is confirmed by typing the account's name. */
import { Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Text } from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { accounts, type Account } from '../api/resources';
import { usePortal } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { useDialogClose } from '../ui/useDialogClose';

function numberTotal(account: Account): number {
  const sd = account.serviceDetails ?? {};
  // Call Protection combines with a destination service, so only destinations are counted once.
  return (sd.teamsOperatorConnect?.numberCount ?? 0) + (sd.teamsDirectRouting?.numberCount ?? 0) + (sd.teamsPhoneMobile?.numberCount ?? 0) + (sd.zoomPhoneCloudPeering?.numberCount ?? 0);
}

export function DeleteAccountDialog({ account, onClose }: { account: Account; onClose: (deleted: boolean) => void }) {
  const { api } = usePortal();
  const queryClient = useQueryClient();
  const dialog = useDialogClose<boolean>((deleted) => onClose(deleted === true));
  const [typed, setTyped] = useState('');
  const [withNumbers, setWithNumbers] = useState(true);
  const remove = useMutation({
    mutationFn: () => accounts.remove(api, account.name, withNumbers),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['accounts'] });
      dialog.close(true);
    },
  });
  const count = numberTotal(account);
  return (
    <Dialog open={dialog.open} modalType="alert" onOpenChange={(_, d) => !d.open && dialog.close(false)}>
      <DialogSurface aria-describedby={undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (typed === account.name) remove.mutate();
          }}
        >
          <DialogBody>
            <DialogTitle>Delete account {account.name}</DialogTitle>
            <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              <ProblemBar error={remove.error} />
              <Text>
                This removes the account{count > 0 ? ` and its ${count} numbers` : ''} from the gateway and withdraws them from Teams. It cannot be undone.
              </Text>
              <Checkbox label="Also delete the account's numbers" checked={withNumbers} onChange={(_, d) => setWithNumbers(d.checked === true)} />
              <Field label={`Type ${account.name} to confirm`} required>
                <Input value={typed} onChange={(_, d) => setTyped(d.value)} autoComplete="off" />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={typed !== account.name || remove.isPending}>
                {remove.isPending ? 'Deleting…' : 'Delete'}
              </Button>
              <Button onClick={() => dialog.close(false)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
