/**
 * The Operator Connect wire contract, and nothing else: routes, request bodies, envelopes, and the
 * maps from wire enums onto the port's values. Microsoft's partner API is not public, so this
 * follows our pinned simulator contract (operator-connect.md §5.2); adopting the official spec means
 * editing this file only. Enums are matched case-insensitively (mirrors disagree on casing).
 */
import {
  OcError,
  type ConsentStatus,
  type CustomerRelationshipStatus,
  type NumberUpdate,
  type OcCallingProfile,
  type OcCapabilityPlan,
  type OcCivicAddress,
  type OcConsent,
  type OcContact,
  type OcLocation,
  type OcNumber,
  type OcOrder,
  type OcOrderResult,
  type OrderItemStatus,
  type OrderStatus,
  type OrderType,
  type UploadOrder,
} from './port';
import type { CallSafety } from './retry';

export const ROUTES = {
  consents: '/consents',
  consent: '/consents/{tenantId}',
  callingProfiles: '/callingProfiles',
  usages: '/tenants/{tenantId}/usages',
  availableCapabilities: '/tenants/{tenantId}/availableCapabilities',
  civicAddresses: '/tenants/{tenantId}/civicAddresses',
  civicAddress: '/tenants/{tenantId}/civicAddresses/{civicAddressId}',
  numbers: '/tenants/{tenantId}/numbers',
  number: '/tenants/{tenantId}/numbers/{telephoneNumber}',
  uploadOrders: '/tenants/{tenantId}/uploadOrders',
  releaseOrders: '/tenants/{tenantId}/releaseOrders',
  unassignOrders: '/tenants/{tenantId}/unassignOrders',
  order: '/orders/{orderId}',
  /** Our extension: the read-back after an ambiguous submission. */
  tenantOrders: '/tenants/{tenantId}/orders',
} as const;

export const REQUEST_ID_HEADER = 'x-ms-request-id';
export const CLIENT_REQUEST_ID_HEADER = 'x-ms-client-request-id';
const ERROR_CODE_HEADER = 'x-ms-error-code';

type ParamsOf<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamsOf<Rest> : never;

function invalidArgument(message: string): OcError {
  return new OcError('permanent', undefined, 'InvalidArgument', message);
}

/** Fills a template; every value is one encoded path segment (`+` in E.164 numbers becomes %2B). */
export function fillRoute<T extends string>(template: T, params: Record<ParamsOf<T>, string>): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value: unknown = (params as Record<string, unknown>)[name];
    // An empty segment would silently address another resource (`/consents/` is the list).
    if (typeof value !== 'string' || value.trim() === '') throw invalidArgument(`${name} must be a non-empty string`);
    return encodeURIComponent(value);
  });
}

function numberList(telephoneNumbers: readonly string[]): string[] {
  if (!Array.isArray(telephoneNumbers) || telephoneNumbers.length === 0) throw invalidArgument('telephoneNumbers must be a non-empty list');
  for (const tn of telephoneNumbers) if (typeof tn !== 'string' || tn.trim() === '') throw invalidArgument('telephoneNumbers must be non-empty strings');
  return [...telephoneNumbers];
}

// ---------------------------------------------------------------------------------------------
// Reading response bodies: required identity fields are checked, everything else is tolerated.

function invalidResponse(message: string): OcError {
  return new OcError('permanent', undefined, 'InvalidResponse', `Unexpected Operator Connect response: ${message}`);
}

