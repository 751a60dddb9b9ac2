/**
 * The operator-facing API (docs/oc-simulator.md "Operator API", with our `GET /tenants/{t}/orders`), below
 * the API prefix. Each route names the roles that may call it; handlers parse, call the domain module
 * and shape the answer with wire.ts. `handleOperatorCall` is the pipeline in front of them:
 * route → token (401) → throttle (429) → app and role (403) → handler.
 */
import { authenticate, authorize, ROLES_TO_READ_CONSENTS, ROLES_TO_READ_NUMBERS, ROLES_TO_READ_PROFILES, ROLES_TO_WRITE_CONSENTS, ROLES_TO_WRITE_NUMBERS, type Caller } from './authorization';
import { asObject, optionalEnum, optionalString, requiredStringArray } from './bodyFields';
import { capabilitiesAvailableTo, offeredPlans } from './capabilities';
import { countryOfNumber, isE164, isNanpTollFree, normaliseCountry } from './countries';
import { requireConsent } from './customerConsents';
import { SimError } from './errors';
import { jsonResponse, type SimRequest, type SimResponse } from './exchange';
import { visibleNumber, visibleNumbers } from './inventory';
import { CONSENT_STATUSES, CUSTOMER_RELATIONSHIP_STATUSES, type OcRole, type OrderRecord, type OrderType } from './model';
import { updateNumberByOperator } from './numberUpdates';
import { submitOrder } from './orderSubmission';
import { pageOf } from './paging';
import { RouteTable, type Resolution } from './router';
import type { Simulation } from './simulation';
import { wireCallingProfile, wireCapabilityPlan, wireCivicAddress, wireConsent, wireNumber, wireOrder } from './wire';

export interface OperatorContext {
  readonly sim: Simulation;
  readonly request: SimRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly nowMs: number;
  readonly caller: Caller;
}

export interface OperatorHandler {
  readonly roles: readonly OcRole[];
  readonly run: (context: OperatorContext) => SimResponse;
}

