/**
 * The shared outbound-call pieces (shared/flowthrough/outboundHttp/): the strict Retry-After reader
 * and the token cache used by the Operator Connect client and the Azure DNS adapter. The retry
 * policy's numbers are pinned in ocClientPolicy.test.ts and through both adapters' tests.
 */
import { parseHttpDate, parseRetryAfter, retryAfterValueMs } from '../../shared/flowthrough/outboundHttp/retryAfter';
import { cachingTokenProvider, type TokenGrant } from '../../shared/flowthrough/outboundHttp/tokenCache';

const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);
const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('Retry-After, strictly', () => {
  it('refuses delay-seconds with anything around the digits', () => {
    for (const value of ['5abc', 'abc5', '5 s', '5.5', '+5', '-5', '0x10', '5e3']) {
      expect([value, retryAfterValueMs(value, NOW)]).toEqual([value, undefined]);
    }
  });

  it('refuses a garbled millisecond header and falls through to Retry-After', () => {
    for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
      expect(parseRetryAfter(headers({ [name]: '5abc', 'retry-after': '9' }), NOW)).toBe(9000);
      expect(parseRetryAfter(headers({ [name]: 'x5', 'retry-after': '9' }), NOW)).toBe(9000);
      expect(parseRetryAfter(headers({ [name]: '1.5' }), NOW)).toBeUndefined();
    }
    expect(parseRetryAfter(headers({ 'retry-after': '5abc' }), NOW)).toBeUndefined();
  });

  it('reads all three HTTP-date forms as GMT, whatever the local time zone', () => {
    expect(retryAfterValueMs('Thu, 01 Jan 2026 00:00:10 GMT', NOW)).toBe(10_000);
    expect(retryAfterValueMs('Thursday, 01-Jan-26 00:00:20 GMT', NOW)).toBe(20_000);
    expect(retryAfterValueMs('Thu Jan  1 00:00:30 2026', NOW)).toBe(30_000);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('refuses what Date.parse would guess at: partial dates, other zones, impossible days', () => {
    for (const value of ['5 Jan', 'Jan 2026', '2026-01-01T00:00:10Z', 'Thu, 01 Jan 2026 00:00:10 CET', 'Tue, 31 Feb 2026 00:00:00 GMT', 'Thu, 01 Jan 2026 24:00:00 GMT', 'soon']) {
      expect([value, retryAfterValueMs(value, NOW)]).toEqual([value, undefined]);
    }
  });

  it('trims surrounding whitespace and never returns a negative wait', () => {
    expect(retryAfterValueMs(' 7 ', NOW)).toBe(7000);
    expect(retryAfterValueMs('Wed, 31 Dec 2025 23:59:00 GMT', NOW)).toBe(0);
    expect(retryAfterValueMs(null, NOW)).toBeUndefined();
    expect(retryAfterValueMs('', NOW)).toBeUndefined();
  });
});

describe('token cache', () => {
  let clock: number;
  let issued: number;
  let next: () => Promise<TokenGrant>;
  const source = () => {
    issued++;
    return next();
  };
  const grant = (lifetimeMs: number): Promise<TokenGrant> => Promise.resolve({ token: `t${issued}`, expiresAtMs: clock + lifetimeMs });

  beforeEach(() => {
    clock = 1_000_000;
    issued = 0;
    next = () => grant(3_600_000);
  });
  const cache = (isFatal?: (err: unknown) => boolean) =>
    cachingTokenProvider(source, { now: () => clock, refreshMarginMs: 300_000, ...(isFatal !== undefined ? { isFatal } : {}) });

  it('reuses the token until the refresh margin before expiry', async () => {
    const tokens = cache();
    await expect(tokens.getToken()).resolves.toBe('t1');
    clock += 3_300_000 - 1;
    await expect(tokens.getToken()).resolves.toBe('t1');
    clock += 1;
    await expect(tokens.getToken()).resolves.toBe('t2');
  });

  it('refreshes a short-lived token at half its lifetime rather than at once', async () => {
    next = () => grant(60_000);
    const tokens = cache();
    await tokens.getToken();
    clock += 29_999;
    await expect(tokens.getToken()).resolves.toBe('t1');
    clock += 1;
    await expect(tokens.getToken()).resolves.toBe('t2');
  });

  it('shares one refresh between concurrent callers', async () => {
    let release: (g: TokenGrant) => void = () => undefined;
    next = () => new Promise((resolve) => (release = resolve));
    const tokens = cache();
    const waiting = Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    release({ token: 'shared', expiresAtMs: clock + 3_600_000 });
    await expect(waiting).resolves.toEqual(['shared', 'shared', 'shared']);
    expect(issued).toBe(1);
  });

  it('drops a rejected token only if it is still the cached one', async () => {
    const tokens = cache();
    await tokens.getToken();
    tokens.invalidate('someone-elses');
    await expect(tokens.getToken()).resolves.toBe('t1');
    tokens.invalidate('t1');
    await expect(tokens.getToken()).resolves.toBe('t2');
  });

  it('rides out a failed refresh with the still-valid token, but not a fatal failure or an expired token', async () => {
    const tokens = cache((err) => err instanceof Error && err.message === 'revoked');
    await tokens.getToken();
    clock += 3_400_000; // due for refresh, not yet expired
    next = () => Promise.reject(new Error('blip'));
    await expect(tokens.getToken()).resolves.toBe('t1');
    next = () => Promise.reject(new Error('revoked'));
    await expect(tokens.getToken()).rejects.toThrow('revoked');
    clock += 200_000; // expired
    next = () => Promise.reject(new Error('blip'));
    await expect(tokens.getToken()).rejects.toThrow('blip');
  });
});
