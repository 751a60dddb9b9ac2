/**
 * The node:http front: request id on every answer, body read once, then one of three doors — `/_sim`
 * (test control), the token endpoint, or the operator API below the prefix. Only the last two get the
 * global latency and fault injection, and only they are counted.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { handleControlCall } from './controlRoutes';
import { errorBody, SimError } from './errors';
import type { SimRequest, SimResponse } from './exchange';
import { maxHoldMs, type ActiveFault } from './faults';
import { handleOperatorCall, operatorRoutes } from './operatorRoutes';
import type { Simulation } from './simulation';
import { issueToken, TOKEN_PATH } from './tokenEndpoint';
import { nameSimulatorCall, traceSimulatorCall } from './tracing';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const TOKEN_ROUTE_KEY = 'POST /{tenant}/oauth2/v2.0/token';

const STATUS_CODES: Readonly<Record<number, string>> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

function parseJson(rawBody: string): unknown {
  if (rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw new SimError(400, 'InvalidRequestBody', 'The request body is not valid JSON.');
  }
}

/** The JSON body is parsed on first use, so a malformed body is reported after authentication, not before. */
function buildRequest(method: string, path: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, rawBody: string): SimRequest {
  let parsed: { value: unknown } | undefined;
  return {
    method,
    path,
    query,
    headers,
    rawBody,
    get body() {
      parsed ??= { value: parseJson(rawBody) };
      return parsed.value;
    },
  };
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function errorResponse(error: SimError): SimResponse {
  return { status: error.status, body: error.body(), headers: { ...error.headers, 'x-ms-error-code': error.code } };
}

function run(call: () => SimResponse): SimResponse {
  try {
    return call();
  } catch (error) {
    if (error instanceof SimError) return errorResponse(error);
    console.error('[oc simulator] handler failed:', error);
    return errorResponse(new SimError(500, 'InternalError', error instanceof Error ? error.message : String(error)));
  }
}

function send(res: http.ServerResponse, response: SimResponse): void {
  if (res.destroyed) return;
  const headers = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, { ...headers, 'content-length': '0' }).end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function belowPrefix(path: string, apiPrefix: string): string | undefined {
  if (apiPrefix === '') return path;
  if (path === apiPrefix) return '/';
  return path.startsWith(`${apiPrefix}/`) ? path.slice(apiPrefix.length) : undefined;
}

/** The answer a failing fault gives instead of the real one (or no answer at all). */
function answerWithFault(fault: ActiveFault, req: http.IncomingMessage, res: http.ServerResponse): void {
  const { spec } = fault;
  if (spec.action === 'drop') {
    req.socket.destroy();
    return;
  }
  if (spec.action === 'timeout') {
    // Hold the connection unanswered until the client gives up, or destroy it after maxHoldMs.
    const timer = setTimeout(() => req.socket.destroy(), maxHoldMs(fault));
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    return;
  }
  const status = spec.status ?? 503;
  const headers: Record<string, string> = {};
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  const body = spec.body ?? errorBody(STATUS_CODES[status] ?? 'InjectedFault', `Injected fault ${fault.id}: ${status}.`);
  send(res, { status, body, headers });
}

async function handle(sim: Simulation, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  res.setHeader('x-ms-request-id', randomUUID());
  const clientRequestId = req.headers['x-ms-client-request-id'];
  if (typeof clientRequestId === 'string') res.setHeader('x-ms-client-request-id', clientRequestId);
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const rawBody = await readBody(req);
  if (rawBody === undefined) {
    const tooLarge = errorResponse(new SimError(413, 'RequestTooLarge', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`));
    send(res, { ...tooLarge, headers: { ...tooLarge.headers, connection: 'close' } });
    return;
  }
  const path = url.pathname;
  if (path === '/_sim' || path.startsWith('/_sim/')) {
    send(res, run(() => handleControlCall(sim, buildRequest(method, path, url.searchParams, req.headers, rawBody))));
    return;
  }

  let call: () => SimResponse;
  let faultPath: string;
  const token = TOKEN_PATH.exec(path);
  const apiPath = belowPrefix(path, sim.apiPrefix);
  if (token) {
    sim.counters.countTokenCall(TOKEN_ROUTE_KEY);
    nameSimulatorCall(TOKEN_ROUTE_KEY);
    const request = buildRequest(method, path, url.searchParams, req.headers, rawBody);
    const tenant = safeDecode(token[1] as string);
    faultPath = path;
    call = () => {
      if (method !== 'POST') throw new SimError(405, 'MethodNotAllowed', 'The token endpoint takes POST.', [], { allow: 'POST' });
      return issueToken(sim, tenant, request, sim.settle());
    };
  } else if (apiPath !== undefined) {
    const request = buildRequest(method, apiPath, url.searchParams, req.headers, rawBody);
    const resolution = operatorRoutes.resolve(method, apiPath);
    const routeKey = resolution.kind === 'found' ? resolution.route.key : `${method} (unmatched)`;
    sim.counters.countApiCall(routeKey);
    nameSimulatorCall(routeKey);
    faultPath = apiPath;
    call = () => handleOperatorCall(sim, request, resolution);
  } else {
    send(res, errorResponse(new SimError(404, 'RouteNotFound', `Nothing is served at ${path}; the API is under ${sim.apiPrefix}.`)));
    return;
  }

  if (sim.settings.latencyMs > 0) await sleep(sim.settings.latencyMs);
  const fault = sim.faults.take(method, faultPath, sim.clock.now());
  if (fault?.spec.action === 'latency') await sleep(fault.spec.latencyMs ?? 0);
  const failure = fault !== undefined && fault.spec.action !== 'latency' ? fault : undefined;
  if (failure === undefined) {
    send(res, run(call));
    return;
  }
  if (failure.spec.applyRequest === true) run(call); // the work happens; only the answer is lost
  answerWithFault(failure, req, res);
}

export function createSimulatorServer(sim: Simulation): http.Server {
  return http.createServer((req, res) => {
    traceSimulatorCall(req, res, () => handle(sim, req, res)).catch((error: unknown) => {
      console.error('[oc simulator] request failed:', error);
      if (!res.headersSent) send(res, errorResponse(new SimError(500, 'InternalError', 'The simulator failed to handle the request.')));
      else res.destroy();
    });
  });
}
