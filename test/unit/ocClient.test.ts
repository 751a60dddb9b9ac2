/**
 * The Operator Connect client against a scripted fake server (node:http on port 0): every reply is
 * chosen per request, so each failure mode is exact. Sleeps and the clock are fake; only the
 * per-attempt deadline uses real time (150 ms in the deadline tests).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOperatorConnectClient, type OperatorConnectDeps } from '../../shared/flowthrough/oc/client';
import { ocClientSettings, type OcClientSettingsInput } from '../../shared/flowthrough/oc/config';
import type { OcLogEntry } from '../../shared/flowthrough/oc/log';
import { OcError, type OperatorConnect } from '../../shared/flowthrough/oc/port';

// ---------------------------------------------------------------------------------------------
// Fake Operator Connect: token endpoint + API routes answering from per-route reply queues.

type Reply =
  | { status: number; body?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number }
  /** Read the request, never answer (the client's deadline fires). */
  | 'hang'
  /** Destroy the socket after reading the request. */
  | 'drop';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const OPERATOR_TENANT = 'operator-tenant';
const CLIENT_SECRET = 'test-only-secret';
const TENANT = '11111111-2222-4333-8444-555555555555';
const TN = '+14255550100';

class FakeOc {
  readonly seen: Seen[] = [];
  readonly tokenRequests: Seen[] = [];
  private readonly replies = new Map<string, Reply[]>();
  private tokenReplies: Reply[] = [];
  private tokensIssued = 0;
  private requestIds = 0;
  url = '';

  constructor(private readonly server: http.Server) {}

  get apiBaseUrl(): string {
    return `${this.url}/oc/v1`;
  }

  /** Replies for `METHOD /path?query` (path below /oc/v1, as sent on the wire); the last one repeats. */
  on(method: string, path: string, ...replies: Reply[]): this {
    this.replies.set(`${method} /oc/v1${path}`, replies);
    return this;
  }

  onToken(...replies: Reply[]): this {
    this.tokenReplies = replies;
    return this;
  }

  api(method?: string): Seen[] {
    return this.seen.filter((s) => method === undefined || s.method === method);
  }

  handle(seen: Seen, res: http.ServerResponse): void {
    const isToken = seen.url === `/${OPERATOR_TENANT}/oauth2/v2.0/token`;
    (isToken ? this.tokenRequests : this.seen).push(seen);
    const reply = isToken ? (take(this.tokenReplies) ?? this.issueToken()) : (take(this.replies.get(`${seen.method} ${seen.url}`)) ?? { status: 418, body: { code: 'NoFakeRoute', message: `${seen.method} ${seen.url}` } });
    if (reply === 'hang') return;
    if (reply === 'drop') {
      res.socket?.destroy();
      return;
    }
    const send = (): void => {
      const requestId = isToken ? `token-${this.tokenRequests.length}` : `srv-${++this.requestIds}`;
      const headers = { 'content-type': 'application/json', 'x-ms-request-id': requestId, ...reply.headers };
      res.writeHead(reply.status, headers).end(reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)));
    };
    if (reply.delayMs === undefined) send();
    else setTimeout(send, reply.delayMs);
  }

  private issueToken(): Reply {
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: `tok-${++this.tokensIssued}` } };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function take(queue: Reply[] | undefined): Reply | undefined {
  if (queue === undefined || queue.length === 0) return undefined;
  return queue.length === 1 ? queue[0] : queue.shift();
}

async function startFakeOc(): Promise<FakeOc> {
  const server = http.createServer();
  const instance = new FakeOc(server);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => instance.handle({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  instance.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return instance;
}

// ---------------------------------------------------------------------------------------------
// A client with a fake clock: sleeping advances it and is recorded.

const START = Date.UTC(2026, 10, 26, 12, 0, 0);
const SHORT_DEADLINE = { callTimeoutMs: 150 };
/** Keeps token fetches out of the deadline tests. */
const FIXED_TOKEN: OperatorConnectDeps = { tokenProvider: { getToken: async () => 'fixed', invalidate: () => undefined } };

interface Harness {
  client: OperatorConnect;
  sleeps: number[];
  logs: OcLogEntry[];
  clock: { now: number };
}

function harness(fake: FakeOc, input: Partial<OcClientSettingsInput> = {}, deps: OperatorConnectDeps = {}): Harness {
  const clock = { now: START };
  const sleeps: number[] = [];
  const logs: OcLogEntry[] = [];
  let ids = 0;
  const settings = ocClientSettings({
    apiBaseUrl: fake.apiBaseUrl,
    scope: 'api://oc-test/.default',
    auth: { mode: 'client-secret-form', authority: fake.url, tenantId: OPERATOR_TENANT, clientId: 'oc-client', clientSecret: CLIENT_SECRET },
    // Generous: the first fetch of a cold process loads undici. Deadline tests pass SHORT_DEADLINE.
    callTimeoutMs: 2_000,
    retry: { maxAttempts: 4, maxTotalWaitMs: 20_000, baseDelayMs: 500, maxDelayMs: 1_500 },
    ...input,
  });
  const client = createOperatorConnectClient(settings, {
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 1,
    newRequestId: () => `client-${++ids}`,
    log: (entry) => logs.push(entry),
    ...deps,
  });
  return { client, sleeps, logs, clock };
}

async function failure(promise: Promise<unknown>): Promise<OcError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OcError) return err;
    throw err;
  }
  throw new Error('expected an OcError');
}

