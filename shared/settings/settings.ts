/**
 * Every setting the app reads, in one zod schema over the environment, and the one `settings()`
 * accessor. Parsing the schema reads every group this process runs (APP_FUNCTIONS) through the
 * groups' own rules (shared/config.ts, auth/config.ts, lookup/config.ts, flowthrough/config.ts,
 * dns/dnsConfig.ts, oc/config.ts) and records each bad setting as an issue at its name, so start-up
 * fails once, naming every bad setting and why (SettingsError). docs/settings.md is this table.
 */
import { z } from 'zod';
import { FUNCTION_GROUPS, parseAppFunctions, type FunctionGroup } from '../appFunctions';
import { authConfigFrom, type AuthConfig } from '../auth/config';
import { appConfigFrom, type AppConfig } from '../config';
import { flowSettingsFrom, type FlowSettings } from '../flowthrough/config';
import { dnsConfigFrom, type DnsConfig } from '../flowthrough/dns/dnsConfig';
import { loadOcClientSettings, OC_CLIENT_ENV_NAMES, type OcClientSettings } from '../flowthrough/oc/config';
import { lookupSettingsFrom, type LookupSettings } from '../lookup/config';
import { telemetryConfigFrom, type TelemetryConfig } from '../telemetry/config';
import { setCurrentSettings } from './current';
import { SettingProblems, type Env } from './parse';
import { SETTINGS } from './table';

export interface Settings {
  readonly functions: ReadonlySet<FunctionGroup>;
  readonly app: AppConfig;
  readonly auth: AuthConfig;
  /** Read when this process serves the lookup. */
  readonly lookup?: LookupSettings;
  /** Read when this process runs the worker. */
  readonly flow?: FlowSettings;
  readonly dns?: DnsConfig;
  /** Read when the worker runs and OC_API_BASE_URL is set (otherwise Operator Connect is not configured). */
  readonly oc?: OcClientSettings;
  /** Every process: whether (and how) telemetry is exported. */
  readonly telemetry: TelemetryConfig;
}

const rawSettings = z.object(Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, z.string().optional()])) as Record<keyof typeof SETTINGS, z.ZodOptional<z.ZodString>>);

/** The environment → Settings: each group's rules, every problem an issue at its setting's name. */
export const settingsSchema = rawSettings.transform((env, ctx): Settings => {
  const problems = new SettingProblems();
  const functions = problems.check(['APP_FUNCTIONS'], () => parseAppFunctions(env.APP_FUNCTIONS)) ?? new Set(FUNCTION_GROUPS);
  const app = appConfigFrom(env, problems);
  const auth = authConfigFrom(env, problems);
  const telemetry = telemetryConfigFrom(env, problems);
  const lookup = functions.has('lookup') ? lookupSettingsFrom(env, app.drBaseDomain, problems) : undefined;
  const worker = functions.has('worker');
  const flow = worker ? flowSettingsFrom(env, problems) : undefined;
  const dns = worker ? dnsConfigFrom(env, problems) : undefined;
  const oc = worker && env.OC_API_BASE_URL ? problems.check(OC_CLIENT_ENV_NAMES, () => loadOcClientSettings(env)) : undefined;
  for (const problem of problems.list) ctx.addIssue({ code: 'custom', path: [problem.name], message: problem.message });
  if (!problems.empty || auth === undefined) return z.NEVER;
  return Object.freeze({
    functions,
    app,
    auth,
    telemetry,
    ...(lookup !== undefined ? { lookup } : {}),
    ...(flow !== undefined ? { flow } : {}),
    ...(dns !== undefined ? { dns } : {}),
    ...(oc !== undefined ? { oc } : {}),
  });
});

/** Start-up refused: every bad setting, each with its reason. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly { readonly setting: string; readonly message: string }[]) {
    super(`Invalid settings (${problems.length}): ${problems.map((p) => `[${p.setting}] ${p.message}`).join(' ')}`);
    this.name = 'SettingsError';
  }
}

/** Reads and checks every setting of the groups this environment runs; throws SettingsError naming each bad one. */
export function loadSettings(env: Env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new SettingsError(parsed.error.issues.map((issue) => ({ setting: issue.path.join('.'), message: issue.message })));
}

let cached: Settings | undefined;

/** The process's settings, read once (frozen). functions/index.ts reads them first, so a bad deployment fails at start-up. */
export function settings(): Settings {
  cached ??= loadSettings(process.env);
  setCurrentSettings(cached);
  return cached;
}

/** Tests that change the environment between hosts call this. */
export function resetSettingsForTests(): void {
  cached = undefined;
  setCurrentSettings(undefined);
}
