/**
 * The Operator Connect client's pure parts: which failures are retried, Retry-After parsing,
 * backoff, the per-call budget, and settings from the environment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeOcClientSettings, loadOcClientSettings, OC_CLIENT_DEFAULTS, OcConfigurationError, ocClientSettings } from '../../shared/flowthrough/oc/config';
import { defaultOcLogger } from '../../shared/flowthrough/oc/log';
import { verdictFor } from '../../shared/flowthrough/oc/retry';
import { parseRetryAfter } from '../../shared/flowthrough/outboundHttp/retryAfter';
import { backoffDelayMs, planRetry, type RetryPolicy } from '../../shared/flowthrough/outboundHttp/retryPolicy';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const headers = (values: Record<string, string>): Headers => new Headers(values);
const POLICY: RetryPolicy = { maxAttempts: 4, maxTotalWaitMs: 10_000, baseDelayMs: 500, maxDelayMs: 4_000 };

describe('verdictFor', () => {
  it.each([
    [{ type: 'status', status: 401 }, 'reauthenticate', 'reauthenticate'],
    [{ type: 'status', status: 403 }, 'configuration', 'configuration'],
    [{ type: 'status', status: 408 }, 'retry', 'retry'],
    [{ type: 'status', status: 429 }, 'retry', 'retry'],
    [{ type: 'status', status: 500 }, 'retry', 'ambiguous'],
    [{ type: 'status', status: 502 }, 'retry', 'ambiguous'],
    [{ type: 'status', status: 503 }, 'retry', 'ambiguous'],
    [{ type: 'status', status: 504 }, 'retry', 'ambiguous'],
    [{ type: 'status', status: 501 }, 'permanent', 'ambiguous'],
    [{ type: 'status', status: 400 }, 'permanent', 'permanent'],
    [{ type: 'status', status: 404 }, 'permanent', 'permanent'],
    [{ type: 'status', status: 409 }, 'permanent', 'permanent'],
    [{ type: 'timeout' }, 'retry', 'ambiguous'],
    [{ type: 'connection', sent: true }, 'retry', 'ambiguous'],
    [{ type: 'connection', sent: false }, 'retry', 'retry'],
  ] as const)('%j → %s for reads, %s for orders', (failure, idempotent, order) => {
    expect(verdictFor(failure, 'idempotent')).toBe(idempotent);
    expect(verdictFor(failure, 'order')).toBe(order);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '7' }), NOW)).toBe(7000);
    expect(parseRetryAfter(headers({ 'retry-after': '0' }), NOW)).toBe(0);
  });
  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter(headers({ 'retry-after': new Date(NOW + 4000).toUTCString() }), NOW)).toBe(4000);
    expect(parseRetryAfter(headers({ 'retry-after': new Date(NOW - 4000).toUTCString() }), NOW)).toBe(0);
  });
  it('prefers the millisecond headers of Azure services', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(parseRetryAfter(headers({ 'x-ms-retry-after-ms': '1500' }), NOW)).toBe(1500);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': '-5' }), NOW)).toBeUndefined();
  });
});

describe('backoff and budget', () => {
  it('full jitter: uniform below a ceiling that doubles up to maxDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, POLICY, () => 0.999999))).toEqual([499, 999, 1999, 3999, 3999]);
    expect(backoffDelayMs(3, POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(3, POLICY, () => 0.5)).toBe(1000);
  });

  it('gives up after maxAttempts, passing on the server-named wait', () => {
    expect(planRetry(POLICY, { failedAttempts: 4, waitedMs: 0 }, 2000, () => 0.5)).toEqual({ retry: false, reason: 'attempts', retryAfterMs: 2000 });
    expect(planRetry(POLICY, { failedAttempts: 4, waitedMs: 0 }, undefined, () => 0.5)).toEqual({ retry: false, reason: 'attempts' });
  });

  it('waits as the server asks while it fits the budget, and hands it back when it does not', () => {
    expect(planRetry(POLICY, { failedAttempts: 1, waitedMs: 7000 }, 3000, () => 0.5)).toEqual({ retry: true, waitMs: 3000 });
    expect(planRetry(POLICY, { failedAttempts: 1, waitedMs: 7001 }, 3000, () => 0.5)).toEqual({ retry: false, reason: 'budget', retryAfterMs: 3000 });
  });

  it('shrinks its own backoff to what is left of the budget', () => {
    expect(planRetry(POLICY, { failedAttempts: 3, waitedMs: 9_500 }, undefined, () => 0.999)).toEqual({ retry: true, waitMs: 500 });
  });
});

describe('settings', () => {
  const FORM_ENV: NodeJS.ProcessEnv = {
    OC_API_BASE_URL: 'http://127.0.0.1:7072/oc/v1/',
    OC_SCOPE: 'api://oc-sim/.default',
    OC_AUTH_MODE: 'client-secret-form',
    OC_TOKEN_AUTHORITY: 'http://127.0.0.1:7072',
    OC_TENANT_ID: 'operator-tenant',
    OC_CLIENT_ID: 'sim-client',
    OC_CLIENT_SECRET: 'sim-only-secret',
  };

  it('loads the simulator settings from the environment with defaults, frozen', () => {
    const settings = loadOcClientSettings(FORM_ENV);
    expect(settings).toEqual({
      apiBaseUrl: 'http://127.0.0.1:7072/oc/v1',
      scope: 'api://oc-sim/.default',
      auth: { mode: 'client-secret-form', tokenUrl: 'http://127.0.0.1:7072/operator-tenant/oauth2/v2.0/token', clientId: 'sim-client', clientSecret: 'sim-only-secret' },
      callTimeoutMs: OC_CLIENT_DEFAULTS.callTimeoutMs,
      retry: OC_CLIENT_DEFAULTS.retry,
      tokenRefreshMarginMs: OC_CLIENT_DEFAULTS.tokenRefreshMarginMs,
    });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.auth)).toBe(true);
    expect(Object.isFrozen(settings.retry)).toBe(true);
  });

  it('reads the tuning variables', () => {
    const settings = loadOcClientSettings({ ...FORM_ENV, OC_CALL_TIMEOUT_MS: '5000', OC_RETRY_MAX_ATTEMPTS: '2', OC_RETRY_MAX_WAIT_MS: '0', OC_RETRY_BASE_DELAY_MS: '100', OC_RETRY_MAX_DELAY_MS: '200', OC_TOKEN_REFRESH_MARGIN_MS: '60000' });
    expect(settings).toMatchObject({ callTimeoutMs: 5000, retry: { maxAttempts: 2, maxTotalWaitMs: 0, baseDelayMs: 100, maxDelayMs: 200 }, tokenRefreshMarginMs: 60000 });
  });

  it('lists every problem at once, named by variable', () => {
    let error: unknown;
    try {
      loadOcClientSettings({ OC_AUTH_MODE: 'client-secret', OC_TOKEN_AUTHORITY: 'http://login.example.com', OC_RETRY_MAX_ATTEMPTS: 'many', OC_CALL_TIMEOUT_MS: '1' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OcConfigurationError);
    const message = (error as Error).message;
    for (const name of ['OC_API_BASE_URL', 'OC_SCOPE', 'OC_TENANT_ID', 'OC_CLIENT_ID', 'OC_CLIENT_SECRET', 'OC_RETRY_MAX_ATTEMPTS', 'OC_CALL_TIMEOUT_MS']) expect(message).toContain(name);
    expect(message).toContain('OC_TOKEN_AUTHORITY must use https (@azure/identity refuses http; use client-secret-form locally)');
  });

  it('requires a known OC_AUTH_MODE', () => {
    expect(() => loadOcClientSettings({ ...FORM_ENV, OC_AUTH_MODE: undefined })).toThrow(/OC_AUTH_MODE must be one of managed-identity, client-secret, client-certificate, client-secret-form/);
    expect(() => loadOcClientSettings({ ...FORM_ENV, OC_AUTH_MODE: 'password' })).toThrow(/\(got password\)/);
  });

  it('refuses plain http except on loopback', () => {
    expect(() => loadOcClientSettings({ ...FORM_ENV, OC_API_BASE_URL: 'http://oc.example.net/oc/v1' })).toThrow(/OC_API_BASE_URL must use https/);
    expect(() => loadOcClientSettings({ ...FORM_ENV, OC_TOKEN_AUTHORITY: 'http://login.example.net' })).toThrow(/OC_TOKEN_AUTHORITY must use https/);
    expect(() => loadOcClientSettings({ ...FORM_ENV, OC_API_BASE_URL: 'https://oc.example.net/oc/v1?x=1' })).toThrow(/query or fragment/);
  });

  it('managed identity takes OC_CLIENT_ID, else AZURE_CLIENT_ID, else system-assigned, and refuses leftover secrets', () => {
    const base = { OC_API_BASE_URL: 'https://oc.example.net/oc/v1', OC_SCOPE: 'api://oc/.default', OC_AUTH_MODE: 'managed-identity' };
    expect(loadOcClientSettings({ ...base, AZURE_CLIENT_ID: 'uami' }).auth).toEqual({ mode: 'managed-identity', clientId: 'uami' });
    expect(loadOcClientSettings({ ...base, AZURE_CLIENT_ID: 'uami', OC_CLIENT_ID: 'oc-uami' }).auth).toEqual({ mode: 'managed-identity', clientId: 'oc-uami' });
    expect(loadOcClientSettings(base).auth).toEqual({ mode: 'managed-identity' });
    expect(() => loadOcClientSettings({ ...base, OC_CLIENT_SECRET: 'left-over' })).toThrow(/OC_CLIENT_SECRET is set but OC_AUTH_MODE=managed-identity does not use it/);
  });

  it('checks that a certificate file exists', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-cert-'));
    try {
      const certificatePath = path.join(dir, 'oc.pem');
      const env = { OC_API_BASE_URL: 'https://oc.example.net', OC_SCOPE: 'api://oc/.default', OC_AUTH_MODE: 'client-certificate', OC_TENANT_ID: 'contoso.onmicrosoft.com', OC_CLIENT_ID: 'app', OC_CLIENT_CERTIFICATE_PATH: certificatePath };
      expect(() => loadOcClientSettings(env)).toThrow(/OC_CLIENT_CERTIFICATE_PATH .* does not exist/);
      writeFileSync(certificatePath, 'not read at load time');
      expect(loadOcClientSettings(env).auth).toEqual({ mode: 'client-certificate', authorityHost: 'https://login.microsoftonline.com', tenantId: 'contoso.onmicrosoft.com', clientId: 'app', certificatePath });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds settings in code from a token URL, and validates them the same way', () => {
    const settings = ocClientSettings({ apiBaseUrl: 'http://localhost:1/oc/v1', scope: 's/.default', auth: { mode: 'client-secret-form', tokenUrl: 'http://localhost:1/t/oauth2/v2.0/token', clientId: 'c', clientSecret: 'x' }, retry: { maxAttempts: 1 } });
    expect(settings.retry).toEqual({ ...OC_CLIENT_DEFAULTS.retry, maxAttempts: 1 });
    expect(() => ocClientSettings({ apiBaseUrl: 'nope', scope: 'a b', auth: { mode: 'client-secret-form', tokenUrl: 'http://localhost:1/t', clientId: '', clientSecret: 'x' }, retry: { baseDelayMs: 10, maxDelayMs: 5 } })).toThrow(
      /apiBaseUrl is not a valid URL; scope must be a single scope; auth.clientId is required; retry.maxDelayMs must not be below retry.baseDelayMs/,
    );
  });

  it('describes settings for logs without the secret', () => {
    const text = JSON.stringify(describeOcClientSettings(loadOcClientSettings(FORM_ENV)));
    expect(text).toContain('sim-client');
    expect(text).not.toContain('sim-only-secret');
  });
});

describe('defaultOcLogger', () => {
  it('prints per-attempt debug lines only with OC_CLIENT_LOG=1, warnings always, as JSON', () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const entry = { level: 'debug', event: 'oc.call', method: 'GET', route: '/consents', status: 200, outcome: 'ok' } as const;
      defaultOcLogger({})(entry);
      expect(debug).not.toHaveBeenCalled();
      defaultOcLogger({ OC_CLIENT_LOG: '1' })(entry);
      expect(JSON.parse(debug.mock.calls[0]?.[0] as string)).toEqual(entry);
      defaultOcLogger({})({ ...entry, level: 'warn', outcome: 'configuration', status: 403 });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      debug.mockRestore();
      warn.mockRestore();
    }
  });
});
