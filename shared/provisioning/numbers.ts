/**
 * Number use cases over the two access paths (docs/storage.md "Writing numbers"):
 *   1. intent note  2. claim index rows (the uniqueness guard)  3. one atomic partition transaction
 *   4. account counts  5. settle index rows (the lookup projection)  6. change feed  7. clear intent.
 * A failure before 3 releases the claims; after 3 the write stands and anything unfinished is
 * reconciled from the partition by the sweeper (repair.ts) using the intent note.
 */
import { errorText, logEvent } from '../log/logger';
import { evaluatePreconditions, type Preconditions, type ResourceState } from '../contract/conditional';
import { ApiError, ErrorCode, conflict, notFound, preconditionFailed, type ErrorDetail } from '../contract/errors';
import { numberDesiredStatus, enabledServices, validateNumber } from '../domain/numbers';
import { syncEnabled } from '../domain/accounts';
import { SYNC_CAPABLE_SERVICES, zeroCounts, type ServiceCounts } from '../domain/services';
import { kickAccount } from '../flowthrough/kicks';
import type { NumberDoc } from '../domain/types';
import { AccountGone, applyCountDelta, readAccount, type AccountRecord } from '../store/accountStore';
import { writeConflictBackoff } from '../store/backoff';
import { appendChange } from '../store/changeFeed';
import { clearIntent, recordIntent } from '../store/intents';
import { claimNumbers, isStale, newTxnId, readIndexRows, releaseClaims, settleClaims, type Claim, type HeldClaim, type IndexRow } from '../store/numberIndex';
import { commitPartition, existingInPartition, readPartitionNumber } from '../store/numberPartition';
import type { NumberRecord } from '../store/numberRecords';
import { isConflict, isNotFound, isPreconditionFailed } from '../store/storageErrors';
import { combinedDetailsError } from './errors';
import { repairAccountIntents, repairNumbers } from './repair';
import { representNumber, stateOf as representationState, type Representation } from './representations';

const MAX_ATTEMPTS = 30;
const backoff = writeConflictBackoff;

function stateOf(record: NumberRecord | undefined): ResourceState | undefined {
  return representationState(record === undefined ? undefined : representNumber(record));
}

async function accountForNumbers(accountName: string): Promise<AccountRecord> {
  const account = await readAccount(accountName);
  if (account === undefined) throw notFound(ErrorCode.AccountNotFound, `Account ${accountName} does not exist.`, 'accountName');
  return account;
}

function countsOf(doc: NumberDoc | undefined, sign: 1 | -1, into: ServiceCounts): void {
  if (doc === undefined) return;
  for (const s of enabledServices(doc)) into[s] += sign;
}

/** The committed number behind an index row owned by this account (resolving pending rows). */
async function committedNumber(accountName: string, row: IndexRow | undefined): Promise<NumberRecord | undefined> {
  if (row === undefined || row.accountName !== accountName) return undefined;
  if (row.state === 'active') return row.record;
  // Repair on read: a claim past the stale bound was left by a dead writer; finish its write first.
  if (isStale(row)) await repairAccountIntents(accountName);
  return readPartitionNumber(accountName, row.telephoneNumber);
}

/** Current number of an account, authoritative (a pending index row is resolved from the partition). */
export async function getNumber(accountName: string, telephoneNumber: string): Promise<NumberRecord | undefined> {
  const rows = await readIndexRows([telephoneNumber]);
  return committedNumber(accountName, rows.get(telephoneNumber));
}

type Inspection =
  | { kind: 'ready'; claims: Claim[]; previous: Map<string, NumberRecord> }
  | { kind: 'retry' };

/** Reads the index rows of a write set and decides: conflict (throws), wait for another writer, or go. */
async function inspect(accountName: string, numbers: readonly string[], ignoreForeign: boolean): Promise<Inspection> {
  const rows = await readIndexRows(numbers);
  const foreign: ErrorDetail[] = [];
  const claims: Claim[] = [];
  const previous = new Map<string, NumberRecord>();
  let busy = false;
  for (const [i, n] of numbers.entries()) {
    const row = rows.get(n);
    if (row !== undefined && isStale(row)) {
      await repairNumbers(row.accountName, [n]);
      return { kind: 'retry' };
    }
    if (row !== undefined && row.accountName !== accountName) {
      if (ignoreForeign) continue;
      foreign.push({ code: ErrorCode.NumberInOtherAccount, message: `${n} belongs to another account; delete it there first.`, target: numbers.length === 1 ? 'telephoneNumber' : `numbers[${i}].telephoneNumber` });
      continue;
    }
    if (row?.state === 'pending') busy = true;
    const committed = row?.state === 'active' ? row.record : undefined;
    if (committed !== undefined) previous.set(n, committed);
    claims.push(row === undefined ? { telephoneNumber: n } : { telephoneNumber: n, previous: row });
  }
  if (foreign.length > 0) {
    throw new ApiError(409, ErrorCode.NumberInOtherAccount, foreign.length === 1 ? (foreign[0]?.message ?? '') : `${foreign.length} numbers belong to other accounts.`, {
      details: foreign,
      ...(numbers.length === 1 ? { target: 'telephoneNumber' } : {}),
    });
  }
  return busy ? { kind: 'retry' } : { kind: 'ready', claims, previous };
}

