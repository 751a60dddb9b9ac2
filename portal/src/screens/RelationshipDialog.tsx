/** Update an RFI's customer relationship status; declining or terminating needs a reason (D9, shared rules). */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Select, Textarea } from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { requestsForInformation, type RequestForInformation } from '../api/resources';
import { byTarget, messagesFor } from '../rules/fieldErrors';
import { CUSTOMER_RELATIONSHIP_STATUSES, MAX_COMMENT_LENGTH, NEEDS_COMMENT, relationshipProblems } from '../rules/rfiRules';
import { usePortal } from '../ui/context';
import { useDialogClose } from '../ui/useDialogClose';
import { ProblemBar } from '../ui/ProblemBar';

const LABELS: Record<string, string> = {
  ConsentAcknowledged: 'Consent acknowledged',
  CustomerContacted: 'Customer contacted',
  AgreementSigned: 'Agreement signed',
  ConsentDeclined: 'Consent declined (reason required)',
  ContractTerminated: 'Contract terminated (reason required)',
};

export function RelationshipDialog({ rfi, onClose }: { rfi: RequestForInformation; onClose: () => void }) {
  const { api } = usePortal();
  const queryClient = useQueryClient();
  const dialog = useDialogClose(onClose);
  const [status, setStatus] = useState(rfi.customerRelationship?.status ?? 'ConsentAcknowledged');
  const [comment, setComment] = useState(rfi.customerRelationship?.comment ?? '');
  const [errors, setErrors] = useState(new Map<string, string[]>() as ReturnType<typeof byTarget>);
  const save = useMutation({
    mutationFn: () => requestsForInformation.patch(api, rfi.tenantId, { status, comment: comment.trim() === '' ? null : comment }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['rfis'] });
      dialog.close();
    },
  });
  const submit = () => {
    const problems = relationshipProblems(rfi.customerRelationship, status, comment.trim() === '' ? null : comment);
    setErrors(byTarget(problems));
    if (problems.length === 0) save.mutate();
  };
  return (
    <Dialog open={dialog.open} modalType="modal" onOpenChange={(_, d) => !d.open && dialog.close()}>
      <DialogSurface aria-describedby={undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          noValidate
        >
          <DialogBody>
            <DialogTitle>Customer relationship for tenant {rfi.tenantId}</DialogTitle>
            <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              <ProblemBar error={save.error} />
              <Field label="Relationship status" validationMessage={messagesFor(errors, 'customerRelationship.status')}>
                <Select value={status} onChange={(_, d) => setStatus(d.value)}>
                  {CUSTOMER_RELATIONSHIP_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {LABELS[s] ?? s}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                label="Comment"
                required={NEEDS_COMMENT.includes(status)}
                hint={`Up to ${MAX_COMMENT_LENGTH} characters; the reason when declining or terminating.`}
                validationMessage={messagesFor(errors, 'customerRelationship.comment')}
              >
                <Textarea value={comment} maxLength={MAX_COMMENT_LENGTH} onChange={(_, d) => setComment(d.value)} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={save.isPending}>
                Update
              </Button>
              <Button onClick={() => dialog.close()}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
