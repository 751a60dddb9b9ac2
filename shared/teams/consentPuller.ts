/**
 * The consent puller (registered with setConsentPuller; the sweeper runs it every minute): one RFI
 * per Operator Connect consent. The puller owns the consent part and `accountName`; a customer
 * relationship the operator changed is left alone until its push has succeeded. When a consent's
 * status changes (or a consent appears or vanishes), the tenant's accounts are kicked so their
 * flow-through re-checks the consent.
 */
import { logEvent } from '../log/logger';
import { kickAccount } from '../flowthrough/kicks';
import { operatorConnect } from '../flowthrough/ocInstance';
import { OcError, type OcConsent } from '../flowthrough/oc/port';
import { GUID } from '../contract/resources';
import { insertRfi, readRfi, readRfis, replaceRfi, type RfiConsent, type RfiRecord } from '../store/rfiStore';
import { isConflict, isPreconditionFailed } from '../store/storageErrors';
import { consentFromOc, relationshipFromOc } from './consentShape';
import { superviseRfiPushes } from './pendingPushes';
import { representRfi } from './rfiRepresentation';
import { accountsByTenant } from './tenantAccounts';

const MAX_ATTEMPTS = 10;

interface PulledState {
  readonly consent: RfiConsent;
  /** Operator Connect's relationship; taken only when no change of ours is pending or failed. */
  readonly relationship: ReturnType<typeof relationshipFromOc>;
  readonly accountName: string | undefined;
}

function merged(current: RfiRecord | undefined, tenantId: string, pulled: PulledState, now: Date): Omit<RfiRecord, 'etag'> {
  const ours = current !== undefined && current.provisioning.status !== 'synced';
  const relationship = ours ? current.relationship : pulled.relationship;
  return {
    tenantId,
    ...(pulled.accountName !== undefined ? { accountName: pulled.accountName } : {}),
    consent: pulled.consent,
    ...(relationship !== undefined ? { relationship } : {}),
    provisioning: current?.provisioning ?? { status: 'synced', errors: [] },
    desiredVersion: current?.desiredVersion ?? 0,
    ...(current?.desiredAt !== undefined ? { desiredAt: current.desiredAt } : {}),
    lastModified: now,
  };
}

const visible = (record: Omit<RfiRecord, 'etag'>) => JSON.stringify(representRfi(record).body);

/**
 * Brings one RFI in line with what was pulled, ETag-conditionally (a concurrent PATCH or push wins
 * and is merged with on the next attempt). Returns whether the consent status changed.
 */
async function reconcileRfi(tenantId: string, known: RfiRecord | undefined, pulled: PulledState, now: Date): Promise<boolean> {
  let current = known;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) current = await readRfi(tenantId);
    const next = merged(current, tenantId, pulled, now);
    const statusChanged = current?.consent.status !== next.consent.status;
    if (current !== undefined && visible(current) === visible(next)) return false; // unchanged: no write, same ETag
    try {
      if (current === undefined) await insertRfi(next);
      else await replaceRfi(next, current.etag);
      return statusChanged;
    } catch (err) {
      if (!isConflict(err) && !isPreconditionFailed(err)) throw err;
    }
  }
  throw new Error(`could not update the request for information of tenant ${tenantId}: too much contention`);
}

async function listConsents(): Promise<OcConsent[] | undefined> {
  const oc = operatorConnect();
  if (oc === undefined) return undefined;
  try {
    return await oc.listConsents();
  } catch (err) {
    if (!(err instanceof OcError)) throw err;
    // Next minute's sweep tries again; the RFIs keep their last known state meanwhile.
    logEvent('warn', 'teams.consents.pullFailed', { kind: err.kind, status: err.status, code: err.code, requestId: err.requestId });
    return undefined;
  }
}

async function kickTenantAccounts(accounts: readonly string[]): Promise<void> {
  for (const accountName of accounts) await kickAccount(accountName, 'consentChanged');
}

/** Returns the number of consents seen (0 when Operator Connect is not configured or unreachable). */
export async function pullConsents(now: number = Date.now()): Promise<number> {
  // First, so pushes left pending (e.g. Operator Connect unconfigured since) are re-kicked or given up.
  await superviseRfiPushes(now);
  const consents = await listConsents();
  if (consents === undefined) return 0;
  const at = new Date(now);
  const owners = await accountsByTenant();
  const stored = new Map((await readRfis()).map((record) => [record.tenantId, record]));
  const seen = new Set<string>();
  for (const consent of consents) {
    const tenantId = consent.tenantId.toLowerCase();
    if (!GUID.test(tenantId) || seen.has(tenantId)) {
      logEvent('warn', 'teams.consents.skipped', { tenantId: consent.tenantId, reason: seen.has(tenantId) ? 'duplicate' : 'not a GUID' });
      continue;
    }
    seen.add(tenantId);
    const accounts = owners.get(tenantId) ?? [];
    const pulled = { consent: consentFromOc(consent), relationship: relationshipFromOc(consent), accountName: accounts[0] };
    if (await reconcileRfi(tenantId, stored.get(tenantId), pulled, at)) await kickTenantAccounts(accounts);
  }
  // A consent Operator Connect no longer lists is gone for us too: shown as removed, never deleted.
  for (const [tenantId, record] of stored) {
    if (seen.has(tenantId)) continue;
    const accounts = owners.get(tenantId) ?? [];
    const pulled = { consent: { ...record.consent, status: 'removed' as const }, relationship: record.relationship, accountName: accounts[0] };
    if (await reconcileRfi(tenantId, record, pulled, at)) await kickTenantAccounts(accounts);
  }
  return consents.length;
}
