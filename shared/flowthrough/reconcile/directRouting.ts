/**
 * Direct Routing DNS (D5): publish the account's two TXT records, withdraw stale ones (old label,
 * DR disabled, account deleted), and report subdomainStatus from what a read-back finds published.
 */
import type { ErrorDetail } from '../../contract/errors';
import type { AccountDoc } from '../../domain/types';
import type { SubdomainStatus } from '../../store/accountStore';
import { DnsError, normaliseFqdn, type DnsPort } from '../dns/port';
import { desiredTxtRecordsOf, dnsChanges, subdomainStatusOf } from '../dns/records';

export interface DnsOutcome {
  readonly subdomainStatus: SubdomainStatus;
  /** Names we may have published and must remember (to withdraw them later). */
  readonly dnsNames: string[];
  readonly error?: ErrorDetail;
  /** The backend was unavailable: the account stays pending and is retried after retryAfterMs. */
  readonly transient?: boolean;
  readonly retryAfterMs?: number;
}

/** `remembered` are names published before; they are written to memory before publishing new ones. */
export async function reconcileDns(
  doc: AccountDoc | undefined,
  remembered: readonly string[],
  dns: DnsPort,
  baseDomain: string,
  rememberFirst: (names: string[]) => Promise<void>,
  /** Whether a remembered name's label now belongs to another account (its records are not ours to remove). */
  ownedElsewhere: (fqdn: string) => Promise<boolean>,
): Promise<DnsOutcome> {
  const desired = doc === undefined ? [] : desiredTxtRecordsOf(doc, baseDomain);
  const wanted = desired.map((r) => normaliseFqdn(r.fqdn));
  // A remembered name whose label another account has claimed since is theirs now: never touched.
  const known = remembered.map(normaliseFqdn);
  const ours: string[] = [];
  for (const name of known) if (wanted.includes(name) || !(await ownedElsewhere(name))) ours.push(name);
  const names = [...new Set([...wanted, ...ours])];
  if (names.length === 0) return { subdomainStatus: 'notProvisioned', dnsNames: [] };
  try {
    // Equal counts are not enough: the new label's names replace an old label now owned elsewhere.
    if (names.length !== remembered.length || names.some((n) => !known.includes(n))) await rememberFirst(names);
    const published = await dns.read(names);
    const changes = dnsChanges(desired, published);
    for (const record of changes.upserts) await dns.upsert(record);
    for (const name of changes.removals) await dns.remove(name);
    const after = changes.upserts.length + changes.removals.length === 0 ? published : await dns.read(names);
    const stillPublished = names.filter((n) => (after.get(n)?.length ?? 0) > 0);
    return { subdomainStatus: subdomainStatusOf(desired, after), dnsNames: [...new Set([...wanted, ...stillPublished])] };
  } catch (err) {
    if (!(err instanceof DnsError)) throw err;
    const error: ErrorDetail = { code: err.code || 'DnsUpdateFailed', message: err.message, target: 'teamsDirectRouting' };
    // Unknown state: keep every name in memory so a later run can withdraw it.
    return { subdomainStatus: 'inconsistent', dnsNames: names, error, transient: err.kind === 'transient', retryAfterMs: err.kind === 'transient' ? (err.retryAfterMs ?? 5_000) : 60_000 };
  }
}
