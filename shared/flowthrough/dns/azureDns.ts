/**
 * Azure DNS adapter of the DNS port: TXT record sets over the ARM REST API (api-version 2018-05-01)
 * with plain fetch and a bearer token from a TokenCredential (the managed identity in Azure).
 *
 * Writes carry no If-Match: the port's contract is "replace whatever is there", the records of an
 * account are written only by that account's worker session (one at a time), and the worker re-reads
 * and converges, so a conditional write would cost a GET per write and detect nothing it acts on.
 * Every call is idempotent (PUT of a whole record set, DELETE), so timeouts and 5xx are retried too.
 * Retries, Retry-After and the token cache are the shared outbound ones (../outboundHttp/).
 */
import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { parseRetryAfter } from '../outboundHttp/retryAfter';
import { planRetry, type RetryPolicy } from '../outboundHttp/retryPolicy';
import { cachingTokenProvider, type TokenGrant, type TokenSource } from '../outboundHttp/tokenCache';
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
  /** Uniform in [0, 1): backoff jitter. */
  readonly random?: () => number;
  readonly now?: () => number;
  /** TTL of the records: short, so a corrected token reaches resolvers within minutes. */
  readonly ttlSeconds?: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number;
  /** Total wait inside one call; a longer Retry-After is handed to the caller to reschedule. */
  readonly maxTotalWaitMs?: number;
  readonly requestTimeoutMs?: number;
}

const DEFAULTS = { ttlSeconds: 300, maxAttempts: 4, maxTotalWaitMs: 30_000, requestTimeoutMs: 30_000 };
/** Backoff without a server-named wait: full jitter below 1 s, 2 s, 4 s … capped at 8 s. */
const BACKOFF = { baseDelayMs: 1000, maxDelayMs: 8000 };
/** The token is renewed this long before it expires (or when the credential suggests). */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
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

/** The credential as a source for the shared token cache, its failures as DnsErrors. */
function armTokenSource(credential: TokenCredential, scope: string): TokenSource {
  return async (): Promise<TokenGrant> => {
    let fresh: AccessToken | null;
    try {
      fresh = await credential.getToken(scope);
    } catch (err) {
      const unavailable = err instanceof Error && err.name === 'CredentialUnavailableError';
      const message = `Azure DNS: no token for ${scope}: ${err instanceof Error ? err.message : String(err)}`;
      throw new DnsError(unavailable ? 'configuration' : 'transient', undefined, 'TokenUnavailable', message);
    }
    if (fresh === null) throw new DnsError('configuration', undefined, 'TokenUnavailable', `Azure DNS: the credential returned no token for ${scope}.`);
    return { token: fresh.token, expiresAtMs: fresh.expiresOnTimestamp, ...(fresh.refreshAfterTimestamp !== undefined ? { refreshAtMs: fresh.refreshAfterTimestamp } : {}) };
  };
}

const isDnsConfigurationError = (err: unknown): boolean => err instanceof DnsError && err.kind === 'configuration';

export function createAzureDns(options: AzureDnsOptions): DnsPort {
  const { zone, credential } = options;
  const origin = checkEndpoint(options.armEndpoint ?? PUBLIC_ARM_ENDPOINT);
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const policy: RetryPolicy = { maxAttempts: settings.maxAttempts, maxTotalWaitMs: settings.maxTotalWaitMs, ...BACKOFF };
  const tokens = cachingTokenProvider(armTokenSource(credential, options.scope ?? ARM_SCOPE), {
    now,
    refreshMarginMs: TOKEN_REFRESH_MARGIN_MS,
    isFatal: isDnsConfigurationError,
  });
  const zonePath =
    `/subscriptions/${encodeURIComponent(zone.subscriptionId)}/resourceGroups/${encodeURIComponent(zone.resourceGroup)}` +
    `/providers/Microsoft.Network/dnsZones/${encodeURIComponent(normaliseFqdn(zone.zoneName))}`;

  const urlOf = (fqdn: string) =>
    `${origin}${zonePath}/TXT/${encodeURIComponent(relativeRecordName(fqdn, zone.zoneName))}?api-version=${DNS_API_VERSION}`;

  /** One ARM call with bounded retries; returns the final non-retryable response with its body read. */
  async function call(method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; text: string }> {
    let refreshedAfter401 = false;
    let failedAttempts = 0;
    let waitedMs = 0;
    for (;;) {
      const token = await tokens.getToken();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'x-ms-client-request-id': randomUUID(),
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let status: number | undefined;
      let text = '';
      let serverDelayMs: number | undefined;
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
          tokens.invalidate(token);
          continue;
        }
        if (!RETRYABLE_STATUS.has(status)) return { status, text };
        serverDelayMs = parseRetryAfter(response.headers, now());
        failure = `${method} answered ${status}`;
      } catch (err) {
        // Timeout or network failure: safe to repeat, every call here is idempotent.
        failure = `${method} failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      failedAttempts++;
      const plan = planRetry(policy, { failedAttempts, waitedMs }, serverDelayMs, random);
      if (!plan.retry) {
        const code = status === 429 ? 'Throttled' : status !== undefined ? armError(text, status).code : 'Unreachable';
        throw new DnsError('transient', status, code, `Azure DNS: ${failure} after ${failedAttempts} attempt(s).`, plan.retryAfterMs);
      }
      await sleep(plan.waitMs);
      waitedMs += plan.waitMs;
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

function definedOnly(options: AzureDnsOptions): Partial<typeof DEFAULTS> {
  const picked: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
