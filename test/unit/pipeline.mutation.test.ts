/**
 * The request pipeline (shared/contract/pipeline.ts handleRequest) at unit level, with fake ports:
 * an authorizer shaped like shared/auth/authorizer.ts (401 without the token, 403 without the
 * permission), an in-memory repeatability store, a failure mapper shaped like
 * shared/store/storageErrors.ts (a storage 5xx is a 503 with Retry-After), and operations recording
 * what the pipeline asked of them. Covers the limits checked first (URL, header lengths,
 * x-ms-client-request-id), the order route → api-version → authorization → repeatability →
 * command → run, the error mapping, the echoed client request id and the log context.
 * The same order over HTTP: test/integration/pipelineOrder.test.ts.
 */
import { ApiError, ErrorCode } from '../../shared/contract/errors';
import type { ApiRequest, ApiResponse } from '../../shared/contract/http';
import { logContext, type LogContext } from '../../shared/log/logger';
import {
  MAX_CLIENT_REQUEST_ID,
  MAX_URL_LENGTH,
  configurePipeline,
  echoableClientRequestId,
  errorResponse,
  handleRequest,
  toApiError,
  type Operation,
} from '../../shared/contract/pipeline';
import type { InProgressResult, RepeatabilityPersistence, RepeatabilityRecord } from '../../shared/contract/repeatability';

const T = Date.UTC(2026, 11, 7, 10, 0, 0);
const V = 'api-version=2024-02-29-preview';

/** Minimal Table-Storage-like repeatability store: a claim is refused while a record exists. */
class MemoryRepeatability implements RepeatabilityPersistence {
  readonly records = new Map<string, RepeatabilityRecord>();
  readonly claims: { key: string; expiresAt: Date }[] = [];
  readonly deleted: string[] = [];
  private asked = 0;
  /** A runaway wait loop (a defect) fails the test at once instead of hanging it. */
  private ask(): void {
    if (++this.asked > 40) throw new Error('runaway loop: the store was asked more than 40 times');
  }
  async getRecord(key: string): Promise<RepeatabilityRecord | undefined> {
    this.ask();
    return this.records.get(key);
  }
  async saveInProgress(key: string, payloadHash: string, expiresAt: Date): Promise<InProgressResult> {
    this.ask();
    this.claims.push({ key, expiresAt });
    const existing = this.records.get(key);
    if (existing !== undefined) return { owned: false, existing };
    this.records.set(key, { payloadHash, state: 'inProgress', expiresAt, version: 'v1' });
    return { owned: true, version: 'v1' };
  }
  async saveSuccess(key: string, version: string, payloadHash: string, expiresAt: Date, response: ApiResponse): Promise<void> {
    this.records.set(key, { payloadHash, state: 'completed', expiresAt, response, version: `${version}+` });
  }
  async delete(key: string): Promise<void> {
    this.deleted.push(key);
    this.records.delete(key);
  }
}

/** What reached the ports and the operation, in order. */
let events: string[];
let store: MemoryRepeatability;
let windowSeconds: number;
let authorized: { operationId: string; authorization: string | null }[];

class StorageOutage extends Error {
  readonly statusCode = 503;
}

