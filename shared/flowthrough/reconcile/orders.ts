/**
 * Following submitted orders: what a finished order means for each managed number, and the
 * read-back that resolves submissions whose outcome is unknown (a crash between the write-ahead row
 * and the answer, or an ambiguous failure). Never re-submit before this has proven nothing exists.
 */
import type { ManagedNumber, ManagedPhase } from '../../store/flowState';
import type { OcOrder, OperatorConnect, OrderType } from '../oc/port';

export const IN_FLIGHT: ReadonlySet<ManagedPhase> = new Set(['uploading', 'unassigning', 'releasing']);

const ORDER_TYPE_OF: Record<string, OrderType> = { uploading: 'Upload', unassigning: 'Unassign', releasing: 'Release' };

export function isTerminal(order: OcOrder): boolean {
  return order.status === 'Succeeded' || order.status === 'PartiallySucceeded' || order.status === 'Failed';
}

/** Row after a finished order; `undefined` = the row goes (nothing of ours left in the backend). */
export function afterOrder(m: ManagedNumber, order: OcOrder): ManagedNumber | undefined {
  const result = order.results.find((r) => r.telephoneNumber === m.telephoneNumber);
  const code = result?.errorCode ?? (result === undefined ? (order.error?.code ?? 'MissingOrderResult') : undefined);
  const succeeded = result?.status === 'Succeeded';
  const base = { ...m, orderId: '', errors: [] };
  switch (order.type) {
    case 'Upload':
      if (succeeded || code === 'NumberAlreadyExists') return { ...base, phase: 'present' };
      // Another order holds the number: try again once it is done.
      if (code === 'NumberInProgress') return undefined;
      return {
        ...base,
        phase: 'failed',
        errors: [{ code: code ?? 'UploadFailed', message: result?.errorMessage ?? order.error?.message ?? 'Operator Connect refused the upload.', target: m.service }],
      };
    case 'Unassign':
      // Unassigning an unassigned number is a no-op success; either way the number is still there.
      return { ...base, phase: 'present' };
    case 'Release':
      if (succeeded || code === 'NumberNotFound') return undefined;
      // Still assigned (or refused): keep it; the next plan unassigns and releases again.
      return {
        ...base,
        phase: 'present',
        errors: [{ code: code ?? 'ReleaseFailed', message: result?.errorMessage ?? 'Operator Connect refused the release.', target: m.service }],
      };
  }
}

export interface FollowResult {
  /** Rows to write (changed) and numbers whose rows go. */
  readonly updates: ManagedNumber[];
  readonly removals: string[];
}

/**
 * Checks every in-flight row: known orders are read; unknown submissions are looked up among the
 * tenant's recent orders and either adopted or, once older than the grace period, reverted.
 */
export async function followOrders(oc: OperatorConnect, managed: ReadonlyMap<string, ManagedNumber>, now: Date, ambiguousGraceMs: number): Promise<FollowResult> {
  const updates: ManagedNumber[] = [];
  const removals: string[] = [];
  const apply = (m: ManagedNumber, order: OcOrder) => {
    const next = afterOrder(m, order);
    if (next === undefined) removals.push(m.telephoneNumber);
    else updates.push(next);
  };
  const inFlight = [...managed.values()].filter((m) => IN_FLIGHT.has(m.phase));
  const byOrder = new Map<string, ManagedNumber[]>();
  const unknown: ManagedNumber[] = [];
  for (const m of inFlight) {
    if (m.orderId === '') unknown.push(m);
    else byOrder.set(m.orderId, [...(byOrder.get(m.orderId) ?? []), m]);
  }
  for (const [orderId, rows] of byOrder) {
    const order = await oc.getOrder(orderId);
    if (order === undefined) unknown.push(...rows.map((m) => ({ ...m, orderId: '' })));
    else if (isTerminal(order)) for (const m of rows) apply(m, order);
  }
  const byTenant = new Map<string, ManagedNumber[]>();
  for (const m of unknown) byTenant.set(m.tenantId, [...(byTenant.get(m.tenantId) ?? []), m]);
  for (const [tenantId, rows] of byTenant) {
    const earliest = Math.min(...rows.map((m) => Date.parse(m.submittedAt) || 0));
    // Five minutes of slack for clock skew between us and Operator Connect.
    const orders = await oc.listOrders(tenantId, new Date(earliest - 5 * 60_000).toISOString());
    for (const m of rows) {
      // The newest order of the row's kind holding its number; of two created at the same instant,
      // the one listed first (decided here, not by how a sort treats ties).
      const order = orders
        .filter((o) => o.type === ORDER_TYPE_OF[m.phase] && o.results.some((r) => r.telephoneNumber === m.telephoneNumber))
        .reduce<OcOrder | undefined>((newest, o) => (newest === undefined || o.createdAt > newest.createdAt ? o : newest), undefined);
      if (order !== undefined) {
        if (isTerminal(order)) apply(m, order);
        else updates.push({ ...m, orderId: order.orderId });
        continue;
      }
      if (now.getTime() - (Date.parse(m.submittedAt) || 0) < ambiguousGraceMs) continue; // may still appear
      // Proven never created: uploads start over, withdrawals go back to "present".
      if (m.phase === 'uploading') removals.push(m.telephoneNumber);
      else updates.push({ ...m, phase: 'present', orderId: '' });
    }
  }
  return { updates, removals };
}
