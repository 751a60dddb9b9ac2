/**
 * Azure DNS adapter of the DNS port: TXT record sets over the ARM REST API (api-version 2018-05-01)
 * with plain fetch and a bearer token from a TokenCredential (the managed identity in Azure).
 *
 * Writes carry no If-Match: the port's contract is "replace whatever is there", the records of an
 * account are written only by that account's worker session (one at a time), and the worker re-reads
 * and converges, so a conditional write would cost a GET per write and detect nothing it acts on.
 * Every call is idempotent (PUT of a whole record set, DELETE), so timeouts and 5xx are retried too.
 */
import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { DnsError, normaliseFqdn, type DnsPort, type TxtRecord } from './port';

export const DNS_API_VERSION = '2018-05-01';
export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';
export const ARM_SCOPE = `${PUBLIC_ARM_ENDPOINT}/.default`;

export interface AzureDnsZone {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** The zone's name, e.g. `commsgw.example.com`; the DR base domain is this name or below it. */
  readonly zoneName: string;
}

export interface AzureDnsOptions {
  readonly zone: AzureDnsZone;
  readonly credential: TokenCredential;
  /** Tests point this at a fake ARM server; sovereign clouds at their ARM endpoint (and set `scope`). */
  readonly armEndpoint?: string;
  /** Token scope; default `https://management.azure.com/.default`. */
  readonly scope?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** TTL of the records: short, so a corrected token reaches resolvers within minutes. */
  readonly ttlSeconds?: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number;
  /** The longest wait honoured inside one call; a longer Retry-After is handed to the caller to reschedule. */
  readonly maxRetryDelayMs?: number;
  readonly requestTimeoutMs?: number;
}

const DEFAULTS = { ttlSeconds: 300, maxAttempts: 4, maxRetryDelayMs: 30_000, requestTimeoutMs: 30_000 };
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** 404 codes that mean the zone itself (or its resource group/subscription) is not there: a deployment error, not "absent". */
const MISSING_PARENT_CODES = new Set(['ParentResourceNotFound', 'ResourceGroupNotFound', 'SubscriptionNotFound']);
/** A TXT character-string holds at most 255 octets; longer values are split and joined back on read. */
const TXT_STRING_MAX = 255;
/** Identifies record sets this system owns when someone browses the zone. */
const OWNER_METADATA = { managedBy: 'voice-provisioning-platform' };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The record set's name relative to the zone (`@` for the apex); a name outside the zone is refused. */
export function relativeRecordName(fqdn: string, zoneName: string): string {
  const name = normaliseFqdn(fqdn);
  const zone = normaliseFqdn(zoneName);
  if (name === zone) return '@';
  if (zone !== '' && name.endsWith(`.${zone}`) && name.length > zone.length + 1) return name.slice(0, -(zone.length + 1));
  throw new DnsError('configuration', undefined, 'NameOutsideZone', `DNS: ${fqdn} is not in the zone ${zoneName}.`);
}

function checkEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  // A bearer token must never travel in clear text; plain http only reaches a local fake server.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`Azure DNS: the ARM endpoint ${endpoint} must use https.`);
  }
  return url.origin;
}

/** Retry-After is seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ArmError {
  code: string;
  message: string;
}

/** ARM wraps errors as `{ error: { code, message } }`; Azure DNS sometimes answers `{ code, message }`. */
function armError(text: string, status: number): ArmError {
  try {
    const body = JSON.parse(text) as { error?: Partial<ArmError> } & Partial<ArmError>;
    const error = body.error ?? body;
    if (typeof error.code === 'string') return { code: error.code, message: typeof error.message === 'string' ? error.message : '' };
  } catch {
    // not JSON: fall through to the status
  }
  return { code: `Http${status}`, message: text.slice(0, 200) };
}

interface TxtRecordSet {
  properties?: { TXTRecords?: { value?: string[] }[] };
}

function splitTxt(value: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += TXT_STRING_MAX) parts.push(value.slice(i, i + TXT_STRING_MAX));
  return parts.length === 0 ? [''] : parts;
}

/** Caches the token until shortly before it expires; the credential is asked again after a 401. */
class ArmToken {
  private token: AccessToken | undefined;
  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
  ) {}

  async get(): Promise<string> {
    const now = Date.now();
    const token = this.token;
    if (token !== undefined && now < (token.refreshAfterTimestamp ?? token.expiresOnTimestamp - 5 * 60_000)) return token.token;
    let fresh: AccessToken | null;
    try {
      fresh = await this.credential.getToken(this.scope);
    } catch (err) {
      const unavailable = err instanceof Error && err.name === 'CredentialUnavailableError';
      const message = `Azure DNS: no token for ${this.scope}: ${err instanceof Error ? err.message : String(err)}`;
      throw new DnsError(unavailable ? 'configuration' : 'transient', undefined, 'TokenUnavailable', message);
    }
    if (fresh === null) throw new DnsError('configuration', undefined, 'TokenUnavailable', `Azure DNS: the credential returned no token for ${this.scope}.`);
    this.token = fresh;
    return fresh.token;
  }

  forget(): void {
    this.token = undefined;
  }
}

