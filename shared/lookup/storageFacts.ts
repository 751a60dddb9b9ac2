/**
 * The view's storage adapter: point reads of the number-keyed projection, the account and the
 * subdomain claim, and the change feed, over the store (docs/storage.md). Runs only on
 * misses and feed polls, never per warm call.
 *
 * Reads carry an abort signal: the SDK retries a refused connection with back-off for seconds,
 * which would keep requests piling up during an outage after the view has stopped waiting.
 */
import { subdomainOf } from '../domain/accounts';
import { SERVICES } from '../domain/services';
import { accountFromRow } from '../store/accountStore';
import { minuteBucket, positionAt, readChanges } from '../store/changeFeed';
import { bucketOf } from '../store/numberIndex';
import type { Row } from '../store/query';
import { isNotFound } from '../store/storageErrors';
import { subdomainOwner } from '../store/subdomains';
import { tables } from '../store/tables';
import { PackedNumberFacts, StringPool } from './compactFacts';
import { storedHeaderValue } from './headerValue';
import type { ChangeFeedReader } from './feedFollower';
import type { AccountFacts, NumberFacts } from './types';
import type { FactsReader } from './view';

type TableClient = Awaited<ReturnType<typeof tables>>['numbers'];

/** What a number's routing needs: the columns both number tables carry (numberRecords.ts), no JSON. */
const NUMBER_COLUMNS = ['accountName', 'state', 'customSipHeader', ...SERVICES];

async function pointRead(client: TableClient, partitionKey: string, rowKey: string, timeoutMs: number, select?: string[]): Promise<Row | undefined> {
  try {
    return (await client.getEntity<Record<string, unknown>>(partitionKey, rowKey, {
      abortSignal: AbortSignal.timeout(timeoutMs),
      ...(select !== undefined ? { queryOptions: { select } } : {}),
    })) as Row;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Account names and header values repeat across many numbers: one copy each in the view. */
const SHARED_STRINGS_MAX = 100_000;

function numberFacts(telephoneNumber: string, row: Row, strings: StringPool): NumberFacts {
  // Checked here, once per load, never per call: decide passes the value on as it is.
  const value = storedHeaderValue(telephoneNumber, row.customSipHeader);
  const header = value === undefined ? undefined : strings.intern(value);
  const services = {
    teamsOperatorConnect: row.teamsOperatorConnect === true,
    teamsDirectRouting: row.teamsDirectRouting === true,
    teamsPhoneMobile: row.teamsPhoneMobile === true,
    zoomPhoneCloudPeering: row.zoomPhoneCloudPeering === true,
    azureOperatorCallProtection: row.azureOperatorCallProtection === true,
  };
  return new PackedNumberFacts(telephoneNumber, strings.intern(String(row.accountName)), services, header);
}

export function createStorageFactsReader(timeoutMs: number): FactsReader {
  const strings = new StringPool(SHARED_STRINGS_MAX);
  return {
    async readNumber(telephoneNumber) {
      const t = await tables();
      const indexed = await pointRead(t.numberindex, bucketOf(telephoneNumber), telephoneNumber, timeoutMs, NUMBER_COLUMNS);
      if (indexed === undefined) return undefined;
      if (indexed.state === 'active') return numberFacts(telephoneNumber, indexed, strings);
      // A writer holds the row (pending): the account partition is authoritative (storage.md).
      const committed = await pointRead(t.numbers, String(indexed.accountName), telephoneNumber, timeoutMs, NUMBER_COLUMNS);
      return committed === undefined ? undefined : numberFacts(telephoneNumber, committed, strings);
    },

    async readAccount(accountName) {
      const t = await tables();
      const row = await pointRead(t.accounts, accountName, '', timeoutMs);
      if (row === undefined) return undefined;
      const { doc } = accountFromRow(row);
      const tenant = doc.serviceDetails?.teamsTenantId;
      const dr = doc.serviceDetails?.teamsDirectRouting;
      const label = dr?.enabled === true ? subdomainOf(doc) : undefined;
      const facts: AccountFacts = {
        name: doc.name,
        ...(tenant !== undefined && tenant !== '' ? { teamsTenantId: tenant } : {}),
        ...(label !== undefined && dr?.configuration !== undefined ? { directRouting: { subdomain: label, callScreening: dr.configuration.callScreening } } : {}),
      };
      return facts;
    },

    readSubdomainClaim: (label) => subdomainOwner(label, AbortSignal.timeout(timeoutMs)),
  };
}

/** The change feed with a deadline: a poll abandoned during an outage must not go on retrying. */
export function createStorageChangeFeed(timeoutMs: number): ChangeFeedReader {
  return {
    bucketOf: (ms) => minuteBucket(new Date(ms)),
    readSince: (bucket, sinceMs) => readChanges(bucket, positionAt(sinceMs), AbortSignal.timeout(timeoutMs)),
  };
}
