/** serviceProvisioningStatus as a badge; the errors (if any) as its title and next to it. */
import { Badge, Tooltip } from '@fluentui/react-components';
import type { ErrorDetail } from '../api/problem';

const COLOURS: Record<string, 'success' | 'warning' | 'danger' | 'informative'> = { synced: 'success', pending: 'warning', failed: 'danger' };

export function StatusBadge({ status, errors }: { status?: string; errors?: readonly unknown[] }) {
  const label = status ?? 'unknown';
  const badge = (
    <Badge appearance="tint" color={COLOURS[label] ?? 'informative'} data-status={label}>
      {label}
    </Badge>
  );
  const messages = (errors ?? []).map((e) => (e as ErrorDetail).message).filter((m) => typeof m === 'string');
  if (messages.length === 0) return badge;
  return (
    <Tooltip content={messages.join(' ')} relationship="description">
      <span>
        {badge} <span>{messages.join(' ')}</span>
      </span>
    </Tooltip>
  );
}
