/**
 * Repeatable requests (shared/contract/repeatability.ts) at unit level, behind an in-memory
 * RepeatabilityPersistence shaped like the Table Storage one (shared/store/repeatabilityStore.ts:
 * a claim is refused while a record exists, a takeover names the version it replaces, a completion
 * or a delete names the owner's version). The clock is Date.now, pinned per test; the in-progress
 * wait sleeps its real 50 ms per round while the fake store moves the pinned clock on.
 * The HTTP-level behaviour is in test/integration/conventions.test.ts ("repeatability (D17)").
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../shared/contract/errors';
import type { ApiRequest, ApiResponse } from '../../shared/contract/http';
import { rejectedApiError } from '../support/apiErrors';
import {
  requestKey,
  withRepeatability,
  type InProgressResult,
  type RepeatabilityPersistence,
  type RepeatabilityRecord,
} from '../../shared/contract/repeatability';

/** 7 December 2026 10:00:00 UTC, a whole second (HTTP dates carry seconds). */
const T = Date.UTC(2026, 11, 7, 10, 0, 0);
const WINDOW = 900;
let clock = T;

beforeEach(() => {
  clock = T;
  jest.spyOn(Date, 'now').mockImplementation(() => clock);
});
afterEach(() => {
  jest.restoreAllMocks();
});

const httpDate = (ms: number) => new Date(ms).toUTCString();

type Call = { readonly op: string; readonly args: readonly unknown[] };

/** The Table Storage semantics of shared/store/repeatabilityStore.ts, in memory, with every call recorded. */
class MemoryPersistence implements RepeatabilityPersistence {
  readonly records = new Map<string, RepeatabilityRecord>();
  readonly calls: Call[] = [];
  private versions = 0;
  /** Runs on every getRecord (a concurrent holder finishing, time passing); default: one second passes. */
  onGetRecord: (key: string) => void = () => {
    clock += 1000;
  };

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  /** Records a call; a runaway wait loop (a defect) fails the test at once instead of hanging it. */
  private record(op: string, args: readonly unknown[]): void {
    if (this.calls.length >= 40) throw new Error(`runaway loop: the store was asked more than 40 times (${op})`);
    this.calls.push({ op, args });
  }

  async getRecord(key: string): Promise<RepeatabilityRecord | undefined> {
    this.record('getRecord', [key]);
    this.onGetRecord(key);
    return this.records.get(key);
  }

  async saveInProgress(...args: [string, string, Date, string?]): Promise<InProgressResult> {
    this.record('saveInProgress', args);
    const [key, payloadHash, expiresAt, replacing] = args;
    const existing = this.records.get(key);
    if (existing !== undefined && existing.version !== replacing) return { owned: false, existing };
    const version = `v${++this.versions}`;
    this.records.set(key, { payloadHash, state: 'inProgress', expiresAt, version });
    return { owned: true, version };
  }

  async saveSuccess(...args: [string, string, string, Date, ApiResponse]): Promise<void> {
    this.record('saveSuccess', args);
    const [key, version, payloadHash, expiresAt, response] = args;
    if (this.records.get(key)?.version !== version) throw new Error('precondition failed');
    this.records.set(key, { payloadHash, state: 'completed', expiresAt, response, version: `v${++this.versions}` });
  }

  async delete(...args: [string, string]): Promise<void> {
    this.record('delete', args);
    const [key, version] = args;
    if (this.records.get(key)?.version === version) this.records.delete(key);
  }
}

