/**
 * One structured line per Operator Connect HTTP attempt. Never bodies, tokens or secrets: route
 * templates, not paths, so tenant IDs and numbers stay out of the logs too.
 */
import { logEvent } from '../../log/logger';

export interface OcLogEntry {
  readonly level: 'debug' | 'warn';
  /** `oc.call` for API attempts, `oc.token` for token acquisitions. */
  readonly event: 'oc.call' | 'oc.token';
  readonly method?: string;
  readonly route?: string;
  readonly status?: number;
  /** Operator Connect's `x-ms-request-id`: what Microsoft support asks for. */
  readonly requestId?: string;
  /** Our `x-ms-client-request-id`, the same on every attempt of one call. */
  readonly clientRequestId?: string;
  readonly attempt?: number;
  readonly durationMs?: number;
  /** What the attempt led to: `ok`, `not-found`, `retry`, `reauthenticate`, or the failure kind. */
  readonly outcome: string;
  readonly code?: string;
  readonly waitMs?: number;
}

export type OcLogger = (entry: OcLogEntry) => void;

/**
 * Default, through the app logger (shared/log/logger.ts): warnings (a call finally failed) always;
 * per-attempt debug lines only with OC_CLIENT_LOG=1, because every reconcile pass makes many calls.
 */
export function defaultOcLogger(env: NodeJS.ProcessEnv = process.env): OcLogger {
  const debug = env.OC_CLIENT_LOG === '1';
  return (entry) => {
    const { level, event, ...fields } = entry;
    if (level === 'warn' || debug) logEvent(level, event, fields);
  };
}
