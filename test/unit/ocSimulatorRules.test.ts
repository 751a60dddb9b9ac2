/**
 * The Operator Connect simulator's pure rules, without HTTP: number countries, the virtual clock, the
 * token bucket, route templates and token verification.
 */
import { VirtualClock } from '../../dev/ocSimulator/clock';
import { countryOfNumber, isE164 } from '../../dev/ocSimulator/countries';
import { RouteTable } from '../../dev/ocSimulator/router';
import { TokenBucketThrottle } from '../../dev/ocSimulator/throttle';
import { signAccessToken, verifyAccessToken } from '../../dev/ocSimulator/tokens';
import { simNumber, SIM_NUMBER_RANGES } from '../../dev/ocSimulator';

describe('number countries', () => {
  it.each([
    ['+14255550100', undefined, { known: true, isoCountryCode: 'US', tollFree: false }],
    ['+14165550100', undefined, { known: true, isoCountryCode: 'CA', tollFree: false }],
    ['+16045550100', undefined, { known: true, isoCountryCode: 'CA', tollFree: false }],
    ['+18885550100', 'CA', { known: true, isoCountryCode: 'CA', tollFree: true }],
    ['+18335550100', 'us', { known: true, isoCountryCode: 'US', tollFree: true }],
    ['+442071234567', undefined, { known: true, isoCountryCode: 'GB', tollFree: false }],
    ['+448081234567', undefined, { known: true, isoCountryCode: 'GB', tollFree: true }],
    ['+61212345678', undefined, { known: true, isoCountryCode: 'AU', tollFree: false }],
    ['+611800123456', undefined, { known: true, isoCountryCode: 'AU', tollFree: true }],
    ['+4930123456', undefined, { known: true, isoCountryCode: 'DE', tollFree: false }],
    ['+33123456789', undefined, { known: true, isoCountryCode: 'FR', tollFree: false }],
    ['+97231234567', undefined, { known: true, isoCountryCode: 'IL', tollFree: false }],
    ['+35312345678', undefined, { known: true, isoCountryCode: 'IE', tollFree: false }],
  ])('%s (displayed %s) is %j', (telephoneNumber, displayed, expected) => {
    expect(countryOfNumber(telephoneNumber, displayed)).toEqual(expected);
  });

  it.each([
    ['+18005550100', undefined],
    ['+18005550100', 'GB'],
    ['+8613812345678', undefined],
    ['+1425555010', undefined],
  ])('%s (displayed %s) has no country', (telephoneNumber, displayed) => {
    expect(countryOfNumber(telephoneNumber, displayed)).toEqual({ known: false, reason: expect.any(String) });
  });

  it('accepts only + and up to 15 digits without a leading zero', () => {
    expect(['+14255550100', '+123456789012345'].every(isE164)).toBe(true);
    expect(['14255550100', '+04255550100', '+1234567890123456', '+1 425 555 0100', '+'].some(isE164)).toBe(false);
  });

  it('numbers ranges from their first number', () => {
    expect(simNumber(SIM_NUMBER_RANGES.US, 3)).toBe('+14255550203');
    expect(() => simNumber(SIM_NUMBER_RANGES.US, 100)).toThrow(RangeError);
  });
});

describe('virtual clock', () => {
  it('stands still in manual mode until advanced', () => {
    let real = 0;
    const clock = new VirtualClock('manual', 1_000, 1, () => real);
    real = 5_000;
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('follows real time, scaled, in real mode, plus any advance', () => {
    let real = 100;
    const clock = new VirtualClock('real', 1_000, 10, () => real);
    real = 150;
    expect(clock.now()).toBe(1_500);
    clock.advance(1_000);
    expect(clock.now()).toBe(2_500);
    expect(clock.toRealMs(1_000)).toBe(100);
  });
});

describe('token bucket', () => {
  it('allows perMinute calls at once, then one more per 60000/perMinute ms, exactly', () => {
    const bucket = new TokenBucketThrottle();
    for (let call = 0; call < 3; call++) expect(bucket.take('app', 0, 3).allowed).toBe(true);
    expect(bucket.take('app', 0, 3)).toEqual({ allowed: false, retryAfterMs: 20_000 });
    expect(bucket.take('app', 19_999, 3)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(bucket.take('app', 20_000, 3).allowed).toBe(true);
    expect(bucket.take('other', 20_000, 3).allowed).toBe(true);
    expect(bucket.take('app', 20_000, null).allowed).toBe(true);
  });
});

describe('route templates', () => {
  const table = new RouteTable([
    { method: 'GET', pattern: '/tenants/{tenantId}/numbers/{telephoneNumber}', handler: 'get' },
    { method: 'POST', pattern: '/consents/{tenantId}:suspend', handler: 'suspend' },
    { method: 'GET', pattern: '/consents/{tenantId}', handler: 'consent' },
  ]);

  it('extracts decoded parameters and action suffixes', () => {
    expect(table.resolve('GET', '/tenants/t1/numbers/%2B14255550100')).toMatchObject({ kind: 'found', params: { tenantId: 't1', telephoneNumber: '+14255550100' } });
    expect(table.resolve('POST', '/consents/t1:suspend')).toMatchObject({ kind: 'found', params: { tenantId: 't1' }, route: { handler: 'suspend' } });
  });

  it('never lets a plain parameter swallow an action, and tells 404 from 405', () => {
    expect(table.resolve('GET', '/consents/t1:suspend')).toEqual({ kind: 'methodNotAllowed', allow: ['POST'] });
    expect(table.resolve('GET', '/consents/t1/extra')).toEqual({ kind: 'notFound' });
    expect(table.resolve('GET', '/tenants/t1/numbers/%E0%A4%A')).toEqual({ kind: 'notFound' });
  });
});

describe('access tokens', () => {
  const key = Buffer.alloc(32, 7);
  const claims = { aud: 'aud', iss: 'iss', iat: 0, nbf: 0, exp: 100, appid: 'app', azp: 'app', tid: 't', roles: ['R'], ver: '1.0' as const };

  it('verifies its own signature, audience and expiry', () => {
    const jwt = signAccessToken(key, claims);
    expect(verifyAccessToken(key, jwt, 'aud', 99_999)).toEqual({ ok: true, claims });
    expect(verifyAccessToken(key, jwt, 'other', 0)).toEqual({ ok: false, reason: 'InvalidAudience' });
    expect(verifyAccessToken(key, jwt, 'aud', 100_000)).toEqual({ ok: false, reason: 'Expired' });
    expect(verifyAccessToken(Buffer.alloc(32, 8), jwt, 'aud', 0)).toEqual({ ok: false, reason: 'InvalidSignature' });
    expect(verifyAccessToken(key, 'a.b', 'aud', 0)).toEqual({ ok: false, reason: 'Malformed' });
  });
});
