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
  const names = [...new Set([...desired.map((r) => normaliseFqdn(r.fqdn)), ...remembered.map(normaliseFqdn)])];
  if (names.length === 0) return { subdomainStatus: 'notProvisioned', dnsNames: [] };
  try {
    if (names.length !== remembered.length) await rememberFirst(names);
    const published = await dns.read(names);
    const changes = dnsChanges(desired, published);
    const handedOver = new Set<string>();
    for (const name of changes.removals) if (await ownedElsewhere(name)) handedOver.add(name);
    for (const record of changes.upserts) await dns.upsert(record);
    for (const name of changes.removals) if (!handedOver.has(name)) await dns.remove(name);
    const after = changes.upserts.length + changes.removals.length === handedOver.size ? published : await dns.read(names);
    for (const name of handedOver) (after as Map<string, string[]>).delete(name);
    const stillPublished = names.filter((n) => !handedOver.has(n) && (after.get(n)?.length ?? 0) > 0);
    const keep = [...new Set([...desired.map((r) => normaliseFqdn(r.fqdn)), ...stillPublished])];
    return { subdomainStatus: subdomainStatusOf(desired, after), dnsNames: keep };
  } catch (err) {
    if (!(err instanceof DnsError)) throw err;
    const error: ErrorDetail = { code: err.code || 'DnsUpdateFailed', message: err.message, target: 'teamsDirectRouting' };
    // Unknown state: keep every name in memory so a later run can withdraw it.
    return { subdomainStatus: 'inconsistent', dnsNames: names, error, transient: err.kind === 'transient', retryAfterMs: err.kind === 'transient' ? (err.retryAfterMs ?? 5_000) : 60_000 };
  }
}
