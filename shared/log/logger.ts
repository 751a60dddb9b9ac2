/**
 * The app's one logger: one JSON line per event, so Application Insights (which keeps each console
 * line as a trace) can be queried by field. Every line carries `event` and `level`, then what is
 * known about the invocation that produced it (`invocationId`, `operation`, `clientRequestId`,
 * `accountName`), then the event's own fields. The invocation fields come from an
 * AsyncLocalStorage context that the function wrappers open with `withInvocationLog` (and
 * `withLogContext` for fields learnt later), so code deep in shared/ logs with them without being
 * handed the InvocationContext. Outside any invocation (start-up, background timers) lines go to the
 * console.
 *
 * This is the only module in shared/ and functions/ that writes to the console (eslint.config.mjs).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What is known about the current invocation; each field only where known. */
export interface LogContext {
  /** The Functions host's invocation id (InvocationContext.invocationId). */
  readonly invocationId?: string;
  /** The operation or function name, e.g. `Accounts_CreateOrReplace`, `flowthroughWorker`. */
  readonly operation?: string;
  /** The caller's `x-ms-client-request-id`. */
  readonly clientRequestId?: string;
  readonly accountName?: string;
}

export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The Functions InvocationContext's log methods (structurally: shared/ stays free of the host
 * package). Inside an invocation, lines go through it, so the host ties them to the invocation and
 * applies its level filter (host.json; the local host drops debug unless LOCAL_HOST_VERBOSE=1).
 */
export interface InvocationLog {
  readonly invocationId: string;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

interface Scope {
  readonly fields: LogContext;
  readonly invocation?: InvocationLog;
}

const contexts = new AsyncLocalStorage<Scope>();

/** Runs `fn` with these fields (added to any outer context's) on every line it logs, awaits included. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  const outer = contexts.getStore();
  return contexts.run({ ...outer, fields: { ...outer?.fields, ...defined(fields) } }, fn);
}

/**
 * What a function wrapper calls around a handler: the invocation's id and log methods, plus what
 * else it knows (operation, client request id, account).
 */
export function withInvocationLog<T>(invocation: InvocationLog, fields: Omit<LogContext, 'invocationId'>, fn: () => T): T {
  const outer = contexts.getStore();
  return contexts.run({ invocation, fields: { ...outer?.fields, ...defined({ ...fields, invocationId: invocation.invocationId }) } }, fn);
}

/**
 * Runs `fn` outside any invocation's context: for timers and loops that outlive the request that
 * happened to start them (their lines must not carry that request's invocation id).
 */
export function outsideLogContext<T>(fn: () => T): T {
  return contexts.exit(fn);
}

/** The current invocation's fields (empty outside any `withLogContext`). */
export function logContext(): LogContext {
  return contexts.getStore()?.fields ?? {};
}

function defined(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')) as LogContext;
}

/** An error as a log field: its message (stacks and SDK internals stay out of the logs). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** One event, one line. The event's own fields win over context fields of the same name. */
export function logEvent(level: LogLevel, event: string, fields: LogFields = {}): void {
  const scope = contexts.getStore();
  const line = JSON.stringify({ level, event, ...scope?.fields, ...fields });
  if (scope?.invocation !== undefined) {
    scope.invocation[level](line);
    return;
  }
  switch (level) {
    case 'debug':
      console.debug(line);
      return;
    case 'info':
      console.log(line);
      return;
    case 'warn':
      console.warn(line);
      return;
    case 'error':
      console.error(line);
      return;
  }
}
