/**
 * Serves every captured httpTrigger registration on a plain node:http server, like the host's
 * HTTP front end: route table from host.json's routePrefix, 404/405, body cap, HttpRequest in,
 * HttpResponse (or HttpResponseInit) out, streamed. The request body is streamed to the function
 * as it asks for it (what `app.setup({ enableHttpStream: true })` gives in Azure), never buffered
 * here; answers the host gives itself are Azure.Core errors (edgeAnswers.ts).
 */
import http from 'node:http';
import { once } from 'node:events';
import { Cookie, HttpRequest, HttpResponse, type HttpRequestInit } from '@azure/functions';
import { ErrorCode } from '../../shared/contract/errors';
import { answerClientError, MAX_HEADER_BYTES, sendEdgeError } from './edgeAnswers';
import { registry } from './fakeCore';
import { invokeFunction, triggerOf } from './invoke';
import { buildRouteTable, readRoutePrefix, RouteDefinition, RouteTable } from './routes';

/** The host's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT default: 104857600 bytes. */
const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

export function httpRouteDefinitions(): RouteDefinition[] {
  const definitions: RouteDefinition[] = [];
  for (const registration of registry.values()) {
    const trigger = triggerOf(registration);
    if (trigger.type !== 'httpTrigger') continue;
    definitions.push({
      functionName: registration.name,
      route: typeof trigger.route === 'string' ? trigger.route : registration.name,
      methods: Array.isArray(trigger.methods) ? trigger.methods.map((m) => String(m).toUpperCase()) : [],
    });
  }
  return definitions;
}

function maxBodyBytes(): number {
  const configured = Number(process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_BODY_BYTES;
}

function sendInternalError(res: http.ServerResponse, message: string, close = false): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name); // whatever a failed response had set
  if (close) res.shouldKeepAlive = false;
  const body = JSON.stringify({ error: { code: 'InternalError', message } });
  res
    .writeHead(500, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-ms-error-code': 'InternalError',
    })
    .end(body);
}

/** The host's cap while streaming: the error the function's body reader sees (shared/contract/body.ts). */
function overCap(limit: number): Error {
  return Object.assign(new Error(`The request body exceeds the host's limit of ${limit} bytes.`), { code: ErrorCode.RequestBodyTooLarge });
}

/**
 * The body as the function pulls it, counted against the host's cap. Returning early (the function
 * stopped reading) leaves the socket open so the answer can still be written; the connection is
 * then closed after it (see handle) rather than reading the rest.
 */
async function* streamedBody(req: http.IncomingMessage, limit: number, onOverCap: () => void): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      onOverCap();
      throw overCap(limit);
    }
    yield chunk;
  }
}

/**
 * The HttpRequest over the live request stream, as the library builds it when HTTP streaming is
 * enabled (createStreamRequest in @azure/functions): a fetch Request with a pull-based body, passed
 * through the init's internal `nativeRequest` key. Nothing is read until the handler reads the body.
 */
