/**
 * The fields of a number: its services (only those its account enables), the custom SIP header and,
 * for Operator Connect / Teams Phone Mobile, the Teams settings with usage and capabilities offered
 * from the tenant's capability plans and civic addresses from the tenant (Teams operations).
 */
import { Checkbox, Field, Input, Select, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { SERVICES } from '../../../shared/domain/services';
import { accounts, type Account } from '../api/resources';
import { SERVICE_LABELS } from '../rules/accountRules';
import { messagesAt, messagesFor, type FieldErrors } from '../rules/fieldErrors';
import { TEAMS_NUMBER_SERVICES, type NumberSettings } from '../rules/numberSettings';
import { usePortal } from '../ui/context';
import { GroupError } from '../ui/GroupError';
import { ProblemBar } from '../ui/ProblemBar';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, border: 'none', padding: 0, margin: 0 },
  capabilities: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
});

export function NumberSettingsFields({ account, settings, onChange, errors }: { account: Account; settings: NumberSettings; onChange: (s: NumberSettings) => void; errors: FieldErrors }) {
  const styles = useStyles();
  const { api } = usePortal();
  const offered = SERVICES.filter((s) => account.serviceDetails?.[s]?.enabled === true);
  const teamsOn = TEAMS_NUMBER_SERVICES.some((s) => settings.services[s]);
  const hasTenant = account.serviceDetails?.teamsTenantId !== undefined;
  const plans = useQuery({ queryKey: ['capabilityPlans', account.name], queryFn: () => accounts.capabilityPlans(api, account.name), enabled: teamsOn && hasTenant, staleTime: 300_000 });
  const addresses = useQuery({ queryKey: ['civicAddresses', account.name], queryFn: () => accounts.civicAddresses(api, account.name), enabled: teamsOn && hasTenant, staleTime: 300_000 });
  const teamsService = TEAMS_NUMBER_SERVICES.find((s) => settings.services[s]) ?? 'teamsOperatorConnect';
  const err = (path: string) => messagesFor(errors, path);
  const teams = settings.teams;
  const setTeams = (patch: Partial<NumberSettings['teams']>) => onChange({ ...settings, teams: { ...teams, ...patch } });
  // Teams Phone Mobile numbers take the Mobile offer's plans; Operator Connect numbers the others.
  const servicePlans = (plans.data?.body.capabilityPlans ?? []).filter((p) => (p.offerTypes ?? []).includes('Mobile') === (teamsService === 'teamsPhoneMobile'));
  const usages = [...new Set(servicePlans.map((p) => p.usage))];
  const capabilityChoices = [...new Set(servicePlans.filter((p) => p.usage === teams.usage).flatMap((p) => p.choosableCapabilities ?? []))];

  return (
    <>
      <fieldset className={styles.group}>
        <legend>Services</legend>
        {/* One Field per control: a Field hands its id to every Fluent control inside it. */}
        {offered.map((service) => (
          <Switch
            key={service}
            label={SERVICE_LABELS[service]}
            checked={settings.services[service]}
            onChange={(_, d) => onChange({ ...settings, services: { ...settings.services, [service]: d.checked } })}
          />
        ))}
        <GroupError message={messagesAt(errors, 'serviceDetails', ...offered.map((s) => `serviceDetails.${s}.enabled`))} />
        {offered.length === 0 && <p>The account enables no service yet: edit the account first.</p>}
      </fieldset>
      <Field label="Custom SIP header value" hint="Letters, digits, '_' and '-'; added to calls of this number (not for Teams Phone Mobile or Call Protection only)." validationMessage={err('configuration')}>
        <Input value={settings.customSipHeader} onChange={(_, d) => onChange({ ...settings, customSipHeader: d.value })} />
      </Field>
      {teamsOn && (
        <fieldset className={styles.group}>
          <legend>Teams settings</legend>
          {plans.error ? <ProblemBar error={plans.error} title="Capability plans could not be loaded" /> : null}
          <Field label="Usage" required validationMessage={messagesAt(errors, `serviceDetails.${teamsService}.configuration.usage`, `serviceDetails.${teamsService}.configuration`)}>
            {usages.length > 0 ? (
              <Select value={teams.usage} onChange={(_, d) => setTeams({ usage: d.value, choosableCapabilities: [] })}>
                <option value="">Choose a usage</option>
                {usages.map((u) => (
                  <option key={u}>{u}</option>
                ))}
              </Select>
            ) : (
              <Input value={teams.usage} onChange={(_, d) => setTeams({ usage: d.value })} placeholder="CallingUserAssignment" />
            )}
          </Field>
          {capabilityChoices.length > 0 ? (
            <fieldset className={styles.group}>
              <legend>Capabilities</legend>
              <div className={styles.capabilities}>
                {capabilityChoices.map((c) => (
                  <Checkbox
                    key={c}
                    label={c}
                    checked={teams.choosableCapabilities.includes(c)}
                    onChange={(_, d) => setTeams({ choosableCapabilities: d.checked === true ? [...teams.choosableCapabilities, c] : teams.choosableCapabilities.filter((x) => x !== c) })}
                  />
                ))}
              </div>
              <GroupError message={err(`serviceDetails.${teamsService}.configuration.choosableCapabilities`)} />
            </fieldset>
          ) : (
            <Field label="Capabilities" hint="Separated by ';'." validationMessage={err(`serviceDetails.${teamsService}.configuration.choosableCapabilities`)}>
              <Input
                value={teams.choosableCapabilities.join(';')}
                placeholder="InboundCalling;OutboundCalling"
                onChange={(_, d) => setTeams({ choosableCapabilities: d.value.split(';').map((s) => s.trim()).filter((s) => s !== '') })}
              />
            </Field>
          )}
          <Field label="Civic address" validationMessage={err(`serviceDetails.${teamsService}.configuration.civicAddressId`)}>
            <Select value={teams.civicAddressId} onChange={(_, d) => setTeams({ civicAddressId: d.value, locationId: '' })}>
              <option value="">None</option>
              {(addresses.data?.value ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {[a.companyName, a.houseNumber, a.streetName, a.city, a.country].filter(Boolean).join(', ') || a.id}
                  {a.validationStatus ? ` (${a.validationStatus})` : ''}
                </option>
              ))}
              {teams.civicAddressId !== '' && !(addresses.data?.value ?? []).some((a) => a.id === teams.civicAddressId) && <option value={teams.civicAddressId}>{teams.civicAddressId}</option>}
            </Select>
          </Field>
          <Field label="Location ID" validationMessage={err(`serviceDetails.${teamsService}.configuration.locationId`)}>
            <Input value={teams.locationId} onChange={(_, d) => setTeams({ locationId: d.value })} />
          </Field>
          <Checkbox label="The enterprise may update the address" checked={teams.allowTenantAddressUpdate} onChange={(_, d) => setTeams({ allowTenantAddressUpdate: d.checked === true })} />
          <Field label="Displayed country code" hint="Required for North American toll-free numbers (US or CA)." validationMessage={err(`serviceDetails.${teamsService}.configuration.displayedCountryCode`)}>
            <Input value={teams.displayedCountryCode} onChange={(_, d) => setTeams({ displayedCountryCode: d.value })} />
          </Field>
        </fieldset>
      )}
    </>
  );
}
