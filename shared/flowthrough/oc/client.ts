/**
 * `createOperatorConnectClient`: the OperatorConnect port over HTTP. Wires settings, token provider
 * and the retrying sender to the operations of transport.ts; the only logic of its own is paging and
 * the 404 → undefined rule of single reads.
 */
import { randomUUID } from 'node:crypto';
import type { OcClientSettings } from './config';
import { credentialFor } from './credentials';
import type { FetchLike } from './exchange';
import { createOcSend, type OcSend } from './http';
import { defaultOcLogger, type OcLogger } from './log';
import { OcError, type OperatorConnect } from './port';
import { cachingTokenProvider, type TokenProvider, type TokenSource } from '../outboundHttp/tokenCache';
import { formClientCredentialsSource, isOcConfigurationError, tokenCredentialSource } from './tokens';
import { ocWire, parsePage, type WireCall, type WireList } from './transport';

/** Everything with a side effect outside the process, replaceable so tests are fast and exact. */
export interface OperatorConnectDeps {
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random?: () => number;
  /** The `x-ms-client-request-id` of each call. */
  readonly newRequestId?: () => string;
  readonly log?: OcLogger;
  /** Replaces the provider built from `settings.auth` (e.g. a fixed token in tests). */
  readonly tokenProvider?: TokenProvider;
}

/** A bad or looping nextLink must not spin forever; far above any real tenant's page count. */
const MAX_PAGES = 10_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tokenSourceFor(settings: OcClientSettings, fetchFn: FetchLike, now: () => number, log: OcLogger): TokenSource {
  const { auth } = settings;
  if (auth.mode === 'client-secret-form') {
    return formClientCredentialsSource({ ...auth, scope: settings.scope, timeoutMs: settings.callTimeoutMs, fetch: fetchFn, now, log });
  }
  return tokenCredentialSource(credentialFor(auth), settings.scope, settings.callTimeoutMs);
}

export function createOperatorConnectClient(settings: OcClientSettings, deps: OperatorConnectDeps = {}): OperatorConnect {
  const fetchFn: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));
  const now = deps.now ?? Date.now;
  const log = deps.log ?? defaultOcLogger();
  const tokenCache = { now, refreshMarginMs: settings.tokenRefreshMarginMs, isFatal: isOcConfigurationError };
  const tokens = deps.tokenProvider ?? cachingTokenProvider(tokenSourceFor(settings, fetchFn, now, log), tokenCache);
  const send: OcSend = createOcSend(settings, tokens, {
    fetch: fetchFn,
    now,
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
    newRequestId: deps.newRequestId ?? randomUUID,
    log,
  });
  const base = new URL(settings.apiBaseUrl);

  async function call<T>(op: WireCall<T>): Promise<T> {
    const response = await send({ method: op.method, route: op.route, url: settings.apiBaseUrl + op.path, body: op.body, safety: op.safety });
    return parseAnswer(op, response.body, response.location, response.requestId);
  }

  async function get<T>(op: WireCall<T>): Promise<T | undefined> {
    const response = await send({ method: op.method, route: op.route, url: settings.apiBaseUrl + op.path, safety: op.safety, notFoundIsAnswer: true });
    return response.status === 404 ? undefined : parseAnswer(op, response.body, response.location, response.requestId);
  }

  async function all<T>(op: WireList<T>): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url = settings.apiBaseUrl + op.path;
    for (let page = 1; ; page++) {
      const response = await send({ method: op.method, route: op.route, url, safety: op.safety });
      const { items: raw, nextLink } = parsePage(response.body);
      items.push(...raw.map(op.parseItem));
      if (nextLink === undefined) return items;
      url = followable(nextLink, seen, page);
    }
  }

  /** Only same-origin links are followed: the bearer token must never go to another host. */
  function followable(nextLink: string, seen: Set<string>, page: number): string {
    let next: URL;
    try {
      next = new URL(nextLink, base);
    } catch {
      throw new OcError('permanent', undefined, 'InvalidResponse', `Unexpected Operator Connect response: nextLink ${nextLink} is not a URL`);
    }
    if (next.origin !== base.origin) throw new OcError('permanent', undefined, 'InvalidResponse', `Unexpected Operator Connect response: nextLink points to another origin (${next.origin})`);
    if (seen.has(next.href) || page >= MAX_PAGES) throw new OcError('permanent', undefined, 'InvalidResponse', 'Unexpected Operator Connect response: paging does not end');
    seen.add(next.href);
    return next.href;
  }

  // async: argument guards in transport.ts then reject the promise instead of throwing synchronously.
  return {
    listConsents: async () => all(ocWire.listConsents()),
    getConsent: async (tenantId) => get(ocWire.getConsent(tenantId)),
    updateCustomerRelationship: async (tenantId, relationship) => call(ocWire.updateCustomerRelationship(tenantId, relationship)),
    listCallingProfiles: async () => all(ocWire.listCallingProfiles()),
    getCapabilityPlans: async (tenantId) => all(ocWire.getCapabilityPlans(tenantId)),
    getAvailableCapabilities: async (tenantId, telephoneNumbers) => call(ocWire.getAvailableCapabilities(tenantId, telephoneNumbers)),
    listCivicAddresses: async (tenantId) => all(ocWire.listCivicAddresses(tenantId)),
    getCivicAddress: async (tenantId, civicAddressId) => get(ocWire.getCivicAddress(tenantId, civicAddressId)),
    listNumbers: async (tenantId) => all(ocWire.listNumbers(tenantId)),
    getNumber: async (tenantId, telephoneNumber) => get(ocWire.getNumber(tenantId, telephoneNumber)),
    updateNumber: async (tenantId, telephoneNumber, update) => call(ocWire.updateNumber(tenantId, telephoneNumber, update)),
    submitUpload: async (order) => call(ocWire.submitUpload(order)),
    submitRelease: async (tenantId, telephoneNumbers) => call(ocWire.submitRelease(tenantId, telephoneNumbers)),
    submitUnassign: async (tenantId, telephoneNumbers) => call(ocWire.submitUnassign(tenantId, telephoneNumbers)),
    getOrder: async (orderId) => get(ocWire.getOrder(orderId)),
    listOrders: async (tenantId, createdAfter) => all(ocWire.listOrders(tenantId, createdAfter)),
  };
}

/** A 2xx whose body does not fit the contract: for an order submission, its fate is unknown. */
function parseAnswer<T>(op: WireCall<T>, body: unknown, location: string | undefined, requestId: string | undefined): T {
  try {
    return op.parse(body, location);
  } catch (err) {
    if (!(err instanceof OcError)) throw err;
    const kind = op.safety === 'order' ? 'ambiguous' : err.kind;
    throw new OcError(kind, err.status, err.code, `${op.method} ${op.route}: ${err.message}`, err.details, err.retryAfterMs, requestId);
  }
}
