/**
 * The edge: what reaches the functions and what the front end answers itself (docs/api.md "At the
 * edge", "Request bodies"). Requests fetch cannot send (dot segments, duplicate Content-Length, a
 * half-sent body) go over raw node:http / net sockets.
 */
import http from 'node:http';
import net from 'node:net';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { accountBody } from '../support/fixtures';
import { startLocalHost, type LocalHost } from '../support/localHost';
import { ERROR_RESPONSE_DEFINITION, validateAgainstDefinition } from '../support/swagger';

const API = 'api-version=2024-02-29-preview';
const MiB = 1024 * 1024;

let host: LocalHost;
let api: ApiClient;
let origin: URL;
let seq = 0;
const uniq = (p: string) => `${p}${Date.now().toString(36)}${seq++}`;

beforeAll(async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  origin = new URL(host.baseUrl);
});
afterAll(async () => {
  await host?.stop();
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** An Azure.Core error: status, code in body and header, body valid against the swagger's ErrorResponse. */
function expectAzureCoreError(r: RawAnswer | { status: number; headers: Headers; body: any }, status: number, code: string): void {
  const header = r.headers instanceof Headers ? r.headers.get('x-ms-error-code') : r.headers['x-ms-error-code'];
  expect({ status: r.status, code: r.body?.error?.code, header }).toEqual({ status, code, header: code });
  expect(validateAgainstDefinition(ERROR_RESPONSE_DEFINITION, r.body)).toEqual([]);
}

/**
 * Writes `request` as is on a fresh connection and reads until the server closes it or one whole
 * response (by Content-Length) has arrived. `closed` tells whether the server ended the connection.
 */
function rawExchange(request: string, waitForClose: boolean): Promise<RawAnswer & { closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(origin.port), origin.hostname);
    let data = Buffer.alloc(0);
    let settled = false;
    const parse = (closed: boolean): (RawAnswer & { closed: boolean }) | undefined => {
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) return undefined;
      const [statusLine = '', ...lines] = data.subarray(0, split).toString('latin1').split('\r\n');
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? NaN);
      const body = data.subarray(split + 4);
      if (!closed && !(body.length >= length)) return undefined;
      const text = body.subarray(0, Number.isNaN(length) ? body.length : length).toString('utf8');
      return { status: Number(statusLine.split(' ')[1]), headers, body: text === '' ? undefined : JSON.parse(text), closed };
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (waitForClose || settled) return;
      const answer = parse(false);
      if (answer !== undefined) {
        settled = true;
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('close', () => {
      if (settled) return;
      settled = true;
      const answer = parse(true);
      if (answer === undefined) reject(new Error(`connection closed without a complete response: ${JSON.stringify(data.toString('latin1').slice(0, 300))}`));
      else resolve(answer);
    });
    socket.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    socket.write(request);
  });
}

const hostHeader = () => `host: ${origin.host}\r\n`;

/**
 * A POST whose headers declare `declared` bytes; `sendBytes` of body are then written (1 MiB chunks
 * from one reused buffer, so the client holds no copy) and the request is left open unless all of it
 * was sent. Resolves with the answer; errors after the answer (the server closing while we still
 * send) are expected.
 */
function upload(path: string, headers: Record<string, string>, sendBytes: number, declared?: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin.origin}${path}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', ...headers, ...(declared !== undefined ? { 'content-length': String(declared) } : {}) },
    });
    const chunk = Buffer.alloc(MiB, 0x20);
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = (): void => {
      while (!answered && !req.destroyed && sent < sendBytes) {
        const n = Math.min(MiB, sendBytes - sent);
        sent += n;
        if (!req.write(n === MiB ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (declared !== undefined && sent >= declared) req.end();
    };
    pump();
  });
}

