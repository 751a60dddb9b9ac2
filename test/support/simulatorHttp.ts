/**
 * JSON over HTTP to the Operator Connect simulator (dev/ocSimulator), for its tests: a bearer token
 * when given, a JSON body when given (a string is sent as it is, to test malformed bodies), and the
 * answer with its body parsed (undefined when empty).
 */
import type { OcSimulator } from '../../dev/ocSimulator';

export interface SimReply {
  status: number;
  headers: Headers;
  body: any;
}

export interface SimCallOptions {
  readonly bearer?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

export async function simReply(res: Response): Promise<SimReply> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export function simCall(url: string, method: string, body?: unknown, options: SimCallOptions = {}): Promise<SimReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    ...(options.timeoutMs !== undefined && { signal: AbortSignal.timeout(options.timeoutMs) }),
  }).then(simReply);
}

/** A client-credentials token request as the OC client sends it (the simulator's own app unless `client` says otherwise). */
export function requestClientToken(sim: OcSimulator, client: { clientId: string; clientSecret: string } = sim, options: { timeoutMs?: number } = {}): Promise<SimReply> {
  return fetch(sim.tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: sim.scope }),
    ...(options.timeoutMs !== undefined && { signal: AbortSignal.timeout(options.timeoutMs) }),
  }).then(simReply);
}
