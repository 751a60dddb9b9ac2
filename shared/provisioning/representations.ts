/**
 * What the API returns for an account or a number: the contract's JSON shape plus its ETag and
 * Last-Modified. One module for both so the account and number use cases (accounts.ts, numbers.ts,
 * lists.ts) share it without importing each other's representation.
 */
import { etagOf, type ResourceState } from '../contract/conditional';
import { accountRepresentation } from '../domain/accounts';
import { numberRepresentation } from '../domain/numbers';
import type { AccountRecord } from '../store/accountStore';
import type { NumberRecord } from '../store/numberRecords';

export interface Representation {
  readonly body: Record<string, unknown>;
  readonly etag: string;
  readonly lastModified: Date;
}

export function representAccount(record: Omit<AccountRecord, 'etag'>): Representation {
  const body = accountRepresentation(record);
  return { body, etag: etagOf(body), lastModified: record.lastModified };
}

export function representNumber(record: NumberRecord): Representation {
  const body = numberRepresentation(record.doc, record.backend);
  return { body, etag: etagOf(body), lastModified: record.lastModified };
}

/** What conditional requests compare against (undefined: the resource does not exist). */
export function stateOf(representation: Representation | undefined): ResourceState | undefined {
  return representation === undefined ? undefined : { etag: representation.etag, lastModified: representation.lastModified };
}
