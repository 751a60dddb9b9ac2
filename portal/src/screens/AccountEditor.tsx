/**
 * Create or edit an account: a switch per service, flow-through sync, Teams tenant, Direct Routing
 * subdomain, tokens and call screening with the FQDNs the subdomain produces. Checked with the
 * API's schema and rules before sending; edits send If-Match so a concurrent change is a 412.
 */
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SERVICES } from '../../../shared/domain/services';
import { ApiProblem } from '../api/problem';
import { accounts, type Account } from '../api/resources';
import { accountBody, accountFormOf, accountProblems, directRoutingFqdns, emptyAccountForm, SERVICE_LABELS, type AccountForm } from '../rules/accountRules';
import { byTarget, messagesAt, messagesFor, type FieldErrors } from '../rules/fieldErrors';
import { changedFields, type FieldChange } from '../ui/conflict';
import { ConflictBar } from '../ui/ConflictBar';
import { usePortal } from '../ui/context';
import { ProblemBar } from '../ui/ProblemBar';
import { useDialogClose } from '../ui/useDialogClose';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: '100%' },
  grid: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: { borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  services: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))' },
});

export interface AccountEditorProps {
  /** The account being edited with its ETag, or undefined to create one. */
  readonly existing?: { account: Account; etag: string | undefined };
  /** Prefilled values for a new account (e.g. from a request for information). */
  readonly prefill?: Partial<AccountForm>;
  readonly onClose: (saved?: Account) => void;
}

