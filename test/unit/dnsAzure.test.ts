/**
 * The Azure DNS adapter against a fake ARM server (node:http on a free port): the requests it makes
 * (method, path, api-version, bearer token, body) and how it reads the answers, without Azure.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ARM_SCOPE, createAzureDns, relativeRecordName, type AzureDnsOptions } from '../../shared/flowthrough/dns/azureDns';
import { retryAfterValueMs as retryAfterMs } from '../../shared/flowthrough/outboundHttp/retryAfter';
import { DnsError, type DnsPort } from '../../shared/flowthrough/dns/port';
import { desiredTxtRecords, subdomainStatusOf } from '../../shared/flowthrough/dns/records';
import { dnsPortFromEnv } from '../../shared/flowthrough/dns/dnsConfig';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const ZONE = { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-dns', zoneName: 'voice.example.com' };
const ZONE_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/voice.example.com`;

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
  body: any;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A DNS zone behind ARM routes; `next` answers queue overrides the zone for the following requests. */
class FakeArm {
  readonly seen: Seen[] = [];
  readonly zone = new Map<string, { properties: { TTL: number; TXTRecords: { value: string[] }[]; metadata?: unknown } }>();
  readonly next: Answer[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      this.seen.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: text === '' ? undefined : JSON.parse(text),
      });
      const answer = this.next.shift() ?? this.serveZone(req.method ?? '', url.pathname, text);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  }

  private serveZone(method: string, path: string, text: string): Answer {
    const prefix = `${ZONE_PATH}/TXT/`;
    if (!path.startsWith(prefix)) return { status: 404, body: { error: { code: 'ParentResourceNotFound', message: 'Parent resource not found.' } } };
    const name = decodeURIComponent(path.slice(prefix.length));
    const existing = this.zone.get(name);
    if (method === 'GET') {
      return existing ? { status: 200, body: { name, type: 'Microsoft.Network/dnszones/TXT', etag: 'e1', ...existing } } : recordNotFound(name);
    }
    if (method === 'PUT') {
      this.zone.set(name, JSON.parse(text));
      return { status: existing ? 200 : 201, body: { name, ...JSON.parse(text) } };
    }
    if (method === 'DELETE') {
      this.zone.delete(name);
      return { status: existing ? 200 : 204 };
    }
    return { status: 405 };
  }
}

const recordNotFound = (name: string): Answer => ({
  status: 404,
  body: { code: 'NotFound', message: `The resource record '${name}' does not exist in resource group 'rg-dns'.` },
});

