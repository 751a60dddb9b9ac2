/**
 * The behaviour knobs of a running simulator. They can be set at start, programmatically
 * (`configure`) or over HTTP (`PATCH /_sim/settings`); both paths go through `mergeSettings`, which
 * validates untyped input the same way.
 */
import { asObject, invalidField, optionalEnum, optionalNumber, type JsonObject } from './bodyFields';

export const NUMBER_ALREADY_EXISTS_MODES = ['idempotentSuccess', 'fail'] as const;
export type NumberAlreadyExistsMode = (typeof NUMBER_ALREADY_EXISTS_MODES)[number];

/** What removing a consent does to the tenant's numbers; the real behaviour is not public (B9). */
export const REMOVAL_POLICIES = ['keepNumbers', 'releaseUnassigned', 'blockIfNumbers'] as const;
export type RemovalPolicy = (typeof REMOVAL_POLICIES)[number];

export interface OrderTimes {
  /** Virtual ms from submission until the order is InProgress (t1). */
  readonly pendingMs: number;
  /** Virtual ms from submission until the order is finished (t2 ≥ t1). */
  readonly completeMs: number;
}

export interface OcSimSettings {
  readonly orderTimes: OrderTimes;
  /** Token-bucket size and refill per minute, per app id; null disables throttling. */
  readonly throttlePerMinute: number | null;
  /** Real ms added before every API and token call (benchmarks). */
  readonly latencyMs: number;
  /** Virtual ms a number upload/release takes to show in the operator's number lists. */
  readonly listLagMs: number;
  readonly maxNumbersPerOrder: number;
  readonly numberAlreadyExists: NumberAlreadyExistsMode;
  readonly removalPolicy: RemovalPolicy;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly tokenLifetimeSeconds: number;
}

export const DEFAULT_SETTINGS: OcSimSettings = {
  orderTimes: { pendingMs: 1000, completeMs: 3000 },
  throttlePerMinute: 100, // ACG's published limit; OC's own is not public (docs/oc-client.md)
  latencyMs: 0,
  listLagMs: 0,
  maxNumbersPerOrder: 1000,
  numberAlreadyExists: 'idempotentSuccess',
  removalPolicy: 'keepNumbers',
  defaultPageSize: 100,
  maxPageSize: 1000,
  tokenLifetimeSeconds: 3600,
};

function orderTimes(value: unknown, current: OrderTimes): OrderTimes {
  const body = asObject(value, 'orderTimes');
  const pendingMs = optionalNumber(body, 'pendingMs', { min: 0, integer: true }) ?? current.pendingMs;
  const completeMs = optionalNumber(body, 'completeMs', { min: 0, integer: true }) ?? current.completeMs;
  if (completeMs < pendingMs) throw invalidField('orderTimes', 'orderTimes.completeMs must not be less than orderTimes.pendingMs.');
  return { pendingMs, completeMs };
}

/** `patch` is untyped on purpose: the HTTP route passes the request body straight in. */
export function mergeSettings(current: OcSimSettings, patch: unknown): OcSimSettings {
  const body: JsonObject = asObject(patch, 'settings');
  const throttle = body.throttlePerMinute;
  const next: OcSimSettings = {
    orderTimes: body.orderTimes === undefined ? current.orderTimes : orderTimes(body.orderTimes, current.orderTimes),
    throttlePerMinute: throttle === null ? null : (optionalNumber(body, 'throttlePerMinute', { min: 1 }) ?? current.throttlePerMinute),
    latencyMs: optionalNumber(body, 'latencyMs', { min: 0, max: 600_000 }) ?? current.latencyMs,
    listLagMs: optionalNumber(body, 'listLagMs', { min: 0, integer: true }) ?? current.listLagMs,
    maxNumbersPerOrder: optionalNumber(body, 'maxNumbersPerOrder', { min: 1, integer: true }) ?? current.maxNumbersPerOrder,
    numberAlreadyExists: optionalEnum(body, 'numberAlreadyExists', NUMBER_ALREADY_EXISTS_MODES) ?? current.numberAlreadyExists,
    removalPolicy: optionalEnum(body, 'removalPolicy', REMOVAL_POLICIES) ?? current.removalPolicy,
    defaultPageSize: optionalNumber(body, 'defaultPageSize', { min: 1, integer: true }) ?? current.defaultPageSize,
    maxPageSize: optionalNumber(body, 'maxPageSize', { min: 1, integer: true }) ?? current.maxPageSize,
    tokenLifetimeSeconds: optionalNumber(body, 'tokenLifetimeSeconds', { min: 1, integer: true }) ?? current.tokenLifetimeSeconds,
  };
  if (next.defaultPageSize > next.maxPageSize) throw invalidField('defaultPageSize', 'defaultPageSize must not exceed maxPageSize.');
  return next;
}
