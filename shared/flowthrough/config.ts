/**
 * Flow-through settings (environment → validated, frozen; fail fast). Operator Connect and DNS
 * connection settings live with their adapters (oc/config.ts, dns/dnsConfig.ts).
 */
export interface FlowSettings {
  /** Delay of the follow-up kick while orders are in flight (Operator Connect orders take seconds to minutes). */
  readonly followUpMs: number;
  /** Numbers per upload/release order (batched so API calls per number stay far below 1). */
  readonly maxOrderSize: number;
  /** A submission whose outcome is unknown is treated as "never happened" only after this long. */
  readonly ambiguousGraceMs: number;
  /** The sweeper re-kicks resources still `pending` this long after their last change. */
  readonly stuckAfterMs: number;
  /** After this long `pending`, the sweeper gives up: the resource becomes `failed` (ProvisioningTimedOut). */
  readonly giveUpAfterMs: number;
  /** Drift found by the sweeper's DNS audit is shown as `inconsistent` this long before it is repaired. */
  readonly dnsDriftRepairDelayMs: number;
  /** Calling profiles to upload into; discovered from Operator Connect when not set. */
  readonly callingProfileId?: string;
  readonly mobileCallingProfileId?: string;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`Configuration ${name}=${raw} is invalid: expected an integer from ${min} to ${max}.`);
  return value;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function profile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!GUID.test(raw)) throw new Error(`Configuration ${name}=${raw} must be a calling profile GUID.`);
  return raw;
}

export function loadFlowSettings(env: NodeJS.ProcessEnv = process.env): FlowSettings {
  const callingProfileId = profile(env, 'OC_CALLING_PROFILE_ID');
  const mobileCallingProfileId = profile(env, 'OC_MOBILE_CALLING_PROFILE_ID');
  return Object.freeze({
    followUpMs: int(env, 'FLOWTHROUGH_FOLLOW_UP_MS', 15_000, 10, 3_600_000),
    maxOrderSize: int(env, 'FLOWTHROUGH_MAX_ORDER_SIZE', 1000, 1, 10_000),
    ambiguousGraceMs: int(env, 'FLOWTHROUGH_AMBIGUOUS_GRACE_MS', 120_000, 0, 86_400_000),
    stuckAfterMs: int(env, 'FLOWTHROUGH_STUCK_AFTER_MS', 120_000, 0, 86_400_000),
    giveUpAfterMs: int(env, 'FLOWTHROUGH_GIVE_UP_AFTER_MS', 86_400_000, 1000, 30 * 86_400_000),
    dnsDriftRepairDelayMs: int(env, 'FLOWTHROUGH_DNS_DRIFT_REPAIR_DELAY_MS', 300_000, 0, 86_400_000),
    ...(callingProfileId !== undefined ? { callingProfileId } : {}),
    ...(mobileCallingProfileId !== undefined ? { mobileCallingProfileId } : {}),
  });
}

let cached: FlowSettings | undefined;
export function flowSettings(): FlowSettings {
  cached ??= loadFlowSettings();
  return cached;
}
export function resetFlowSettingsForTests(): void {
  cached = undefined;
}
