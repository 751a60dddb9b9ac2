/**
 * Accepting an order (docs/oc-simulator.md, "Orders"): everything that can be judged from the request
 * alone is a synchronous 400 and creates nothing; what depends on each number is judged later, when the
 * order runs (orderProcessing.ts). A number already in a running order is marked NumberInProgress now,
 * since by the time this order runs the other one may have finished.
 */
import { randomUUID } from 'node:crypto';
import { asObject, invalidField, optionalBoolean, optionalString, optionalStringArray, requiredString, requiredStringArray, type JsonObject } from './bodyFields';
import { planFor, SHAREABLE_USAGES, type CapabilityPlan } from './capabilities';
import { isE164 } from './countries';
import { SimError, type ErrorDetail, type OcSimErrorCode } from './errors';
import { numbersInOpenOrders } from './inventory';
import { USAGES, type CallingProfileRecord, type OrderRecord, type OrderType, type UploadDetails, type Usage } from './model';
import type { Simulation } from './simulation';

interface UploadFields {
  readonly callingProfileId: string;
  readonly usage: string;
  readonly choosableCapabilities: readonly string[];
  readonly additionalUsages: readonly string[];
  readonly civicAddressId?: string;
  readonly locationId?: string;
  readonly allowTenantAddressUpdate: boolean;
  readonly displayedCountryCode?: string;
}

function readUploadFields(body: JsonObject): UploadFields {
  const civicAddressId = optionalString(body, 'civicAddressId');
  const locationId = optionalString(body, 'locationId');
  const displayedCountryCode = optionalString(body, 'displayedCountryCode');
  if (displayedCountryCode !== undefined && !/^[A-Za-z]{2}$/.test(displayedCountryCode)) {
    throw invalidField('displayedCountryCode', 'displayedCountryCode must be an ISO 3166-1 alpha-2 code.');
  }
  return {
    callingProfileId: requiredString(body, 'callingProfileId'),
    usage: requiredString(body, 'usage'),
    choosableCapabilities: requiredStringArray(body, 'choosableCapabilities'),
    additionalUsages: optionalStringArray(body, 'additionalUsages') ?? [],
    ...(civicAddressId !== undefined && { civicAddressId }),
    ...(locationId !== undefined && { locationId }),
    allowTenantAddressUpdate: optionalBoolean(body, 'allowTenantAddressUpdate') ?? false,
    ...(displayedCountryCode !== undefined && { displayedCountryCode: displayedCountryCode.toUpperCase() }),
  };
}

function rejected(code: OcSimErrorCode, message: string, details: readonly ErrorDetail[] = []): SimError {
  return new SimError(400, code, message, details.length > 0 ? details : [{ code, message }]);
}

function checkNumberList(telephoneNumbers: readonly string[], maxNumbers: number): void {
  if (telephoneNumbers.length === 0) throw rejected('NoTelephoneNumbers', 'telephoneNumbers must list at least one number.');
  if (telephoneNumbers.length > maxNumbers) {
    throw rejected('TooManyNumbers', `An order takes at most ${maxNumbers} numbers; this one has ${telephoneNumbers.length}.`);
  }
  const malformed = telephoneNumbers
    .map((telephoneNumber, index) => ({ telephoneNumber, index }))
    .filter(({ telephoneNumber }) => !isE164(telephoneNumber))
    .map(({ telephoneNumber, index }) => ({ code: 'InvalidTelephoneNumber', message: `${telephoneNumber} is not an E.164 number (+ and up to 15 digits).`, target: `telephoneNumbers[${index}]` }));
  if (malformed.length > 0) throw rejected('InvalidTelephoneNumber', `${malformed.length} number(s) are not E.164.`, malformed);
  const seen = new Set<string>();
  const duplicates: ErrorDetail[] = [];
  telephoneNumbers.forEach((telephoneNumber, index) => {
    if (seen.has(telephoneNumber)) duplicates.push({ code: 'DuplicateTelephoneNumber', message: `${telephoneNumber} is listed more than once.`, target: `telephoneNumbers[${index}]` });
    seen.add(telephoneNumber);
  });
  if (duplicates.length > 0) throw rejected('DuplicateTelephoneNumber', 'The order lists a number more than once.', duplicates);
}

function knownUsage(text: string, target: string): Usage {
  const usage = USAGES.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (usage === undefined) throw rejected('InvalidUsage', `${text} is not a usage this operator offers (${USAGES.join(', ')}).`, [{ code: 'InvalidUsage', message: text, target }]);
  return usage;
}

function offeredPlan(profile: CallingProfileRecord, usage: Usage, target: string): CapabilityPlan {
  const plan = planFor(profile, usage);
  if (plan === undefined) {
    const message = `Calling profile ${profile.name} (${profile.offerTypes.join(', ')}) does not offer ${usage}.`;
    throw rejected('UsageNotAllowedForCallingProfile', message, [{ code: 'UsageNotAllowedForCallingProfile', message, target }]);
  }
  return plan;
}