const consent = (tenantId: string, status = 'Active'): Record<string, unknown> => ({
  id: `consent-${tenantId}`,
  tenantId,
  operatorId: 'op-1',
  status,
  consentedOn: '2026-01-01T00:00:00.000Z',
  lastModifiedOn: '2026-01-02T00:00:00.000Z',
  consentedCountries: ['US'],
  contacts: [{ fullName: 'Ada', email: 'ada@example.com', phoneNumber: '+14255550199' }],
});

const wireNumber = (telephoneNumber: string, assignmentStatus?: string): Record<string, unknown> => ({
  telephoneNumber,
  tenantId: TENANT,
  callingProfileId: 'cp-1',
  usage: 'CallingUserAssignment',
  acquiredCapabilities: ['UserAssignment', 'InboundCalling'],
  availableCapabilities: ['Mobile'],
  allowTenantAddressUpdate: false,
  ...(assignmentStatus === undefined ? {} : { assignmentStatus }),
});

const wireOrder = (status: string, results: { telephoneNumber: string; status: string }[] = []): Record<string, unknown> => ({
  orderId: 'order-1',
  type: 'upload',
  tenantId: TENANT,
  status,
  createdAt: '2026-11-26T12:00:00.000Z',
  results,
});

let fake: FakeOc;
beforeEach(async () => {
  fake = await startFakeOc();
});
afterEach(async () => {
  await fake.close();
});

// ---------------------------------------------------------------------------------------------