interface WriteResult {
  readonly records: NumberRecord[];
  readonly created: boolean[];
}

/**
 * Runs steps 1–7 for a set of upserts and deletes in one account. `check` sees the committed
 * state before anything is written (preconditions, account rules) and may throw.
 */
async function writeNumbers(
  accountName: string,
  plan: (account: AccountRecord, previous: ReadonlyMap<string, NumberRecord>) => { upserts: NumberRecord[]; deletes: string[] },
  numbers: readonly string[],
  options: { conditional: boolean; ignoreForeign?: boolean },
): Promise<WriteResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const account = await accountForNumbers(accountName);
    const inspection = await inspect(accountName, numbers, options.ignoreForeign === true);
    if (inspection.kind === 'retry') {
      await backoff(attempt);
      continue;
    }
    const { upserts, deletes } = plan(account, inspection.previous);
    const touched = new Set([...upserts.map((r) => r.doc.telephoneNumber), ...deletes]);
    const claims = inspection.claims.filter((c) => touched.has(c.telephoneNumber));
    if (claims.length === 0) return { records: [], created: [] };

    const txn = newTxnId();
    const now = new Date();
    await recordIntent({ accountName, txn, numbers: [...touched], createdAt: now });
    let held: HeldClaim[];
    try {
      held = await claimNumbers(accountName, claims, txn, now);
    } catch (err) {
      await clearIntent(accountName, txn);
      if (isConflict(err) || isPreconditionFailed(err)) {
        // Another writer claimed one of these numbers between our read and our claim.
        if (options.conditional) throw preconditionFailed('The number changed while the request was processed.');
        await backoff(attempt);
        continue;
      }
      throw err;
    }
    await commitOrRelease(accountName, upserts, deletes, held, txn);

    const delta = zeroCounts();
    for (const r of upserts) countsOf(r.doc, 1, delta);
    for (const n of touched) countsOf(inspection.previous.get(n)?.doc, -1, delta);
    try {
      await applyCountDelta(accountName, delta, now);
    } catch (err) {
      if (!(err instanceof AccountGone)) {
        // Counts failed after the commit: an exact recount inside the repair below fixes them.
        logEvent('warn', 'numbers.counts.failed', { accountName, txn, error: errorText(err) });
        await repairNumbers(accountName, [...touched]);
        await clearIntent(accountName, txn);
        return { records: upserts, created: upserts.map((r) => !inspection.previous.has(r.doc.telephoneNumber)) };
      }
      // The account was deleted while we wrote: undo so no number outlives its account.
      await commitPartition(accountName, [], upserts.map((r) => r.doc.telephoneNumber)).catch(() => undefined);
      await settleClaims(held, new Map()).catch(() => undefined);
      await clearIntent(accountName, txn);
      throw notFound(ErrorCode.AccountNotFound, `Account ${accountName} was deleted.`, 'accountName');
    }
    try {
      await settleClaims(held, new Map(upserts.map((r) => [r.doc.telephoneNumber, r])));
      await appendChange('numbers', accountName, [...touched]);
    } catch (err) {
      // The write stands (the partition committed). Finish it now from the partition so the
      // client's answer reflects a consistent state; if storage still fails, the intent stays for
      // the sweeper and the client gets a retryable error.
      logEvent('warn', 'numbers.settle.failed', { accountName, txn, error: errorText(err) });
      await repairNumbers(accountName, [...touched]);
    }
    await clearIntent(accountName, txn);
    if (syncsToTeams(account)) await kickAccount(accountName, 'write');
    return { records: upserts, created: upserts.map((r) => !inspection.previous.has(r.doc.telephoneNumber)) };
  }
  throw new ApiError(409, ErrorCode.Conflict, 'The numbers are being changed by concurrent requests; retry the request.');
}

async function commitOrRelease(accountName: string, upserts: NumberRecord[], deletes: string[], held: HeldClaim[], txn: string): Promise<void> {
  let failure: unknown;
  try {
    await commitPartition(accountName, upserts, deletes);
    return;
  } catch (err) {
    failure = err;
  }
  // A delete of a row that is already gone fails the whole transaction: retry with what exists.
  if (isNotFound(failure) && deletes.length > 0) {
    try {
      const present = await existingInPartition(accountName, deletes);
      await commitPartition(accountName, upserts, deletes.filter((n) => present.has(n)));
      return;
    } catch (err) {
      failure = err;
    }
  }
  await releaseClaims(held).catch(() => undefined);
  await clearIntent(accountName, txn).catch(() => undefined);
  throw failure;
}

