/**
 * Running orders on the virtual clock: Pending → InProgress at t1, then every number is judged at t2
 * against the world as it is at that moment (docs/oc-simulator.md, "Orders"), which lets an order
 * partly succeed. A consent that stopped being Active while the order waited fails all of it.
 */
import { resolveEmergencyAddress } from './addresses';
import { planFor } from './capabilities';
import { countryOfNumber, normaliseCountry } from './countries';
import type { NumberFailure } from './errors';
import { buildNumberRecord, numberOfTenant, releaseFromTenant } from './inventory';
import { isTerminal, type ConsentRecord, type OrderItemRecord, type OrderRecord, type SimState, type TenantRecord } from './model';
import type { OcSimSettings } from './settings';

/**
 * The part of a simulation that orders act on. Its own type (not the Simulation class) so this
 * module does not import simulation.ts, which imports this one to settle orders.
 */
export interface OrderWorld {
  readonly state: SimState;
  readonly settings: OcSimSettings;
}

function dueAt(order: OrderRecord): number {
  return order.status === 'Pending' ? order.inProgressAt : order.completeAt;
}

function evaluateUpload(sim: OrderWorld, order: OrderRecord, item: OrderItemRecord, consent: ConsentRecord, tenant: TenantRecord, atMs: number): NumberFailure | undefined {
  const { state, settings } = sim;
  const upload = order.upload;
  const profile = upload === undefined ? undefined : state.callingProfiles.get(upload.callingProfileId);
  const plan = upload === undefined || profile === undefined ? undefined : planFor(profile, upload.usage);
  if (upload === undefined || plan === undefined) return { code: 'CallingProfileNotFound', message: 'The order lost its calling profile.' };
  const telephoneNumber = item.telephoneNumber;

  const country = countryOfNumber(telephoneNumber, upload.displayedCountryCode);
  if (!country.known) return { code: 'UnknownCountryCode', message: country.reason };
  if (!consent.consentedCountries.map(normaliseCountry).includes(country.isoCountryCode)) {
    return { code: 'CountryNotConsented', message: `Tenant ${order.tenantId} has not consented to ${country.isoCountryCode} numbers.` };
  }
  const owner = state.numbers.get(telephoneNumber);
  if (owner !== undefined && owner.tenantId !== order.tenantId) {
    return { code: 'NumberAlreadyAcquired', message: `${telephoneNumber} belongs to another tenant.` };
  }
  if (owner !== undefined) {
    if (settings.numberAlreadyExists === 'fail') return { code: 'NumberAlreadyExists', message: `${telephoneNumber} is already in tenant ${order.tenantId}.` };
    return undefined; // idempotent success: the number is where it was asked to be; left unchanged
  }
  if (country.tollFree && !plan.supportsTollFree) {
    return { code: 'UsageNotSupportedForTollFree', message: `Toll-free ${telephoneNumber} cannot have usage ${upload.usage}.` };
  }
  const address = resolveEmergencyAddress(tenant, upload.civicAddressId, upload.locationId);
  if (!address.ok) return address.failure;
  if (address.civicAddressId === undefined && upload.usage === 'CallingUserAssignment' && !upload.allowTenantAddressUpdate) {
    return { code: 'EmergencyAddressRequired', message: 'A user number needs an emergency address unless the tenant may set it (allowTenantAddressUpdate).' };
  }
  state.numbers.set(
    telephoneNumber,
    buildNumberRecord({
      telephoneNumber,
      tenantId: order.tenantId,
      isoCountryCode: country.isoCountryCode,
      tollFree: country.tollFree,
      plan,
      upload,
      ...(address.civicAddressId !== undefined && { civicAddressId: address.civicAddressId }),
      ...(address.locationId !== undefined && { locationId: address.locationId }),
      acquiredOn: atMs,
      visibleFrom: atMs + settings.listLagMs,
      uploadOrderId: order.orderId,
    }),
  );
  return undefined;
}

function evaluateRelease(sim: OrderWorld, order: OrderRecord, item: OrderItemRecord, atMs: number): NumberFailure | undefined {
  const record = numberOfTenant(sim.state, order.tenantId, item.telephoneNumber);
  if (record === undefined) return { code: 'NumberNotFound', message: `${item.telephoneNumber} is not in tenant ${order.tenantId}.` };
  if (record.assignmentStatus !== 'Unassigned') {
    return { code: 'NumberAssigned', message: `${item.telephoneNumber} is ${record.assignmentStatus}; unassign it before releasing it.` };
  }
  releaseFromTenant(sim.state, record, atMs, sim.settings.listLagMs);
  return undefined;
}

/** Unassigning a number that is not assigned is a no-op success (docs/oc-simulator.md, "Orders"). */
function evaluateUnassign(sim: OrderWorld, order: OrderRecord, item: OrderItemRecord): NumberFailure | undefined {
  const record = numberOfTenant(sim.state, order.tenantId, item.telephoneNumber);
  if (record === undefined) return { code: 'NumberNotFound', message: `${item.telephoneNumber} is not in tenant ${order.tenantId}.` };
  record.assignmentStatus = 'Unassigned';
  return undefined;
}

function completeOrder(sim: OrderWorld, order: OrderRecord, atMs: number): void {
  const consent = sim.state.consents.get(order.tenantId);
  const tenant = sim.state.tenants.get(order.tenantId);
  if (consent === undefined || tenant === undefined || consent.status !== 'Active') {
    const message = `The consent of tenant ${order.tenantId} is ${consent?.status ?? 'missing'}; the order was not carried out.`;
    order.error = { code: 'ConsentNotActive', message };
    for (const item of order.items) Object.assign(item, { status: 'Failed', errorCode: 'ConsentNotActive', errorMessage: message });
  } else {
    for (const item of order.items) {
      const failure =
        item.presetFailure ??
        (order.type === 'Upload'
          ? evaluateUpload(sim, order, item, consent, tenant, atMs)
          : order.type === 'Release'
            ? evaluateRelease(sim, order, item, atMs)
            : evaluateUnassign(sim, order, item));
      if (failure === undefined) item.status = 'Succeeded';
      else Object.assign(item, { status: 'Failed', errorCode: failure.code, errorMessage: failure.message });
    }
  }
  const succeeded = order.items.filter((item) => item.status === 'Succeeded').length;
  order.status = succeeded === order.items.length ? 'Succeeded' : succeeded === 0 ? 'Failed' : 'PartiallySucceeded';
  order.completedAt = atMs;
}

/** Applies every due order step up to `nowMs`, earliest first; ties go to the order submitted first. */
export function processDueOrders(sim: OrderWorld, nowMs: number): void {
  const open = [...sim.state.orders.values()].filter((order) => !isTerminal(order.status));
  for (;;) {
    let next: OrderRecord | undefined;
    for (const order of open) {
      if (isTerminal(order.status) || dueAt(order) > nowMs) continue;
      if (next === undefined || dueAt(order) < dueAt(next) || (dueAt(order) === dueAt(next) && order.seq < next.seq)) next = order;
    }
    if (next === undefined) return;
    if (next.status === 'Pending') {
      next.status = 'InProgress';
      for (const item of next.items) item.status = 'InProgress';
    } else {
      completeOrder(sim, next, next.completeAt);
    }
  }
}