function streamedRequest(req: http.IncomingMessage, url: URL, params: Record<string, string>, hasBody: boolean, onOverCap: () => void): HttpRequest {
  const method = req.method ?? 'GET';
  const withBody = hasBody && method !== 'GET' && method !== 'HEAD';
  const nativeRequest = new Request(url, {
    method,
    headers: requestHeaders(req),
    ...(withBody ? { body: streamedBody(req, maxBodyBytes(), onOverCap) as unknown as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  return new HttpRequest({ nativeRequest, params } as unknown as HttpRequestInit);
}

function requestHeaders(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The host serialises `cookies` into Set-Cookie headers; so do we. */
function serializeCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}

/** What the library does with a handler's return value (converters/toRpcHttp.ts). */
function toHttpResponse(result: unknown): HttpResponse {
  if (result instanceof HttpResponse) return result;
  if (result === undefined || result === null) return new HttpResponse({ status: 204 }); // host behaviour unverified
  if (typeof result !== 'object') {
    throw new Error('The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".');
  }
  return new HttpResponse(result);
}

function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/**
 * Status, headers, then the body. A body that is complete right away (jsonBody, string, buffer) gets a
 * content-length; anything still producing after its first chunk is streamed chunked as it comes.
 */
async function writeResponse(req: http.IncomingMessage, res: http.ServerResponse, out: HttpResponse): Promise<void> {
  res.statusCode = out.status;
  out.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const setCookies = [...out.headers.getSetCookie(), ...out.cookies.map(serializeCookie)];
  if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);

  if (!out.body || req.method === 'HEAD') {
    if (out.body) await out.body.cancel();
    res.end();
    return;
  }
  const reader = out.body.getReader();
  const first = await reader.read();
  if (first.done) {
    if (!res.hasHeader('content-length')) res.setHeader('content-length', '0');
    res.end();
    return;
  }
  const pending = Symbol('pending');
  let next = reader.read();
  const second = await Promise.race([next, new Promise<typeof pending>((r) => setImmediate(() => r(pending)))]);
  if (second !== pending && second.done) {
    if (!res.hasHeader('content-length')) res.setHeader('content-length', String(first.value.byteLength));
    res.end(first.value);
    return;
  }
  res.write(first.value);
  for (;;) {
    const chunk = await next;
    if (chunk.done) break;
    if (res.destroyed) {
      await reader.cancel();
      return;
    }
    if (!res.write(chunk.value)) await drainedOrClosed(res);
    next = reader.read();
  }
  res.end();
}

/** A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3): nothing to wait for. */
function hasNoBody(req: http.IncomingMessage): boolean {
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) return false;
  req.resume();
  return true;
}

/**
 * Fast path for the common HttpResponseInit `{ status, headers, body: string | Buffer }` with its
 * content type set: written as is, which is exactly what the conversion through HttpResponse and a
 * body stream would produce, without its cost (~30 µs a response; it matters to the lookup).
 * Anything else (jsonBody, cookies, streams, Headers objects, no content type) takes the full path.
 */
function writePlainResult(req: http.IncomingMessage, res: http.ServerResponse, result: unknown): boolean {
  if (typeof result !== 'object' || result === null || result instanceof HttpResponse) return false;
  const init = result as { status?: unknown; headers?: unknown; body?: unknown; jsonBody?: unknown; cookies?: unknown; enableContentNegotiation?: unknown };
  if (init.jsonBody !== undefined || init.cookies !== undefined || init.enableContentNegotiation !== undefined) return false;
  if (typeof init.body !== 'string' && !Buffer.isBuffer(init.body)) return false;
  const headers = init.headers;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.getPrototypeOf(headers) !== Object.prototype) return false;
  const plain = headers as Record<string, unknown>;
  let hasContentType = false;
  for (const [name, value] of Object.entries(plain)) {
    if (typeof value !== 'string') return false;
    const lower = name.toLowerCase();
    if (lower === 'content-type') hasContentType = true;
    if (lower === 'content-length' || lower === 'set-cookie' || lower === 'transfer-encoding') return false;
  }
  if (!hasContentType) return false;
  const status = init.status === undefined ? 200 : init.status;
  if (typeof status !== 'number') return false;
  // A string body goes out as a string: Node sends the header block and a string body in one write.
  const length = typeof init.body === 'string' ? Buffer.byteLength(init.body) : init.body.length;
  res.writeHead(status, { ...(plain as Record<string, string>), 'content-length': String(length) });
  if (req.method === 'HEAD') res.end();
  else res.end(init.body);
  return true;
}

/** `.` / `..` segments, also percent-encoded or after a backslash: URL parsing would resolve them to another route. */
function hasDotSegment(target: string): boolean {
  const path = target.split('?')[0] ?? '';
  return path
    .replace(/\\/g, '/')
    .split('/')
    .some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

async function handle(table: RouteTable, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const target = req.url ?? '/';
  let url: URL;
  try {
    url = new URL(target, `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return sendEdgeError(res, 400, ErrorCode.InvalidHttpRequest, 'The request target is not a valid URL.', { close: true });
  }
  const method = req.method ?? 'GET';
  const hasBody = !hasNoBody(req);
  // Matched on the path as sent: a dot segment never reaches a route by being resolved away.
  const resolution = hasDotSegment(target) ? ({ kind: 'notFound' } as const) : table.resolve(method, url.pathname);
  if (resolution.kind === 'notFound') {
    return sendEdgeError(res, 404, ErrorCode.NotFound, 'No operation exists at this path.', { close: hasBody });
  }
  if (resolution.kind === 'methodNotAllowed') {
    return sendEdgeError(res, 405, ErrorCode.MethodNotAllowed, `${method} is not supported here; use ${resolution.allow.join(', ')}.`, {
      headers: { allow: resolution.allow.join(', ') },
      close: hasBody,
    });
  }

  const limit = maxBodyBytes();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    return sendEdgeError(res, 400, ErrorCode.RequestBodyTooLarge, `The request body is ${declared} bytes; the host's limit is ${limit} bytes.`, { close: true });
  }

  // Like the real host, the cap is the host's own answer, whatever the function makes of the
  // failed read; the function's response is then dropped.
  let refused = false;
  const refuse = () => {
    refused = true;
    sendEdgeError(res, 400, ErrorCode.RequestBodyTooLarge, `The request body exceeds the host's limit of ${limit} bytes.`, { close: true });
  };
  let request: HttpRequest;
  try {
    request = streamedRequest(req, url, resolution.params, hasBody, refuse);
  } catch (err) {
    // fetch's Request refuses what HTTP/1.1 lets through, e.g. credentials in an absolute-form target.
    const reason = err instanceof Error ? err.message : String(err);
    return sendEdgeError(res, 400, ErrorCode.InvalidHttpRequest, `The request cannot be handed to a function: ${reason}`, { close: hasBody });
  }
  let result: unknown;
  try {
    result = await invokeFunction(resolution.functionName, request);
  } catch (err) {
    if (refused) return;
    console.error(`[local host] function "${resolution.functionName}" threw:`, err);
    const message = err instanceof Error ? err.message : String(err);
    return sendInternalError(res, `Function "${resolution.functionName}" failed: ${message}`, !req.complete);
  }
  if (refused) return;
  // A body the function left unread (an anonymous upload, an early refusal) is not drained: the
  // connection closes after the answer.
  if (!req.complete) res.shouldKeepAlive = false;
  if (writePlainResult(req, res, result)) return;
  let response: HttpResponse;
  try {
    response = toHttpResponse(result);
  } catch (err) {
    console.error(`[local host] function "${resolution.functionName}" returned an invalid response:`, err);
    const message = err instanceof Error ? err.message : String(err);
    return sendInternalError(res, `Function "${resolution.functionName}" failed: ${message}`, !req.complete);
  }
  await writeResponse(req, res, response);
}

/**
 * Serves the HTTP functions registered so far (the route table is built now). `url` is the API
 * base: origin plus the route prefix, without a trailing slash. Port 0 picks a free port.
 */
export async function serveHttp(port: number, host = '127.0.0.1'): Promise<{ server: http.Server; url: string }> {
  const routePrefix = readRoutePrefix();
  const table = buildRouteTable(httpRouteDefinitions(), routePrefix);
  // Headers up to 64 KiB reach the functions, which answer an over-long Authorization (401) or URL
  // (400) themselves; beyond that, and for anything else Node's parser refuses, answerClientError.
  const server = http.createServer({ keepAlive: true, maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(table, req, res).catch((err: unknown) => {
      console.error('[local host] request failed:', err);
      if (!res.headersSent) sendInternalError(res, 'The local host failed to handle the request.');
      else res.destroy();
    });
  });
  server.on('clientError', answerClientError);
  // Keep idle keep-alive connections longer than typical client pools (Node's default is 5 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${publicHost}:${actualPort}${routePrefix ? `/${routePrefix}` : ''}`;
  return { server, url };
}

/** Stops accepting, drops keep-alive (and in-flight) connections, resolves once closed. */
export async function closeHttpServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  server.closeAllConnections();
  await closed;
}
