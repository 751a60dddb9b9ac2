/**
 * The Direct Routing TXT records an account should have, how what is published compares with them
 * (subdomainStatus, D5), and the calls that close the gap. Pure: no I/O.
 */
import { subdomainFqdns } from '../../domain/accounts';
import type { AccountDoc, DirectRoutingConfig } from '../../domain/types';
import type { SubdomainStatus } from '../../store/accountStore';
import { normaliseFqdn, type TxtRecord } from './port';

export type { SubdomainStatus };
export type SubdomainTokens = DirectRoutingConfig['subdomainTokens'];

/** The published view as DnsPort.read returns it. */
export type PublishedTxt = ReadonlyMap<string, readonly string[]>;

// What DNS itself needs; the API enforces the stricter contract (label ≤ 10, FQDN ≤ 48) before this.
const DNS_LABEL = /^[A-Za-z0-9_-]{1,63}$/;
/** One TXT character-string holds at most 255 octets; tokens are ≤ 100 characters. */
const MAX_TXT_STRING = 255;

/** `<label>.1r1.<baseDomain>` = region1Token, `<label>.1r2.<baseDomain>` = region2Token; names lower case. */
export function desiredTxtRecords(label: string, tokens: SubdomainTokens, baseDomain: string): TxtRecord[] {
  if (!DNS_LABEL.test(label)) throw new Error(`desiredTxtRecords: ${JSON.stringify(label)} is not a DNS label.`);
  const domain = normaliseFqdn(baseDomain);
  if (domain === '') throw new Error('desiredTxtRecords: the base domain is empty.');
  for (const [region, token] of Object.entries(tokens)) {
    if (token.length === 0 || token.length > MAX_TXT_STRING) {
      throw new Error(`desiredTxtRecords: ${region} must be 1 to ${MAX_TXT_STRING} characters.`);
    }
  }
  const [region1, region2] = subdomainFqdns(label.toLowerCase(), domain);
  return [
    { fqdn: region1, value: tokens.region1Token },
    { fqdn: region2, value: tokens.region2Token },
  ];
}

/**
 * What an account should have published: its two records while Direct Routing is enabled and
 * configured, nothing otherwise (disabling DR or deleting the account withdraws them; docs/dns.md, "The records").
 */
export function desiredTxtRecordsOf(doc: AccountDoc, baseDomain: string): TxtRecord[] {
  const dr = doc.serviceDetails?.teamsDirectRouting;
  if (dr?.enabled !== true || dr.configuration === undefined) return [];
  return desiredTxtRecords(dr.configuration.subdomain, dr.configuration.subdomainTokens, baseDomain);
}

/** Published names with at least one value, keyed by normalised name. */
function nonEmpty(published: PublishedTxt): Map<string, readonly string[]> {
  const found = new Map<string, readonly string[]>();
  for (const [name, values] of published) if (values.length > 0) found.set(normaliseFqdn(name), values);
  return found;
}

const publishesExactly = (values: readonly string[] | undefined, value: string) => values?.length === 1 && values[0] === value;

/**
 * D5. `published` is what DnsPort.read returned for the desired names plus any names the account
 * may still own (e.g. its previous label): records found under those are stale.
 * - `notProvisioned`: nothing is published at any of the names read;
 * - `provisioned`: each desired name publishes exactly its value and nothing else is published;
 * - `inconsistent`: anything else, including stale records while nothing is desired (DR disabled or
 *   account deleted but the withdrawal has not completed): the customer subdomain still verifies in
 *   DNS although the configuration says it should not, and the operator must see that.
 */
export function subdomainStatusOf(desired: readonly TxtRecord[], published: PublishedTxt): SubdomainStatus {
  const found = nonEmpty(published);
  if (found.size === 0) return 'notProvisioned';
  if (desired.length === 0 || found.size !== desired.length) return 'inconsistent';
  const allMatch = desired.every((record) => publishesExactly(found.get(normaliseFqdn(record.fqdn)), record.value));
  return allMatch ? 'provisioned' : 'inconsistent';
}

export interface DnsChanges {
  /** Desired records whose name does not publish exactly their value. */
  readonly upserts: TxtRecord[];
  /** Names read that publish something but are not desired (stale). */
  readonly removals: string[];
}

/** The minimal calls that turn `published` into `desired`; both empty when the status is provisioned. */
export function dnsChanges(desired: readonly TxtRecord[], published: PublishedTxt): DnsChanges {
  const found = nonEmpty(published);
  const wanted = new Set(desired.map((record) => normaliseFqdn(record.fqdn)));
  return {
    upserts: desired.filter((record) => !publishesExactly(found.get(normaliseFqdn(record.fqdn)), record.value)),
    removals: [...found.keys()].filter((name) => !wanted.has(name)),
  };
}