function param(context: OperatorContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no {${name}}`); // a route table bug, not a request error
  return value;
}

function page<T, W>(context: OperatorContext, items: readonly T[], keyOf: (item: T) => string, wire: (item: T) => W): SimResponse {
  const { sim, request } = context;
  const result = pageOf(items, keyOf, request, sim.settings, sim.apiBaseUrl);
  return jsonResponse(200, { value: result.value.map(wire), ...(result.nextLink !== undefined && { nextLink: result.nextLink }) });
}

function invalidQuery(name: string, message: string): SimError {
  return new SimError(400, 'InvalidQueryParameter', message, [{ code: 'InvalidQueryParameter', message, target: name }]);
}

/** Orders sort by creation time, then submission order: the key pads both so string order is time order. */
function orderKey(order: OrderRecord): string {
  return `${String(order.createdAt).padStart(16, '0')}:${String(order.seq).padStart(10, '0')}`;
}

const listConsents: OperatorHandler = {
  roles: ROLES_TO_READ_CONSENTS,
  run: (context) => {
    const statusText = context.request.query.get('status');
    const status = statusText === null ? undefined : CONSENT_STATUSES.find((candidate) => candidate.toLowerCase() === statusText.toLowerCase());
    if (statusText !== null && status === undefined) throw invalidQuery('status', `status must be one of ${CONSENT_STATUSES.join(', ')}.`);
    const consents = [...context.sim.state.consents.values()].filter((consent) => status === undefined || consent.status === status);
    return page(context, consents, (consent) => consent.tenantId, (consent) => wireConsent(consent, context.sim.state.operatorId));
  },
};

const getConsent: OperatorHandler = {
  roles: ROLES_TO_READ_CONSENTS,
  run: (context) => jsonResponse(200, wireConsent(requireConsent(context.sim.state, param(context, 'tenantId')), context.sim.state.operatorId)),
};

/** Only `customerRelationship` is the operator's to write (B14); Declined/Terminated need a reason. */
const updateConsent: OperatorHandler = {
  roles: ROLES_TO_WRITE_CONSENTS,
  run: (context) => {
    const relationship = asObject(asObject(context.request.body).customerRelationship, 'customerRelationship');
    const status = optionalEnum(relationship, 'status', CUSTOMER_RELATIONSHIP_STATUSES);
    if (status === undefined) throw new SimError(400, 'InvalidRequestBody', 'customerRelationship.status is required.', [{ code: 'InvalidField', message: 'required', target: 'customerRelationship.status' }]);
    const comment = optionalString(relationship, 'comment', 1000);
    const consent = requireConsent(context.sim.state, param(context, 'tenantId'));
    if (consent.status === 'Removed') throw new SimError(409, 'ConsentRemoved', `The consent of tenant ${consent.tenantId} was removed by the customer.`);
    if ((status === 'ConsentDeclined' || status === 'ContractTerminated') && (comment === undefined || comment.trim() === '')) {
      throw new SimError(400, 'CommentRequired', `A comment (the reason) is required for ${status}.`, [{ code: 'CommentRequired', message: 'required', target: 'customerRelationship.comment' }]);
    }
    consent.customerRelationship = { status, ...(comment !== undefined && { comment }), lastModifiedOn: context.nowMs };
    consent.lastModifiedOn = context.nowMs;
    return jsonResponse(200, wireConsent(consent, context.sim.state.operatorId));
  },
};

const listCallingProfiles: OperatorHandler = {
  roles: ROLES_TO_READ_PROFILES,
  run: (context) => page(context, [...context.sim.state.callingProfiles.values()], (profile) => profile.callingProfileId, wireCallingProfile),
};

/** A consent without countries (not completed by the customer, B2) offers nothing yet. */
const listUsages: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const consent = requireConsent(context.sim.state, param(context, 'tenantId'));
    const plans = consent.consentedCountries.length === 0 ? [] : offeredPlans(context.sim.state.callingProfiles.values());
    return jsonResponse(200, { value: plans.map(wireCapabilityPlan) });
  },
};

/** A North American toll-free number fits either NANP country, whichever the consent has. */
function fitsConsent(telephoneNumber: string, consentedCountries: readonly string[]): { fits: boolean; tollFree: boolean } {
  if (isNanpTollFree(telephoneNumber)) return { fits: consentedCountries.includes('US') || consentedCountries.includes('CA'), tollFree: true };
  const country = countryOfNumber(telephoneNumber);
  return country.known ? { fits: consentedCountries.includes(country.isoCountryCode), tollFree: country.tollFree } : { fits: false, tollFree: false };
}

const availableCapabilities: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const { state, settings } = context.sim;
    const telephoneNumbers = requiredStringArray(asObject(context.request.body), 'telephoneNumbers');
    const tenantId = param(context, 'tenantId');
    const consent = requireConsent(state, tenantId);
    if (telephoneNumbers.length > settings.maxNumbersPerOrder) {
      throw new SimError(400, 'TooManyNumbers', `At most ${settings.maxNumbersPerOrder} numbers per request.`);
    }
    const malformed = telephoneNumbers.filter((telephoneNumber) => !isE164(telephoneNumber));
    if (malformed.length > 0) {
      throw new SimError(400, 'InvalidTelephoneNumber', `${malformed.length} number(s) are not E.164.`, malformed.map((number) => ({ code: 'InvalidTelephoneNumber', message: number, target: number })));
    }
    const countries = consent.consentedCountries.map(normaliseCountry);
    const plans = offeredPlans(state.callingProfiles.values());
    const result = telephoneNumbers.map((telephoneNumber) => {
      const owned = state.numbers.get(telephoneNumber);
      if (owned !== undefined) return { telephoneNumber, availableCapabilities: owned.tenantId === tenantId ? [...owned.availableCapabilities] : [] };
      const { fits, tollFree } = fitsConsent(telephoneNumber, countries);
      return { telephoneNumber, availableCapabilities: fits ? capabilitiesAvailableTo(tollFree, plans) : [] };
    });
    return jsonResponse(200, { availableCapabilities: result });
  },
};

const listCivicAddresses: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const tenantId = param(context, 'tenantId');
    requireConsent(context.sim.state, tenantId);
    const addresses = context.sim.state.tenants.get(tenantId)?.civicAddresses ?? [];
    return page(context, addresses, (address) => address.id, (address) => wireCivicAddress(address, context.sim.state.operatorId));
  },
};

const getCivicAddress: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const tenantId = param(context, 'tenantId');
    const civicAddressId = param(context, 'civicAddressId');
    requireConsent(context.sim.state, tenantId);
    const address = context.sim.state.tenants.get(tenantId)?.civicAddresses.find((candidate) => candidate.id === civicAddressId);
    if (address === undefined) throw new SimError(404, 'CivicAddressNotFound', `Civic address ${civicAddressId} does not exist in tenant ${tenantId}.`);
    return jsonResponse(200, wireCivicAddress(address, context.sim.state.operatorId));
  },
};

const listNumbers: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const tenantId = param(context, 'tenantId');
    requireConsent(context.sim.state, tenantId);
    return page(context, visibleNumbers(context.sim.state, tenantId, context.nowMs), (number) => number.telephoneNumber, wireNumber);
  },
};

const getNumber: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const tenantId = param(context, 'tenantId');
    const telephoneNumber = param(context, 'telephoneNumber');
    requireConsent(context.sim.state, tenantId);
    const number = visibleNumber(context.sim.state, tenantId, telephoneNumber, context.nowMs);
    if (number === undefined) throw new SimError(404, 'NumberNotFound', `Number ${telephoneNumber} is not in tenant ${tenantId}.`);
    return jsonResponse(200, wireNumber(number));
  },
};

const updateNumber: OperatorHandler = {
  roles: ROLES_TO_WRITE_NUMBERS,
  run: (context) =>
    jsonResponse(200, wireNumber(updateNumberByOperator(context.sim.state, param(context, 'tenantId'), param(context, 'telephoneNumber'), context.request.body))),
};

function orderSubmission(type: OrderType): OperatorHandler {
  return {
    roles: ROLES_TO_WRITE_NUMBERS,
    run: (context) => {
      const order = submitOrder(context.sim, type, param(context, 'tenantId'), context.request.body, context.caller.appId, context.nowMs);
      return jsonResponse(202, { orderId: order.orderId, status: 'Pending' }, { location: `${context.sim.apiBaseUrl}/orders/${order.orderId}` });
    },
  };
}

/** Our extension: the read-back after an ambiguous submission (did the order get created?). */
const listTenantOrders: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const tenantId = param(context, 'tenantId');
    const createdAfterText = context.request.query.get('createdAfter');
    const createdAfter = createdAfterText === null ? undefined : Date.parse(createdAfterText);
    if (createdAfter !== undefined && !Number.isFinite(createdAfter)) throw invalidQuery('createdAfter', 'createdAfter must be an ISO-8601 date-time.');
    requireConsent(context.sim.state, tenantId);
    const orders = [...context.sim.state.orders.values()].filter(
      (order) => order.tenantId === tenantId && (createdAfter === undefined || order.createdAt >= createdAfter),
    );
    return page(context, orders, orderKey, wireOrder);
  },
};

const getOrder: OperatorHandler = {
  roles: ROLES_TO_READ_NUMBERS,
  run: (context) => {
    const orderId = param(context, 'orderId');
    const order = context.sim.state.orders.get(orderId);
    if (order === undefined) throw new SimError(404, 'OrderNotFound', `Order ${orderId} does not exist.`);
    return jsonResponse(200, wireOrder(order));
  },
};

export const operatorRoutes = new RouteTable<OperatorHandler>([
  { method: 'GET', pattern: '/consents', handler: listConsents },
  { method: 'GET', pattern: '/consents/{tenantId}', handler: getConsent },
  { method: 'PATCH', pattern: '/consents/{tenantId}', handler: updateConsent },
  { method: 'GET', pattern: '/callingProfiles', handler: listCallingProfiles },
  { method: 'GET', pattern: '/tenants/{tenantId}/usages', handler: listUsages },
  { method: 'POST', pattern: '/tenants/{tenantId}/availableCapabilities', handler: availableCapabilities },
  { method: 'GET', pattern: '/tenants/{tenantId}/civicAddresses', handler: listCivicAddresses },
  { method: 'GET', pattern: '/tenants/{tenantId}/civicAddresses/{civicAddressId}', handler: getCivicAddress },
  { method: 'GET', pattern: '/tenants/{tenantId}/numbers', handler: listNumbers },
  { method: 'GET', pattern: '/tenants/{tenantId}/numbers/{telephoneNumber}', handler: getNumber },
  { method: 'PATCH', pattern: '/tenants/{tenantId}/numbers/{telephoneNumber}', handler: updateNumber },
  { method: 'POST', pattern: '/tenants/{tenantId}/uploadOrders', handler: orderSubmission('Upload') },
  { method: 'POST', pattern: '/tenants/{tenantId}/releaseOrders', handler: orderSubmission('Release') },
  { method: 'POST', pattern: '/tenants/{tenantId}/unassignOrders', handler: orderSubmission('Unassign') },
  { method: 'GET', pattern: '/tenants/{tenantId}/orders', handler: listTenantOrders },
  { method: 'GET', pattern: '/orders/{orderId}', handler: getOrder },
]);

export function handleOperatorCall(sim: Simulation, request: SimRequest, resolution: Resolution<OperatorHandler>): SimResponse {
  if (resolution.kind === 'notFound') throw new SimError(404, 'RouteNotFound', `No operator route ${request.method} ${request.path}.`);
  if (resolution.kind === 'methodNotAllowed') {
    throw new SimError(405, 'MethodNotAllowed', `${request.method} is not allowed here.`, [], { allow: resolution.allow.join(', ') });
  }
  const nowMs = sim.settle();
  const caller = authenticate(sim, request, nowMs);
  const decision = sim.throttle.take(caller.appId, nowMs, sim.settings.throttlePerMinute);
  if (!decision.allowed) {
    const seconds = Math.max(1, Math.ceil(sim.clock.toRealMs(decision.retryAfterMs) / 1000));
    throw new SimError(429, 'TooManyRequests', `App ${caller.appId} exceeded ${sim.settings.throttlePerMinute} requests per minute.`, [], { 'retry-after': String(seconds) });
  }
  const { handler } = resolution.route;
  authorize(sim, caller, handler.roles);
  return handler.run({ sim, request, params: resolution.params, nowMs, caller });
}