class FakeCredential implements TokenCredential {
  scopes: string[] = [];
  issued = 0;
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    this.issued += 1;
    return { token: `token-${this.issued}`, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

let arm: FakeArm;
let credential: FakeCredential;
let sleeps: number[];

function adapter(extra: Partial<AzureDnsOptions> = {}): DnsPort {
  return createAzureDns({
    zone: ZONE,
    credential,
    armEndpoint: arm.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
}

beforeEach(async () => {
  arm = new FakeArm();
  await arm.start();
  credential = new FakeCredential();
  sleeps = [];
});

afterEach(() => arm.close());

describe('Azure DNS adapter: requests', () => {
  it('PUTs the record set at the name relative to the zone, with api-version, token and TTL', async () => {
    await adapter().upsert({ fqdn: 'contoso.1r1.gw1.voice.example.com', value: 'MS=ms1' });
    const [put] = arm.seen;
    expect(put).toMatchObject({
      method: 'PUT',
      path: `${ZONE_PATH}/TXT/contoso.1r1.gw1`,
      authorization: 'Bearer token-1',
      contentType: 'application/json',
      body: { properties: { TTL: 300, TXTRecords: [{ value: ['MS=ms1'] }], metadata: { managedBy: 'voice-provisioning-platform' } } },
    });
    expect(put?.query.get('api-version')).toBe('2018-05-01');
    expect(credential.scopes).toEqual([ARM_SCOPE]);
    expect(ARM_SCOPE).toBe('https://management.azure.com/.default');
  });

  it('reads back what it published, joined per record, and the status is provisioned', async () => {
    const dns = adapter();
    const desired = desiredTxtRecords('contoso', { region1Token: 'MS=ms1', region2Token: 'MS=ms2' }, 'gw1.voice.example.com');
    for (const record of desired) await dns.upsert(record);
    const published = await dns.read(desired.map((r) => r.fqdn));
    expect(subdomainStatusOf(desired, published)).toBe('provisioned');
    expect(arm.seen.filter((s) => s.method === 'GET').map((s) => s.path)).toEqual([`${ZONE_PATH}/TXT/contoso.1r1.gw1`, `${ZONE_PATH}/TXT/contoso.1r2.gw1`]);
  });

  it('joins the character-strings of a record and keeps several records apart', async () => {
    arm.zone.set('multi', { properties: { TTL: 60, TXTRecords: [{ value: ['MS=', 'ms1'] }, { value: ['other'] }] } });
    expect((await adapter().read(['multi.voice.example.com'])).get('multi.voice.example.com')).toEqual(['MS=ms1', 'other']);
  });

  it('reads a missing record set (404 NotFound) and an empty one as absent', async () => {
    arm.zone.set('empty', { properties: { TTL: 60, TXTRecords: [] } });
    const published = await adapter().read(['missing.voice.example.com', 'empty.voice.example.com']);
    expect(published.size).toBe(0);
  });

  it('DELETEs the record set and accepts 200, 204 (nothing there) and 404 NotFound', async () => {
    arm.zone.set('contoso.1r1', { properties: { TTL: 60, TXTRecords: [{ value: ['x'] }] } });
    const dns = adapter();
    await dns.remove('contoso.1r1.voice.example.com');
    await dns.remove('contoso.1r1.voice.example.com');
    arm.next.push(recordNotFound('contoso.1r1'));
    await dns.remove('contoso.1r1.voice.example.com');
    expect(arm.seen.map((s) => `${s.method} ${s.path}`)).toEqual(Array(3).fill(`DELETE ${ZONE_PATH}/TXT/contoso.1r1`));
    expect(arm.zone.has('contoso.1r1')).toBe(false);
  });

  it('splits a value longer than one TXT string (255) and joins it back', async () => {
    const dns = adapter();
    const long = 'x'.repeat(300);
    await dns.upsert({ fqdn: 'long.voice.example.com', value: long });
    expect(arm.seen[0]?.body.properties.TXTRecords[0].value.map((s: string) => s.length)).toEqual([255, 45]);
    expect((await dns.read(['long.voice.example.com'])).get('long.voice.example.com')).toEqual([long]);
  });

  it('asks the credential once and reuses the token until it nears expiry', async () => {
    const dns = adapter();
    await dns.upsert({ fqdn: 'a.voice.example.com', value: '1' });
    await dns.read(['a.voice.example.com']);
    expect(credential.issued).toBe(1);
  });
});

describe('Azure DNS adapter: failures', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    arm.next.push({ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } });
    await adapter().upsert({ fqdn: 'a.voice.example.com', value: '1' });
    expect(sleeps).toEqual([7000]);
    expect(arm.seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
    expect(arm.zone.get('a')?.properties.TXTRecords).toEqual([{ value: ['1'] }]);
  });

  it('gives up after the bounded attempts with a transient error carrying the wait', async () => {
    for (let i = 0; i < 3; i++) arm.next.push({ status: 429, headers: { 'retry-after': '2' } });
    const failure = await adapter({ maxAttempts: 3 }).read(['a.voice.example.com']).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DnsError);
    expect(failure).toMatchObject({ kind: 'transient', status: 429, code: 'Throttled', retryAfterMs: 2000 });
    expect(arm.seen).toHaveLength(3);
    expect(sleeps).toEqual([2000, 2000]);
  });

  it('hands a Retry-After longer than it will wait straight back to the caller to reschedule', async () => {
    arm.next.push({ status: 429, headers: { 'retry-after': '3600' } });
    await expect(adapter().upsert({ fqdn: 'a.voice.example.com', value: '1' })).rejects.toMatchObject({ kind: 'transient', retryAfterMs: 3_600_000 });
    expect(arm.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with backoff (the calls are idempotent)', async () => {
    arm.next.push({ status: 503 }, { status: 500, body: { error: { code: 'InternalServerError', message: 'x' } } });
    // Full jitter draws each wait below a doubling ceiling; a fixed draw makes the doubling visible.
    await adapter({ random: () => 0.5 }).remove('a.voice.example.com');
    expect(arm.seen).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] as number);
  });