/** Number writes need the flow-through worker only where numbers are uploaded to Teams. */
function syncsToTeams(account: AccountRecord): boolean {
  return SYNC_CAPABLE_SERVICES.some((s) => syncEnabled(account.doc, s));
}

function newRecord(doc: NumberDoc, account: AccountRecord, previous: NumberRecord | undefined, now: Date): NumberRecord {
  const status = numberDesiredStatus(doc, account.doc);
  // An unchanged document keeps its backend state: a retried PUT is a no-op for the backend.
  if (previous !== undefined && JSON.stringify(previous.doc) === JSON.stringify(doc) && previous.backend.status === status) return previous;
  return { doc, backend: { status, errors: [] }, lastModified: now };
}

function refuseWhileDeleting(account: AccountRecord): void {
  if (account.deleting) throw conflict(ErrorCode.AccountBeingDeleted, `Account ${account.doc.name} is being deleted.`);
}

function validateAgainst(account: AccountRecord, docs: readonly NumberDoc[], targetOf: (i: number) => string): void {
  const details = docs.flatMap((doc, i) => validateNumber(doc, account.doc, targetOf(i)));
  if (details.length > 0) throw combinedDetailsError(details);
}

export async function putNumber(accountName: string, doc: NumberDoc, preconditions: Preconditions): Promise<{ created: boolean; representation: Representation }> {
  const conditional = preconditions.ifMatch !== undefined || preconditions.ifNoneMatch !== undefined || preconditions.ifUnmodifiedSince !== undefined;
  const result = await writeNumbers(
    accountName,
    (account, previous) => {
      const current = previous.get(doc.telephoneNumber);
      evaluatePreconditions(preconditions, stateOf(current), false);
      refuseWhileDeleting(account);
      validateAgainst(account, [doc], () => '');
      return { upserts: [newRecord(doc, account, current, new Date())], deletes: [] };
    },
    [doc.telephoneNumber],
    { conditional },
  );
  const record = result.records[0] as NumberRecord;
  return { created: result.created[0] === true, representation: representNumber(record) };
}

export interface BatchItem {
  /** Position in the request, for detail targets (`numbers[3]...`). */
  readonly index: number;
  readonly doc: NumberDoc;
}

/**
 * Upserts a batch atomically. `earlier` holds problems found before (schema, duplicates): they are
 * reported together with the account rules' problems, so one 400 lists every bad item (D8).
 */
export async function upsertNumberBatch(accountName: string, items: readonly BatchItem[], earlier: readonly ErrorDetail[] = []): Promise<NumberRecord[]> {
  const ruleProblems = (account: AccountRecord) => items.flatMap(({ index, doc }) => validateNumber(doc, account.doc, `numbers[${index}]`));
  if (earlier.length > 0) {
    const account = await readAccount(accountName);
    const details = [...earlier, ...(account === undefined ? [] : ruleProblems(account))];
    throw combinedDetailsError(details.sort((a, b) => itemIndex(a) - itemIndex(b)));
  }
  if (items.length === 0) {
    await accountForNumbers(accountName);
    return [];
  }
  const result = await writeNumbers(
    accountName,
    (account, previous) => {
      refuseWhileDeleting(account);
      const details = ruleProblems(account);
      if (details.length > 0) throw combinedDetailsError(details);
      const now = new Date();
      return { upserts: items.map(({ doc }) => newRecord(doc, account, previous.get(doc.telephoneNumber), now)), deletes: [] };
    },
    items.map(({ doc }) => doc.telephoneNumber),
    { conditional: false },
  );
  return result.records;
}

function itemIndex(detail: ErrorDetail): number {
  const match = /^numbers\[(\d+)\]/.exec(detail.target ?? '');
  return match ? Number(match[1]) : -1;
}

/** Deletes numbers of an account; numbers that do not exist there are ignored (D8). */
export async function deleteNumbersOfAccount(accountName: string, numbers: readonly string[], preconditions?: Preconditions): Promise<void> {
  if ((await readAccount(accountName)) === undefined) {
    // Nothing to delete: DELETE stays idempotent (D8), but If-Match on a missing number still fails.
    if (preconditions !== undefined) evaluatePreconditions(preconditions, undefined, false);
    return;
  }
  const conditional = preconditions !== undefined && (preconditions.ifMatch !== undefined || preconditions.ifNoneMatch !== undefined || preconditions.ifUnmodifiedSince !== undefined);
  await writeNumbers(
    accountName,
    (_account, previous) => {
      if (preconditions !== undefined) evaluatePreconditions(preconditions, stateOf(previous.get(numbers[0] as string)), false);
      return { upserts: [], deletes: numbers.filter((n) => previous.has(n)) };
    },
    numbers,
    // Deleting a number that lives in another account deletes nothing here: not an error (D8).
    { conditional, ignoreForeign: true },
  );
}
