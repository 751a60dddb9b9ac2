/**
 * The DNS backend port of the flow-through worker (D5): the Direct Routing TXT records the system
 * owns. Implementations: a Table Storage store for development and tests (localDnsStore.ts) and
 * Azure DNS over ARM (azureDns.ts). Names are compared case-insensitively (DNS is); values exactly.
 */

export interface TxtRecord {
  readonly fqdn: string;
  readonly value: string;
}

export interface DnsPort {
  /**
   * The TXT values currently published at these names, keyed by the names as passed. A name with no
   * record set (or an empty one) is absent from the map. One value per TXT record, its character
   * strings joined, as resolvers and Microsoft 365 verification see them.
   */
  read(fqdns: readonly string[]): Promise<Map<string, string[]>>;
  /** Publish exactly this value at the name (replace whatever is there). Idempotent. */
  upsert(record: TxtRecord): Promise<void>;
  /** Remove the TXT record set at the name. Idempotent (missing is fine). */
  remove(fqdn: string): Promise<void>;
}

/**
 * How a failed DNS call should be treated. Every operation of the port is idempotent, so there is no
 * "ambiguous" kind: a call that may or may not have happened is simply repeated.
 * - `transient`: throttled, unavailable or timed out after the adapter's bounded retries; try again
 *   later (`retryAfterMs` when the server said how long);
 * - `permanent`: the backend rejected the request (a 4xx other than throttling); `code` is its code;
 * - `configuration`: wrong zone/resource group/subscription, or the identity lacks the role; no retry
 *   helps until the deployment is fixed.
 */
export type DnsFailureKind = 'transient' | 'permanent' | 'configuration';

export class DnsError extends Error {
  constructor(
    readonly kind: DnsFailureKind,
    readonly status: number | undefined,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

/** DNS names are case-insensitive and may be written absolute (trailing dot); one spelling for keys. */
export function normaliseFqdn(fqdn: string): string {
  return fqdn.trim().replace(/\.$/, '').toLowerCase();
}