beforeEach(() => {
  events = [];
  authorized = [];
  store = new MemoryRepeatability();
  windowSeconds = 900;
  jest.spyOn(Date, 'now').mockImplementation(() => T);
  configurePipeline({
    authorizer: async (req, operationId) => {
      events.push('authorize');
      authorized.push({ operationId, authorization: req.headers.get('authorization') });
      const token = req.headers.get('authorization');
      if (token === null) {
        throw new ApiError(401, ErrorCode.Unauthorized, 'A bearer token is required.', { headers: { 'WWW-Authenticate': 'Bearer' } });
      }
      if (token !== 'Bearer writer') throw new ApiError(403, ErrorCode.Forbidden, `The token does not grant ${operationId}.`);
    },
    repeatability: store,
    failures: (err) =>
      err instanceof StorageOutage ? new ApiError(503, ErrorCode.ServiceUnavailable, 'Storage is unavailable.', { headers: { 'Retry-After': '5' } }) : undefined,
    repeatabilityWindowSeconds: () => windowSeconds,
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

function request(path: string, headers: Record<string, string> = {}, method = 'PUT'): ApiRequest {
  return {
    method,
    url: new URL(`http://localhost${path}`),
    params: {},
    headers: new Headers(headers),
    readBody: async () => {
      events.push('readBody');
      return Buffer.from('{"name":"contoso"}');
    },
  };
}

const writer = (extra: Record<string, string> = {}) => ({ authorization: 'Bearer writer', ...extra });

interface FakeOperation extends Operation<string> {
  readonly contexts: LogContext[];
}

/** An operation whose command reads the body (as parsing does) and whose run answers 200 with the command. */
function operation(options: { repeatable?: boolean; accountName?: string; command?: () => Promise<string>; run?: (c: string) => Promise<ApiResponse> } = {}): FakeOperation {
  const contexts: LogContext[] = [];
  return {
    operationId: 'Accounts_CreateOrReplace',
    repeatable: options.repeatable ?? false,
    ...(options.accountName !== undefined ? { accountName: options.accountName } : {}),
    contexts,
    async command(req) {
      events.push('command');
      contexts.push(logContext());
      if (options.command !== undefined) return options.command();
      return (await req.readBody()).toString();
    },
    async run(command) {
      events.push(`run:${command}`);
      contexts.push(logContext());
      if (options.run !== undefined) return options.run(command);
      return { status: 200, headers: { ETag: '"e1"' }, body: { command } };
    },
  };
}

const resolveTo = (op: Operation) => (req: ApiRequest) => {
  events.push(`resolve ${req.method}`);
  return op as Operation;
};

function captureErrors() {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  return () => spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
}

const errorBody = (code: string, message: string, target?: string) => ({ error: { code, message, ...(target !== undefined ? { target } : {}) } });

describe('echoableClientRequestId', () => {
  const headers = (value?: string) => new Headers(value === undefined ? {} : { 'x-ms-client-request-id': value });

  it('is the header up to 256 characters, undefined when absent or longer', () => {
    expect(MAX_CLIENT_REQUEST_ID).toBe(256);
    expect(echoableClientRequestId(headers())).toBeUndefined();
    expect(echoableClientRequestId(headers('c-1'))).toBe('c-1');
    expect(echoableClientRequestId(headers('c'.repeat(256)))).toBe('c'.repeat(256));
    expect(echoableClientRequestId(headers('c'.repeat(257)))).toBeUndefined();
    expect(echoableClientRequestId({ get: () => '' })).toBe('');
  });
});

describe('limits checked before anything else', () => {
  it('a path plus query of exactly 8,192 characters is served', async () => {
    expect(MAX_URL_LENGTH).toBe(8192);
    const query = `?${V}&pad=`;
    const path = `/accounts/${'a'.repeat(4000)}`;
    const pad = 'p'.repeat(8192 - path.length - query.length);
    const response = await handleRequest(request(`${path}${query}${pad}`, writer()), resolveTo(operation()));
    expect(response.status).toBe(200);
  });

  it.each([
    ['the query', 100],
    ['the path', 8000],
  ])('one character more, most of it in %s, is 400 RequestUrlTooLong before routing, the client request id echoed', async (_, pathLength) => {
    const path = `/${'a'.repeat(pathLength - 1)}`;
    const query = `?${V}&pad=`;
    const url = `${path}${query}${'p'.repeat(8193 - path.length - query.length)}`;
    const response = await handleRequest(request(url, writer({ 'x-ms-client-request-id': 'c-1' })), resolveTo(operation()));
    expect(response).toStrictEqual({
      status: 400,
      headers: { 'x-ms-error-code': 'RequestUrlTooLong', 'x-ms-client-request-id': 'c-1' },
      body: errorBody('RequestUrlTooLong', 'The URL path and query are 8193 characters long; the limit is 8192.'),
    });
    expect(events).toEqual([]);
  });

  it('the URL is checked before the header lengths', async () => {
    const url = `/accounts/x?${V}&pad=${'p'.repeat(8192)}`;
    const response = await handleRequest(request(url, writer({ 'if-match': 'x'.repeat(8193) })), resolveTo(operation()));
    expect(response.headers['x-ms-error-code']).toBe('RequestUrlTooLong');
  });

  const limited = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'repeatability-request-id', 'repeatability-first-sent', 'content-type'];

  it.each(limited)('%s longer than 8,192 characters is 400 InvalidHeader naming it, before routing, the client request id echoed', async (name) => {
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ [name]: 'x'.repeat(8193), 'x-ms-client-request-id': 'c-8' })), resolveTo(operation()));
    expect(response).toStrictEqual({
      status: 400,
      headers: { 'x-ms-error-code': 'InvalidHeader', 'x-ms-client-request-id': 'c-8' },
      body: errorBody('InvalidHeader', `Header ${name} is too long.`, name),
    });
    expect(events).toEqual([]);
  });

  it('an x-ms-client-request-id longer than 8,192 characters is 400 InvalidHeader by the same rule, and not echoed', async () => {
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'x'.repeat(8193) })), resolveTo(operation()));
    expect(response).toStrictEqual({
      status: 400,
      headers: { 'x-ms-error-code': 'InvalidHeader' },
      body: errorBody('InvalidHeader', 'Header x-ms-client-request-id is too long.', 'x-ms-client-request-id'),
    });
    expect(events).toEqual([]);
  });

  it.each(limited)('%s of exactly 8,192 characters passes the edge (the operation sees it)', async (name) => {
    const seen: (string | null)[] = [];
    const op = operation({ command: async () => 'c' });
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ [name]: 'y'.repeat(8192) })), (req) => {
      seen.push(req.headers.get(name));
      return op;
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['y'.repeat(8192)]);
  });

  it('an x-ms-client-request-id of 257 characters is 400 InvalidHeader and not echoed; 256 are echoed', async () => {
    const long = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'c'.repeat(257) })), resolveTo(operation()));
    expect(long).toStrictEqual({
      status: 400,
      headers: { 'x-ms-error-code': 'InvalidHeader' },
      body: errorBody('InvalidHeader', 'x-ms-client-request-id must be at most 256 characters.', 'x-ms-client-request-id'),
    });
    expect(events).toEqual([]);
    const fits = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'c'.repeat(256) })), resolveTo(operation()));
    expect(fits.status).toBe(200);
    expect(fits.headers['x-ms-client-request-id']).toBe('c'.repeat(256));
  });
});

