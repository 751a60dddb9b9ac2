/**
 * The view over a scripted storage reader: warm calls read nothing, misses are read once however
 * many callers wait, the feed drops what changed (also while a read is in flight), and a storage
 * failure turns misses into the 503 reject while cached facts keep answering.
 */
import { PROVISIONING_DATA_UNAVAILABLE, RoutingView, type FactsReader } from '../../shared/lookup/view';
import type { AccountFacts, NumberFacts, RouteQuestion, RoutingSettings } from '../../shared/lookup/types';
import { loadLookupSettings } from '../../shared/lookup/config';

const SETTINGS: RoutingSettings = { ...loadLookupSettings({}, 'gw.example.net').routing, headerName: 'X-Op', mobilePrefixes: ['+4477'], ttlSeconds: 1 };

const number = (telephoneNumber: string, accountName: string, extra: Partial<NumberFacts> = {}): NumberFacts => ({
  telephoneNumber,
  accountName,
  teamsOperatorConnect: false,
  teamsDirectRouting: false,
  teamsPhoneMobile: false,
  zoomPhoneCloudPeering: true,
  azureOperatorCallProtection: false,
  customSipHeader: undefined,
  ...extra,
});

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Storage as maps; every read is counted; `gate` holds reads until released; `down` fails them. */
class ScriptedStorage implements FactsReader {
  numbers = new Map<string, NumberFacts>();
  accounts = new Map<string, AccountFacts>();
  claims = new Map<string, string>();
  reads: string[] = [];
  down = false;
  gate: Deferred<void> | undefined;

  private async read<T>(what: string, value: () => T): Promise<T> {
    this.reads.push(what);
    if (this.gate !== undefined) await this.gate.promise;
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return value();
  }

  readNumber(n: string) {
    return this.read(`number ${n}`, () => this.numbers.get(n));
  }
  readAccount(name: string) {
    return this.read(`account ${name}`, () => this.accounts.get(name));
  }
  readSubdomainClaim(label: string) {
    return this.read(`subdomain ${label}`, () => this.claims.get(label));
  }
}

const toZoom = (to: string): RouteQuestion => ({ direction: 'fromOperator', from: '+33123456789', to });
const fromDr = (from: string, subdomain: string): RouteQuestion => ({ direction: 'toOperator', from, to: '+33123456789', origin: 'teamsDirectRouting', subdomain });

function setUp(options: { maxNumbers?: number; storageTimeoutMs?: number; feed?: { healthy: boolean; freshAt: number } } = {}) {
  const storage = new ScriptedStorage();
  storage.accounts.set('acme', { name: 'acme', teamsTenantId: 'tenant-1' });
  storage.accounts.set('dr', { name: 'dr', directRouting: { subdomain: 'drlabel', callScreening: true } });
  storage.numbers.set('+14255550001', number('+14255550001', 'acme', { customSipHeader: 'h1' }));
  storage.numbers.set('+14255550002', number('+14255550002', 'dr', { zoomPhoneCloudPeering: false, teamsDirectRouting: true }));
  storage.claims.set('drlabel', 'dr');
  const view = new RoutingView({
    reader: storage,
    routing: SETTINGS,
    maxNumbers: options.maxNumbers ?? 100,
    maxAccounts: 100,
    storageTimeoutMs: options.storageTimeoutMs ?? 1000,
    ...(options.feed !== undefined ? { feed: () => options.feed as { healthy: boolean; freshAt: number } } : {}),
  });
  return { storage, view };
}

