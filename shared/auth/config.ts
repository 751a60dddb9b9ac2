/**
 * Bearer-token settings, read once at start-up and failing fast (D16: audience and issuer are
 * configuration, never hard-coded). There is deliberately no switch that turns authentication off.
 */

import { intSetting, isProblem, listItems, readSetting, SettingProblems, type Env } from '../settings/parse';

export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export const AUTH_ENV_NAMES = [
  'AUTH_TENANT_ID',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URI',
  'AUTH_CLOCK_SKEW_SECONDS',
  'AUTH_ALGORITHMS',
] as const;

export interface AuthConfig {
  readonly tenantId?: string;
  /** Accepted `iss` values; more than one lets Entra v1 (sts.windows.net) and v2 tokens coexist. */
  readonly issuers: readonly string[];
  /** Accepted `aud` values. */
  readonly audiences: readonly string[];
  readonly jwksUri: string;
  readonly clockSkewSeconds: number;
  readonly algorithms: readonly SigningAlgorithm[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const DEFAULT_CLOCK_SKEW_SECONDS = 60;
const MAX_CLOCK_SKEW_SECONDS = 300;
const DEFAULT_ALGORITHMS = 'RS256,ES256';

/** Plain http is tolerated only on the loopback interface (the dev issuer); anything else must be https. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '127.0.0.1';
  } catch {
    return false;
  }
}

function fail(message: string): never {
  throw new Error(`Invalid authentication configuration: ${message}`);
}

const read = readSetting;

function list(value: string): string[] {
  return [...new Set(listItems(value).filter((item) => item !== ''))];
}

function requireSecureUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`${name} is not a valid URL`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackUrl(value)) return;
  fail(`${name} must use https (plain http is allowed only for localhost/127.0.0.1)`);
}

function parseTenant(env: NodeJS.ProcessEnv): string | undefined {
  const tenant = read(env, 'AUTH_TENANT_ID');
  if (tenant !== undefined && !GUID.test(tenant)) {
    // Names like "common" or "organizations" would accept tokens from any tenant.
    fail('AUTH_TENANT_ID must be a directory (tenant) GUID');
  }
  return tenant?.toLowerCase();
}

function parseIssuers(env: NodeJS.ProcessEnv, tenant: string | undefined): string[] {
  const configured = read(env, 'AUTH_ISSUER');
  if (configured === undefined) {
    if (tenant === undefined) fail('set AUTH_TENANT_ID or AUTH_ISSUER');
    return [`https://login.microsoftonline.com/${tenant}/v2.0`];
  }
  const issuers = list(configured);
  if (issuers.length === 0) fail('AUTH_ISSUER is empty');
  for (const issuer of issuers) {
    requireSecureUrl('AUTH_ISSUER', issuer);
    if (tenant === undefined) continue;
    // Entra issuers embed the tenant GUID; a different (or no) GUID means the settings disagree.
    const guids = (issuer.match(GUID_ANYWHERE) ?? []).map((guid) => guid.toLowerCase());
    if (guids.length === 0 || guids.some((guid) => guid !== tenant)) {
      fail(`AUTH_ISSUER ${issuer} does not belong to AUTH_TENANT_ID ${tenant}`);
    }
  }
  return issuers;
}

function parseAudiences(env: NodeJS.ProcessEnv): string[] {
  const configured = read(env, 'AUTH_AUDIENCE');
  const audiences = configured === undefined ? [] : list(configured);
  if (audiences.length === 0) fail('AUTH_AUDIENCE is required (the API application ID URI or client id)');
  return audiences;
}

function parseJwksUri(env: NodeJS.ProcessEnv, tenant: string | undefined): string {
  const configured = read(env, 'AUTH_JWKS_URI');
  if (configured === undefined) {
    if (tenant === undefined) fail('AUTH_JWKS_URI is required when AUTH_TENANT_ID is not set');
    return `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`;
  }
  requireSecureUrl('AUTH_JWKS_URI', configured);
  return configured;
}

function parseClockSkew(env: NodeJS.ProcessEnv): number {
  const seconds = intSetting(env, 'AUTH_CLOCK_SKEW_SECONDS', DEFAULT_CLOCK_SKEW_SECONDS, 0, MAX_CLOCK_SKEW_SECONDS);
  if (isProblem(seconds)) fail(`AUTH_CLOCK_SKEW_SECONDS ${seconds.reason}`);
  return seconds;
}

function parseAlgorithms(env: NodeJS.ProcessEnv): SigningAlgorithm[] {
  const names = list(read(env, 'AUTH_ALGORITHMS') ?? DEFAULT_ALGORITHMS);
  if (names.length === 0) fail('AUTH_ALGORITHMS is empty');
  for (const name of names) {
    // Named explicitly: "none" disables signatures and HS* would let a public key act as an HMAC secret.
    if (name.toLowerCase() === 'none' || /^HS/i.test(name)) {
      fail(`AUTH_ALGORITHMS must not contain ${name} (only asymmetric signature algorithms are accepted)`);
    }
    if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(name)) {
      fail(`AUTH_ALGORITHMS contains unsupported ${name}; allowed: ${ALLOWED_ALGORITHMS.join(', ')}`);
    }
  }
  return names as SigningAlgorithm[];
}

/** Reads the token settings, recording every bad one in `problems`; undefined when any is bad. */
export function authConfigFrom(env: Env, problems: SettingProblems): AuthConfig | undefined {
  const before = problems.list.length;
  if (read(env, 'AUTH_DISABLED') !== undefined) {
    // Refused rather than ignored, so nobody believes authentication is off when it is not (or vice versa).
    problems.check(['AUTH_DISABLED'], () => fail('AUTH_DISABLED is not supported: authentication cannot be switched off (use the dev issuer locally)'));
  }
  const tenantBefore = problems.list.length;
  const tenantId = problems.check(['AUTH_TENANT_ID'], () => parseTenant(env));
  // The issuer and key URL rules depend on the tenant: checked only against a valid one.
  const tenantValid = problems.list.length === tenantBefore;
  const issuers = tenantValid ? problems.check(['AUTH_ISSUER', 'AUTH_TENANT_ID'], () => parseIssuers(env, tenantId)) : undefined;
  const audiences = problems.check(['AUTH_AUDIENCE'], () => parseAudiences(env));
  const jwksUri = tenantValid ? problems.check(['AUTH_JWKS_URI', 'AUTH_TENANT_ID'], () => parseJwksUri(env, tenantId)) : undefined;
  const clockSkewSeconds = problems.check(['AUTH_CLOCK_SKEW_SECONDS'], () => parseClockSkew(env));
  const algorithms = problems.check(['AUTH_ALGORITHMS'], () => parseAlgorithms(env));
  if (problems.list.length > before || issuers === undefined || audiences === undefined || jwksUri === undefined || clockSkewSeconds === undefined || algorithms === undefined) {
    return undefined;
  }
  const config: AuthConfig = {
    ...(tenantId !== undefined ? { tenantId } : {}),
    issuers: Object.freeze(issuers),
    audiences: Object.freeze(audiences),
    jwksUri,
    clockSkewSeconds,
    algorithms: Object.freeze(algorithms),
  };
  return Object.freeze(config);
}

/** Throws naming every bad AUTH_* setting. */
export function loadAuthConfig(env: Env): AuthConfig {
  const problems = new SettingProblems();
  const config = authConfigFrom(env, problems);
  if (config === undefined) throw new Error(problems.describe());
  return config;
}
