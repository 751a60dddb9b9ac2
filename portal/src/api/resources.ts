/**
 * The Provisioning API operations the portal uses. Resource types are the shared zod schemas'
 * types: the API's representations are what those schemas accept (read-only fields included).
 */
import type { AccountInput, NumberInput } from '../../../shared/contract/resources';
import type { ApiClient, ApiResult } from './client';
import type { ErrorDetail } from './problem';

export type Account = AccountInput;
export type GatewayNumber = NumberInput;

export interface Page<T> {
  readonly value: T[];
  readonly nextLink?: string;
  /** x-ms-record-count: matches after the filter, before paging. */
  readonly count: number | undefined;
}

export interface CapabilityPlan {
  name: string;
  usage: string;
  offerTypes?: string[];
  mandatoryCapabilities?: string[];
  choosableCapabilities?: string[];
  supportsTollFree: boolean;
}

export interface CivicAddress {
  id: string;
  country?: string;
  city?: string;
  houseNumber?: string;
  streetName?: string;
  companyName?: string;
  description?: string;
  validationStatus?: string;
  defaultLocationId?: string;
}

export interface RequestForInformation {
  tenantId: string;
  accountName?: string;
  productContext?: string;
  operatorId?: string;
  status?: string;
  consentedOn?: string;
  lastModifiedOn?: string;
  consentedCountries?: string[];
  contacts?: Array<{ fullName: string; email: string; telephoneNumber?: string; companyName?: string }>;
  customerRelationship?: { status?: string; comment?: string; lastModifiedOn?: string };
  serviceProvisioningStatus?: string;
  serviceProvisioningErrors?: ErrorDetail[];
}

export interface ListQuery {
  readonly filter?: string;
  readonly skip?: number;
  readonly top?: number;
  readonly maxpagesize?: number;
}

const enc = encodeURIComponent;

async function page<T>(result: Promise<ApiResult<{ value: T[]; nextLink?: string }>>): Promise<Page<T>> {
  const { body, headers } = await result;
  const count = headers.get('x-ms-record-count');
  return { value: body.value, nextLink: body.nextLink, count: count === null ? undefined : Number(count) };
}

function listQuery(query: ListQuery): Record<string, string | number | boolean | undefined> {
  return { filter: query.filter, skip: query.skip, top: query.top, maxpagesize: query.maxpagesize, countRecords: true };
}

/** Follows nextLink to the end (exports, bulk selection); `onPage` reports progress. */
export async function listAll<T>(api: ApiClient, first: Promise<Page<T>>, onPage?: (loaded: number) => void): Promise<T[]> {
  const all: T[] = [];
  let current = await first;
  for (;;) {
    all.push(...current.value);
    onPage?.(all.length);
    if (!current.nextLink) return all;
    current = await page(api.request<{ value: T[]; nextLink?: string }>('GET', current.nextLink));
  }
}

export const accounts = {
  list: (api: ApiClient, query: ListQuery) => page(api.request<{ value: Account[] }>('GET', '/accounts', { query: listQuery(query) })),
  get: (api: ApiClient, name: string) => api.request<Account>('GET', `/accounts/${enc(name)}`),
  put: (api: ApiClient, account: Account, ifMatch?: string) => api.request<Account>('PUT', `/accounts/${enc(account.name)}`, { json: account, ifMatch }),
  remove: (api: ApiClient, name: string, deleteNumbers: boolean) =>
    api.request<void>('DELETE', `/accounts/${enc(name)}`, { query: { deleteNumbers: deleteNumbers ? 'true' : undefined } }),
  capabilityPlans: (api: ApiClient, name: string) =>
    api.request<{ capabilityPlans: CapabilityPlan[] }>('POST', `/accounts/${enc(name)}:getTeamsCapabilityPlans`, { json: {} }),
  civicAddresses: (api: ApiClient, name: string) => page(api.request<{ value: CivicAddress[] }>('GET', `/accounts/${enc(name)}/teamsCivicAddresses`, { query: { maxpagesize: 1000 } })),
};

export const numbers = {
  listOfAccount: (api: ApiClient, account: string, query: ListQuery) =>
    page(api.request<{ value: GatewayNumber[] }>('GET', `/accounts/${enc(account)}/numbers`, { query: listQuery(query) })),
  listAll: (api: ApiClient, query: ListQuery) => page(api.request<{ value: GatewayNumber[] }>('GET', '/numbers', { query: listQuery(query) })),
  get: (api: ApiClient, account: string, telephoneNumber: string) =>
    api.request<GatewayNumber>('GET', `/accounts/${enc(account)}/numbers/${enc(telephoneNumber)}`),
  put: (api: ApiClient, number: GatewayNumber, ifMatch?: string) =>
    api.request<GatewayNumber>('PUT', `/accounts/${enc(number.accountName)}/numbers/${enc(number.telephoneNumber)}`, { json: number, ifMatch }),
  createOrUpdate: (api: ApiClient, account: string, batch: GatewayNumber[], signal?: AbortSignal) =>
    api.request<{ value: GatewayNumber[] }>('POST', `/accounts/${enc(account)}:createOrUpdateNumbers`, { json: { numbers: batch }, signal }),
  remove: (api: ApiClient, account: string, telephoneNumbers: string[]) =>
    api.request<void>('POST', `/accounts/${enc(account)}:deleteNumbers`, { json: { numbers: telephoneNumbers.map((telephoneNumber) => ({ telephoneNumber })) } }),
};

export const requestsForInformation = {
  list: (api: ApiClient, query: ListQuery) => page(api.request<{ value: RequestForInformation[] }>('GET', '/teamsRequestsForInformation', { query: listQuery(query) })),
  patch: (api: ApiClient, tenantId: string, customerRelationship: { status: string; comment?: string | null }, ifMatch?: string) =>
    api.request<RequestForInformation>('PATCH', `/teamsRequestsForInformation/${enc(tenantId)}`, {
      json: { customerRelationship },
      contentType: 'application/merge-patch+json',
      ifMatch,
    }),
};