export function createAzureDns(options: AzureDnsOptions): DnsPort {
  const { zone, credential } = options;
  const origin = checkEndpoint(options.armEndpoint ?? PUBLIC_ARM_ENDPOINT);
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const token = new ArmToken(credential, options.scope ?? ARM_SCOPE);
  const zonePath =
    `/subscriptions/${encodeURIComponent(zone.subscriptionId)}/resourceGroups/${encodeURIComponent(zone.resourceGroup)}` +
    `/providers/Microsoft.Network/dnsZones/${encodeURIComponent(normaliseFqdn(zone.zoneName))}`;

  const urlOf = (fqdn: string) =>
    `${origin}${zonePath}/TXT/${encodeURIComponent(relativeRecordName(fqdn, zone.zoneName))}?api-version=${DNS_API_VERSION}`;

  /** One ARM call with bounded retries; returns the final non-retryable response with its body read. */
  async function call(method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; text: string }> {
    let refreshedAfter401 = false;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${await token.get()}`,
        accept: 'application/json',
        'x-ms-client-request-id': randomUUID(),
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let status: number | undefined;
      let text = '';
      let wait: number | undefined;
      let failure = '';
      try {
        const response = await fetchFn(url, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(settings.requestTimeoutMs),
        });
        status = response.status;
        text = await response.text();
        if (status === 401 && !refreshedAfter401) {
          // A revoked or rotated token: ask the credential once more, then report.
          refreshedAfter401 = true;
          token.forget();
          attempt--;
          continue;
        }
        if (!RETRYABLE_STATUS.has(status)) return { status, text };
        wait = retryAfterMs(response.headers.get('retry-after'));
        failure = `${method} answered ${status}`;
      } catch (err) {
        // Timeout or network failure: safe to repeat, every call here is idempotent.
        failure = `${method} failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      const delay = wait ?? backoffMs(attempt);
      if (attempt >= settings.maxAttempts || delay > settings.maxRetryDelayMs) {
        const code = status === 429 ? 'Throttled' : status !== undefined ? armError(text, status).code : 'Unreachable';
        throw new DnsError('transient', status, code, `Azure DNS: ${failure} after ${attempt} attempt(s).`, delay);
      }
      await sleep(delay);
    }
  }

  function fail(method: string, fqdn: string, status: number, text: string): never {
    const { code, message } = armError(text, status);
    const kind = status === 401 || status === 403 || MISSING_PARENT_CODES.has(code) ? 'configuration' : 'permanent';
    throw new DnsError(kind, status, code, `Azure DNS: ${method} ${fqdn} answered ${status} ${code}: ${message}`);
  }

  /** 404 means "no record set" only when ARM says the record (not the zone) is missing. */
  const isAbsent = (status: number, text: string) => status === 404 && !MISSING_PARENT_CODES.has(armError(text, status).code);

  async function readOne(fqdn: string): Promise<string[] | undefined> {
    const { status, text } = await call('GET', urlOf(fqdn));
    if (isAbsent(status, text)) return undefined;
    if (status !== 200) fail('GET', fqdn, status, text);
    let recordSet: TxtRecordSet;
    try {
      recordSet = JSON.parse(text) as TxtRecordSet;
    } catch {
      throw new DnsError('permanent', status, 'InvalidResponse', `Azure DNS: GET ${fqdn} answered 200 without a JSON record set.`);
    }
    const values = (recordSet.properties?.TXTRecords ?? []).map((record) => (record.value ?? []).join(''));
    return values.length > 0 ? values : undefined;
  }

  return {
    async read(fqdns) {
      const found = await Promise.all(fqdns.map((fqdn) => readOne(fqdn)));
      const published = new Map<string, string[]>();
      fqdns.forEach((fqdn, i) => {
        const values = found[i];
        if (values !== undefined) published.set(fqdn, values);
      });
      return published;
    },
    async upsert(record: TxtRecord) {
      const body = { properties: { TTL: settings.ttlSeconds, TXTRecords: [{ value: splitTxt(record.value) }], metadata: OWNER_METADATA } };
      const { status, text } = await call('PUT', urlOf(record.fqdn), body);
      if (status !== 200 && status !== 201) fail('PUT', record.fqdn, status, text);
    },
    async remove(fqdn) {
      const { status, text } = await call('DELETE', urlOf(fqdn));
      // 200 deleted, 204 there was nothing to delete.
      if (status === 200 || status === 204 || isAbsent(status, text)) return;
      fail('DELETE', fqdn, status, text);
    },
  };
}

/** 1 s, 2 s, 4 s … with ±20 % jitter so throttled instances do not come back in step. */
function backoffMs(attempt: number): number {
  return Math.round(1000 * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4));
}

function definedOnly(options: AzureDnsOptions): Partial<typeof DEFAULTS> {
  const picked: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