describe('request bodies', () => {
  it('answers an anonymous 95 MiB upload 401 from its headers, without waiting for the body', async () => {
    // Only the first MiB is sent: the answer cannot depend on reading the rest.
    const r = await upload(`/accounts/x:createOrUpdateNumbers?${API}`, {}, MiB, 95 * MiB);
    expectAzureCoreError(r, 401, 'Unauthorized');
    expect(r.headers.connection).toBe('close');
  });

  it('refuses a declared body over MAX_BODY_BYTES with 400 RequestBodyTooLarge before reading it', async () => {
    const a = uniq('big');
    const auth = await host.adminHeaders();
    const put = await new Promise<RawAnswer>((resolve, reject) => {
      const req = http.request(`${origin.origin}/accounts/${a}?${API}`, {
        method: 'PUT',
        agent: false,
        headers: { ...auth, 'content-type': 'application/json', 'content-length': String(2 * MiB) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (part: Buffer) => (text += part.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write('{'); // the rest never comes
    });
    expectAzureCoreError(put, 400, 'RequestBodyTooLarge');
    expect((await api.get(`/accounts/${a}`)).status).toBe(404);
  });

  it('refuses a chunked body as soon as it passes MAX_BODY_BYTES, while the client is still sending', async () => {
    const a = uniq('chunky');
    expect((await api.put(`/accounts/${a}`, { json: accountBody(a) })).status).toBe(201);
    // 1 MiB + 1 byte sent, no end: only a reader that counts while streaming can answer.
    const r = await upload(`/accounts/${a}:createOrUpdateNumbers?${API}`, await host.adminHeaders(), MiB + 1);
    expectAzureCoreError(r, 400, 'RequestBodyTooLarge');
    expect(r.headers.connection).toBe('close');
  });

  it('keeps memory flat under 8 parallel anonymous 95 MiB uploads and stays responsive', async () => {
    const before = process.memoryUsage().rss;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => upload(`/accounts/x:createOrUpdateNumbers?${API}`, {}, 95 * MiB, 95 * MiB)),
    );
    const after = process.memoryUsage().rss;
    for (const r of answers) expectAzureCoreError(r, 401, 'Unauthorized');
    console.log(`RSS before ${Math.round(before / MiB)} MiB, after 8 × 95 MiB anonymous uploads ${Math.round(after / MiB)} MiB`);
    // Buffering them would take 760 MiB; the bound leaves room for GC noise.
    expect(after - before).toBeLessThan(300 * MiB);
    expect((await api.get('/accounts')).status).toBe(200);
  });

  it('still reads and validates a normal JSON body', async () => {
    const a = uniq('ok');
    expect((await api.put(`/accounts/${a}`, { json: accountBody(a) })).status).toBe(201);
    const bad = await api.put(`/accounts/${a}`, { body: '{"name": ', contentType: 'application/json' });
    expectAzureCoreError(bad, 400, 'InvalidRequestContent');
  });
});

describe('the front end', () => {
  it('answers an over-long Authorization header 401 with an Azure.Core body, not 431', async () => {
    const r = await fetch(`${host.baseUrl}/accounts?${API}`, { headers: { authorization: `Bearer ${'a'.repeat(20 * 1024)}` } });
    expectAzureCoreError({ status: r.status, headers: r.headers, body: await r.json() }, 401, 'Unauthorized');
  });

  it('answers an over-long URL 400 RequestUrlTooLong', async () => {
    for (const length of [10 * 1024, 20 * 1024]) {
      const r = await fetch(`${host.baseUrl}/accounts?${API}&x=${'a'.repeat(length)}`, { headers: await host.adminHeaders() });
      expectAzureCoreError({ status: r.status, headers: r.headers, body: await r.json() }, 400, 'RequestUrlTooLong');
    }
  });

  it('answers a header block over 64 KiB 400 RequestHeadersTooLarge and closes the connection', async () => {
    const r = await rawExchange(`GET /accounts?${API} HTTP/1.1\r\n${hostHeader()}x-big: ${'b'.repeat(70 * 1024)}\r\n\r\n`, true);
    expectAzureCoreError(r, 400, 'RequestHeadersTooLarge');
    expect(r.closed).toBe(true);
  });

  it('answers paths outside the route table, dot segments included, 404 NotFound', async () => {
    const headers = await host.adminHeaders();
    for (const path of [
      '/nope',
      '/accounts/%2e%2e/numbers',
      '/accounts/%2E%2e/numbers',
      '/accounts/x/%2e%2e/%2e%2e/numbers',
      '/accounts/./numbers',
      '/accounts/../numbers',
      '/accounts/.%2e/numbers',
      '/accounts\\..\\numbers',
      '/accounts/%2e%2e',
    ]) {
      const r = await rawExchange(`GET ${path}?${API} HTTP/1.1\r\n${hostHeader()}authorization: ${headers.authorization}\r\n\r\n`, false);
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
      expectAzureCoreError(r, 404, 'NotFound');
    }
  });

  it('answers a method no route takes 405 MethodNotAllowed with Allow', async () => {
    const r = await rawExchange(`OPTIONS /accounts?${API} HTTP/1.1\r\n${hostHeader()}\r\n`, false);
    expectAzureCoreError(r, 405, 'MethodNotAllowed');
    expect(r.headers.allow).toBeDefined();
  });

  it('answers requests the HTTP parser refuses 400 InvalidHttpRequest and closes the connection', async () => {
    const body = JSON.stringify(accountBody('dup'));
    for (const request of [
      `PUT /accounts/dup?${API} HTTP/1.1\r\n${hostHeader()}content-type: application/json\r\ncontent-length: ${body.length}\r\ncontent-length: ${body.length + 1}\r\n\r\n${body}`,
      `PUT /accounts/dup?${API} HTTP/1.1\r\n${hostHeader()}content-type: application/json\r\ncontent-length: ${body.length}\r\ntransfer-encoding: chunked\r\n\r\n${body}`,
      `GARBAGE\r\n\r\n`,
      `GET /accounts HTTP/1.1\r\n${hostHeader()}bad header\r\n\r\n`,
    ]) {
      const r = await rawExchange(request, true);
      expectAzureCoreError(r, 400, 'InvalidHttpRequest');
      expect(r.closed).toBe(true);
    }
    expect((await api.get('/accounts/dup')).status).toBe(404);
  });

  it('answers a request fetch cannot represent (credentials in an absolute-form target) 400 InvalidHttpRequest, not 500', async () => {
    const r = await rawExchange(`GET http://user:secret@${origin.host}/accounts?${API} HTTP/1.1\r\n${hostHeader()}\r\n`, false);
    expectAzureCoreError(r, 400, 'InvalidHttpRequest');
  });
});

describe('single-valued query parameters', () => {
  it.each(['filter', 'top', 'skip', 'maxpagesize', 'countRecords', 'skipToken'])('a repeated %s is 400 InvalidQueryParameter', async (name) => {
    const value = name === 'filter' ? "name eq 'a'" : name === 'countRecords' ? 'true' : name === 'skipToken' ? 'x' : '1';
    for (const path of ['/accounts', '/numbers']) {
      const r = await api.get(`${path}?${name}=${encodeURIComponent(value)}&${name}=${encodeURIComponent(value)}`);
      expectAzureCoreError(r, 400, 'InvalidQueryParameter');
      expect(r.body.error.target).toBe(name);
    }
  });

  it('a repeated deleteNumbers is 400 InvalidQueryParameter and deletes nothing', async () => {
    const a = uniq('dn');
    expect((await api.put(`/accounts/${a}`, { json: accountBody(a) })).status).toBe(201);
    const r = await api.delete(`/accounts/${a}?deleteNumbers=true&deleteNumbers=false`);
    expectAzureCoreError(r, 400, 'InvalidQueryParameter');
    expect((await api.get(`/accounts/${a}`)).status).toBe(200);
  });
});

describe('conditional headers', () => {
  async function account(): Promise<{ name: string; etag: string }> {
    const name = uniq('cond');
    const r = await api.put(`/accounts/${name}`, { json: accountBody(name) });
    expect(r.status).toBe(201);
    return { name, etag: r.headers.get('etag') as string };
  }

  it.each(['garbage', '"unterminated', 'W/garbage', '"a" "b"', '"a";"b"', 'w/"a"', '*, "a"'])('If-Match: %s is 400 InvalidHeader and writes nothing', async (value) => {
    const { name, etag } = await account();
    const r = await api.put(`/accounts/${name}`, { json: accountBody(name, { correlationId: 'changed' }), headers: { 'if-match': value } });
    expectAzureCoreError(r, 400, 'InvalidHeader');
    expect(r.body.error.target).toBe('If-Match');
    expect((await api.get(`/accounts/${name}`)).headers.get('etag')).toBe(etag);
  });

  it('If-None-Match: garbage is 400 InvalidHeader on GET and PUT', async () => {
    const { name } = await account();
    expectAzureCoreError(await api.get(`/accounts/${name}`, { headers: { 'if-none-match': 'garbage' } }), 400, 'InvalidHeader');
    expectAzureCoreError(await api.put(`/accounts/${name}`, { json: accountBody(name), headers: { 'if-none-match': 'nope' } }), 400, 'InvalidHeader');
  });

  it('keeps the valid forms: lists (with empty elements and quoted commas), weak tags, *', async () => {
    const { name, etag } = await account();
    // Weak tags never match If-Match (strong comparison).
    expectAzureCoreError(await api.put(`/accounts/${name}`, { json: accountBody(name), headers: { 'if-match': `W/${etag}` } }), 412, 'PreconditionFailed');
    const listed = await api.put(`/accounts/${name}`, { json: accountBody(name), headers: { 'if-match': ` "a,b" , ,${etag},W/"c"` } });
    expect(listed.status).toBe(200);
    // If-None-Match uses the weak comparison: W/"x" matches "x".
    expect((await api.get(`/accounts/${name}`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    expect((await api.get(`/accounts/${name}`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await api.put(`/accounts/${name}`, { json: accountBody(name), headers: { 'if-match': '*' } })).status).toBe(200);
    expectAzureCoreError(await api.put(`/accounts/${name}`, { json: accountBody(name), headers: { 'if-none-match': '*' } }), 412, 'PreconditionFailed');
  });
});
