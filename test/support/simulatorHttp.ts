/**
 * JSON over HTTP to the Operator Connect simulator (dev/ocSimulator), for its tests: a bearer token
 * when given, a JSON body when given (a string is sent as it is, to test malformed bodies), and the
 * answer with its body parsed (undefined when empty).
 */
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