class Shape {
  private readonly fields: Record<string, unknown>;
  constructor(
    private readonly what: string,
    value: unknown,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidResponse(`${what} is not an object`);
    this.fields = value as Record<string, unknown>;
  }
  raw(name: string): unknown {
    return this.fields[name];
  }
  all(): Record<string, unknown> {
    return this.fields;
  }
  str(...names: string[]): string {
    const value = this.optStr(...names);
    if (value === undefined) throw invalidResponse(`${this.what}.${names[0]} is missing`);
    return value;
  }
  optStr(...names: string[]): string | undefined {
    for (const name of names) {
      const value = this.fields[name];
      if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
  }
  strs(name: string): string[] {
    const value = this.fields[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw invalidResponse(`${this.what}.${name} is not a list`);
    return value.filter((item): item is string => typeof item === 'string');
  }
  list(name: string): unknown[] {
    const value = this.fields[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw invalidResponse(`${this.what}.${name} is not a list`);
    return value;
  }
  bool(name: string, fallback: boolean): boolean {
    const value = this.fields[name];
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    return fallback;
  }
}

const fold = (value: string): string => value.toLowerCase().replace(/[\s_-]/g, '');

/** Case- and separator-insensitive enum reader (`in_progress`, `InProgress` and `INPROGRESS` agree). */
function enumReader<T extends string>(what: string, table: Readonly<Record<string, T>>): (value: unknown) => T {
  const folded = new Map(Object.entries(table).map(([wire, value]) => [fold(wire), value]));
  return (value) => {
    const match = typeof value === 'string' ? folded.get(fold(value)) : undefined;
    if (match === undefined) throw invalidResponse(`${what} ${JSON.stringify(value)} is not a known value`);
    return match;
  };
}

const identity = <T extends string>(values: readonly T[]): Record<string, T> => Object.fromEntries(values.map((v) => [v, v]));

const consentStatus = enumReader<ConsentStatus>('consent status', identity(['Active', 'Suspended', 'Removed']));
const relationshipStatus = enumReader<CustomerRelationshipStatus>(
  'customer relationship status',
  identity(['ConsentAcknowledged', 'CustomerContacted', 'AgreementSigned', 'ConsentDeclined', 'ContractTerminated']),
);
const orderType = enumReader<OrderType>('order type', identity(['Upload', 'Release', 'Unassign']));

/**
 * Order status vocabularies: ours (Pending/InProgress/Succeeded/PartiallySucceeded/Failed), the
 * upload one (Success/PartialSuccess/Error) and the release one (Complete/Failed/Expired) seen
 * through Telnyx (operator-connect.md §2.3). `Complete` is resolved from the per-number results.
 */
const orderStatusWire = enumReader<OrderStatus | 'Complete' | 'Expired'>('order status', {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  PartiallySucceeded: 'PartiallySucceeded',
  Failed: 'Failed',
  Success: 'Succeeded',
  PartialSuccess: 'PartiallySucceeded',
  Error: 'Failed',
  Complete: 'Complete',
  Completed: 'Complete',
  Expired: 'Expired',
});
const orderItemStatus = enumReader<OrderItemStatus>('order item status', {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Success: 'Succeeded',
  Complete: 'Succeeded',
  Completed: 'Succeeded',
  Failed: 'Failed',
  Error: 'Failed',
  Expired: 'Failed',
});

/** Only `Unassigned` means free; every other value (`UserAssigned`, `ConferenceAssigned`, `VoiceAppAssigned`…) is a use. */
function assignmentStatus(value: unknown): OcNumber['assignmentStatus'] {
  // Missing counts as assigned: the caller then unassigns before releasing, a no-op on a free number.
  return typeof value === 'string' && fold(value) === 'unassigned' ? 'unassigned' : 'assigned';
}

function offerTypeNames(shape: Shape): string[] {
  return shape
    .list('offerTypes')
    .map((item) => (typeof item === 'string' ? item : new Shape('offerType', item).optStr('offerTypeName', 'name')))
    .filter((name): name is string => name !== undefined);
}

function parseContact(raw: unknown): OcContact {
  const s = new Shape('contact', raw);
  const telephoneNumber = s.optStr('telephoneNumber', 'phoneNumber');
  const companyName = s.optStr('companyName');
  const companySize = s.optStr('companySize');
  return {
    fullName: s.optStr('fullName') ?? '',
    email: s.optStr('email') ?? '',
    ...(telephoneNumber !== undefined ? { telephoneNumber } : {}),
    ...(companyName !== undefined ? { companyName } : {}),
    ...(companySize !== undefined ? { companySize } : {}),
  };
}

export function parseConsent(raw: unknown): OcConsent {
  const s = new Shape('consent', raw);
  const relationship = s.raw('customerRelationship');
  let customerRelationship: OcConsent['customerRelationship'];
  if (relationship !== undefined && relationship !== null) {
    const r = new Shape('consent.customerRelationship', relationship);
    const comment = r.optStr('comment');
    const lastModifiedOn = r.optStr('lastModifiedOn');
    customerRelationship = {
      status: relationshipStatus(r.raw('status')),
      ...(comment !== undefined ? { comment } : {}),
      ...(lastModifiedOn !== undefined ? { lastModifiedOn } : {}),
    };
  }
  return {
    id: s.str('id'),
    tenantId: s.str('tenantId'),
    operatorId: s.optStr('operatorId') ?? '',
    status: consentStatus(s.raw('status')),
    consentedOn: s.optStr('consentedOn') ?? '',
    lastModifiedOn: s.optStr('lastModifiedOn') ?? '',
    consentedCountries: s.strs('consentedCountries'),
    contacts: s.list('contacts').map(parseContact),
    ...(customerRelationship !== undefined ? { customerRelationship } : {}),
  };
}

export function parseCallingProfile(raw: unknown): OcCallingProfile {
  const s = new Shape('callingProfile', raw);
  const offerTypes = offerTypeNames(s);
  const nameSuffix = s.optStr('nameSuffix');
  return {
    id: s.str('callingProfileId', 'id'),
    name: s.optStr('name') ?? '',
    offerTypes,
    mobile: offerTypes.some((offer) => fold(offer) === 'mobile'),
    ...(nameSuffix !== undefined ? { nameSuffix } : {}),
  };
}

export function parseCapabilityPlan(raw: unknown): OcCapabilityPlan {
  const s = new Shape('capabilityPlan', raw);
  return {
    name: s.optStr('name') ?? '',
    offerTypes: offerTypeNames(s),
    usage: s.str('usage'),
    mandatoryCapabilities: s.strs('mandatoryCapabilities'),
    choosableCapabilities: s.strs('choosableCapabilities'),
    supportsTollFree: s.bool('supportsTollFree', false),
  };
}

function parseLocation(raw: unknown, civicAddressId: string, defaultLocationId: string | undefined): OcLocation {
  const s = new Shape('location', raw);
  const id = s.str('id');
  const description = s.optStr('description');
  const additionalInfo = s.optStr('additionalInfo');
  const elin = s.optStr('elin');
  return {
    id,
    civicAddressId: s.optStr('civicAddressId') ?? civicAddressId,
    isDefault: s.bool('isDefault', id === defaultLocationId),
    ...(description !== undefined ? { description } : {}),
    ...(additionalInfo !== undefined ? { additionalInfo } : {}),
    ...(elin !== undefined ? { elin } : {}),
  };
}

const VALIDATION_STATUSES: Record<string, 'Validated' | 'NotValidated'> = { validated: 'Validated', notvalidated: 'NotValidated' };

export function parseCivicAddress(raw: unknown): OcCivicAddress {
  const s = new Shape('civicAddress', raw);
  const id = s.str('id');
  const defaultLocationId = s.optStr('defaultLocationId');
  const validation = s.optStr('validationStatus');
  const validationStatus = validation === undefined ? undefined : VALIDATION_STATUSES[fold(validation)];
  // Address fields are free-form strings (operator-connect.md §3.4): kept as they come.
  const { validationStatus: _wireValidation, ...rest } = s.all();
  return {
    ...rest,
    id,
    country: s.optStr('country') ?? '',
    locations: s.list('locations').map((location) => parseLocation(location, id, defaultLocationId)),
    ...(defaultLocationId !== undefined ? { defaultLocationId } : {}),
    ...(validationStatus !== undefined ? { validationStatus } : {}),
  };
}

export function parseNumber(raw: unknown, tenantId: string): OcNumber {
  const s = new Shape('number', raw);
  const optional = {
    callingProfileId: s.optStr('callingProfileId'),
    isoCountryCode: s.optStr('isoCountryCode'),
    displayedCountryCode: s.optStr('displayedCountryCode'),
    civicAddressId: s.optStr('civicAddressId'),
    locationId: s.optStr('locationId'),
    acquiredOn: s.optStr('acquiredOn'),
  };
  return {
    telephoneNumber: s.str('telephoneNumber'),
    tenantId: s.optStr('tenantId') ?? tenantId,
    usage: s.optStr('usage') ?? '',
    additionalUsages: s.strs('additionalUsages'),
    acquiredCapabilities: s.strs('acquiredCapabilities'),
    availableCapabilities: s.strs('availableCapabilities'),
    allowTenantAddressUpdate: s.bool('allowTenantAddressUpdate', false),
    assignmentStatus: assignmentStatus(s.raw('assignmentStatus')),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

function parseOrderResult(raw: unknown): OcOrderResult {
  const s = new Shape('order result', raw);
  const errorCode = s.optStr('errorCode');
  const errorMessage = s.optStr('errorMessage');
  return {
    telephoneNumber: s.str('telephoneNumber'),
    status: orderItemStatus(s.raw('status')),
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(errorMessage !== undefined ? { errorMessage } : {}),
  };
}

function resolveOrderStatus(wire: OrderStatus | 'Complete' | 'Expired', results: readonly OcOrderResult[]): OrderStatus {
  if (wire === 'Expired') return 'Failed';
  if (wire !== 'Complete') return wire;
  const failed = results.filter((r) => r.status === 'Failed').length;
  if (failed === 0) return 'Succeeded';
  return failed === results.length ? 'Failed' : 'PartiallySucceeded';
}

export function parseOrder(raw: unknown): OcOrder {
  const s = new Shape('order', raw);
  const results = s.list('results').map(parseOrderResult);
  const wireStatus = orderStatusWire(s.raw('status'));
  const completedAt = s.optStr('completedAt');
  const wireError = s.raw('error');
  let error: OcOrder['error'];
  if (wireError !== undefined && wireError !== null) {
    const e = new Shape('order.error', wireError);
    error = { code: e.optStr('code') ?? 'Unknown', message: e.optStr('message') ?? '' };
  } else if (wireStatus === 'Expired') {
    error = { code: 'OrderExpired', message: 'The order expired before it completed.' };
  }
  return {
    orderId: s.str('orderId', 'id'),
    type: orderType(s.raw('type')),
    tenantId: s.str('tenantId'),
    status: resolveOrderStatus(wireStatus, results),
    createdAt: s.optStr('createdAt') ?? '',
    results,
    ...(completedAt !== undefined ? { completedAt } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/** 202 + `{ orderId, status }`; the Location header (`…/orders/{orderId}`) stands in when the body lacks the id. */
export function parseSubmission(body: unknown, location: string | undefined): { orderId: string } {
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).orderId : undefined;
  if (typeof fromBody === 'string' && fromBody !== '') return { orderId: fromBody };
  const segment = location?.split('?')[0]?.split('/').filter((part) => part !== '').pop();
  if (segment !== undefined) return { orderId: decodeURIComponent(segment) };
  throw invalidResponse('order submission carries no orderId');
}

function parseAvailableCapabilities(body: unknown): { telephoneNumber: string; availableCapabilities: string[] }[] {
  return new Shape('availableCapabilities response', body).list('availableCapabilities').map((item) => {
    const s = new Shape('availableCapabilities item', item);
    return { telephoneNumber: s.str('telephoneNumber'), availableCapabilities: s.strs('availableCapabilities') };
  });
}

// ---------------------------------------------------------------------------------------------
// Envelopes.

/** Lists are `{ value, nextLink? }`; a bare array is accepted as a single page. */
export function parsePage(body: unknown): { items: unknown[]; nextLink?: string } {
  if (Array.isArray(body)) return { items: body };
  const s = new Shape('list page', body);
  const value = s.raw('value');
  if (!Array.isArray(value)) throw invalidResponse('list page has no value array');
  const nextLink = s.optStr('nextLink', '@odata.nextLink');
  return nextLink === undefined ? { items: value } : { items: value, nextLink };
}

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly details: { code: string; message?: string; target?: string }[];
}

/** `{ code, message, details[] }` (OC as relayed by ACG) or the Azure-style `{ error: { … } }`. */
export function parseErrorBody(status: number, text: string, headers: { get(name: string): string | null }): WireError {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const outer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const envelope = typeof outer.error === 'object' && outer.error !== null ? (outer.error as Record<string, unknown>) : outer;
  const code = typeof envelope.code === 'string' && envelope.code !== '' ? envelope.code : (headers.get(ERROR_CODE_HEADER) ?? `Http${status}`);
  const fallbackMessage = body === undefined && text.trim() !== '' ? text.trim().slice(0, 200) : `HTTP ${status}`;
  const message = typeof envelope.message === 'string' && envelope.message !== '' ? envelope.message : fallbackMessage;
  const details = (Array.isArray(envelope.details) ? envelope.details : []).flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const d = item as Record<string, unknown>;
    if (typeof d.code !== 'string') return [];
    return [{ code: d.code, ...(typeof d.message === 'string' ? { message: d.message } : {}), ...(typeof d.target === 'string' ? { target: d.target } : {}) }];
  });
  return { code, message, details };
}

// ---------------------------------------------------------------------------------------------
// Operations.

export interface WireRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** The route template, for logs. */
  readonly route: string;
  /** Encoded path (and query) below the API base URL. */
  readonly path: string;
  readonly body?: unknown;
  readonly safety: CallSafety;
}

export interface WireCall<T> extends WireRequest {
  readonly parse: (body: unknown, location: string | undefined) => T;
}

export interface WireList<T> extends WireRequest {
  readonly parseItem: (item: unknown) => T;
}

function read<T>(route: string, path: string, parse: (body: unknown) => T): WireCall<T> {
  return { method: 'GET', route, path, safety: 'idempotent', parse };
}

/**
 * Largest page we ask for: a tenant's number list is read back after uploads, and at the server's
 * default page size (100) that alone would cost one call per 100 numbers.
 */
const LIST_PAGE_SIZE = 1000;

function list<T>(route: string, path: string, parseItem: (item: unknown) => T): WireList<T> {
  return { method: 'GET', route, path, safety: 'idempotent', parseItem };
}

/** For lists that grow with the tenant (numbers, orders). */
function bigList<T>(route: string, path: string, parseItem: (item: unknown) => T): WireList<T> {
  return list(route, `${path}${path.includes('?') ? '&' : '?'}$top=${LIST_PAGE_SIZE}`, parseItem);
}

function submit(route: string, path: string, body: unknown): WireCall<{ orderId: string }> {
  return { method: 'POST', route, path, body, safety: 'order', parse: parseSubmission };
}

function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function uploadBody(order: UploadOrder): unknown {
  return definedOnly({
    telephoneNumbers: numberList(order.telephoneNumbers),
    callingProfileId: order.callingProfileId,
    usage: order.usage,
    choosableCapabilities: [...order.choosableCapabilities],
    additionalUsages: order.additionalUsages === undefined ? undefined : [...order.additionalUsages],
    civicAddressId: order.civicAddressId,
    locationId: order.locationId,
    allowTenantAddressUpdate: order.allowTenantAddressUpdate,
    displayedCountryCode: order.displayedCountryCode,
    ticketId: order.ticketId,
  });
}

export const ocWire = {
  listConsents: () => list(ROUTES.consents, ROUTES.consents, parseConsent),
  getConsent: (tenantId: string) => read(ROUTES.consent, fillRoute(ROUTES.consent, { tenantId }), parseConsent),
  updateCustomerRelationship: (tenantId: string, relationship: { status: CustomerRelationshipStatus; comment?: string }): WireCall<OcConsent> => ({
    method: 'PATCH',
    route: ROUTES.consent,
    path: fillRoute(ROUTES.consent, { tenantId }),
    body: { customerRelationship: definedOnly({ status: relationship.status, comment: relationship.comment }) },
    safety: 'idempotent',
    parse: parseConsent,
  }),
  listCallingProfiles: () => list(ROUTES.callingProfiles, ROUTES.callingProfiles, parseCallingProfile),
  getCapabilityPlans: (tenantId: string) => list(ROUTES.usages, fillRoute(ROUTES.usages, { tenantId }), parseCapabilityPlan),
  getAvailableCapabilities: (tenantId: string, telephoneNumbers: readonly string[]): WireCall<{ telephoneNumber: string; availableCapabilities: string[] }[]> => ({
    method: 'POST',
    route: ROUTES.availableCapabilities,
    path: fillRoute(ROUTES.availableCapabilities, { tenantId }),
    body: { telephoneNumbers: numberList(telephoneNumbers) },
    // A question, not a change: safe to ask twice.
    safety: 'idempotent',
    parse: parseAvailableCapabilities,
  }),
  listCivicAddresses: (tenantId: string) => list(ROUTES.civicAddresses, fillRoute(ROUTES.civicAddresses, { tenantId }), parseCivicAddress),
  getCivicAddress: (tenantId: string, civicAddressId: string) =>
    read(ROUTES.civicAddress, fillRoute(ROUTES.civicAddress, { tenantId, civicAddressId }), parseCivicAddress),
  listNumbers: (tenantId: string) => bigList(ROUTES.numbers, fillRoute(ROUTES.numbers, { tenantId }), (item) => parseNumber(item, tenantId)),
  getNumber: (tenantId: string, telephoneNumber: string) =>
    read(ROUTES.number, fillRoute(ROUTES.number, { tenantId, telephoneNumber }), (body) => parseNumber(body, tenantId)),
  updateNumber: (tenantId: string, telephoneNumber: string, update: NumberUpdate): WireCall<OcNumber> => ({
    method: 'PATCH',
    route: ROUTES.number,
    path: fillRoute(ROUTES.number, { tenantId, telephoneNumber }),
    // null clears a field; absent leaves it alone.
    body: definedOnly({ civicAddressId: update.civicAddressId, locationId: update.locationId, allowTenantAddressUpdate: update.allowTenantAddressUpdate }),
    safety: 'idempotent',
    parse: (body) => parseNumber(body, tenantId),
  }),
  submitUpload: (order: UploadOrder) => submit(ROUTES.uploadOrders, fillRoute(ROUTES.uploadOrders, { tenantId: order.tenantId }), uploadBody(order)),
  submitRelease: (tenantId: string, telephoneNumbers: readonly string[]) =>
    submit(ROUTES.releaseOrders, fillRoute(ROUTES.releaseOrders, { tenantId }), { telephoneNumbers: numberList(telephoneNumbers) }),
  submitUnassign: (tenantId: string, telephoneNumbers: readonly string[]) =>
    submit(ROUTES.unassignOrders, fillRoute(ROUTES.unassignOrders, { tenantId }), { telephoneNumbers: numberList(telephoneNumbers) }),
  getOrder: (orderId: string) => read(ROUTES.order, fillRoute(ROUTES.order, { orderId }), parseOrder),
  listOrders: (tenantId: string, createdAfter?: string) => {
    if (createdAfter !== undefined && Number.isNaN(Date.parse(createdAfter))) throw invalidArgument('createdAfter must be an ISO 8601 time');
    const query = createdAfter === undefined ? '' : `?${new URLSearchParams({ createdAfter }).toString()}`;
    return bigList(ROUTES.tenantOrders, `${fillRoute(ROUTES.tenantOrders, { tenantId })}${query}`, parseOrder);
  },
};
