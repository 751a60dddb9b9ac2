/** LOOKUP_* settings: defaults, validation (fail fast), frozen. */
import { DEFAULT_HEADER_NAME, loadLookupSettings } from '../../shared/routing/config';

const BASE = 'gw.example.net';

describe('lookup settings', () => {
  it('has defaults that keep the staleness bound', () => {
    const settings = loadLookupSettings({}, BASE);
    expect(settings).toEqual({
      routing: { headerName: DEFAULT_HEADER_NAME, baseDomain: BASE, mobilePrefixes: [], ttlSeconds: 1 },
      cacheMaxNumbers: 1_000_000,
      cacheMaxAccounts: 100_000,
      feedPollMs: 250,
      storageTimeoutMs: 1000,
    });
    expect(DEFAULT_HEADER_NAME).toBe('X-MS-Operator-Content');
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.routing)).toBe(true);
    expect(Object.isFrozen(settings.routing.mobilePrefixes)).toBe(true);
  });

  it('reads every setting', () => {
    const settings = loadLookupSettings(
      {
        LOOKUP_HEADER_NAME: 'X-Custom',
        LOOKUP_MOBILE_PREFIXES: ' +4477, +4478,+4477 ',
        LOOKUP_TTL_SECONDS: '0',
        LOOKUP_CACHE_MAX_NUMBERS: '5000',
        LOOKUP_CACHE_MAX_ACCOUNTS: '50',
        LOOKUP_FEED_POLL_MS: '1000',
        LOOKUP_STORAGE_TIMEOUT_MS: '300',
      },
      BASE,
    );
    expect(settings.routing).toEqual({ headerName: 'X-Custom', baseDomain: BASE, mobilePrefixes: ['+4477', '+4478'], ttlSeconds: 0 });
    expect(settings).toMatchObject({ cacheMaxNumbers: 5000, cacheMaxAccounts: 50, feedPollMs: 1000, storageTimeoutMs: 300 });
  });

  it.each([
    ['LOOKUP_FEED_POLL_MS', '1001'],
    ['LOOKUP_FEED_POLL_MS', '0'],
    ['LOOKUP_FEED_POLL_MS', '250ms'],
    ['LOOKUP_CACHE_MAX_NUMBERS', '-1'],
    ['LOOKUP_CACHE_MAX_NUMBERS', '1e6'],
    ['LOOKUP_TTL_SECONDS', '3601'],
    ['LOOKUP_HEADER_NAME', 'X Op'],
    ['LOOKUP_HEADER_NAME', 'X-Op:'],
    ['LOOKUP_MOBILE_PREFIXES', '4477'],
    ['LOOKUP_MOBILE_PREFIXES', '+4477,+0'],
  ])('refuses %s=%s at start-up', (name, value) => {
    expect(() => loadLookupSettings({ [name]: value }, BASE)).toThrow(new RegExp(`Configuration: .*${name}`));
  });
});
