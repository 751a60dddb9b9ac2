/**
 * The Operator Connect calls: routes, request bodies, envelopes, and reading the answers with the
 * wire shapes of wire.ts. Microsoft's partner API is not public, so this follows our pinned
 * simulator contract (docs/oc-simulator.md, "Operator API"); adopting the official spec means editing this file
 * and wire.ts only.
 */
import { z } from 'zod';
import { OcError, type CustomerRelationshipStatus, type NumberUpdate, type OcConsent, type OcNumber, type UploadOrder } from './port';
import type { CallSafety } from './retry';
import { availableCapabilitiesSchema, callingProfileSchema, capabilityPlanSchema, civicAddressSchema, consentSchema, numberSchema, orderSchema } from './wire';

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
// Reading response bodies with the wire schemas (wire.ts).

function invalidResponse(message: string): OcError {
  return new OcError('permanent', undefined, 'InvalidResponse', `Unexpected Operator Connect response: ${message}`);
}

/** A reader that turns a body the schema refuses into an InvalidResponse naming the field. */
function reader<S extends z.ZodType>(what: string, schema: S): (raw: unknown) => z.output<S> {
  return (raw) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue !== undefined && issue.path.length > 0 ? `${what}.${issue.path.join('.')}` : what;
    throw invalidResponse(`${where}: ${issue?.message ?? 'unreadable'}`);
  };
}

export const parseConsent = reader('consent', consentSchema);
export const parseCallingProfile = reader('callingProfile', callingProfileSchema);
export const parseCapabilityPlan = reader('capabilityPlan', capabilityPlanSchema);
export const parseCivicAddress = reader('civicAddress', civicAddressSchema);
export const parseOrder = reader('order', orderSchema);
const readNumber = reader('number', numberSchema);
const parseAvailableCapabilities = (body: unknown) => reader('availableCapabilities response', availableCapabilitiesSchema)(body).availableCapabilities;

/** A number of `tenantId`: the tenant asked about stands in when the number does not name one. */
export function parseNumber(raw: unknown, tenantId: string): OcNumber {
  const { tenantId: named, ...number } = readNumber(raw);
  return { ...number, tenantId: named ?? tenantId };
}

/** 202 + `{ orderId, status }`; the Location header (`…/orders/{orderId}`) stands in when the body lacks the id. */
export function parseSubmission(body: unknown, location: string | undefined): { orderId: string } {
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).orderId : undefined;
  if (typeof fromBody === 'string' && fromBody !== '') return { orderId: fromBody };
  const segment = location?.split('?')[0]?.split('/').filter((part) => part !== '').pop();
  if (segment !== undefined) return { orderId: decodeURIComponent(segment) };
  throw invalidResponse('order submission carries no orderId');
}

// ---------------------------------------------------------------------------------------------
// Envelopes.

const pageSchema = z.union([
  z.array(z.unknown()).transform((items) => ({ items })),
  z
    .object({ value: z.array(z.unknown()), nextLink: z.string().optional().catch(undefined), '@odata.nextLink': z.string().optional().catch(undefined) })
    .transform((page) => {
      const nextLink = page.nextLink || page['@odata.nextLink'] || undefined;
      return nextLink === undefined ? { items: page.value } : { items: page.value, nextLink };
    }),
]);

/** Lists are `{ value, nextLink? }`; a bare array is accepted as a single page. */
export function parsePage(body: unknown): { items: unknown[]; nextLink?: string } {
  const parsed = pageSchema.safeParse(body);
  if (!parsed.success) throw invalidResponse('list page has no value array');
  return parsed.data;
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
