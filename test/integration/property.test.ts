import { TableClient } from '@azure/data-tables';
import fc from 'fast-check';
import { startLocalHost, type LocalHost } from '../support/localHost';

const API_VERSION = '2024-02-29-preview';
const TABLES = ['accounts', 'numbers', 'numberindex', 'subdomains', 'changes'] as const;

let host: LocalHost;
let adminAuth: string;
let readAuth: string;
const clients = new Map<string, TableClient>();

async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  await Promise.all(
    TABLES.map(async (t) => {
      let c = clients.get(t);
      if (c === undefined) {
        c = TableClient.fromConnectionString(host.connectionString, host.tablePrefix + t, { allowInsecureConnection: true });
        clients.set(t, c);
      }
      const rows: string[] = [];
      try {
        for await (const e of c.listEntities()) rows.push(`${e.partitionKey}|${e.rowKey}|${e.etag}`);
      } catch (err: any) {
        if (err?.statusCode !== 404) throw err;
      }
      out[t] = rows.sort();
    }),
  );
  return out;
}

const accountBody = (name: string) => ({ name, correlationId: 'c1', serviceDetails: { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } } });
const numberBody = (accountName: string, telephoneNumber: string) => ({ telephoneNumber, accountName, serviceDetails: { zoomPhoneCloudPeering: { enabled: true } }, configuration: { customSipHeader: 'abc' } });

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${host.baseUrl}${path}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`, {
    method,
    headers: { authorization: adminAuth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function ensureFixtures(): Promise<void> {
  for (const a of ['prop', 'prop2']) {
    const g = await api('GET', `/accounts/${a}`);
    if (g.status === 404) await api('PUT', `/accounts/${a}`, accountBody(a));
  }
  await api('POST', '/accounts/prop:createOrUpdateNumbers', { numbers: ['+14255550100', '+14255550101'].map((n) => numberBody('prop', n)) });
}

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost();
  adminAuth = `Bearer ${await host.token(['Admin'])}`;
  readAuth = `Bearer ${await host.token(['Read'])}`;
  await ensureFixtures();
});
afterAll(async () => {
  await host?.stop();
});

// ------------------------------------------------------------------------------------------
// generators

/** Present in about one case in five (random junk everywhere would make every request a 400). */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const defined = <T extends Record<string, unknown>>(r: T) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>;

const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const anyText = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });

const weirdSegment = fc.oneof(
  fc.constantFrom('', '.', '..', '%00', '%2F', '%2B', '%25', '%', '%zz', '~', ':', '::', 'a:b:c', '%3A', 'null', 'undefined', '__proto__', 'constructor'),
  printable(20).map(encodeURIComponent),
  anyText(12).map(encodeURIComponent),
  fc.integer({ min: 200, max: 3000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 20, max: 400 }).map((n) => '%41'.repeat(n)),
);
const accountSeg = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('prop', 'prop2', 'missing', 'Prop', 'new-acc_1') }, { weight: 2, arbitrary: weirdSegment });
const numberSeg = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('+14255550100', '%2B14255550100', '+14255550101', '+14255550199', '14255550100', '+1', '+123456789012345678') },
  { weight: 2, arbitrary: weirdSegment },
);
const action = fc.oneof(
  fc.constantFrom('createOrUpdateNumbers', 'deleteNumbers', 'getTeamsCapabilityPlans', 'getTeamsAvailableCapabilities', 'CREATEORUPDATENUMBERS', ''),
  weirdSegment,
);
const pathArb = fc.oneof(
  fc.constant('/accounts'),
  accountSeg.map((a) => `/accounts/${a}`),
  fc.tuple(accountSeg, action).map(([a, x]) => `/accounts/${a}:${x}`),
  accountSeg.map((a) => `/accounts/${a}/numbers`),
  fc.tuple(accountSeg, numberSeg).map(([a, n]) => `/accounts/${a}/numbers/${n}`),
  fc.tuple(accountSeg, numberSeg).map(([a, n]) => `/accounts/${a}/numbers/${n}:${'deleteNumbers'}`),
  accountSeg.map((a) => `/accounts/${a}/teamsCivicAddresses`),
  fc.tuple(accountSeg, weirdSegment).map(([a, c]) => `/accounts/${a}/teamsCivicAddresses/${c}`),
  fc.constant('/numbers'),
  numberSeg.map((n) => `/numbers/${n}`),
  fc.constant('/teamsRequestsForInformation'),
  weirdSegment.map((t) => `/teamsRequestsForInformation/${t}`),
  fc.constant('/teamsRequestsForInformation/a7f4bd5c-cc01-40f4-8baa-2b6bdb272b8a'),
  fc.array(weirdSegment, { minLength: 0, maxLength: 5 }).map((s) => `/${s.join('/')}`),
  fc.tuple(accountSeg, fc.constantFrom('/', '//', '/numbers/', '//numbers')).map(([a, tail]) => `/accounts/${a}${tail}`),
);

const filterArb = fc.oneof(
  fc.constantFrom(
    "telephoneNumber eq '+14255550100'",
    "startswith(telephoneNumber,'+1425')",
    "name eq 'prop'",
    'serviceDetails/zoomPhoneCloudPeering/enabled eq true',
    "accountName eq 'prop' and not (telephoneNumber lt '+1')",
    "foo eq 'bar'",
    "name eq 'unterminated",
    '((((((((((',
    "name eq 'a' or name eq 'b' or name eq 'c'",
    'eq eq eq',
    "startswith(name,",
    "serviceProvisioningStatus eq 'synced'",
  ),
  printable(60),
  anyText(30),
);
const intish = fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.constantFrom('', 'abc', '1e3', '99999999999999999999', '-0', '1.5', 'NaN', ' 1'));
const queryArb = fc.record(
  {
    'api-version': fc.oneof({ weight: 6, arbitrary: fc.constant(API_VERSION) }, { weight: 1, arbitrary: fc.constantFrom('', '2023-01-01', '2024-02-29', 'x') }, { weight: 1, arbitrary: printable(20) }),
    top: rarely(intish),
    skip: rarely(intish),
    maxpagesize: rarely(intish),
    filter: rarely(filterArb),
    countRecords: rarely(fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', ''), printable(5))),
    deleteNumbers: rarely(fc.oneof(fc.constantFrom('true', 'false', 'yes', ''), printable(5))),
    $skiptoken: rarely(printable(30)),
  },
).map(defined);

const dateish = fc.oneof(
  fc.integer({ min: -3 * 86400, max: 3 * 86400 }).map((s) => new Date(Date.now() + s * 1000).toUTCString()),
  fc.integer({ min: -3 * 86400, max: 3 * 86400 }).map((s) => new Date(Date.now() + s * 1000).toISOString()),
  fc.constantFrom('yesterday', '', 'Mon, 32 Jan 2024 25:00:00 GMT', '0', '2024-02-29T00:00:00+99:99'),
  printable(30),
);
const etagish = fc.oneof(fc.constantFrom('*', '"abc"', 'W/"abc"', '', ',', '"a", "b"', '*, "x"'), printable(40));
const headersArb = fc.record(
  {
    auth: fc.constantFrom('admin', 'admin', 'admin', 'admin', 'admin', 'none', 'read', 'garbage'),
    'content-type': fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'text/plain', 'application/xml', '', 'none'),
    'if-match': rarely(etagish),
    'if-none-match': rarely(etagish),
    'if-modified-since': rarely(dateish),
    'if-unmodified-since': rarely(dateish),
    'repeatability-request-id': rarely(fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'fixed-id-1', 'fixed-id-2'), printable(300))),
    'repeatability-first-sent': rarely(dateish),
    'x-ms-client-request-id': rarely(fc.oneof(fc.uuid(), printable(300))),
  },
).map(defined);

/** Sets one field (by path) of a value to something else, or deletes it. */
function mutate(base: any, path: readonly string[], replacement: unknown, remove: boolean): any {
  const copy = JSON.parse(JSON.stringify(base));
  let cur = copy;
  for (const k of path.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k];
  }
  const last = path[path.length - 1] as string;
  if (remove) delete cur[last];
  else cur[last] = replacement;
  return copy;
}
const fieldPaths = fc.constantFrom(
  ['name'],
  ['correlationId'],
  ['serviceDetails'],
  ['serviceDetails', 'zoomPhoneCloudPeering'],
  ['serviceDetails', 'zoomPhoneCloudPeering', 'enabled'],
  ['serviceDetails', 'zoomPhoneCloudPeering', 'syncEnabled'],
  ['serviceDetails', 'teamsTenantId'],
  ['serviceDetails', 'teamsDirectRouting', 'enabled'],
  ['serviceDetails', 'teamsOperatorConnect'],
  ['telephoneNumber'],
  ['accountName'],
  ['configuration', 'customSipHeader'],
  ['configuration'],
  ['serviceProvisioningStatus'],
  ['numberCount'],
  ['extra'],
);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const nearValid = fc.tuple(
  fc.constantFrom<'account' | 'number' | 'batch' | 'delete'>('account', 'number', 'batch', 'delete'),
  fieldPaths,
  jsonValue,
  fc.boolean(),
).map(([kind, path, value, remove]) => {
  if (kind === 'account') return mutate(accountBody('prop'), path, value, remove);
  if (kind === 'number') return mutate(numberBody('prop', '+14255550100'), path, value, remove);
  if (kind === 'batch') return { numbers: [numberBody('prop', '+14255550102'), mutate(numberBody('prop', '+14255550103'), path, value, remove)] };
  return mutate({ telephoneNumbers: ['+14255550100'] }, path[0] === 'extra' ? ['telephoneNumbers'] : path, value, remove);
});
const bodyArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant<{ kind: 'none' }>({ kind: 'none' }) },
  { weight: 2, arbitrary: jsonValue.map((v) => ({ kind: 'text' as const, text: JSON.stringify(v) })) },
  { weight: 4, arbitrary: nearValid.map((v) => ({ kind: 'text' as const, text: JSON.stringify(v) })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ kind: 'bytes' as const, bytes: b })) },
  { weight: 1, arbitrary: anyText(100).map((t) => ({ kind: 'text' as const, text: t })) },
);
const methodArb = fc.constantFrom('GET', 'GET', 'PUT', 'PUT', 'POST', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');

// ------------------------------------------------------------------------------------------

/** Methods the route would accept, so most requests get past routing (a random method is mostly 405). */
function plausibleMethods(path: string): string[] {
  if (/:[^/]*$/.test(path)) return ['POST'];
  if (/^\/accounts\/[^/]+\/numbers\/[^/]+$/.test(path) || /^\/accounts\/[^/]+$/.test(path)) return ['GET', 'PUT', 'PUT', 'DELETE'];
  if (/^\/teamsRequestsForInformation\/[^/]+$/.test(path)) return ['GET', 'PATCH'];
  return ['GET'];
}

interface Observed {
  status: number;
  errorCode?: string;
  headerCode: string | null;
  problems: string[];
}

async function perform(method: string, path: string, query: Record<string, string>, headers: Record<string, string>, body: any): Promise<Observed | undefined> {
  let url: URL;
  try {
    url = new URL(host.baseUrl + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  } catch {
    return undefined;
  }
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'auth') {
      if (v === 'admin') h.authorization = adminAuth;
      else if (v === 'read') h.authorization = readAuth;
      else if (v === 'garbage') h.authorization = 'Bearer eyJ.garbage.sig';
    } else if (k === 'content-type') {
      if (v !== 'none') h[k] = v;
    } else h[k] = v;
  }
  const init: RequestInit = { method, headers: h, redirect: 'manual' };
  if (method !== 'GET' && method !== 'HEAD' && body.kind !== 'none') init.body = body.kind === 'bytes' ? body.bytes : body.text;
  const res = await fetch(url, init);
  const text = await res.text();
  const problems: string[] = [];
  let errorCode: string | undefined;
  if (text !== '') {
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push(`body is not JSON: ${text.slice(0, 200)}`);
    }
    if (res.status >= 400 && parsed !== undefined) {
      errorCode = parsed?.error?.code;
      if (typeof errorCode !== 'string') problems.push(`error body without error.code: ${text.slice(0, 200)}`);
      if (errorCode !== res.headers.get('x-ms-error-code')) problems.push(`error.code ${errorCode} != x-ms-error-code ${res.headers.get('x-ms-error-code')}`);
    }
  }
  return { status: res.status, ...(errorCode !== undefined ? { errorCode } : {}), headerCode: res.headers.get('x-ms-error-code'), problems };
}

it('random requests never 500, errors are well-formed, and 4xx writes nothing', async () => {
  let run = 0;
  const statuses: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(fc.boolean(), fc.nat(), methodArb, pathArb, queryArb, headersArb, bodyArb, async (anyMethod, pick, randomMethod, path, query, headers, body) => {
      const plausible = plausibleMethods(path);
      const method = anyMethod ? randomMethod : (plausible[pick % plausible.length] as string);
      if (run++ % 25 === 0) await ensureFixtures();
      const before = await snapshot();
      const observed = await perform(method, path, query, headers, body);
      if (observed === undefined) return;
      statuses[observed.status] = (statuses[observed.status] ?? 0) + 1;
      const context = `${method} ${path} ${JSON.stringify(query)} ${JSON.stringify(headers)} -> ${observed.status} ${observed.errorCode ?? ''}`;
      if (observed.status >= 500 && observed.status !== 501) throw new Error(`5xx: ${context}`);
      if (observed.problems.length > 0) throw new Error(`${observed.problems.join('; ')}: ${context}`);
      if (observed.status >= 400 && observed.status < 500) {
        const after = await snapshot();
        expect({ context, tables: after }).toEqual({ context, tables: before });
      }
    }),
    { numRuns: 150, endOnFailure: true, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31) },
  );
  // the generators reach both success and failure paths
  console.log(`status distribution: ${JSON.stringify(statuses)}`);
  const ok = Object.entries(statuses).filter(([s]) => Number(s) < 300).reduce((n, [, c]) => n + c, 0);
  expect(ok).toBeGreaterThan(0);
});