function validateUpload(sim: Simulation, fields: UploadFields): UploadDetails {
  const profile = sim.state.callingProfiles.get(fields.callingProfileId);
  if (profile === undefined) {
    throw rejected('CallingProfileNotFound', `Calling profile ${fields.callingProfileId} does not exist.`, [
      { code: 'CallingProfileNotFound', message: fields.callingProfileId, target: 'callingProfileId' },
    ]);
  }
  const usage = knownUsage(fields.usage, 'usage');
  const plan = offeredPlan(profile, usage, 'usage');

  const additionalUsages: Usage[] = [];
  fields.additionalUsages.forEach((text, index) => {
    const target = `additionalUsages[${index}]`;
    const additional = knownUsage(text, target);
    if (additional === usage || additionalUsages.includes(additional) || !SHAREABLE_USAGES.includes(usage) || !SHAREABLE_USAGES.includes(additional)) {
      const message = `${additional} cannot be added to ${usage}: only ${SHAREABLE_USAGES.join(' and ')} share a number.`;
      throw rejected('InvalidUsage', message, [{ code: 'InvalidUsage', message, target }]);
    }
    offeredPlan(profile, additional, target);
    additionalUsages.push(additional);
  });

  const choosableCapabilities: string[] = [];
  const notAllowed: ErrorDetail[] = [];
  fields.choosableCapabilities.forEach((text, index) => {
    const capability = plan.choosableCapabilities.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
    if (capability === undefined) {
      notAllowed.push({ code: 'CapabilityNotAllowed', message: `${text} is not choosable for ${usage} (${plan.choosableCapabilities.join(', ')}).`, target: `choosableCapabilities[${index}]` });
    } else if (!choosableCapabilities.includes(capability)) {
      choosableCapabilities.push(capability);
    }
  });
  if (notAllowed.length > 0) throw rejected('CapabilityNotAllowed', `Capabilities not allowed for ${usage} on profile ${profile.name}.`, notAllowed);

  if (fields.civicAddressId !== undefined && fields.locationId !== undefined) {
    throw rejected('CivicAddressAndLocationConflict', 'Give either civicAddressId or locationId, not both (the location implies its address).');
  }
  return {
    callingProfileId: profile.callingProfileId,
    usage,
    additionalUsages,
    choosableCapabilities,
    allowTenantAddressUpdate: fields.allowTenantAddressUpdate,
    ...(fields.civicAddressId !== undefined && { civicAddressId: fields.civicAddressId }),
    ...(fields.locationId !== undefined && { locationId: fields.locationId }),
    ...(fields.displayedCountryCode !== undefined && { displayedCountryCode: fields.displayedCountryCode }),
  };
}

export function submitOrder(sim: Simulation, type: OrderType, tenantId: string, requestBody: unknown, clientId: string, nowMs: number): OrderRecord {
  const { state, settings } = sim;
  const body = asObject(requestBody);
  const bodyTenant = optionalString(body, 'tenantId');
  if (bodyTenant !== undefined && bodyTenant !== tenantId) throw invalidField('tenantId', `tenantId ${bodyTenant} does not match the tenant in the path.`);
  const telephoneNumbers = requiredStringArray(body, 'telephoneNumbers');
  const ticketId = optionalString(body, 'ticketId', 64);
  const uploadFields = type === 'Upload' ? readUploadFields(body) : undefined;

  const consent = state.consents.get(tenantId);
  if (consent === undefined) throw rejected('ConsentNotActive', `Tenant ${tenantId} has no consent for this operator.`);
  if (consent.status !== 'Active') throw rejected('ConsentNotActive', `The consent of tenant ${tenantId} is ${consent.status}.`);
  checkNumberList(telephoneNumbers, settings.maxNumbersPerOrder);
  const upload = uploadFields === undefined ? undefined : validateUpload(sim, uploadFields);

  const running = numbersInOpenOrders(state);
  const order: OrderRecord = {
    orderId: randomUUID(),
    seq: state.nextOrderSeq++,
    type,
    tenantId,
    clientId,
    createdAt: nowMs,
    inProgressAt: nowMs + settings.orderTimes.pendingMs,
    completeAt: nowMs + settings.orderTimes.completeMs,
    status: 'Pending',
    ...(ticketId !== undefined && { ticketId }),
    ...(upload !== undefined && { upload }),
    items: telephoneNumbers.map((telephoneNumber) => {
      const other = running.get(telephoneNumber);
      return {
        telephoneNumber,
        status: 'Pending' as const,
        ...(other !== undefined && {
          presetFailure: { code: 'NumberInProgress', message: `${telephoneNumber} is part of ${other.type} order ${other.orderId}, still ${other.status}.` },
        }),
      };
    }),
  };
  state.orders.set(order.orderId, order);
  if (type === 'Upload') sim.counters.recordUpload(telephoneNumbers, order.orderId);
  return order;
}
