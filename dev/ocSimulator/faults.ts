/**
 * Fault injection for the operator API and the token endpoint (never /_sim): answer with a status,
 * hold the connection (timeout), destroy it (drop), or delay it (latency). `applyRequest` processes
 * the call first and then loses the answer: the ambiguous failure where an order was created but the
 * client never heard, which the client must reconcile instead of re-submitting (docs/oc-simulator.md,
 * "Fault injection").
 */
import { asObject, invalidField, optionalBoolean, optionalNumber, requiredString, type JsonObject } from './bodyFields';
import { pathSegments } from './router';

export const FAULT_ACTIONS = ['status', 'timeout', 'drop', 'latency'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

export interface FaultSpec {
  /**
   * `METHOD /path/pattern`, e.g. `POST /tenants/{tenantId}/uploadOrders`. Method `*` matches any
   * method; in the path, `*` or `{name}` matches one segment and a final `**` the rest. Operator
   * routes are matched below the API prefix (a pattern may include it), the token endpoint by its
   * full path (`POST /{tenant}/oauth2/v2.0/token`).
   */
  readonly route: string;
  readonly action: FaultAction;
  /** `status`: the HTTP status (default 503). */
  readonly status?: number;
  /** `status`: the response body (default an OC error body named after the status). */
  readonly body?: unknown;
  /** `status`: Retry-After header, seconds or an HTTP-date. */
  readonly retryAfter?: number | string;
  /** `latency`: real ms before the call proceeds normally. */
  readonly latencyMs?: number;
  /** `timeout`: real ms after which the held connection is destroyed (default 30 000). */
  readonly maxHoldMs?: number;
  /** `status` | `timeout` | `drop`: process the request first, then fail the answer. */
  readonly applyRequest?: boolean;
  /** Matching calls it affects before it disarms; unlimited when absent. */
  readonly count?: number;
  /** Virtual-time window (epoch ms or ISO); `forMs` ends it relative to now. */
  readonly from?: number | string;
  readonly until?: number | string;
  readonly forMs?: number;
}

export interface ActiveFault {
  readonly id: string;
  readonly method: string;
  readonly pattern: readonly string[];
  readonly spec: FaultSpec;
  readonly from?: number;
  readonly until?: number;
  remaining?: number;
  hits: number;
}

const DEFAULT_MAX_HOLD_MS = 30_000;

function virtualTime(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw invalidField(field, `${field} must be epoch milliseconds or an ISO date.`);
  return ms;
}

function retryAfter(body: JsonObject): number | string | undefined {
  const value = body.retryAfter;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && Number.isFinite(Date.parse(value))) return value;
  throw invalidField('retryAfter', 'retryAfter must be whole seconds or an HTTP-date.');
}

function stripPrefix(path: string, apiPrefix: string): string {
  if (apiPrefix !== '' && (path === apiPrefix || path.startsWith(`${apiPrefix}/`))) return path.slice(apiPrefix.length) || '/';
  return path;
}

/** Validates an untyped spec (the HTTP route passes its body straight in). */
export function armFault(id: string, value: unknown, nowMs: number, apiPrefix: string): ActiveFault {
  const body = asObject(value, 'fault');
  const route = requiredString(body, 'route');
  const match = /^(\*|[A-Za-z]+)\s+(\/\S*)$/.exec(route.trim());
  if (!match) throw invalidField('route', 'route must look like "POST /tenants/*/uploadOrders".');
  const action = requiredString(body, 'action') as FaultAction;
  if (!FAULT_ACTIONS.includes(action)) throw invalidField('action', `action must be one of ${FAULT_ACTIONS.join(', ')}.`);
  const status = optionalNumber(body, 'status', { min: 100, max: 599, integer: true });
  const latencyMs = optionalNumber(body, 'latencyMs', { min: 0, max: 600_000 });
  if (action === 'latency' && latencyMs === undefined) throw invalidField('latencyMs', 'A latency fault needs latencyMs.');
  const maxHoldMs = optionalNumber(body, 'maxHoldMs', { min: 0, max: 600_000 });
  const count = optionalNumber(body, 'count', { min: 1, integer: true });
  const forMs = optionalNumber(body, 'forMs', { min: 0 });
  const from = virtualTime(body, 'from');
  const until = forMs !== undefined ? nowMs + forMs : virtualTime(body, 'until');
  const retryAfterValue = retryAfter(body);
  const spec: FaultSpec = {
    route: route.trim(),
    action,
    ...(status !== undefined && { status }),
    ...(body.body !== undefined && { body: body.body }),
    ...(retryAfterValue !== undefined && { retryAfter: retryAfterValue }),
    ...(latencyMs !== undefined && { latencyMs }),
    ...(maxHoldMs !== undefined && { maxHoldMs }),
    ...(optionalBoolean(body, 'applyRequest') === true && { applyRequest: true }),
    ...(count !== undefined && { count }),
    ...(from !== undefined && { from }),
    ...(until !== undefined && { until }),
  };
  const pattern = pathSegments(stripPrefix(match[2] as string, apiPrefix));
  if (pattern === undefined) throw invalidField('route', 'route has an undecodable path.');
  return {
    id,
    method: (match[1] as string).toUpperCase(),
    pattern,
    spec,
    ...(from !== undefined && { from }),
    ...(until !== undefined && { until }),
    ...(count !== undefined && { remaining: count }),
    hits: 0,
  };
}

function patternMatches(pattern: readonly string[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string;
    if (part === '**' && i === pattern.length - 1) return true;
    const segment = segments[i];
    if (segment === undefined) return false;
    if (part === '*' || /^\{[^}]*\}$/.test(part)) continue;
    if (part !== segment) return false;
  }
  return pattern.length === segments.length;
}

export function maxHoldMs(fault: ActiveFault): number {
  return fault.spec.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
}

export class FaultInjector {
  private readonly faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: unknown, nowMs: number, apiPrefix: string): ActiveFault {
    const fault = armFault(`fault-${this.nextId}`, spec, nowMs, apiPrefix);
    this.nextId++;
    this.faults.push(fault);
    return fault;
  }

  remove(id: string): boolean {
    const index = this.faults.findIndex((fault) => fault.id === id);
    if (index < 0) return false;
    this.faults.splice(index, 1);
    return true;
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): readonly ActiveFault[] {
    return [...this.faults];
  }

  /** The first armed fault matching this call; consumes one of its `count`. */
  take(method: string, path: string, nowMs: number): ActiveFault | undefined {
    const segments = pathSegments(path);
    if (segments === undefined) return undefined;
    const fault = this.faults.find(
      (candidate) =>
        (candidate.method === '*' || candidate.method === method) &&
        (candidate.from === undefined || nowMs >= candidate.from) &&
        (candidate.until === undefined || nowMs < candidate.until) &&
        patternMatches(candidate.pattern, segments),
    );
    if (fault === undefined) return undefined;
    fault.hits++;
    if (fault.remaining !== undefined) {
      fault.remaining--;
      if (fault.remaining <= 0) this.remove(fault.id);
    }
    return fault;
  }
}