describe('tokens', () => {
  it('posts the client-credentials form to {authority}/{tenant}/oauth2/v2.0/token and sends the token as a bearer', async () => {
    fake.on('GET', '/callingProfiles', { status: 200, body: { value: [] } });
    const { client } = harness(fake);
    await client.listCallingProfiles();
    expect(fake.tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(fake.tokenRequests[0]?.body);
    expect(Object.fromEntries(form)).toEqual({ grant_type: 'client_credentials', client_id: 'oc-client', client_secret: CLIENT_SECRET, scope: 'api://oc-test/.default' });
    expect(fake.tokenRequests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(fake.api()[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('reuses a cached token until the refresh margin before expiry, then fetches a new one', async () => {
    fake.on('GET', '/callingProfiles', { status: 200, body: { value: [] } });
    const { client, clock } = harness(fake, { tokenRefreshMarginMs: 5 * 60_000 });
    await client.listCallingProfiles();
    clock.now = START + (3600 - 301) * 1000;
    await client.listCallingProfiles();
    expect(fake.tokenRequests).toHaveLength(1);
    clock.now = START + (3600 - 299) * 1000;
    await client.listCallingProfiles();
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.api().map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('refreshes a short-lived token at half its lifetime', async () => {
    fake.onToken({ status: 200, body: { token_type: 'Bearer', expires_in: 60, access_token: 'short' } });
    fake.on('GET', '/callingProfiles', { status: 200, body: { value: [] } });
    const { client, clock } = harness(fake);
    await client.listCallingProfiles();
    clock.now = START + 29_000;
    await client.listCallingProfiles();
    expect(fake.tokenRequests).toHaveLength(1);
    clock.now = START + 31_000;
    await client.listCallingProfiles();
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('shares one token request between concurrent calls', async () => {
    fake.onToken({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: 'shared' }, delayMs: 30 });
    fake.on('GET', '/callingProfiles', { status: 200, body: { value: [] } });
    const { client } = harness(fake);
    await Promise.all([1, 2, 3, 4, 5].map(() => client.listCallingProfiles()));
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.api().every((s) => s.headers.authorization === 'Bearer shared')).toBe(true);
  });

  it('on a 401 fetches a fresh token and retries once', async () => {
    fake.on('GET', '/callingProfiles', { status: 401, body: { code: 'InvalidToken', message: 'expired' } }, { status: 200, body: { value: [] } });
    const { client, sleeps } = harness(fake);
    await expect(client.listCallingProfiles()).resolves.toEqual([]);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.api().map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(sleeps).toEqual([]);
  });

  it('a second 401 with the fresh token is a configuration failure', async () => {
    fake.on('GET', '/callingProfiles', { status: 401, body: { code: 'InvalidToken', message: 'no' } });
    const { client } = harness(fake);
    const err = await failure(client.listCallingProfiles());
    expect(err).toMatchObject({ kind: 'configuration', status: 401, code: 'InvalidToken' });
    expect(fake.api()).toHaveLength(2);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('a 401 on an order POST is re-sent with a fresh token (refused, not processed)', async () => {
    fake.on('POST', `/tenants/${TENANT}/releaseOrders`, { status: 401, body: { code: 'InvalidToken', message: 'expired' } }, { status: 202, body: { orderId: 'o-9', status: 'Pending' } });
    const { client } = harness(fake);
    await expect(client.submitRelease(TENANT, [TN])).resolves.toEqual({ orderId: 'o-9' });
    expect(fake.api('POST')).toHaveLength(2);
  });

  it('403 is a configuration failure and is not retried', async () => {
    fake.on('GET', '/consents', { status: 403, body: { code: 'AppNotRegistered', message: 'register the app id in the OC portal' } });
    const { client, sleeps } = harness(fake);
    const err = await failure(client.listConsents());
    expect(err).toMatchObject({ kind: 'configuration', status: 403, code: 'AppNotRegistered', requestId: 'srv-1' });
    expect(fake.api()).toHaveLength(1);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a rejected client secret is a configuration failure before any API call', async () => {
    fake.onToken({ status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.\nTrace ID: x' } });
    const { client } = harness(fake);
    const err = await failure(client.listConsents());
    expect(err).toMatchObject({ kind: 'configuration', status: 401, code: 'invalid_client' });
    expect(err.message).toContain('AADSTS7000215');
    expect(fake.api()).toHaveLength(0);
  });

  it('a token endpoint outage is retried like any transient failure', async () => {
    fake.onToken({ status: 503, body: {}, headers: { 'retry-after': '1' } }, { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: 'late' } });
    fake.on('GET', '/callingProfiles', { status: 200, body: { value: [] } });
    const { client, sleeps } = harness(fake);
    await expect(client.listCallingProfiles()).resolves.toEqual([]);
    expect(sleeps).toEqual([1000]);
    expect(fake.api()[0]?.headers.authorization).toBe('Bearer late');
  });

  it('takes tokens from any TokenCredential with the configured scope, cached until its refresh time', async () => {
    fake.on('GET', '/callingProfiles', { status: 200, body: { value: [] } });
    const scopes: unknown[] = [];
    const credential = {
      getToken: async (scope: string | string[]) => {
        scopes.push(scope);
        return { token: `cred-${scopes.length}`, expiresOnTimestamp: START + 3_600_000, refreshAfterTimestamp: START + 1_800_000 };
      },
    };
    const { client, clock } = harness(fake, { auth: { mode: 'token-credential', credential } });
    await client.listCallingProfiles();
    clock.now = START + 1_799_000;
    await client.listCallingProfiles();
    clock.now = START + 1_800_000;
    await client.listCallingProfiles();
    expect(scopes).toEqual(['api://oc-test/.default', 'api://oc-test/.default']);
    expect(fake.api().map((s) => s.headers.authorization)).toEqual(['Bearer cred-1', 'Bearer cred-1', 'Bearer cred-2']);
    expect(fake.tokenRequests).toHaveLength(0);
  });

  it('a credential that has no identity here is a configuration failure', async () => {
    const credential = {
      getToken: async () => {
        throw Object.assign(new Error('ManagedIdentityCredential: no managed identity endpoint found'), { name: 'CredentialUnavailableError' });
      },
    };
    const { client } = harness(fake, { auth: { mode: 'token-credential', credential } });
    await expect(failure(client.listConsents())).resolves.toMatchObject({ kind: 'configuration', code: 'CredentialUnavailableError' });
    expect(fake.api()).toHaveLength(0);
  });
});

describe('reads, envelopes and enums', () => {
  it('follows nextLink (absolute, then relative) until the last page', async () => {
    fake
      .on('GET', '/consents', { status: 200, body: { value: [consent('t1')], nextLink: `${fake.apiBaseUrl}/consents?$skipToken=2` } })
      .on('GET', '/consents?$skipToken=2', { status: 200, body: { value: [consent('t2'), consent('t3')], nextLink: '/oc/v1/consents?$skipToken=3' } })
      .on('GET', '/consents?$skipToken=3', { status: 200, body: { value: [consent('t4')] } });
    const { client } = harness(fake);
    const consents = await client.listConsents();
    expect(consents.map((c) => c.tenantId)).toEqual(['t1', 't2', 't3', 't4']);
    expect(fake.api()).toHaveLength(3);
  });

  it('refuses a nextLink to another origin without sending the token there', async () => {
    fake.on('GET', '/consents', { status: 200, body: { value: [consent('t1')], nextLink: 'http://127.0.0.2:1/steal' } });
    const { client } = harness(fake);
    await expect(failure(client.listConsents())).resolves.toMatchObject({ kind: 'permanent', code: 'InvalidResponse' });
    expect(fake.api()).toHaveLength(1);
  });

  it('refuses a nextLink that loops', async () => {
    fake.on('GET', '/consents', { status: 200, body: { value: [], nextLink: '/oc/v1/consents?$skipToken=a' } }).on('GET', '/consents?$skipToken=a', {
      status: 200,
      body: { value: [], nextLink: '/oc/v1/consents?$skipToken=a' },
    });
    const { client } = harness(fake);
    await expect(failure(client.listConsents())).resolves.toMatchObject({ code: 'InvalidResponse' });
    expect(fake.api()).toHaveLength(2);
  });

  it('maps consents with enums in any casing', async () => {
    fake.on('GET', '/consents', {
      status: 200,
      body: { value: [{ ...consent('t1', 'active'), customerRelationship: { status: 'agreementSigned', comment: 'ok' } }, consent('t2', 'SUSPENDED'), consent('t3', 'Removed')] },
    });
    const { client } = harness(fake);
    const consents = await client.listConsents();
    expect(consents.map((c) => c.status)).toEqual(['Active', 'Suspended', 'Removed']);
    expect(consents[0]).toMatchObject({ customerRelationship: { status: 'AgreementSigned', comment: 'ok' }, contacts: [{ fullName: 'Ada', telephoneNumber: '+14255550199' }] });
  });

  it('an unknown enum value is reported, not guessed', async () => {
    fake.on('GET', `/consents/${TENANT}`, { status: 200, body: consent(TENANT, 'Paused') });
    const { client } = harness(fake);
    const err = await failure(client.getConsent(TENANT));
    expect(err).toMatchObject({ kind: 'permanent', code: 'InvalidResponse' });
    expect(err.message).toContain('"Paused"');
  });

  it('maps assignmentStatus: Unassigned is free, every other value is assigned', async () => {
    fake.on('GET', `/tenants/${TENANT}/numbers?$top=1000`, {
      status: 200,
      body: { value: [wireNumber('+1', 'Unassigned'), wireNumber('+2', 'unassigned'), wireNumber('+3', 'UserAssigned'), wireNumber('+4', 'ConferenceAssigned'), wireNumber('+5', 'VoiceAppAssigned'), wireNumber('+6', 'ThirdPartyAppAssigned')] },
    });
    const { client } = harness(fake);
    const numbers = await client.listNumbers(TENANT);
    expect(numbers.map((n) => n.assignmentStatus)).toEqual(['unassigned', 'unassigned', 'assigned', 'assigned', 'assigned', 'assigned']);
    expect(numbers[0]).toMatchObject({ tenantId: TENANT, callingProfileId: 'cp-1', usage: 'CallingUserAssignment', availableCapabilities: ['Mobile'], additionalUsages: [] });
  });

  it.each([
    ['Pending', [], 'Pending'],
    ['in_progress', [], 'InProgress'],
    ['Success', [{ telephoneNumber: TN, status: 'success' }], 'Succeeded'],
    ['PartialSuccess', [], 'PartiallySucceeded'],
    ['Error', [], 'Failed'],
    ['Complete', [{ telephoneNumber: TN, status: 'Succeeded' }], 'Succeeded'],
    ['Complete', [{ telephoneNumber: TN, status: 'Succeeded' }, { telephoneNumber: '+2', status: 'Failed' }], 'PartiallySucceeded'],
    ['complete', [{ telephoneNumber: TN, status: 'error' }], 'Failed'],
    ['Expired', [], 'Failed'],
    ['SUCCEEDED', [], 'Succeeded'],
  ])('maps order status %s (results %j) to %s', async (wire, results, expected) => {
    fake.on('GET', '/orders/order-1', { status: 200, body: wireOrder(wire, results) });
    const { client } = harness(fake);
    const order = await client.getOrder('order-1');
    expect(order?.status).toBe(expected);
    expect(order?.type).toBe('Upload');
  });

  it('an expired order carries an error even when the wire has none', async () => {
    fake.on('GET', '/orders/order-1', { status: 200, body: { ...wireOrder('Expired'), type: 'RELEASE' } });
    const { client } = harness(fake);
    await expect(client.getOrder('order-1')).resolves.toMatchObject({ type: 'Release', status: 'Failed', error: { code: 'OrderExpired' } });
  });

  it('a 404 on a single read is undefined', async () => {
    const notFound: Reply = { status: 404, body: { code: 'NotFound', message: 'nope' } };
    fake
      .on('GET', `/consents/${TENANT}`, notFound)
      .on('GET', `/tenants/${TENANT}/numbers/%2B14255550100`, notFound)
      .on('GET', `/tenants/${TENANT}/civicAddresses/a1`, notFound)
      .on('GET', '/orders/o1', notFound);
    const { client, sleeps } = harness(fake);
    await expect(client.getConsent(TENANT)).resolves.toBeUndefined();
    await expect(client.getNumber(TENANT, TN)).resolves.toBeUndefined();
    await expect(client.getCivicAddress(TENANT, 'a1')).resolves.toBeUndefined();
    await expect(client.getOrder('o1')).resolves.toBeUndefined();
    expect(sleeps).toEqual([]);
  });

  it('a 404 on a list or a write is a permanent failure with the code', async () => {
    fake.on('GET', `/tenants/${TENANT}/numbers?$top=1000`, { status: 404, body: { code: 'TenantNotFound', message: 'unknown tenant' } });
    fake.on('PATCH', `/tenants/${TENANT}/numbers/%2B14255550100`, { status: 404, body: { code: 'NumberNotFound', message: 'gone' } });
    const { client } = harness(fake);
    await expect(failure(client.listNumbers(TENANT))).resolves.toMatchObject({ kind: 'permanent', status: 404, code: 'TenantNotFound' });
    await expect(failure(client.updateNumber(TENANT, TN, { locationId: 'l1' }))).resolves.toMatchObject({ kind: 'permanent', code: 'NumberNotFound' });
  });

  it('URL-encodes path segments, + of E.164 numbers included', async () => {
    fake
      .on('GET', `/tenants/${TENANT}/numbers/%2B14255550100`, { status: 200, body: wireNumber(TN, 'Unassigned') })
      .on('PATCH', `/tenants/${TENANT}/numbers/%2B14255550100`, { status: 200, body: { ...wireNumber(TN, 'Unassigned'), locationId: 'loc-2' } })
      .on('GET', '/orders/a%2Fb%20c', { status: 200, body: { ...wireOrder('Pending'), orderId: 'a/b c' } });
    const { client } = harness(fake);
    await expect(client.getNumber(TENANT, TN)).resolves.toMatchObject({ telephoneNumber: TN, assignmentStatus: 'unassigned' });
    await expect(client.updateNumber(TENANT, TN, { locationId: 'loc-2', civicAddressId: null })).resolves.toMatchObject({ locationId: 'loc-2' });
    await expect(client.getOrder('a/b c')).resolves.toMatchObject({ orderId: 'a/b c' });
    expect(JSON.parse(fake.api('PATCH')[0]?.body ?? '')).toEqual({ locationId: 'loc-2', civicAddressId: null });
  });

  it('rejects an empty path parameter before any request', async () => {
    const { client } = harness(fake);
    await expect(failure(client.getConsent(''))).resolves.toMatchObject({ kind: 'permanent', code: 'InvalidArgument' });
    await expect(failure(client.submitRelease(TENANT, []))).resolves.toMatchObject({ code: 'InvalidArgument' });
    expect(fake.api()).toHaveLength(0);
  });

  it('reads the flat error body { code, message, details } of a 400 as permanent, not retried', async () => {
    const details = [{ code: 'InvalidTelephoneNumber', message: 'not E.164', target: 'telephoneNumbers[0]' }];
    fake.on('POST', `/tenants/${TENANT}/uploadOrders`, { status: 400, body: { code: 'InvalidRequestBody', message: 'bad numbers', details } });
    const { client, sleeps } = harness(fake);
    const err = await failure(client.submitUpload({ tenantId: TENANT, telephoneNumbers: ['12'], callingProfileId: 'cp-1', usage: 'CallingUserAssignment', choosableCapabilities: [] }));
    expect(err).toMatchObject({ kind: 'permanent', status: 400, code: 'InvalidRequestBody', details });
    expect(err.message).toContain('bad numbers');
    expect(fake.api()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('also reads the Azure-style { error: { code, message, details } } envelope', async () => {
    fake.on('PATCH', `/consents/${TENANT}`, { status: 400, body: { error: { code: 'CommentRequired', message: 'give a reason', details: [{ code: 'MissingField', target: 'comment' }] } } });
    const { client } = harness(fake);
    await expect(failure(client.updateCustomerRelationship(TENANT, { status: 'ConsentDeclined' }))).resolves.toMatchObject({
      kind: 'permanent',
      code: 'CommentRequired',
      details: [{ code: 'MissingField', target: 'comment' }],
    });
    expect(JSON.parse(fake.api('PATCH')[0]?.body ?? '')).toEqual({ customerRelationship: { status: 'ConsentDeclined' } });
  });

  it('falls back to x-ms-error-code, then the status, when the error body is not JSON', async () => {
    fake.on('GET', '/consents', { status: 409, text: 'conflict!', headers: { 'x-ms-error-code': 'ConsentRemoved' } });
    fake.on('GET', '/callingProfiles', { status: 422, text: '' });
    const { client } = harness(fake);
    await expect(failure(client.listConsents())).resolves.toMatchObject({ code: 'ConsentRemoved', status: 409 });
    await expect(failure(client.listCallingProfiles())).resolves.toMatchObject({ code: 'Http422', status: 422 });
  });

  it('maps calling profiles, capability plans, available capabilities and civic addresses', async () => {
    fake
      .on('GET', '/callingProfiles', {
        status: 200,
        body: {
          value: [
            { callingProfileId: 'cp-1', name: 'Calling', nameSuffix: 'CommsGw', offerTypes: [{ offerTypeName: 'Calling' }] },
            { callingProfileId: 'cp-2', name: 'TPM', offerTypes: [{ offerTypeName: 'Calling' }, { offerTypeName: 'mobile' }] },
          ],
        },
      })
      .on('GET', `/tenants/${TENANT}/usages`, {
        status: 200,
        body: { value: [{ name: 'User', offerTypes: ['Calling'], usage: 'CallingUserAssignment', mandatoryCapabilities: ['UserAssignment'], choosableCapabilities: ['InboundCalling'], supportsTollFree: false }] },
      })
      .on('POST', `/tenants/${TENANT}/availableCapabilities`, { status: 200, body: { availableCapabilities: [{ telephoneNumber: TN, availableCapabilities: ['InboundCalling', 'Mobile'] }] } })
      .on('GET', `/tenants/${TENANT}/civicAddresses`, {
        status: 200,
        body: { value: [{ id: 'a1', country: 'US', cityOrTown: 'Redmond', defaultLocationId: 'l1', validationStatus: 'validated', locations: [{ id: 'l1', description: '911' }, { id: 'l2' }] }] },
      });
    const { client } = harness(fake);
    await expect(client.listCallingProfiles()).resolves.toEqual([
      { id: 'cp-1', name: 'Calling', offerTypes: ['Calling'], mobile: false, nameSuffix: 'CommsGw' },
      { id: 'cp-2', name: 'TPM', offerTypes: ['Calling', 'mobile'], mobile: true },
    ]);
    await expect(client.getCapabilityPlans(TENANT)).resolves.toEqual([
      { name: 'User', offerTypes: ['Calling'], usage: 'CallingUserAssignment', mandatoryCapabilities: ['UserAssignment'], choosableCapabilities: ['InboundCalling'], supportsTollFree: false },
    ]);
    await expect(client.getAvailableCapabilities(TENANT, [TN])).resolves.toEqual([{ telephoneNumber: TN, availableCapabilities: ['InboundCalling', 'Mobile'] }]);
    expect(JSON.parse(fake.api('POST')[0]?.body ?? '')).toEqual({ telephoneNumbers: [TN] });
    const [address] = await client.listCivicAddresses(TENANT);
    expect(address).toMatchObject({ id: 'a1', country: 'US', cityOrTown: 'Redmond', validationStatus: 'Validated', defaultLocationId: 'l1' });
    expect(address?.locations).toEqual([
      { id: 'l1', civicAddressId: 'a1', isDefault: true, description: '911' },
      { id: 'l2', civicAddressId: 'a1', isDefault: false },
    ]);
  });

  it('submits an upload with the order fields in the body and returns the orderId', async () => {
    fake.on('POST', `/tenants/${TENANT}/uploadOrders`, { status: 202, body: { orderId: 'o-1', status: 'Pending' }, headers: { location: '/oc/v1/orders/o-1' } });
    const { client } = harness(fake);
    const result = await client.submitUpload({
      tenantId: TENANT,
      telephoneNumbers: [TN],
      callingProfileId: 'cp-1',
      usage: 'CallingUserAssignment',
      choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
      locationId: 'l1',
      allowTenantAddressUpdate: false,
      ticketId: 'T-1',
    });
    expect(result).toEqual({ orderId: 'o-1' });
    expect(JSON.parse(fake.api('POST')[0]?.body ?? '')).toEqual({
      telephoneNumbers: [TN],
      callingProfileId: 'cp-1',
      usage: 'CallingUserAssignment',
      choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
      locationId: 'l1',
      allowTenantAddressUpdate: false,
      ticketId: 'T-1',
    });
  });

  it('takes the orderId from Location when the 202 body lacks it', async () => {
    fake.on('POST', `/tenants/${TENANT}/unassignOrders`, { status: 202, text: '', headers: { location: `${fake.apiBaseUrl}/orders/o-7` } });
    const { client } = harness(fake);
    await expect(client.submitUnassign(TENANT, [TN])).resolves.toEqual({ orderId: 'o-7' });
    expect(JSON.parse(fake.api('POST')[0]?.body ?? '')).toEqual({ telephoneNumbers: [TN] });
  });

  it('a 202 without any order id is ambiguous: the order may exist', async () => {
    fake.on('POST', `/tenants/${TENANT}/releaseOrders`, { status: 202, body: { status: 'Pending' } });
    const { client } = harness(fake);
    await expect(failure(client.submitRelease(TENANT, [TN]))).resolves.toMatchObject({ kind: 'ambiguous', code: 'InvalidResponse', requestId: 'srv-1' });
  });

  it('lists orders created after a time for the read-back', async () => {
    fake.on('GET', `/tenants/${TENANT}/orders?createdAfter=2026-11-26T11%3A59%3A00.000Z&$top=1000`, { status: 200, body: { value: [wireOrder('InProgress', [{ telephoneNumber: TN, status: 'InProgress' }])] } });
    const { client } = harness(fake);
    const orders = await client.listOrders(TENANT, '2026-11-26T11:59:00.000Z');
    expect(orders).toEqual([
      { orderId: 'order-1', type: 'Upload', tenantId: TENANT, status: 'InProgress', createdAt: '2026-11-26T12:00:00.000Z', results: [{ telephoneNumber: TN, status: 'InProgress' }] },
    ]);
    await expect(failure(client.listOrders(TENANT, 'yesterday'))).resolves.toMatchObject({ code: 'InvalidArgument' });
  });

  it('sends x-ms-client-request-id and logs one JSON-safe line per attempt with route template and x-ms-request-id', async () => {
    fake.on('GET', `/tenants/${TENANT}/numbers/%2B14255550100`, { status: 503, body: { code: 'Busy', message: 'later' }, headers: { 'retry-after': '0' } }, { status: 200, body: wireNumber(TN) });
    const { client, logs } = harness(fake);
    await client.getNumber(TENANT, TN);
    expect(fake.api().map((s) => s.headers['x-ms-client-request-id'])).toEqual(['client-1', 'client-1']);
    const calls = logs.filter((l) => l.event === 'oc.call');
    expect(calls).toEqual([
      expect.objectContaining({ level: 'debug', method: 'GET', route: '/tenants/{tenantId}/numbers/{telephoneNumber}', status: 503, requestId: 'srv-1', clientRequestId: 'client-1', attempt: 1, outcome: 'retry', code: 'Busy', waitMs: 0 }),
      expect.objectContaining({ level: 'debug', route: '/tenants/{tenantId}/numbers/{telephoneNumber}', status: 200, requestId: 'srv-2', attempt: 2, outcome: 'ok' }),
    ]);
    expect(calls.every((l) => typeof l.durationMs === 'number')).toBe(true);
    const text = JSON.stringify(logs);
    expect(text).not.toContain('tok-1');
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(TN);
  });
});

describe('retries and ambiguity', () => {
  const upload = (client: OperatorConnect): Promise<{ orderId: string }> =>
    client.submitUpload({ tenantId: TENANT, telephoneNumbers: [TN], callingProfileId: 'cp-1', usage: 'CallingUserAssignment', choosableCapabilities: [] });
  const uploadPath = `/tenants/${TENANT}/uploadOrders`;

  it('honours Retry-After in seconds', async () => {
    fake.on('GET', '/consents', { status: 429, body: { code: 'TooManyRequests', message: 'slow down' }, headers: { 'retry-after': '2' } }, { status: 200, body: { value: [] } });
    const { client, sleeps } = harness(fake);
    await expect(client.listConsents()).resolves.toEqual([]);
    expect(sleeps).toEqual([2000]);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const at = new Date(START + 3000).toUTCString();
    fake.on('GET', '/consents', { status: 503, body: { code: 'ServiceUnavailable', message: 'x' }, headers: { 'retry-after': at } }, { status: 200, body: { value: [] } });
    const { client, sleeps } = harness(fake);
    await client.listConsents();
    expect(sleeps).toEqual([3000]);
  });

  it('backs off exponentially with full jitter, capped, then gives up as transient after maxAttempts', async () => {
    fake.on('GET', '/callingProfiles', { status: 500, body: { code: 'InternalError', message: 'boom' } });
    const { client, sleeps } = harness(fake, {}, { random: () => 0.999 });
    const err = await failure(client.listCallingProfiles());
    expect(err).toMatchObject({ kind: 'transient', status: 500, code: 'InternalError' });
    expect(err.retryAfterMs).toBeUndefined();
    expect(fake.api()).toHaveLength(4);
    // Ceilings 500, 1000, 2000→capped 1500; jitter 0.999 of each.
    expect(sleeps).toEqual([499, 999, 1498]);
  });

  it('jitter spreads the wait below the ceiling', async () => {
    fake.on('GET', '/callingProfiles', { status: 502, text: 'bad gateway' }, { status: 200, body: { value: [] } });
    const { client, sleeps } = harness(fake, {}, { random: () => 0.25 });
    await client.listCallingProfiles();
    expect(sleeps).toEqual([125]);
  });

  it('stops retrying when the wait budget is spent', async () => {
    fake.on('GET', '/callingProfiles', { status: 504, text: '' });
    const { client, sleeps } = harness(fake, { retry: { maxAttempts: 10, maxTotalWaitMs: 1_200, baseDelayMs: 500, maxDelayMs: 1_500 } });
    await expect(failure(client.listCallingProfiles())).resolves.toMatchObject({ kind: 'transient', status: 504 });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_200);
    expect(fake.api().length).toBeLessThanOrEqual(10);
  });

  it('a Retry-After beyond the remaining budget is handed back as transient with retryAfterMs, without sleeping', async () => {
    fake.on('GET', '/consents', { status: 429, body: { code: 'TooManyRequests', message: 'slow down' }, headers: { 'retry-after': '120' } });
    const { client, sleeps } = harness(fake);
    const err = await failure(client.listConsents());
    expect(err).toMatchObject({ kind: 'transient', status: 429, code: 'TooManyRequests', retryAfterMs: 120_000 });
    expect(sleeps).toEqual([]);
    expect(fake.api()).toHaveLength(1);
  });

  it('after the last attempt, the server-named wait is still passed on', async () => {
    fake.on('GET', '/consents', { status: 503, body: { code: 'Busy', message: 'x' }, headers: { 'retry-after': '1' } });
    const { client, sleeps } = harness(fake, { retry: { maxAttempts: 2, maxTotalWaitMs: 20_000, baseDelayMs: 500, maxDelayMs: 1_500 } });
    await expect(failure(client.listConsents())).resolves.toMatchObject({ kind: 'transient', retryAfterMs: 1000 });
    expect(sleeps).toEqual([1000]);
  });

  it('retries a GET that timed out', async () => {
    fake.on('GET', '/consents', 'hang', { status: 200, body: { value: [consent('t1')] } });
    const { client } = harness(fake, SHORT_DEADLINE, FIXED_TOKEN);
    await expect(client.listConsents()).resolves.toHaveLength(1);
    expect(fake.api()).toHaveLength(2);
  });

  it('retries a GET whose connection dropped, and a PATCH that got a 503', async () => {
    fake.on('GET', '/consents', 'drop', { status: 200, body: { value: [] } });
    fake.on('PATCH', `/consents/${TENANT}`, { status: 503, text: '' }, { status: 200, body: consent(TENANT) });
    const { client } = harness(fake);
    await expect(client.listConsents()).resolves.toEqual([]);
    await expect(client.updateCustomerRelationship(TENANT, { status: 'CustomerContacted' })).resolves.toMatchObject({ tenantId: TENANT });
    expect(fake.api('GET')).toHaveLength(2);
    expect(fake.api('PATCH')).toHaveLength(2);
  });

  it('an order POST that timed out is ambiguous and is sent exactly once', async () => {
    fake.on('POST', uploadPath, 'hang');
    const { client, sleeps } = harness(fake, SHORT_DEADLINE, FIXED_TOKEN);
    const err = await failure(upload(client));
    expect(err).toMatchObject({ kind: 'ambiguous', code: 'Timeout' });
    expect(fake.api('POST')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('an order POST whose connection dropped is ambiguous and is sent exactly once', async () => {
    fake.on('POST', uploadPath, 'drop');
    const { client } = harness(fake);
    await expect(failure(upload(client))).resolves.toMatchObject({ kind: 'ambiguous', code: 'ConnectionFailed' });
    expect(fake.api('POST')).toHaveLength(1);
  });

  it('an order POST answered 500 is ambiguous and is sent exactly once', async () => {
    fake.on('POST', uploadPath, { status: 500, body: { code: 'InternalError', message: 'boom' } });
    const { client } = harness(fake);
    await expect(failure(upload(client))).resolves.toMatchObject({ kind: 'ambiguous', status: 500, code: 'InternalError' });
    expect(fake.api('POST')).toHaveLength(1);
  });

  it('an order POST answered 503 with Retry-After is ambiguous too, with the wait passed on', async () => {
    fake.on('POST', uploadPath, { status: 503, body: { code: 'ServiceUnavailable', message: 'x' }, headers: { 'retry-after': '5' } });
    const { client, sleeps } = harness(fake);
    await expect(failure(upload(client))).resolves.toMatchObject({ kind: 'ambiguous', status: 503, retryAfterMs: 5000 });
    expect(fake.api('POST')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('an order POST answered 429 was refused unprocessed, so it is re-sent after Retry-After', async () => {
    fake.on('POST', uploadPath, { status: 429, body: { code: 'TooManyRequests', message: 'x' }, headers: { 'retry-after': '1' } }, { status: 202, body: { orderId: 'o-2', status: 'Pending' } });
    const { client, sleeps } = harness(fake);
    await expect(upload(client)).resolves.toEqual({ orderId: 'o-2' });
    expect(fake.api('POST')).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('an order POST that could not connect was never sent, so it is retried', async () => {
    const closed = await startFakeOc();
    const apiBaseUrl = closed.apiBaseUrl;
    await closed.close();
    const { client, sleeps } = harness(fake, { apiBaseUrl, retry: { maxAttempts: 2, maxTotalWaitMs: 20_000, baseDelayMs: 500, maxDelayMs: 1_500 } });
    await expect(failure(upload(client))).resolves.toMatchObject({ kind: 'transient', code: 'ConnectionFailed' });
    expect(sleeps).toHaveLength(1);
  });

  it('a 2xx GET with a body that is not JSON is permanent', async () => {
    fake.on('GET', '/orders/o1', { status: 200, text: '<html>' });
    const { client } = harness(fake);
    await expect(failure(client.getOrder('o1'))).resolves.toMatchObject({ kind: 'permanent', code: 'InvalidResponse' });
  });
});
