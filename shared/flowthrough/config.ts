/**
 * Flow-through settings (environment → validated, frozen; fail fast). Operator Connect and DNS
 * connection settings live with their adapters (oc/config.ts, dns/dnsConfig.ts).
 */
import { currentSettings, setCurrentSettings } from '../settings/current';
import { intSetting, SettingProblems, type Env } from '../settings/parse';

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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function profile(env: Env, name: string, problems: SettingProblems): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!GUID.test(raw)) {
    problems.add(name, `Configuration ${name}=${raw} must be a calling profile GUID.`);
    return undefined;
  }
  return raw;
}

/** Reads the flow-through settings, recording every bad one in `problems` (defaults stand in for them). */
export function flowSettingsFrom(env: Env, problems: SettingProblems): FlowSettings {
  const int = (name: string, fallback: number, min: number, max: number): number => problems.take(env, name, intSetting(env, name, fallback, min, max), fallback);
  const callingProfileId = profile(env, 'OC_CALLING_PROFILE_ID', problems);
  const mobileCallingProfileId = profile(env, 'OC_MOBILE_CALLING_PROFILE_ID', problems);
  return Object.freeze({
    followUpMs: int('FLOWTHROUGH_FOLLOW_UP_MS', 15_000, 10, 3_600_000),
    maxOrderSize: int('FLOWTHROUGH_MAX_ORDER_SIZE', 1000, 1, 10_000),
    ambiguousGraceMs: int('FLOWTHROUGH_AMBIGUOUS_GRACE_MS', 120_000, 0, 86_400_000),
    stuckAfterMs: int('FLOWTHROUGH_STUCK_AFTER_MS', 120_000, 0, 86_400_000),
    giveUpAfterMs: int('FLOWTHROUGH_GIVE_UP_AFTER_MS', 86_400_000, 1000, 30 * 86_400_000),
    dnsDriftRepairDelayMs: int('FLOWTHROUGH_DNS_DRIFT_REPAIR_DELAY_MS', 300_000, 0, 86_400_000),
    ...(callingProfileId !== undefined ? { callingProfileId } : {}),
    ...(mobileCallingProfileId !== undefined ? { mobileCallingProfileId } : {}),
  });
}

export function loadFlowSettings(env: Env = process.env): FlowSettings {
  const problems = new SettingProblems();
  const loaded = flowSettingsFrom(env, problems);
  if (!problems.empty) throw new Error(problems.describe());
  return loaded;
}

let cached: FlowSettings | undefined;
export function flowSettings(): FlowSettings {
  const current = currentSettings()?.flow;
  if (current !== undefined) return current;
  cached ??= loadFlowSettings();
  return cached;
}
export function resetFlowSettingsForTests(): void {
  cached = undefined;
  setCurrentSettings(undefined);
}
