/**
 * Account use cases: create/replace (with subdomain uniqueness, tenant lock, services in use),
 * read, delete (with or without its numbers). Orchestrates domain rules and the store.
 */
import { evaluatePreconditions, type Preconditions, type ResourceState } from '../contract/conditional';
import { ApiError, ErrorCode, conflict, notFound, preconditionFailed } from '../contract/errors';
import { accountDesiredStatus, checkAccountChange, subdomainOf } from '../domain/accounts';
import { zeroCounts } from '../domain/services';
import type { AccountDoc } from '../domain/types';
import { deleteAccountRow, insertAccount, readAccount, replaceAccount, type AccountRecord } from '../store/accountStore';
import { kickAccount } from '../flowthrough/kicks';
import { appendChange } from '../store/changeFeed';
import { firstNumbers } from '../store/numberPartition';
import { isConflict, isPreconditionFailed } from '../store/storageErrors';
import { claimSubdomain, releaseSubdomain } from '../store/subdomains';
import { deleteNumbersOfAccount } from './numbers';
import { readAccountRepaired } from './repair';
import { representAccount, stateOf as representationState, type Representation } from './representations';

function stateOf(record: AccountRecord | undefined): ResourceState | undefined {
  return representationState(record === undefined ? undefined : representAccount(record));
}

export async function getAccount(name: string, preconditions: Preconditions): Promise<{ notModified: boolean; representation: Representation }> {
  const record = await readAccountRepaired(name); // finishes a dead writer's numbers first (repair.ts)
  if (record === undefined) throw notFound(ErrorCode.AccountNotFound, `Account ${name} does not exist.`, 'accountName');
  const representation = representAccount(record);
  const outcome = evaluatePreconditions(preconditions, { etag: representation.etag, lastModified: representation.lastModified }, true);
  return { notModified: outcome === 'notModified', representation };
}

async function ownerUsesSubdomain(owner: string, label: string): Promise<boolean> {
  const account = await readAccount(owner);
  return account !== undefined && subdomainOf(account.doc) === label;
}

export async function putAccount(name: string, doc: AccountDoc, preconditions: Preconditions): Promise<{ created: boolean; representation: Representation }> {
  const clientConditional = preconditions.ifMatch !== undefined || preconditions.ifNoneMatch !== undefined || preconditions.ifUnmodifiedSince !== undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = await readAccount(name);
    evaluatePreconditions(preconditions, stateOf(existing), false);
    if (existing?.deleting) throw conflict(ErrorCode.AccountBeingDeleted, `Account ${name} is being deleted.`);
    if (existing !== undefined) checkAccountChange(existing.doc, doc, existing.counts);

    const newLabel = subdomainOf(doc);
    const oldLabel = existing !== undefined ? subdomainOf(existing.doc) : undefined;
    const claimsNewLabel = newLabel !== undefined && newLabel !== oldLabel;
    if (claimsNewLabel && (await claimSubdomain(newLabel, name, (owner) => ownerUsesSubdomain(owner, newLabel))) === 'taken') {
      throw conflict(ErrorCode.SubdomainInUse, `The subdomain '${newLabel}' is used by another account.`, 'serviceDetails.teamsDirectRouting.configuration.subdomain');
    }
    const unchanged = existing !== undefined && JSON.stringify(existing.doc) === JSON.stringify(doc);
    const record: Omit<AccountRecord, 'etag'> = {
      doc,
      counts: existing?.counts ?? zeroCounts(),
      // A repeated PUT of the same document is a no-op for the backends: it keeps their verdict.
      backend: unchanged ? existing.backend : { status: accountDesiredStatus(doc), errors: [] },
      // What DNS holds has not changed yet: the flow-through worker re-reads and reports it.
      subdomainStatus: existing?.subdomainStatus ?? 'notProvisioned',
      lastModified: unchanged ? existing.lastModified : new Date(),
      deleting: false,
    };
    try {
      if (existing === undefined) await insertAccount(record);
      else await replaceAccount(record, existing.etag);
    } catch (err) {
      if (claimsNewLabel) await releaseSubdomain(newLabel, name).catch(() => undefined);
      if (isConflict(err) || isPreconditionFailed(err)) {
        // Someone else changed the account between our read and write: a conditional client
        // loses (its precondition was evaluated against a state that no longer exists).
        if (clientConditional) throw preconditionFailed('The account changed while the request was processed.');
        continue;
      }
      throw err;
    }
    if (oldLabel !== undefined && oldLabel !== newLabel) await releaseSubdomain(oldLabel, name).catch(() => undefined);
    await appendChange('account', name, []);
    await kickAccount(name, 'write');
    return { created: existing === undefined, representation: representAccount(record) };
  }
  throw new ApiError(409, ErrorCode.Conflict, `Account ${name} is being changed concurrently; retry the request.`);
}

export async function deleteAccount(name: string, deleteNumbers: boolean, preconditions: Preconditions): Promise<void> {
  let existing = await readAccount(name);
  evaluatePreconditions(preconditions, stateOf(existing), false);
  if (existing === undefined) return; // DELETE is idempotent (D8)
  const some = await firstNumbers(name, 1);
  if (some.length > 0 && !deleteNumbers) {
    throw conflict(ErrorCode.AccountHasNumbers, `Account ${name} has numbers; delete them first or pass deleteNumbers=true.`, 'deleteNumbers');
  }
  if (some.length > 0) {
    if (!existing.deleting) {
      // Refuse new numbers from now on, then remove the existing ones in chunks of one transaction.
      await replaceAccount({ ...existing, deleting: true, lastModified: new Date() }, existing.etag).catch((err: unknown) => {
        if (isPreconditionFailed(err)) throw new ApiError(409, ErrorCode.Conflict, `Account ${name} changed during the delete; retry the request.`);
        throw err;
      });
    }
    for (let chunk = await firstNumbers(name, 100); chunk.length > 0; chunk = await firstNumbers(name, 100)) {
      await deleteNumbersOfAccount(name, chunk);
    }
    existing = await readAccount(name);
    if (existing === undefined) return;
  }
  try {
    await deleteAccountRow(name, existing.etag);
  } catch (err) {
    if (isPreconditionFailed(err)) throw new ApiError(409, ErrorCode.Conflict, `Account ${name} changed during the delete; retry the request.`);
    throw err;
  }
  const label = subdomainOf(existing.doc);
  if (label !== undefined) await releaseSubdomain(label, name).catch(() => undefined);
  await appendChange('account', name, []);
  // Withdraws what the backends still hold for it (Operator Connect numbers, DNS records).
  await kickAccount(name, 'write');
}