export function AccountEditor({ existing, prefill, onClose }: AccountEditorProps) {
  const styles = useStyles();
  const { api, config } = usePortal();
  const queryClient = useQueryClient();
  const dialog = useDialogClose<Account>(onClose);
  const [opened, setOpened] = useState(existing);
  const [form, setForm] = useState<AccountForm>(() => (existing ? accountFormOf(existing.account) : { ...emptyAccountForm(), ...prefill }));
  const [localErrors, setLocalErrors] = useState<FieldErrors>(new Map());
  const [conflict, setConflict] = useState<FieldChange[] | undefined>();
  const [tried, setTried] = useState(false);

  const save = useMutation({
    mutationFn: (body: Account) => accounts.put(api, body, opened ? (opened.etag ?? '*') : undefined),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['accounts'] });
      await queryClient.invalidateQueries({ queryKey: ['account', result.body.name] });
      dialog.close(result.body);
    },
    onError: async (err) => {
      if (err instanceof ApiProblem && err.status === 412 && opened) {
        const latest = await accounts.get(api, opened.account.name).catch(() => undefined);
        setConflict(latest ? changedFields(opened.account, latest.body) : []);
      }
    },
  });

  const validate = (next: AccountForm) => byTarget(accountProblems(accountBody(next), config.drBaseDomain));
  const update = (patch: Partial<AccountForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    if (tried) setLocalErrors(validate(next));
  };
  const submit = () => {
    setTried(true);
    const errors = validate(form);
    setLocalErrors(errors);
    if (errors.size === 0) save.mutate(accountBody(form));
  };
  const reload = async () => {
    if (!opened) return;
    const latest = await accounts.get(api, opened.account.name);
    setOpened({ account: latest.body, etag: latest.etag });
    setForm(accountFormOf(latest.body));
    setConflict(undefined);
    save.reset();
  };

  const serverErrors = save.error instanceof ApiProblem && save.error.status !== 412 ? byTarget(save.error.problems()) : new Map<string, string[]>();
  const errorFor = (target: string) => messagesFor(localErrors, target) ?? messagesFor(serverErrors, target);
  const errorAt = (...targets: string[]) => messagesAt(localErrors, ...targets) ?? messagesAt(serverErrors, ...targets);
  const fqdns = directRoutingFqdns(form.subdomain, config.drBaseDomain);
  const teamsSync = form.enabled.teamsOperatorConnect || form.enabled.teamsPhoneMobile;
  const subdomainStatus = opened?.account.serviceDetails?.teamsDirectRouting?.subdomainStatus;

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
            <DialogTitle>{existing ? `Edit account ${existing.account.name}` : 'Create account'}</DialogTitle>
            <DialogContent className={styles.grid}>
              {conflict && <ConflictBar changes={conflict} onReload={() => void reload()} />}
              {save.error && !(save.error instanceof ApiProblem && save.error.status === 412) && <ProblemBar error={save.error} />}
              <Field label="Account name" required validationMessage={errorFor('name')}>
                <Input value={form.name} disabled={existing !== undefined} onChange={(_, d) => update({ name: d.value })} />
              </Field>
              <Field label="Correlation ID" hint="Your own reference, e.g. the BSS customer id (optional)." validationMessage={errorFor('correlationId')}>
                <Input value={form.correlationId} onChange={(_, d) => update({ correlationId: d.value })} />
              </Field>
              <fieldset className={styles.section}>
                <legend>Services</legend>
                <div className={styles.services}>
                  {SERVICES.map((service) => (
                    <Field key={service} validationMessage={errorAt(`serviceDetails.${service}`, `serviceDetails.${service}.enabled`)}>
                      <Switch
                        label={`Enable ${SERVICE_LABELS[service]}`}
                        checked={form.enabled[service]}
                        onChange={(_, d) => update({ enabled: { ...form.enabled, [service]: d.checked } })}
                      />
                    </Field>
                  ))}
                </div>
                <Field
                  hint="Flow-through: upload Operator Connect / Teams Phone Mobile numbers to Teams automatically."
                  validationMessage={errorAt('serviceDetails.teamsOperatorConnect.syncEnabled', 'serviceDetails.teamsPhoneMobile.syncEnabled', 'serviceDetails.teamsDirectRouting.syncEnabled', 'serviceDetails.zoomPhoneCloudPeering.syncEnabled')}
                >
                  <Switch label="Sync with backend service" checked={form.syncEnabled} disabled={!teamsSync} onChange={(_, d) => update({ syncEnabled: d.checked })} />
                </Field>
                <Field label="Teams tenant ID" hint="The customer's Microsoft Entra tenant (a GUID)." validationMessage={errorFor('serviceDetails.teamsTenantId')}>
                  <Input value={form.teamsTenantId} onChange={(_, d) => update({ teamsTenantId: d.value })} placeholder="00000000-0000-0000-0000-000000000000" />
                </Field>
              </fieldset>
              {form.enabled.teamsDirectRouting && (
                <fieldset className={styles.section}>
                  <legend>Teams Direct Routing</legend>
                  <Field validationMessage={errorFor('serviceDetails.teamsDirectRouting.configuration.callScreening')}>
                    <Checkbox label="Enable call screening" checked={form.callScreening} onChange={(_, d) => update({ callScreening: d.checked === true })} />
                  </Field>
                  <Field
                    label="Subdomain"
                    required
                    hint="Up to 10 letters, digits, '_' or '-'; unique across accounts."
                    validationMessage={errorAt('serviceDetails.teamsDirectRouting.configuration.subdomain', 'serviceDetails.teamsDirectRouting.configuration')}
                  >
                    <Input value={form.subdomain} onChange={(_, d) => update({ subdomain: d.value })} />
                  </Field>
                  {fqdns && (
                    <Text data-testid="fqdns">
                      Customer FQDNs: <code>{fqdns[0]}</code> and <code>{fqdns[1]}</code>
                    </Text>
                  )}
                  {subdomainStatus && <Text>Subdomain status: {subdomainStatus}</Text>}
                  <Field label="Subdomain token, region 1" required validationMessage={errorFor('serviceDetails.teamsDirectRouting.configuration.subdomainTokens.region1Token')}>
                    <Input value={form.region1Token} onChange={(_, d) => update({ region1Token: d.value })} />
                  </Field>
                  <Field label="Subdomain token, region 2" required validationMessage={errorFor('serviceDetails.teamsDirectRouting.configuration.subdomainTokens.region2Token')}>
                    <Input value={form.region2Token} onChange={(_, d) => update({ region2Token: d.value })} />
                  </Field>
                </fieldset>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={save.isPending || conflict !== undefined}>
                {save.isPending ? 'Saving…' : existing ? 'Save' : 'Create'}
              </Button>
              <Button onClick={() => dialog.close()}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