describe('a request that passes every step', () => {
  it('resolves, checks the api-version, authorizes, builds the command (reading the body) and runs it', async () => {
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'c-1' })), resolveTo(operation()));
    expect(response).toStrictEqual({
      status: 200,
      headers: { ETag: '"e1"', 'x-ms-client-request-id': 'c-1' },
      body: { command: '{"name":"contoso"}' },
    });
    expect(events).toEqual(['resolve PUT', 'authorize', 'command', 'readBody', 'run:{"name":"contoso"}']);
    expect(authorized).toEqual([{ operationId: 'Accounts_CreateOrReplace', authorization: 'Bearer writer' }]);
  });

  it('without x-ms-client-request-id the answer gets no such header', async () => {
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer()), resolveTo(operation()));
    expect(response.headers).toStrictEqual({ ETag: '"e1"' });
  });

  it('the command and the run log with the operation, the client request id and the account', async () => {
    const op = operation({ accountName: 'contoso' });
    await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'c-9' })), resolveTo(op));
    const expected = { operation: 'Accounts_CreateOrReplace', clientRequestId: 'c-9', accountName: 'contoso' };
    expect(op.contexts).toEqual([expected, expected]);
    const bare = operation();
    await handleRequest(request(`/accounts?${V}`, writer()), resolveTo(bare));
    expect(bare.contexts).toStrictEqual([{ operation: 'Accounts_CreateOrReplace' }, { operation: 'Accounts_CreateOrReplace' }]);
  });
});

