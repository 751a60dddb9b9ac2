/**
 * Stand-in for `@azure/functions-core`, the module the Functions host injects into the worker.
 * `@azure/functions` hands every `app.http/app.timer/app.serviceBusQueue` registration to
 * `registerFunction`; here we keep them in a Map that the local host serves from.
 * Loaded via `dev/host/install.ts` (plain Node) or jest's moduleNameMapper (tests).
 * The shapes below are the library's internal contract (types-core/index.d.ts), hence the pinned
 * `@azure/functions` version.
 */

/** One binding as the library emits it: `type`, `direction`, `name` plus trigger options (route, schedule, ...). */
export interface BindingInfo {
  type: string;
  direction?: 'in' | 'out' | 'inout';
  name?: string;
  [option: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  retryOptions?: unknown;
}

/** The host calls a handler with the trigger input(s) followed by the InvocationContext. */
export type FunctionCallback = (...args: unknown[]) => unknown;

export interface Registration extends FunctionMetadata {
  handler: FunctionCallback;
}

export interface Disposable {
  dispose(): void;
}

export const registry = new Map<string, Registration>();

export function registerFunction(metadata: FunctionMetadata, handler: FunctionCallback): Disposable {
  if (registry.has(metadata.name)) {
    throw new Error(`A function named "${metadata.name}" is already registered.`);
  }
  registry.set(metadata.name, { ...metadata, handler });
  return { dispose: () => registry.delete(metadata.name) };
}

/** The library passes its ProgrammingModel; only the real worker needs it. */
export function setProgrammingModel(_model: unknown): void {}

/** app.hook.* lands here. Hooks are not run by the local host. */
export function registerHook(_hookName: string, _callback: unknown): Disposable {
  return { dispose() {} };
}

/**
 * System log of the library. It must exist: `app.setup({ enableHttpStream: true })` treats a core
 * API without `log` as "host older than 4.28" and throws.
 */
export function log(level: string, _category: string, message: string): void {
  if (level === 'warning') console.warn(message);
  else if (level === 'error' || level === 'critical') console.error(message);
}