interface RequestParts {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Header names lower-case as the pipeline asks for them; values verbatim (no Headers normalisation). */
function request(parts: RequestParts = {}): ApiRequest {
  const values = parts.headers ?? {};
  return {
    method: parts.method ?? 'PUT',
    url: new URL(`http://localhost${parts.path ?? '/accounts/contoso'}${parts.query ?? '?api-version=2024-02-29-preview'}`),
    params: {},
    headers: { get: (name: string) => values[name] ?? null },
    readBody: async () => Buffer.from(parts.body ?? '{"name":"contoso"}'),
  };
}

const withId = (id: string, extra: Record<string, string> = {}) => ({ 'repeatability-request-id': id, ...extra });

function executor(response: ApiResponse = { status: 201, headers: { ETag: '"e1"' }, body: { name: 'contoso' } }) {
  return jest.fn(async (): Promise<ApiResponse> => ({ ...response, headers: { ...response.headers } }));
}


const errorOf = (err: ApiError) => ({ status: err.status, code: err.code, message: err.message, target: err.target, headers: err.headers });

const rejectedBy = (message: string, target: string) => ({
  status: 400,
  code: 'RepeatabilityRejected',
  message,
  target,
  headers: { 'Repeatability-Result': 'rejected' },
});

describe('requestKey', () => {
  it('is the hex SHA-256 of the request id, never the client text itself', () => {
    expect(requestKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(requestKey('order-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey('order-1')).not.toBe(requestKey('order-2'));
  });
});

describe('without Repeatability-Request-ID', () => {
  it('executes once and returns the response untouched, without storing anything', async () => {
    const store = new MemoryPersistence();
    const response: ApiResponse = { status: 200, headers: { ETag: '"x"' }, body: { a: 1 } };
    const execute = jest.fn(async () => response);
    await expect(withRepeatability(store, request(), WINDOW, execute)).resolves.toBe(response);
    expect(response.headers).toStrictEqual({ ETag: '"x"' });
    expect(execute).toHaveBeenCalledTimes(1);
    expect(store.calls).toEqual([]);
  });

  it('refuses Repeatability-First-Sent alone, naming the missing Repeatability-Request-ID, without executing', async () => {
    const store = new MemoryPersistence();
    const execute = executor();
    const err = await rejectedApiError(withRepeatability(store, request({ headers: { 'repeatability-first-sent': httpDate(T) } }), WINDOW, execute));
    expect(errorOf(err)).toEqual(rejectedBy('Repeatability-First-Sent requires Repeatability-Request-ID.', 'Repeatability-Request-ID'));
    expect(execute).not.toHaveBeenCalled();
    expect(store.calls).toEqual([]);
  });
});

describe('Repeatability-Request-ID and Repeatability-First-Sent checks', () => {
  const idError = rejectedBy('Repeatability-Request-ID must be 1 to 256 characters.', 'Repeatability-Request-ID');

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['only a tab and a no-break space', '\t\u00a0'],
    ['257 characters', 'x'.repeat(257)],
  ])('refuses a request id that is %s, before the store is asked', async (_, id) => {
    const store = new MemoryPersistence();
    const execute = executor();
    const err = await rejectedApiError(withRepeatability(store, request({ headers: withId(id) }), WINDOW, execute));
    expect(errorOf(err)).toEqual(idError);
    expect(execute).not.toHaveBeenCalled();
    expect(store.calls).toEqual([]);
  });

  it.each([
    ['256 characters', 'x'.repeat(256)],
    ['one character', 'x'],
    ['with spaces around text', ' a b '],
  ])('accepts a request id of %s, stored under its SHA-256', async (_, id) => {
    const store = new MemoryPersistence();
    const response = await withRepeatability(store, request({ headers: withId(id) }), WINDOW, executor());
    expect(response.status).toBe(201);
    expect([...store.records.keys()]).toEqual([requestKey(id)]);
  });

  it.each(['yesterday', '2026-02-30T99:00:00Z', 'Mon, 07 Dec 2026 10:00:00'])('refuses First-Sent %p as not an HTTP date', async (firstSent) => {
    const store = new MemoryPersistence();
    const execute = executor();
    const err = await rejectedApiError(withRepeatability(store, request({ headers: withId('r1', { 'repeatability-first-sent': firstSent }) }), WINDOW, execute));
    expect(errorOf(err)).toEqual(rejectedBy('Repeatability-First-Sent must be an HTTP date.', 'Repeatability-First-Sent'));
    expect(execute).not.toHaveBeenCalled();
    expect(store.calls).toEqual([]);
  });

  it('accepts a First-Sent exactly one window old and refuses one a second older, naming the window in minutes', async () => {
    const store = new MemoryPersistence();
    const oldest = request({ headers: withId('r-old', { 'repeatability-first-sent': httpDate(T - WINDOW * 1000) }) });
    expect((await withRepeatability(store, oldest, WINDOW, executor())).status).toBe(201);

    const execute = executor();
    const stale = request({ headers: withId('r-stale', { 'repeatability-first-sent': httpDate(T - WINDOW * 1000 - 1000) }) });
    const err = await rejectedApiError(withRepeatability(store, stale, WINDOW, execute));
    expect(errorOf(err)).toEqual(rejectedBy('Repeatability-First-Sent is older than the 15-minute repeatability window.', 'Repeatability-First-Sent'));
    expect(execute).not.toHaveBeenCalled();

    const shortWindow = request({ headers: withId('r-short', { 'repeatability-first-sent': httpDate(T - 100_000) }) });
    const short = await rejectedApiError(withRepeatability(store, shortWindow, 90, execute));
    expect(short.message).toBe('Repeatability-First-Sent is older than the 1.5-minute repeatability window.');
  });

  it('accepts a First-Sent up to five minutes ahead (clock skew) and refuses one a second further', async () => {
    const store = new MemoryPersistence();
    const ahead = request({ headers: withId('r-ahead', { 'repeatability-first-sent': httpDate(T + 300_000) }) });
    expect((await withRepeatability(store, ahead, WINDOW, executor())).status).toBe(201);

    const execute = executor();
    const future = request({ headers: withId('r-future', { 'repeatability-first-sent': httpDate(T + 301_000) }) });
    const err = await rejectedApiError(withRepeatability(store, future, WINDOW, execute));
    expect(errorOf(err)).toEqual(rejectedBy('Repeatability-First-Sent is in the future.', 'Repeatability-First-Sent'));
    expect(execute).not.toHaveBeenCalled();
  });

  it('accepts First-Sent as RFC 3339 too', async () => {
    const store = new MemoryPersistence();
    const r = request({ headers: withId('r-3339', { 'repeatability-first-sent': '2026-12-07T09:59:00Z' }) });
    expect((await withRepeatability(store, r, WINDOW, executor())).status).toBe(201);
    expect(store.records.get(requestKey('r-3339'))?.expiresAt).toEqual(new Date(T - 60_000 + WINDOW * 1000));
  });
});

describe('the first request with an id', () => {
  it('claims the key until First-Sent plus the window, executes, stores the replayable part and answers accepted', async () => {
    const store = new MemoryPersistence();
    const firstSent = T - 120_000;
    const execute = executor({
      status: 201,
      headers: { ETag: '"e1"', location: 'http://localhost/accounts/contoso', 'Last-Modified': 'x', 'x-ms-client-request-id': 'c1' },
      body: { name: 'contoso' },
    });
    const response = await withRepeatability(store, request({ headers: withId('order-1', { 'repeatability-first-sent': httpDate(firstSent) }) }), WINDOW, execute);

    expect(response).toStrictEqual({
      status: 201,
      headers: {
        ETag: '"e1"',
        location: 'http://localhost/accounts/contoso',
        'Last-Modified': 'x',
        'x-ms-client-request-id': 'c1',
        'Repeatability-Result': 'accepted',
      },
      body: { name: 'contoso' },
    });
    expect(execute).toHaveBeenCalledTimes(1);
    const key = requestKey('order-1');
    const expiresAt = new Date(firstSent + WINDOW * 1000);
    expect(store.ops()).toEqual(['saveInProgress', 'saveSuccess']);
    const [claim, success] = store.calls;
    expect(claim?.args).toHaveLength(3);
    expect(claim?.args.slice(0, 1)).toEqual([key]);
    expect(claim?.args[2]).toEqual(expiresAt);
    const fingerprint = claim?.args[1];
    expect(success?.args).toStrictEqual([
      key,
      'v1',
      fingerprint,
      expiresAt,
      { status: 201, headers: { ETag: '"e1"', location: 'http://localhost/accounts/contoso' }, body: { name: 'contoso' } },
    ]);
  });

  it('without First-Sent the window starts now; a response without body is stored without one', async () => {
    const store = new MemoryPersistence();
    const execute = executor({ status: 204, headers: {} });
    const response = await withRepeatability(store, request({ method: 'DELETE', headers: withId('del-1') }), WINDOW, execute);
    expect(response).toStrictEqual({ status: 204, headers: { 'Repeatability-Result': 'accepted' } });
    const record = store.records.get(requestKey('del-1'));
    expect(record?.expiresAt).toEqual(new Date(T + WINDOW * 1000));
    expect(record?.response).toStrictEqual({ status: 204, headers: {} });
  });

  it('the fingerprint hashes method, path, the query without api-version sorted by name, and the body', async () => {
    const store = new MemoryPersistence();
    const body = '{"numbers":[]}';
    const r = request({ method: 'post', path: '/accounts/contoso:deleteNumbers', query: '?c=2&api-version=2024-02-29-preview&b=1&b=0', body, headers: withId('fp-1') });
    await withRepeatability(store, r, WINDOW, executor());
    const expected = createHash('sha256')
      .update(`POST\n/accounts/contoso:deleteNumbers\n${JSON.stringify([['b', '1'], ['b', '0'], ['c', '2']])}\n${body}`)
      .digest('hex');
    expect(store.records.get(requestKey('fp-1'))?.payloadHash).toBe(expected);
  });
});

describe('a repeat of a completed request', () => {
  async function completed(store: MemoryPersistence, parts: RequestParts) {
    await withRepeatability(store, request(parts), WINDOW, executor({ status: 201, headers: { ETag: '"e1"', 'x-other': 'y' }, body: { name: 'contoso' } }));
  }

  it('replays the stored status, headers and body with Repeatability-Result: accepted, without executing', async () => {
    const store = new MemoryPersistence();
    await completed(store, { headers: withId('rep-1') });
    const execute = executor();
    const replayed = await withRepeatability(store, request({ headers: withId('rep-1') }), WINDOW, execute);
    expect(replayed).toStrictEqual({ status: 201, headers: { ETag: '"e1"', 'Repeatability-Result': 'accepted' }, body: { name: 'contoso' } });
    expect(execute).not.toHaveBeenCalled();
    expect(store.ops()).toEqual(['saveInProgress', 'saveSuccess', 'saveInProgress']);
  });

  it('is the same request whatever the api-version, the order of query parameters or the case of the method', async () => {
    const store = new MemoryPersistence();
    await completed(store, { method: 'PUT', query: '?api-version=2024-02-29-preview&a=1&b=2', headers: withId('rep-2') });
    const execute = executor();
    const replayed = await withRepeatability(store, request({ method: 'put', query: '?b=2&a=1&api-version=2099-01-01', headers: withId('rep-2') }), WINDOW, execute);
    expect(replayed.headers['Repeatability-Result']).toBe('accepted');
    expect(execute).not.toHaveBeenCalled();
  });

  it.each<[string, RequestParts]>([
    ['method', { method: 'POST' }],
    ['path', { path: '/accounts/contoso2' }],
    ['query value', { query: '?api-version=2024-02-29-preview&a=2' }],
    ['query name', { query: '?api-version=2024-02-29-preview&b=1' }],
    ['body', { body: '{"name":"contoso","correlationId":"x"}' }],
  ])('the same id with a different %s is 409 RepeatabilityRequestIdReused, not executed', async (_, different) => {
    const store = new MemoryPersistence();
    await completed(store, { query: '?api-version=2024-02-29-preview&a=1', headers: withId('rep-3') });
    const execute = executor();
    const parts: RequestParts = { query: '?api-version=2024-02-29-preview&a=1', ...different, headers: withId('rep-3') };
    const err = await rejectedApiError(withRepeatability(store, request(parts), WINDOW, execute));
    expect(errorOf(err)).toEqual({
      status: 409,
      code: 'RepeatabilityRequestIdReused',
      message: 'This Repeatability-Request-ID was already used for a different request.',
      target: 'Repeatability-Request-ID',
      headers: undefined,
    });
    expect(execute).not.toHaveBeenCalled();
  });
});

describe('an expired record', () => {
  function storeWith(expiresAt: number, payloadHash: string) {
    const store = new MemoryPersistence();
    store.records.set(requestKey('old-1'), { payloadHash, state: 'completed', expiresAt: new Date(expiresAt), response: { status: 200, headers: {} }, version: 'old' });
    return store;
  }

  it('one expired a millisecond ago is taken over by its version, and the new request executes', async () => {
    const store = storeWith(T - 1, 'someone else');
    const execute = executor();
    const response = await withRepeatability(store, request({ headers: withId('old-1') }), WINDOW, execute);
    expect(response.status).toBe(201);
    expect(execute).toHaveBeenCalledTimes(1);
    expect(store.ops()).toEqual(['saveInProgress', 'saveInProgress', 'saveSuccess']);
    expect(store.calls[1]?.args[3]).toBe('old');
    expect(store.calls[2]?.args[1]).toBe('v1');
    expect(store.records.get(requestKey('old-1'))?.state).toBe('completed');
  });

  it('one expiring right now still counts: a different request is refused', async () => {
    const store = storeWith(T, 'someone else');
    const err = await rejectedApiError(withRepeatability(store, request({ headers: withId('old-1') }), WINDOW, executor()));
    expect(err.code).toBe('RepeatabilityRequestIdReused');
    expect(store.ops()).toEqual(['saveInProgress']);
  });
});

describe('a repeat while the first request is still running', () => {
  /** A record of the same request, in progress, claimed by someone else. */
  async function inProgress(store: MemoryPersistence, id: string) {
    const r = request({ headers: withId(id) });
    await store.saveInProgress(requestKey(id), await fingerprintFrom(r), new Date(T + 3_600_000));
    store.calls.length = 0;
  }
  /** The fingerprint the module computes, read from a throw-away store. */
  async function fingerprintFrom(r: ApiRequest): Promise<string> {
    const scratch = new MemoryPersistence();
    await withRepeatability(scratch, r, WINDOW, executor());
    return String(scratch.calls[0]?.args[1]);
  }

  it('waits and replays once the first completes, without executing', async () => {
    const store = new MemoryPersistence();
    await inProgress(store, 'run-1');
    const key = requestKey('run-1');
    store.onGetRecord = () => {
      const held = store.records.get(key);
      if (held !== undefined) store.records.set(key, { ...held, state: 'completed', response: { status: 200, headers: { ETag: '"done"' }, body: [1] } });
    };
    const execute = executor();
    const replayed = await withRepeatability(store, request({ headers: withId('run-1') }), WINDOW, execute);
    expect(replayed).toStrictEqual({ status: 200, headers: { ETag: '"done"', 'Repeatability-Result': 'accepted' }, body: [1] });
    expect(execute).not.toHaveBeenCalled();
    expect(store.ops()).toEqual(['saveInProgress', 'getRecord']);
  });

  it('a completed record without a stored response is waited on like one in progress', async () => {
    const store = new MemoryPersistence();
    await inProgress(store, 'run-2');
    const key = requestKey('run-2');
    const held = store.records.get(key);
    if (held === undefined) throw new Error('no record');
    store.records.set(key, { ...held, state: 'completed' });
    let rounds = 0;
    store.onGetRecord = () => {
      rounds++;
      if (rounds === 2) store.records.set(key, { ...held, state: 'completed', response: { status: 204, headers: {} } });
    };
    const replayed = await withRepeatability(store, request({ headers: withId('run-2') }), WINDOW, executor());
    expect(replayed).toStrictEqual({ status: 204, headers: { 'Repeatability-Result': 'accepted' } });
    expect(store.ops()).toEqual(['saveInProgress', 'getRecord', 'getRecord']);
  });

  it('executes itself when the first failed and forgot its claim', async () => {
    const store = new MemoryPersistence();
    await inProgress(store, 'run-3');
    store.onGetRecord = (key) => {
      store.records.delete(key);
    };
    const execute = executor();
    const response = await withRepeatability(store, request({ headers: withId('run-3') }), WINDOW, execute);
    expect(response.headers['Repeatability-Result']).toBe('accepted');
    expect(execute).toHaveBeenCalledTimes(1);
    expect(store.ops()).toEqual(['saveInProgress', 'getRecord', 'saveInProgress', 'saveSuccess']);
    expect(store.calls[2]?.args).toHaveLength(3);
    expect(store.calls[2]?.args[2]).toEqual(new Date(T + WINDOW * 1000));
  });

  it('gives up after five seconds with 409 RepeatabilityRequestInProgress and Retry-After: 1, having asked again each round', async () => {
    const store = new MemoryPersistence();
    await inProgress(store, 'run-4');
    const execute = executor();
    const err = await rejectedApiError(withRepeatability(store, request({ headers: withId('run-4') }), WINDOW, execute));
    expect(errorOf(err)).toEqual({
      status: 409,
      code: 'RepeatabilityRequestInProgress',
      message: 'A request with this Repeatability-Request-ID is still being processed; retry later.',
      target: undefined,
      headers: { 'Retry-After': '1' },
    });
    expect(execute).not.toHaveBeenCalled();
    // One second passes per round: asked at 0..5 s (5 s is not past the deadline), refused at 6 s.
    expect(store.ops()).toEqual(['saveInProgress', ...Array<string>(6).fill('getRecord')]);
  });
});

describe('a failed execution', () => {
  it('forgets the claim and rethrows, so a retry with the same id executes', async () => {
    const store = new MemoryPersistence();
    const failure = new ApiError(400, 'InvalidRequestContent', 'bad body');
    const failing = jest.fn(async (): Promise<ApiResponse> => {
      throw failure;
    });
    await expect(withRepeatability(store, request({ headers: withId('fail-1') }), WINDOW, failing)).rejects.toBe(failure);
    expect(store.ops()).toEqual(['saveInProgress', 'delete']);
    expect(store.calls[1]?.args).toEqual([requestKey('fail-1'), 'v1']);
    expect(store.records.size).toBe(0);

    const execute = executor();
    expect((await withRepeatability(store, request({ headers: withId('fail-1') }), WINDOW, execute)).status).toBe(201);
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('rethrows the execution error even when forgetting the claim fails too', async () => {
    const store = new MemoryPersistence();
    store.delete = async () => {
      throw new Error('storage down');
    };
    const failure = new Error('outage');
    await expect(
      withRepeatability(store, request({ headers: withId('fail-2') }), WINDOW, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
});