describe('RoutingView', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('answers a warm question from memory without reading storage', async () => {
    const { storage, view } = setUp();
    expect(view.answerFromMemory(toZoom('+14255550001'))).toBeUndefined();
    const cold = await view.answer(toZoom('+14255550001'));
    expect(cold).toMatchObject({ action: 'route', destination: 'zoomPhoneCloudPeering', accountName: 'acme', teamsTenantId: 'tenant-1', customHeader: { name: 'X-Op', value: 'h1' } });
    expect(storage.reads).toEqual(['number +14255550001', 'account acme']);
    storage.reads.length = 0;
    expect(view.answerFromMemory(toZoom('+14255550001'))).toEqual(cold);
    expect(await view.answer(toZoom('+14255550001'))).toEqual(cold);
    expect(storage.reads).toEqual([]);
  });

  it('keeps a negative entry for an unprovisioned number', async () => {
    const { storage, view } = setUp();
    expect(await view.answer(toZoom('+447700900001'))).toMatchObject({ destination: 'teamsPhoneMobile', defaulted: true });
    expect(view.answerFromMemory(toZoom('+447700900001'))).toMatchObject({ destination: 'teamsPhoneMobile', defaulted: true });
    expect(storage.reads).toEqual(['number +447700900001']);
  });

  it('resolves a Direct Routing question in rounds: number and subdomain, then the account', async () => {
    const { storage, view } = setUp();
    expect(await view.answer(fromDr('+14255550002', 'drlabel'))).toMatchObject({ action: 'route', destination: 'operatorNetwork', accountName: 'dr' });
    expect(storage.reads.sort()).toEqual(['account dr', 'number +14255550002', 'subdomain drlabel']);
  });

  it('ignores a subdomain claim whose account does not use the label (left by a crashed write)', async () => {
    const { storage, view } = setUp();
    storage.claims.set('orphan', 'acme');
    expect(await view.answer(fromDr('+14255550002', 'orphan'))).toMatchObject({ action: 'reject', reason: 'UnknownSubdomain' });
  });

  it('shares one storage read among concurrent misses of one number', async () => {
    const { storage, view } = setUp();
    storage.gate = deferred();
    const answers = Array.from({ length: 20 }, () => view.answer(toZoom('+14255550001')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(storage.reads).toEqual(['number +14255550001']);
    storage.gate.resolve();
    const settled = await Promise.all(answers);
    expect(new Set(settled.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(storage.reads).toEqual(['number +14255550001', 'account acme']);
    expect(view.stats().reads).toBe(2);
  });

  it('drops the numbers a feed entry names, and an account with every subdomain mapping', async () => {
    const { storage, view } = setUp();
    await view.answer(toZoom('+14255550001'));
    await view.answer(fromDr('+14255550002', 'drlabel'));
    await view.answer(fromDr('+14255550002', 'unknownlabel'));
    storage.reads.length = 0;

    storage.numbers.set('+14255550001', number('+14255550001', 'acme', { customSipHeader: 'h2' }));
    view.apply([{ kind: 'numbers', accountName: 'acme', numbers: ['+14255550001'], atMs: 0, position: 'p1' }]);
    expect(view.answerFromMemory(toZoom('+14255550001'))).toBeUndefined();
    expect((await view.answer(toZoom('+14255550001'))).customHeader).toEqual({ name: 'X-Op', value: 'h2' });
    expect(storage.reads).toEqual(['number +14255550001']); // the account stayed cached

    storage.reads.length = 0;
    storage.claims.set('unknownlabel', 'dr');
    storage.accounts.set('dr', { name: 'dr', directRouting: { subdomain: 'unknownlabel', callScreening: true } });
    view.apply([{ kind: 'account', accountName: 'dr', numbers: [], atMs: 0, position: 'p2' }]);
    expect(await view.answer(fromDr('+14255550002', 'unknownlabel'))).toMatchObject({ action: 'route', accountName: 'dr' });
    expect(await view.answer(fromDr('+14255550002', 'drlabel'))).toMatchObject({ reason: 'UnknownSubdomain' });
    expect(storage.reads.sort()).toEqual(['account dr', 'subdomain drlabel', 'subdomain unknownlabel']);
  });

  it('does not cache a read that was in flight when its number was invalidated', async () => {
    const { storage, view } = setUp();
    await view.answer(toZoom('+14255550001')); // account cached
    view.apply([{ kind: 'numbers', accountName: 'acme', numbers: ['+14255550001'], atMs: 0, position: 'p1' }]);
    storage.gate = deferred();
    const inFlight = view.answer(toZoom('+14255550001'));
    await new Promise((resolve) => setImmediate(resolve));
    // The write lands and its feed entry arrives while the read (of the old state) is in flight.
    view.apply([{ kind: 'numbers', accountName: 'acme', numbers: ['+14255550001'], atMs: 0, position: 'p2' }]);
    storage.numbers.set('+14255550001', number('+14255550001', 'acme', { customSipHeader: 'new' }));
    storage.gate.resolve();
    await inFlight;
    storage.gate = undefined;
    expect(view.answerFromMemory(toZoom('+14255550001'))).toBeUndefined();
    expect((await view.answer(toZoom('+14255550001'))).customHeader?.value).toBe('new');
  });

  it('answers misses with the 503 reject while storage fails, and cached facts as before', async () => {
    const { storage, view } = setUp();
    const warm = await view.answer(toZoom('+14255550001'));
    storage.down = true;
    expect(await view.answer(toZoom('+14255559999'))).toBe(PROVISIONING_DATA_UNAVAILABLE);
    expect(view.storageUnavailable()).toBe(true);
    storage.reads.length = 0;
    // Known down: the next miss fails over at once instead of waiting for another read.
    expect(await view.answer(toZoom('+14255559998'))).toBe(PROVISIONING_DATA_UNAVAILABLE);
    expect(storage.reads).toEqual([]);
    expect(view.answerFromMemory(toZoom('+14255550001'))).toEqual(warm);
    expect(warn).toHaveBeenCalledTimes(1); // one line for the run of failures, not one per miss
    expect(PROVISIONING_DATA_UNAVAILABLE).toMatchObject({ action: 'reject', sipStatus: 503, reason: 'ProvisioningDataUnavailable', ttlSeconds: 0 });
  });

  it('treats a read that exceeds its deadline as a failure', async () => {
    const { storage, view } = setUp({ storageTimeoutMs: 20 });
    storage.gate = deferred();
    expect(await view.answer(toZoom('+14255550001'))).toBe(PROVISIONING_DATA_UNAVAILABLE);
    expect(view.stats().readFailures).toBe(1);
  });

  it('is unavailable while the feed is failing, and available again once a poll succeeds after a failed read', async () => {
    const feed = { healthy: false, freshAt: 0 };
    const { storage, view } = setUp({ feed });
    expect(await view.answer(toZoom('+14255550001'))).toBe(PROVISIONING_DATA_UNAVAILABLE);
    expect(storage.reads).toEqual([]);
    feed.healthy = true;
    storage.down = true;
    await view.answer(toZoom('+14255550001'));
    expect(view.storageUnavailable()).toBe(true);
    storage.down = false;
    feed.freshAt = Date.now() + 1;
    expect(view.storageUnavailable()).toBe(false);
    expect(await view.answer(toZoom('+14255550001'))).toMatchObject({ accountName: 'acme' });
  });

  it('evicts the least recently used numbers at its cap and reads them again when asked', async () => {
    const { storage, view } = setUp({ maxNumbers: 2 });
    await view.answer(toZoom('+14255550001'));
    await view.answer(toZoom('+14255550003'));
    await view.answer(toZoom('+14255550004'));
    expect(view.stats()).toMatchObject({ numbers: 2, numbersEvicted: 1 });
    storage.reads.length = 0;
    expect(view.answerFromMemory(toZoom('+14255550001'))).toBeUndefined();
    await view.answer(toZoom('+14255550001'));
    expect(storage.reads).toEqual(['number +14255550001']);
  });

  it('reset forgets everything', async () => {
    const { storage, view } = setUp();
    await view.answer(toZoom('+14255550001'));
    view.reset();
    expect(view.stats()).toMatchObject({ numbers: 0, accounts: 0, subdomains: 0, resets: 1 });
    storage.reads.length = 0;
    await view.answer(toZoom('+14255550001'));
    expect(storage.reads).toEqual(['number +14255550001', 'account acme']);
  });
});
