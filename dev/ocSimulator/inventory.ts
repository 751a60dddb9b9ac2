/**
 * The number inventory as two audiences see it: ownership (who holds a number right now, what order
 * evaluation and tenant actions use) and the operator's lists (which lag ownership by listLagMs, B11).
 */
import { acquiredCapabilities, capabilitiesAvailableTo, type CapabilityPlan } from './capabilities';
import { isTerminal, type NumberRecord, type OrderRecord, type SimState, type UploadDetails } from './model';

export function numberOfTenant(state: SimState, tenantId: string, telephoneNumber: string): NumberRecord | undefined {
  const record = state.numbers.get(telephoneNumber);
  return record?.tenantId === tenantId ? record : undefined;
}

/** What `GET /tenants/{t}/numbers` shows: owned numbers past their lag, plus released ones still within it. */
export function visibleNumbers(state: SimState, tenantId: string, nowMs: number): NumberRecord[] {
  const visible = new Map<string, NumberRecord>();
  for (const [telephoneNumber, ghost] of state.releasedNumbers) {
    if (ghost.hiddenFrom <= nowMs) state.releasedNumbers.delete(telephoneNumber);
    else if (ghost.tenantId === tenantId) visible.set(telephoneNumber, ghost);
  }
  for (const record of state.numbers.values()) {
    if (record.tenantId === tenantId && record.visibleFrom <= nowMs) visible.set(record.telephoneNumber, record);
  }
  return [...visible.values()];
}

export function visibleNumber(state: SimState, tenantId: string, telephoneNumber: string, nowMs: number): NumberRecord | undefined {
  const owned = numberOfTenant(state, tenantId, telephoneNumber);
  if (owned !== undefined && owned.visibleFrom <= nowMs) return owned;
  const ghost = state.releasedNumbers.get(telephoneNumber);
  return ghost !== undefined && ghost.tenantId === tenantId && ghost.hiddenFrom > nowMs ? ghost : undefined;
}

/** Takes a number out of its tenant; the operator's lists keep showing it for `listLagMs`. */
export function releaseFromTenant(state: SimState, record: NumberRecord, nowMs: number, listLagMs: number): void {
  state.numbers.delete(record.telephoneNumber);
  if (listLagMs > 0) state.releasedNumbers.set(record.telephoneNumber, { ...record, hiddenFrom: nowMs + listLagMs });
}

/** Numbers that are part of an order still running (the NumberInProgress rule), with that order. */
export function numbersInOpenOrders(state: SimState): Map<string, OrderRecord> {
  const open = new Map<string, OrderRecord>();
  for (const order of state.orders.values()) {
    if (isTerminal(order.status)) continue;
    for (const item of order.items) open.set(item.telephoneNumber, order);
  }
  return open;
}

export interface NumberAcquisition {
  readonly telephoneNumber: string;
  readonly tenantId: string;
  readonly isoCountryCode: string;
  readonly tollFree: boolean;
  readonly plan: CapabilityPlan;
  readonly upload: UploadDetails;
  readonly civicAddressId?: string;
  readonly locationId?: string;
  readonly acquiredOn: number;
  readonly visibleFrom: number;
  readonly uploadOrderId?: string;
}

/** The record of a number that has just joined a tenant (an upload item succeeded, or the seed). */
export function buildNumberRecord(acquisition: NumberAcquisition): NumberRecord {
  const { upload } = acquisition;
  return {
    telephoneNumber: acquisition.telephoneNumber,
    tenantId: acquisition.tenantId,
    callingProfileId: upload.callingProfileId,
    usage: upload.usage,
    additionalUsages: [...upload.additionalUsages],
    acquiredCapabilities: acquiredCapabilities(acquisition.plan, upload.choosableCapabilities, upload.additionalUsages, acquisition.tollFree),
    availableCapabilities: capabilitiesAvailableTo(acquisition.tollFree),
    isoCountryCode: acquisition.isoCountryCode,
    ...(upload.displayedCountryCode !== undefined && { displayedCountryCode: upload.displayedCountryCode }),
    ...(acquisition.civicAddressId !== undefined && { civicAddressId: acquisition.civicAddressId }),
    ...(acquisition.locationId !== undefined && { locationId: acquisition.locationId }),
    allowTenantAddressUpdate: upload.allowTenantAddressUpdate,
    assignmentStatus: 'Unassigned',
    acquiredOn: acquisition.acquiredOn,
    visibleFrom: acquisition.visibleFrom,
    ...(acquisition.uploadOrderId !== undefined && { uploadOrderId: acquisition.uploadOrderId }),
  };
}