describe('the order of the checks', () => {
  it('a route error (405 with Allow) comes first: no api-version check, no authorization; the client request id is echoed', async () => {
    const response = await handleRequest(request('/accounts/contoso', { 'x-ms-client-request-id': 'c-2' }, 'PATCH'), () => {
      throw new ApiError(405, ErrorCode.MethodNotAllowed, 'PATCH is not supported on this resource; use GET, PUT, DELETE.', { headers: { Allow: 'GET, PUT, DELETE' } });
    });
    expect(response).toStrictEqual({
      status: 405,
      headers: { 'x-ms-error-code': 'MethodNotAllowed', Allow: 'GET, PUT, DELETE', 'x-ms-client-request-id': 'c-2' },
      body: errorBody('MethodNotAllowed', 'PATCH is not supported on this resource; use GET, PUT, DELETE.'),
    });
    expect(events).toEqual([]);
  });

  it.each([
    ['missing', '', 'MissingApiVersion'],
    ['unsupported', '?api-version=1999-01-01', 'UnsupportedApiVersion'],
  ])('an api-version %s is refused before authorization (no token needed to learn it)', async (_, query, code) => {
    const response = await handleRequest(request(`/accounts/contoso${query}`), resolveTo(operation()));
    expect([response.status, response.headers['x-ms-error-code']]).toEqual([400, code]);
    expect(events).toEqual(['resolve PUT']);
  });

  it('no token is 401 with WWW-Authenticate; the body is never read', async () => {
    const response = await handleRequest(request(`/accounts/contoso?${V}`), resolveTo(operation({ repeatable: true })));
    expect(response).toStrictEqual({
      status: 401,
      headers: { 'x-ms-error-code': 'Unauthorized', 'WWW-Authenticate': 'Bearer' },
      body: errorBody('Unauthorized', 'A bearer token is required.'),
    });
    expect(events).toEqual(['resolve PUT', 'authorize']);
  });

  it('a token without the permission is 403 before a bad Repeatability-First-Sent is looked at', async () => {
    const headers = { authorization: 'Bearer reader', 'repeatability-request-id': 'r1', 'repeatability-first-sent': 'yesterday' };
    const response = await handleRequest(request(`/accounts/contoso?${V}`, headers), resolveTo(operation({ repeatable: true })));
    expect([response.status, response.body]).toEqual([403, errorBody('Forbidden', 'The token does not grant Accounts_CreateOrReplace.')]);
    expect(store.claims).toEqual([]);
  });

  it('on a repeatable operation a bad Repeatability-First-Sent is refused before the command (preconditions, body)', async () => {
    const headers = writer({ 'repeatability-request-id': 'r1', 'repeatability-first-sent': 'yesterday', 'x-ms-client-request-id': 'c-3' });
    const response = await handleRequest(request(`/accounts/contoso?${V}`, headers), resolveTo(operation({ repeatable: true })));
    expect(response).toStrictEqual({
      status: 400,
      headers: { 'x-ms-error-code': 'RepeatabilityRejected', 'Repeatability-Result': 'rejected', 'x-ms-client-request-id': 'c-3' },
      body: errorBody('RepeatabilityRejected', 'Repeatability-First-Sent must be an HTTP date.', 'Repeatability-First-Sent'),
    });
    expect(events).toEqual(['resolve PUT', 'authorize']);
  });

  it('on an operation that is not repeatable the repeatability headers are ignored', async () => {
    const headers = writer({ 'repeatability-request-id': 'r1', 'repeatability-first-sent': 'yesterday' });
    const response = await handleRequest(request(`/accounts/contoso?${V}`, headers, 'GET'), resolveTo(operation()));
    expect(response).toStrictEqual({ status: 200, headers: { ETag: '"e1"' }, body: { command: '{"name":"contoso"}' } });
    expect(store.claims).toEqual([]);
  });

  it('a precondition refused by the command is its own answer; nothing runs and the repeatability claim is forgotten', async () => {
    const op = operation({
      repeatable: true,
      command: async () => {
        throw new ApiError(400, ErrorCode.InvalidHeader, 'If-Match must be "*" or a comma-separated list of entity tags such as "abc" or W/"abc".', { target: 'If-Match' });
      },
    });
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'repeatability-request-id': 'r2' })), resolveTo(op));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('InvalidHeader', 'If-Match must be "*" or a comma-separated list of entity tags such as "abc" or W/"abc".', 'If-Match'));
    // The body is read once, for the repeatability fingerprint; the failed command is not remembered.
    expect(events).toEqual(['resolve PUT', 'authorize', 'readBody', 'command']);
    expect(store.deleted).toHaveLength(1);
    expect(store.records.size).toBe(0);
  });
});

describe('repeatable operations', () => {
  it('remember the answer for the window the port gives, and a repeat is replayed without building or running the command', async () => {
    windowSeconds = 600;
    const headers = writer({ 'repeatability-request-id': 'r3', 'x-ms-client-request-id': 'c-4' });
    const first = await handleRequest(request(`/accounts/contoso?${V}`, headers), resolveTo(operation({ repeatable: true })));
    expect(first).toStrictEqual({
      status: 200,
      headers: { ETag: '"e1"', 'Repeatability-Result': 'accepted', 'x-ms-client-request-id': 'c-4' },
      body: { command: '{"name":"contoso"}' },
    });
    expect(store.claims.map((c) => c.expiresAt)).toEqual([new Date(T + 600_000)]);

    events = [];
    const again = await handleRequest(request(`/accounts/contoso?${V}`, { ...headers, 'x-ms-client-request-id': 'c-5' }), resolveTo(operation({ repeatable: true })));
    expect(again).toStrictEqual({
      status: 200,
      headers: { ETag: '"e1"', 'Repeatability-Result': 'accepted', 'x-ms-client-request-id': 'c-5' },
      body: { command: '{"name":"contoso"}' },
    });
    expect(events).toEqual(['resolve PUT', 'authorize', 'readBody']);
  });
});

