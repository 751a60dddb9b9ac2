/**
 * One HTTP request/response under a deadline, with the failure classified the way the retry policy
 * needs it: did anything leave the machine? The deadline covers the body too, since a server that
 * stalls mid-body is as stuck as one that never answers.
 */
import type { AttemptFailure } from './retry';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type Exchange =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly ok: false; readonly failure: AttemptFailure; readonly message: string };

/** Errors raised before a connection existed: the request cannot have reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export async function exchange(fetchFn: FetchLike, url: string, init: RequestInit, timeoutMs: number): Promise<Exchange> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    const text = await response.text();
    return { ok: true, status: response.status, headers: response.headers, text };
  } catch (err) {
    const name = (err as { name?: unknown } | undefined)?.name;
    if (timedOut || name === 'AbortError' || name === 'TimeoutError') {
      return { ok: false, failure: { type: 'timeout' }, message: `no complete response within ${timeoutMs} ms` };
    }
    const code = errorCode(err);
    const message = `${err instanceof Error ? err.message : String(err)}${code === undefined ? '' : ` (${code})`}`;
    return { ok: false, failure: { type: 'connection', sent: code === undefined || !NOT_SENT_CODES.has(code) }, message };
  } finally {
    clearTimeout(timer);
  }
}
