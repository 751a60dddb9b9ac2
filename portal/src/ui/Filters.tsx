/** The filter controls shared by the lists: service and provisioning status as labelled selects. */
import { Field, Select } from '@fluentui/react-components';
import { SERVICES, type ServiceName } from '../../../shared/domain/services';
import { SERVICE_LABELS } from '../rules/accountRules';

export function ServiceFilter({ value, onChange, id }: { value: ServiceName | ''; onChange: (v: ServiceName | '') => void; id: string }) {
  return (
    <Field label="Service">
      <Select id={id} value={value} onChange={(_, d) => onChange(d.value as ServiceName | '')}>
        <option value="">Any service</option>
        {SERVICES.map((s) => (
          <option key={s} value={s}>
            {SERVICE_LABELS[s]}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function StatusFilter({ value, onChange, id }: { value: string; onChange: (v: string) => void; id: string }) {
  return (
    <Field label="Status">
      <Select id={id} value={value} onChange={(_, d) => onChange(d.value)}>
        <option value="">Any status</option>
        <option value="pending">pending</option>
        <option value="synced">synced</option>
        <option value="failed">failed</option>
      </Select>
    </Field>
  );
}
