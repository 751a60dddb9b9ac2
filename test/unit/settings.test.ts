/** The settings schema (shared/settings/): every setting at once, the table, and the docs. */
import fs from 'node:fs';
import path from 'node:path';
import { appFunctions } from '../../shared/appFunctions';
import { config } from '../../shared/config';
import { flowSettings } from '../../shared/flowthrough/config';
import { lookupSettings } from '../../shared/lookup/config';
import { loadSettings, resetSettingsForTests, settings, SettingsError } from '../../shared/settings/settings';
import { SETTINGS } from '../../shared/settings/table';
import { validateGroupSettings } from '../../shared/startupChecks';
import { sourceSettings } from '../infra/codeSettings';

const GOOD = {
  TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  AUTH_ISSUER: 'http://127.0.0.1:7071/dev-issuer',
  AUTH_AUDIENCE: 'api://voice-provisioning',
  AUTH_JWKS_URI: 'http://127.0.0.1:7071/dev-issuer/keys',
};

function failure(env: Record<string, string>): SettingsError {
  try {
    loadSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error('the settings were accepted');
}

describe('start-up settings', () => {
  it('accepts a minimal local environment, with the documented defaults', () => {
    const settings = loadSettings(GOOD);
    expect([...settings.functions]).toEqual(['api', 'worker', 'lookup']);
    expect(settings.app.maxBodyBytes).toBe(1024 * 1024);
    expect(settings.lookup?.routing.ttlSeconds).toBe(1);
    expect(settings.flow?.maxOrderSize).toBe(1000);
    expect(settings.dns).toEqual({ backend: 'local' });
    expect(settings.oc).toBeUndefined();
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('reports three bad settings of three groups at once, each with its reason', () => {
    const err = failure({ ...GOOD, MAX_BODY_BYTES: '12', LOOKUP_TTL_SECONDS: 'soon', AUTH_CLOCK_SKEW_SECONDS: '301' });
    expect(err.problems.map((p) => p.setting).sort()).toEqual(['AUTH_CLOCK_SKEW_SECONDS', 'LOOKUP_TTL_SECONDS', 'MAX_BODY_BYTES']);
    expect(err.message).toMatch(/^Invalid settings \(3\): /);
    expect(err.message).toContain('MAX_BODY_BYTES=12 must be an integer from 1024 to 104857600');
    expect(err.message).toContain('LOOKUP_TTL_SECONDS=soon must be an integer from 0 to 300');
    expect(err.message).toContain('AUTH_CLOCK_SKEW_SECONDS must be an integer from 0 to 300');
  });

  it('reports every bad setting of one group too', () => {
    const err = failure({ ...GOOD, LOOKUP_FEED_POLL_MS: '5', LOOKUP_CUSTOM_HEADER_ENABLED: 'yes', LOOKUP_HEADER_NAME: 'bad header', FLOWTHROUGH_MAX_ORDER_SIZE: '0' });
    expect(err.problems.map((p) => p.setting).sort()).toEqual(['FLOWTHROUGH_MAX_ORDER_SIZE', 'LOOKUP_CUSTOM_HEADER_ENABLED', 'LOOKUP_FEED_POLL_MS', 'LOOKUP_HEADER_NAME']);
  });

  it('reports every bad AUTH_* and DNS_* setting, not only the first of the group', () => {
    const err = failure({
      ...GOOD,
      AUTH_CLOCK_SKEW_SECONDS: '1m',
      AUTH_ALGORITHMS: 'HS256',
      AUTH_JWKS_URI: 'http://keys.example.com/keys',
      DNS_BACKEND: 'azure',
      DNS_ZONE_SUBSCRIPTION_ID: 'my-subscription',
      DNS_ZONE_RESOURCE_GROUP: 'rg.',
      DNS_ZONE_NAME: 'not a zone',
    });
    expect(err.problems.map((p) => p.setting).sort()).toEqual([
      'AUTH_ALGORITHMS',
      'AUTH_CLOCK_SKEW_SECONDS',
      'AUTH_JWKS_URI',
      'DNS_ZONE_NAME',
      'DNS_ZONE_RESOURCE_GROUP',
      'DNS_ZONE_SUBSCRIPTION_ID',
      'DR_BASE_DOMAIN',
    ]);
    expect(err.message).toContain('DR_BASE_DOMAIN is required when DNS_BACKEND=azure');
  });

  it('checks only the groups this process runs', () => {
    expect(() => loadSettings({ ...GOOD, APP_FUNCTIONS: 'api', LOOKUP_TTL_SECONDS: 'soon', FLOWTHROUGH_MAX_ORDER_SIZE: '0' })).not.toThrow();
    expect(failure({ ...GOOD, APP_FUNCTIONS: 'lookup', LOOKUP_TTL_SECONDS: 'soon', FLOWTHROUGH_MAX_ORDER_SIZE: '0' }).problems.map((p) => p.setting)).toEqual(['LOOKUP_TTL_SECONDS']);
    expect(failure({ ...GOOD, APP_FUNCTIONS: 'api,lookups' }).problems.map((p) => p.setting)).toEqual(['APP_FUNCTIONS']);
  });

  it('is what start-up runs (validateGroupSettings), storage and auth included', () => {
    const err = (() => {
      try {
        validateGroupSettings({ APP_FUNCTIONS: 'worker', DNS_BACKEND: 'route53' });
      } catch (e) {
        return e as SettingsError;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(SettingsError);
    expect(err.message).toContain('set TABLES_CONNECTION_STRING (local) or TABLES_ENDPOINT');
    expect(err.message).toContain('set AUTH_TENANT_ID or AUTH_ISSUER');
    expect(err.message).toContain('DNS_BACKEND=route53 is not supported');
  });
});

describe('settings() and the group accessors', () => {
  const saved = { ...process.env };
  afterEach(() => {
    resetSettingsForTests();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('after start-up, config(), lookupSettings(), flowSettings() and appFunctions() are views of the one frozen settings()', () => {
    Object.assign(process.env, GOOD, { LOOKUP_TTL_SECONDS: '7', FLOWTHROUGH_MAX_ORDER_SIZE: '42', MAX_BODY_BYTES: '2048', APP_FUNCTIONS: 'lookup,worker' });
    const started = validateGroupSettings(process.env);
    expect(started).toBe(settings());
    expect(settings()).toBe(settings()); // read once
    expect(config()).toBe(started.app);
    expect(config().maxBodyBytes).toBe(2048);
    expect(lookupSettings()).toBe(started.lookup);
    expect(lookupSettings().routing.ttlSeconds).toBe(7);
    expect(flowSettings()).toBe(started.flow);
    expect(flowSettings().maxOrderSize).toBe(42);
    expect(appFunctions()).toBe(started.functions);
    process.env.MAX_BODY_BYTES = '4096';
    expect(config().maxBodyBytes).toBe(2048); // loaded once per process
    resetSettingsForTests();
    expect(settings().app.maxBodyBytes).toBe(4096);
  });
});

describe('the settings table', () => {
  it('names every setting the source reads (no read bypasses the schema)', () => {
    const outside = [...sourceSettings().read].filter(([name]) => !(name in SETTINGS)).map(([name, where]) => `${name} (${where})`);
    expect(outside).toEqual([]);
  });

  it('is what docs/settings.md lists, name for name', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/settings.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Za-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(SETTINGS));
  });
});