  it('retries a timed-out request', async () => {
    let calls = 0;
    const slowOnce: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1) throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      return fetch(input, init);
    };
    await adapter({ fetch: slowOnce }).upsert({ fqdn: 'a.voice.example.com', value: '1' });
    expect(calls).toBe(2);
    expect(arm.zone.has('a')).toBe(true);
  });

  it('reports a missing zone as a configuration error, not as an absent record', async () => {
    arm.next.push({ status: 404, body: { error: { code: 'ParentResourceNotFound', message: "Parent resource 'voice.example.com' not found." } } });
    await expect(adapter().read(['a.voice.example.com'])).rejects.toMatchObject({ kind: 'configuration', code: 'ParentResourceNotFound' });
  });

  it('reports 403 (DNS Zone Contributor missing) as a configuration error', async () => {
    arm.next.push({ status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no access' } } });
    await expect(adapter().upsert({ fqdn: 'a.voice.example.com', value: '1' })).rejects.toMatchObject({ kind: 'configuration', status: 403, code: 'AuthorizationFailed' });
  });

  it('gets a fresh token once after a 401, then succeeds', async () => {
    arm.next.push({ status: 401, body: { error: { code: 'ExpiredAuthenticationToken', message: 'expired' } } });
    await adapter().upsert({ fqdn: 'a.voice.example.com', value: '1' });
    expect(arm.seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('reports another 4xx as permanent with the ARM code', async () => {
    arm.next.push({ status: 400, body: { error: { code: 'BadRequest', message: 'TXT value too long' } } });
    await expect(adapter().upsert({ fqdn: 'a.voice.example.com', value: '1' })).rejects.toMatchObject({ kind: 'permanent', status: 400, code: 'BadRequest' });
  });

  it('refuses a name outside the zone before any request', async () => {
    await expect(adapter().upsert({ fqdn: 'contoso.other.example.com', value: '1' })).rejects.toMatchObject({ kind: 'configuration', code: 'NameOutsideZone' });
    expect(arm.seen).toHaveLength(0);
  });

  it('reports a credential that cannot produce a token as a configuration error', async () => {
    const broken: TokenCredential = {
      getToken: async () => {
        const err = new Error('ManagedIdentityCredential: no identity assigned');
        err.name = 'CredentialUnavailableError';
        throw err;
      },
    };
    await expect(adapter({ credential: broken }).read(['a.voice.example.com'])).rejects.toMatchObject({ kind: 'configuration', code: 'TokenUnavailable' });
    expect(arm.seen).toHaveLength(0);
  });

  it('refuses a plain-http ARM endpoint other than loopback (the token would travel in clear)', () => {
    expect(() => createAzureDns({ zone: ZONE, credential, armEndpoint: 'http://management.example.com' })).toThrow(/must use https/);
  });
});

describe('Azure DNS adapter: token refresh (the shared token cache)', () => {
  /** One token valid for an hour, then the credential fails as `next` says. */
  function scriptedCredential(next: () => Error) {
    let calls = 0;
    const credential: TokenCredential = {
      getToken: async () => {
        calls += 1;
        if (calls === 1) return { token: 'first', expiresOnTimestamp: 1_000_000 + 3_600_000 };
        throw next();
      },
    };
    return credential;
  }
  const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

  it('keeps using a still-valid token when the refresh fails for a passing reason', async () => {
    let clock = 1_000_000;
    const dns = adapter({ credential: scriptedCredential(() => named('AuthenticationError', 'Entra answered 503')), now: () => clock });
    await dns.upsert({ fqdn: 'a.voice.example.com', value: '1' });
    clock += 3_400_000; // due for refresh (5 minutes before expiry), not expired
    await dns.upsert({ fqdn: 'a.voice.example.com', value: '2' });
    expect(arm.seen.map((s) => s.authorization)).toEqual(['Bearer first', 'Bearer first']);
  });

  it('reports a credential that is gone at once, even while the old token lasts', async () => {
    let clock = 1_000_000;
    const dns = adapter({ credential: scriptedCredential(() => named('CredentialUnavailableError', 'no identity assigned')), now: () => clock });
    await dns.upsert({ fqdn: 'a.voice.example.com', value: '1' });
    clock += 3_400_000;
    await expect(dns.upsert({ fqdn: 'a.voice.example.com', value: '2' })).rejects.toMatchObject({ kind: 'configuration', code: 'TokenUnavailable' });
    expect(arm.seen).toHaveLength(1);
  });
});

describe('Azure DNS adapter: helpers', () => {
  it('derives the relative record name from the zone', () => {
    expect(relativeRecordName('Contoso.1r1.gw1.voice.example.com.', 'voice.example.com')).toBe('contoso.1r1.gw1');
    expect(relativeRecordName('voice.example.com', 'voice.example.com')).toBe('@');
    expect(() => relativeRecordName('evilvoice.example.com', 'voice.example.com')).toThrow(/not in the zone/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });

  it('is what dnsPortFromEnv builds for DNS_BACKEND=azure', async () => {
    const dns = dnsPortFromEnv(
      { DNS_BACKEND: 'azure', DNS_ZONE_SUBSCRIPTION_ID: SUBSCRIPTION, DNS_ZONE_RESOURCE_GROUP: 'rg-dns', DNS_ZONE_NAME: 'voice.example.com', DR_BASE_DOMAIN: 'gw1.voice.example.com' },
      { credential, azure: { armEndpoint: arm.url } },
    );
    await dns.upsert({ fqdn: 'contoso.1r2.gw1.voice.example.com', value: 'MS=ms2' });
    expect(arm.seen[0]?.path).toBe(`${ZONE_PATH}/TXT/contoso.1r2.gw1`);
  });
});
