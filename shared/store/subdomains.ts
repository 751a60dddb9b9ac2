/**
 * subdomains table: PartitionKey = Direct Routing subdomain label (lower case), RowKey = ''. The row
 * is the claim that keeps a label unique across accounts (D5: 409 SubdomainInUse).
 */
import { isConflict, isNotFound, isPreconditionFailed } from './storageErrors';
import { tables } from './tables';

export type OwnerCheck = (owner: string) => Promise<boolean>;

/**
 * Claims a label for an account. `ownerStillUses` decides whether an existing claim of another
 * account is real (a claim left by a crashed write is taken over).
 */
export async function claimSubdomain(label: string, accountName: string, ownerStillUses: OwnerCheck): Promise<'claimed' | 'taken'> {
  const t = await tables();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await t.subdomains.createEntity({ partitionKey: label, rowKey: '', accountName });
      return 'claimed';
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    let existing;
    try {
      existing = await t.subdomains.getEntity<{ accountName: string }>(label, '');
    } catch (err) {
      if (isNotFound(err)) continue;
      throw err;
    }
    if (existing.accountName === accountName) return 'claimed';
    if (await ownerStillUses(existing.accountName)) return 'taken';
    try {
      await t.subdomains.updateEntity({ partitionKey: label, rowKey: '', accountName }, 'Replace', { etag: existing.etag });
      return 'claimed';
    } catch (err) {
      if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
    }
  }
  return 'taken';
}

export async function releaseSubdomain(label: string, accountName: string): Promise<void> {
  const t = await tables();
  try {
    const existing = await t.subdomains.getEntity<{ accountName: string }>(label, '');
    if (existing.accountName !== accountName) return;
    await t.subdomains.deleteEntity(label, '', { etag: existing.etag });
  } catch (err) {
    if (!isNotFound(err) && !isPreconditionFailed(err)) throw err;
  }
}

/** The account holding a label's claim, if any (a claim left by a crashed write included). */
export async function subdomainOwner(label: string, abortSignal?: AbortSignal): Promise<string | undefined> {
  const t = await tables();
  try {
    return (await t.subdomains.getEntity<{ accountName: string }>(label, '', abortSignal !== undefined ? { abortSignal } : {})).accountName;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
