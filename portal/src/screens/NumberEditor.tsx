/** Edit one number's services, Teams settings and custom header; If-Match makes a concurrent change a 412. */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiProblem } from '../api/problem';
import { numbers, type Account, type GatewayNumber } from '../api/resources';
import { accountDocOf } from '../rules/accountRules';
import { byTarget, type FieldErrors } from '../rules/fieldErrors';
import { numberProblems } from '../rules/numberRules';
import { numberBody, numberSettingsOf, type NumberSettings } from '../rules/numberSettings';
import { changedFields, type FieldChange } from '../ui/conflict';
import { ConflictBar } from '../ui/ConflictBar';
import { usePortal } from '../ui/context';
import { useDialogClose } from '../ui/useDialogClose';
import { ProblemBar } from '../ui/ProblemBar';
import { StatusBadge } from '../ui/StatusBadge';
import { NumberSettingsFields } from './NumberSettingsFields';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: '100%' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function NumberEditor({ account, telephoneNumber, onClose }: { account: Account; telephoneNumber: string; onClose: () => void }) {
  const styles = useStyles();
  const { api } = usePortal();
  const queryClient = useQueryClient();
  const dialog = useDialogClose(onClose);
  const loaded = useQuery({ queryKey: ['number', account.name, telephoneNumber], queryFn: () => numbers.get(api, account.name, telephoneNumber), staleTime: Infinity, gcTime: 0 });
  const [opened, setOpened] = useState<{ number: GatewayNumber; etag: string | undefined } | undefined>();
  const [settings, setSettings] = useState<NumberSettings | undefined>();
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [conflict, setConflict] = useState<FieldChange[] | undefined>();

  useEffect(() => {
    if (loaded.data && opened === undefined) {
      setOpened({ number: loaded.data.body, etag: loaded.data.etag });
      setSettings(numberSettingsOf(loaded.data.body));
    }
  }, [loaded.data, opened]);

  const save = useMutation({
    mutationFn: (body: GatewayNumber) => numbers.put(api, body, opened?.etag ?? '*'),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['numbers'] });
      dialog.close();
    },
    onError: async (err) => {
      if (err instanceof ApiProblem && err.status === 412 && opened) {
        const latest = await numbers.get(api, account.name, telephoneNumber).catch(() => undefined);
        setConflict(latest ? changedFields(opened.number, latest.body) : []);
      }
    },
  });

  const submit = () => {
    if (!settings) return;
    const body = numberBody(telephoneNumber, account.name, settings);
    const problems = numberProblems(body, accountDocOf(account));
    setErrors(byTarget(problems));
    if (problems.length === 0) save.mutate(body);
  };
  const reload = async () => {
    const latest = await numbers.get(api, account.name, telephoneNumber);
    setOpened({ number: latest.body, etag: latest.etag });
    setSettings(numberSettingsOf(latest.body));
    setConflict(undefined);
    save.reset();
  };
  const serverErrors = save.error instanceof ApiProblem && save.error.status !== 412 ? byTarget(save.error.problems()) : undefined;

  return (
    <Dialog open={dialog.open} modalType="modal" onOpenChange={(_, d) => !d.open && dialog.close()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          noValidate
        >
          <DialogBody>
            <DialogTitle>Edit number {telephoneNumber}</DialogTitle>
            <DialogContent className={styles.content}>
              <ProblemBar error={loaded.error} />
              {conflict && <ConflictBar changes={conflict} onReload={() => void reload()} />}
              {save.error && !conflict && !(save.error instanceof ApiProblem && save.error.status === 412) && <ProblemBar error={save.error} />}
              {!settings && !loaded.error && <Spinner label="Loading the number…" />}
              {opened && (
                <p>
                  Status: <StatusBadge status={opened.number.serviceProvisioningStatus} errors={opened.number.serviceProvisioningErrors} />
                </p>
              )}
              {settings && <NumberSettingsFields account={account} settings={settings} onChange={setSettings} errors={serverErrors ?? errors} />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={!settings || save.isPending || conflict !== undefined}>
                {save.isPending ? 'Saving…' : 'Save'}
              </Button>
              <Button onClick={() => dialog.close()}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