describe('error mapping', () => {
  it('a failure the port recognises (storage outage) gets its answer, with its headers', async () => {
    const op = operation({
      run: async () => {
        throw new StorageOutage('ECONNRESET');
      },
    });
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'c-6' })), resolveTo(op));
    expect(response).toStrictEqual({
      status: 503,
      headers: { 'x-ms-error-code': 'ServiceUnavailable', 'Retry-After': '5', 'x-ms-client-request-id': 'c-6' },
      body: errorBody('ServiceUnavailable', 'Storage is unavailable.'),
    });
  });

  it('any other failure is a logged 500 InternalError that leaks nothing', async () => {
    const lines = captureErrors();
    const defect = new TypeError('secret detail');
    const op = operation({
      run: async () => {
        throw defect;
      },
    });
    const response = await handleRequest(request(`/accounts/contoso?${V}`, writer({ 'x-ms-client-request-id': 'c-7' })), resolveTo(op));
    expect(response).toStrictEqual({
      status: 500,
      headers: { 'x-ms-error-code': 'InternalError', 'x-ms-client-request-id': 'c-7' },
      body: errorBody('InternalError', 'The service failed to process the request.'),
    });
    expect(lines()).toEqual([{ level: 'error', event: 'unhandled.error', error: 'secret detail', stack: defect.stack }]);
  });

  it('toApiError: an ApiError is its own answer; the mapper sees other failures; a non-Error carries no stack', () => {
    const lines = captureErrors();
    const own = new ApiError(409, ErrorCode.Conflict, 'changed');
    expect(toApiError(own)).toBe(own);
    expect(toApiError(new StorageOutage('down')).status).toBe(503);
    const fromObject = toApiError({ message: 'not an Error', stack: 'fake stack' });
    const fromString = toApiError('plain text');
    for (const err of [fromObject, fromString]) expect([err.status, err.code, err.message]).toEqual([500, 'InternalError', 'The service failed to process the request.']);
    expect(lines()).toEqual([
      { level: 'error', event: 'unhandled.error', error: '[object Object]' },
      { level: 'error', event: 'unhandled.error', error: 'plain text' },
    ]);
  });

  it('errorResponse: status, x-ms-error-code then the error headers, and the ErrorResponse body', () => {
    expect(errorResponse(new ApiError(404, ErrorCode.AccountNotFound, 'No account contoso.', { target: 'accountName' }))).toStrictEqual({
      status: 404,
      headers: { 'x-ms-error-code': 'AccountNotFound' },
      body: errorBody('AccountNotFound', 'No account contoso.', 'accountName'),
    });
    expect(errorResponse(new ApiError(409, ErrorCode.RepeatabilityRequestInProgress, 'busy', { headers: { 'Retry-After': '1' } })).headers).toStrictEqual({
      'x-ms-error-code': 'RepeatabilityRequestInProgress',
      'Retry-After': '1',
    });
  });
});

describe('before configurePipeline', () => {
  it('a request is a logged 500 naming the missing configuration, and failures map without a mapper', async () => {
    const lines = captureErrors();
    let fresh: typeof import('../../shared/contract/pipeline') | undefined;
    jest.isolateModules(() => {
      fresh = require('../../shared/contract/pipeline') as typeof import('../../shared/contract/pipeline');
    });
    if (fresh === undefined) throw new Error('pipeline not loaded');
    const response = await fresh.handleRequest(request(`/accounts/contoso?${V}`, writer()), resolveTo(operation()));
    expect([response.status, response.headers['x-ms-error-code']]).toEqual([500, 'InternalError']);
    expect(fresh.toApiError(new StorageOutage('down')).status).toBe(500);
    expect(lines().map((l) => l.error)).toEqual(['The request pipeline is not configured (functions/index.ts calls configurePipeline).', 'down']);
    expect(events).toEqual(['resolve PUT']);
  });
});
