/**
 * Whether this process exports telemetry, and how it authenticates (docs/observability.md):
 * `APPLICATIONINSIGHTS_CONNECTION_STRING` switches it on (unset: no SDK at all, every instrument a
 * no-op); `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (`ClientId=<guid>;Authorization=AAD`, what
 * infra/main.bicep writes; `Authorization=AAD` alone for a system-assigned identity) makes the
 * exporter send with an Entra token of that managed identity, as the resource accepts no keys.
 */
import { Problem, readSetting, type Env, type SettingProblems } from '../settings/parse';

export interface TelemetryConfig {
  /** Unset: telemetry is off. */
  readonly connectionString?: string;
  /** Entra authentication: `clientId` of a user-assigned identity (undefined: system-assigned). */
  readonly entra?: { readonly clientId?: string };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `Key=value;...` (keys case-insensitive) → the Entra identity, or a Problem saying what is wrong. */
export function parseAuthenticationString(raw: string): TelemetryConfig['entra'] | Problem {
  const fields = new Map<string, string>();
  for (const part of raw.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.indexOf('=');
    if (at <= 0) return new Problem(`must be Key=value pairs separated by ';' (e.g. ClientId=<guid>;Authorization=AAD), not "${part}"`);
    fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const authorization = fields.get('authorization');
  if (authorization?.toUpperCase() !== 'AAD') return new Problem('must contain Authorization=AAD (Entra authentication is the only kind the Application Insights resource accepts)');
  const clientId = fields.get('clientid');
  if (clientId === undefined) return {};
  if (!GUID.test(clientId)) return new Problem(`has ClientId=${clientId}, which is not a GUID (the managed identity's client id)`);
  return { clientId };
}

/** The telemetry settings; every problem recorded at its setting's name. */
export function telemetryConfigFrom(env: Env, problems: SettingProblems): TelemetryConfig {
  const connectionString = readSetting(env, 'APPLICATIONINSIGHTS_CONNECTION_STRING');
  const auth = readSetting(env, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
  if (connectionString !== undefined && !/(^|;)\s*InstrumentationKey\s*=/i.test(connectionString)) {
    problems.add('APPLICATIONINSIGHTS_CONNECTION_STRING', 'Configuration: APPLICATIONINSIGHTS_CONNECTION_STRING must contain InstrumentationKey=<guid> (copy it from the Application Insights resource).');
  }
  const entra = auth === undefined ? undefined : problems.take(env, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', parseAuthenticationString(auth), undefined);
  return { ...(connectionString !== undefined ? { connectionString } : {}), ...(entra !== undefined ? { entra } : {}) };
}
