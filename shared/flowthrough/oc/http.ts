/**
 * Sends one logical Operator Connect call: bearer token, client request id, per-attempt deadline,
 * retries as retry.ts and the shared outbound policy decide, one structured log line per attempt, and failures turned into OcError
 * with the kind the port promises.
 */
import type { FetchLike } from './exchange';
import type { OcLogger } from './log';
import { OcError } from './port';
import { parseRetryAfter } from '../outboundHttp/retryAfter';
import { planRetry, type RetryPolicy } from '../outboundHttp/retryPolicy';
import type { TokenProvider } from '../outboundHttp/tokenCache';
import { verdictFor, type AttemptFailure, type CallSafety } from './retry';
import { ocOperationName, tracedExchange } from './traced';
import { CLIENT_REQUEST_ID_HEADER, parseErrorBody, REQUEST_ID_HEADER } from './transport';

export interface OcHttpDeps {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly newRequestId: () => string;
  readonly log: OcLogger;
}

export interface OcHttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Route template, for logs only. */
  readonly route: string;
  readonly url: string;
  readonly body?: unknown;
  readonly safety: CallSafety;
  /** A 404 is an answer ("no such resource"), returned rather than thrown. */
  readonly notFoundIsAnswer?: boolean;
}

export interface OcHttpResponse {
  readonly status: number;
  readonly body: unknown;
  readonly location?: string;
  readonly requestId?: string;
}

export type OcSend = (request: OcHttpRequest) => Promise<OcHttpResponse>;

interface Failed {
  readonly failure: AttemptFailure;
  readonly error: OcError;
  readonly retryAfterMs?: number;
}

const TRANSPORT_CODES: Record<'timeout' | 'connection', string> = { timeout: 'Timeout', connection: 'ConnectionFailed' };

export function createOcSend(options: { readonly callTimeoutMs: number; readonly retry: RetryPolicy }, tokens: TokenProvider, deps: OcHttpDeps): OcSend {
  return async function send(request) {
    const clientRequestId = deps.newRequestId();
    let attempt = 0;
    let failedAttempts = 0;
    let waitedMs = 0;
    let reauthenticated = false;

    const logAttempt = (fields: { outcome: string; status?: number; requestId?: string; durationMs: number; code?: string; waitMs?: number }): void => {
      const level = ['transient', 'ambiguous', 'permanent', 'configuration'].includes(fields.outcome) ? 'warn' : 'debug';
      deps.log({ level, event: 'oc.call', method: request.method, route: request.route, clientRequestId, attempt, ...fields });
    };

    for (;;) {
      attempt++;
      const started = deps.now();
      let token: string;
      try {
        token = await tokens.getToken();
      } catch (err) {
        if (!(err instanceof OcError) || err.kind !== 'transient') throw err;
        // No request left the machine, so even an order may go again.
        const plan = planRetry(options.retry, { failedAttempts: ++failedAttempts, waitedMs }, err.retryAfterMs, deps.random);
        if (!plan.retry) throw withRetryAfter(err, plan.retryAfterMs);
        await deps.sleep(plan.waitMs);
        waitedMs += plan.waitMs;
        continue;
      }

      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', [CLIENT_REQUEST_ID_HEADER]: clientRequestId };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const init = { method: request.method, headers, ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}) };
      // A client span per attempt; its traceparent header goes with the request.
      const result = await tracedExchange(ocOperationName(request.method, request.route), deps.fetch, request.url, init, options.callTimeoutMs);
      const durationMs = deps.now() - started;

      let failed: Failed;
      if (result.ok) {
        const requestId = result.headers.get(REQUEST_ID_HEADER) ?? undefined;
        const idField = requestId === undefined ? {} : { requestId };
        if ((result.status >= 200 && result.status < 300) || (result.status === 404 && request.notFoundIsAnswer === true)) {
          let body: unknown;
          try {
            body = result.text === '' ? undefined : JSON.parse(result.text);
          } catch {
            // The server acted (2xx) but we cannot read what it said: for an order, whether it exists is unknown.
            const kind = request.safety === 'order' ? 'ambiguous' : 'permanent';
            logAttempt({ outcome: kind, status: result.status, durationMs, code: 'InvalidResponse', ...idField });
            throw new OcError(kind, result.status, 'InvalidResponse', `${describe(request)} answered ${result.status} with a body that is not JSON`, [], undefined, requestId);
          }
          logAttempt({ outcome: result.status === 404 ? 'not-found' : 'ok', status: result.status, durationMs, ...idField });
          const location = result.headers.get('location') ?? undefined;
          return { status: result.status, body, ...(location !== undefined ? { location } : {}), ...idField };
        }
        const wire = parseErrorBody(result.status, result.text, result.headers);
        const retryAfterMs = parseRetryAfter(result.headers, deps.now());
        failed = {
          failure: { type: 'status', status: result.status },
          error: new OcError('permanent', result.status, wire.code, `${describe(request)} answered ${result.status} ${wire.code}: ${wire.message}`, wire.details, retryAfterMs, requestId),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        };
      } else {
        const code = TRANSPORT_CODES[result.failure.type === 'timeout' ? 'timeout' : 'connection'];
        failed = { failure: result.failure, error: new OcError('permanent', undefined, code, `${describe(request)} failed: ${result.message}`) };
      }

      const status = failed.failure.type === 'status' ? failed.failure.status : undefined;
      const base = { durationMs, code: failed.error.code, ...(status !== undefined ? { status } : {}), ...(failed.error.requestId !== undefined ? { requestId: failed.error.requestId } : {}) };
      const verdict = verdictFor(failed.failure, request.safety);

      if (verdict === 'reauthenticate') {
        if (!reauthenticated) {
          // One fresh token per call: a stale or revoked token is fixed by that, nothing else is.
          reauthenticated = true;
          tokens.invalidate(token);
          logAttempt({ outcome: 'reauthenticate', ...base });
          continue;
        }
        logAttempt({ outcome: 'configuration', ...base });
        throw as('configuration', failed.error, 'rejected a freshly acquired token');
      }
      if (verdict === 'retry') {
        const plan = planRetry(options.retry, { failedAttempts: ++failedAttempts, waitedMs }, failed.retryAfterMs, deps.random);
        if (plan.retry) {
          logAttempt({ outcome: 'retry', waitMs: plan.waitMs, ...base });
          await deps.sleep(plan.waitMs);
          waitedMs += plan.waitMs;
          continue;
        }
        logAttempt({ outcome: 'transient', ...base });
        const why = plan.reason === 'budget' ? `asked to wait ${plan.retryAfterMs} ms, beyond the retry budget` : `still failing after ${attempt} attempts`;
        throw withRetryAfter(as('transient', failed.error, why), plan.retryAfterMs);
      }
      logAttempt({ outcome: verdict, ...base });
      if (verdict === 'ambiguous') throw as('ambiguous', failed.error, 'the order may or may not have been created; read back before re-submitting');
      throw as(verdict, failed.error);
    }
  };
}

function describe(request: OcHttpRequest): string {
  return `${request.method} ${request.route}`;
}

function as(kind: OcError['kind'], error: OcError, note?: string): OcError {
  const message = note === undefined ? error.message : `${error.message} (${note})`;
  return new OcError(kind, error.status, error.code, message, error.details, error.retryAfterMs, error.requestId);
}

function withRetryAfter(error: OcError, retryAfterMs: number | undefined): OcError {
  if (retryAfterMs === error.retryAfterMs) return error;
  return new OcError(error.kind, error.status, error.code, error.message, error.details, retryAfterMs, error.requestId);
}
