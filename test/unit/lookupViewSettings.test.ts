/** LOOKUP_* settings: defaults, validation (fail fast), frozen, and the start-up summary. */
import { ALL_SERVICES, DEFAULT_HEADER_NAME, describeRoutingSettings, loadLookupSettings } from '../../shared/lookup/config';

const BASE = 'gw.example.net';

describe('lookup settings', () => {
  it('has defaults that keep the staleness bound', () => {
    const settings = loadLookupSettings({}, BASE);
    expect(settings).toEqual({
      routing: {
        headerName: DEFAULT_HEADER_NAME,
        customHeaderEnabled: true,
        services: { teamsDirectRouting: true, teamsOperatorConnect: true, teamsPhoneMobile: true, zoomPhoneCloudPeering: true, azureOperatorCallProtection: true },
        trunkDefaults: new Map(),
        zoomVerificationNumbers: new Set(),
        baseDomain: BASE,
        mobilePrefixes: [],
        ttlSeconds: 1,
      },
      cacheMaxNumbers: 1_000_000,
      cacheMaxAccounts: 100_000,
      feedPollMs: 250,
      storageTimeoutMs: 1000,
    });
    expect(DEFAULT_HEADER_NAME).toBe('X-MS-Operator-Content');
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.routing)).toBe(true);
    expect(Object.isFrozen(settings.routing.mobilePrefixes)).toBe(true);
    expect(Object.isFrozen(settings.routing.services)).toBe(true);
  });

  it('reads every setting', () => {
    const settings = loadLookupSettings(
      {
        LOOKUP_HEADER_NAME: 'X-Custom',
        LOOKUP_CUSTOM_HEADER_ENABLED: 'FALSE',
        LOOKUP_SERVICES: ' teamsDirectRouting , zoomPhoneCloudPeering,azureOperatorCallProtection',
        LOOKUP_TRUNK_DEFAULTS: 'operator-fixed=teamsOperatorConnect, operator-mobile = teamsPhoneMobile,lab.trunk_1=none',
        LOOKUP_ZOOM_VERIFICATION_NUMBERS: '+16465588656, +12532158782,+16465588656',
        LOOKUP_MOBILE_PREFIXES: ' +4477, +4478,+4477 ',
        LOOKUP_TTL_SECONDS: '0',
        LOOKUP_CACHE_MAX_NUMBERS: '5000',
        LOOKUP_CACHE_MAX_ACCOUNTS: '50',
        LOOKUP_FEED_POLL_MS: '1000',
        LOOKUP_STORAGE_TIMEOUT_MS: '300',
      },
      BASE,
    );
    expect(settings.routing).toEqual({
      headerName: 'X-Custom',
      customHeaderEnabled: false,
      services: { teamsDirectRouting: true, teamsOperatorConnect: false, teamsPhoneMobile: false, zoomPhoneCloudPeering: true, azureOperatorCallProtection: true },
      trunkDefaults: new Map([
        ['operator-fixed', 'teamsOperatorConnect'],
        ['operator-mobile', 'teamsPhoneMobile'],
        ['lab.trunk_1', 'none'],
      ]),
      zoomVerificationNumbers: new Set(['+16465588656', '+12532158782']),
      baseDomain: BASE,
      mobilePrefixes: ['+4477', '+4478'],
      ttlSeconds: 0,
    });
    expect(settings).toMatchObject({ cacheMaxNumbers: 5000, cacheMaxAccounts: 50, feedPollMs: 1000, storageTimeoutMs: 300 });
  });

  it.each(['custom_header', 'X-MS-Operator-Content', "a.b!c%d*e_f+g`h'i~j-k", 'x'.repeat(64)])('accepts the RFC 3261 token %s as the header name', (name) => {
    expect(loadLookupSettings({ LOOKUP_HEADER_NAME: name }, BASE).routing.headerName).toBe(name);
  });

  it.each([['true', true], ['false', false], [' True ', true], ['', true]] as const)('reads LOOKUP_CUSTOM_HEADER_ENABLED=%j as %s', (value, enabled) => {
    expect(loadLookupSettings({ LOOKUP_CUSTOM_HEADER_ENABLED: value }, BASE).routing.customHeaderEnabled).toBe(enabled);
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
    ['LOOKUP_HEADER_NAME', 'X-Op\r\nX-Evil'],
    ['LOOKUP_HEADER_NAME', 'X(Op)'],
    ['LOOKUP_HEADER_NAME', 'x'.repeat(65)],
    ['LOOKUP_MOBILE_PREFIXES', '4477'],
    ['LOOKUP_MOBILE_PREFIXES', '+4477,+0'],
    ['LOOKUP_CUSTOM_HEADER_ENABLED', 'yes'],
    ['LOOKUP_CUSTOM_HEADER_ENABLED', '1'],
    ['LOOKUP_SERVICES', 'teamsOperatorConnect,skype'],
    ['LOOKUP_SERVICES', 'TeamsOperatorConnect'],
    ['LOOKUP_TRUNK_DEFAULTS', 'operator-fixed'],
    ['LOOKUP_TRUNK_DEFAULTS', 'operator-fixed=zoomPhoneCloudPeering'],
    ['LOOKUP_TRUNK_DEFAULTS', 'operator fixed=teamsOperatorConnect'],
    ['LOOKUP_TRUNK_DEFAULTS', '=teamsOperatorConnect'],
    ['LOOKUP_TRUNK_DEFAULTS', 'a=teamsOperatorConnect=x'],
    ['LOOKUP_TRUNK_DEFAULTS', `${'t'.repeat(65)}=none`],
    ['LOOKUP_TRUNK_DEFAULTS', 'a=none,a=teamsPhoneMobile'],
    ['LOOKUP_ZOOM_VERIFICATION_NUMBERS', '16465588656'],
    ['LOOKUP_ZOOM_VERIFICATION_NUMBERS', '+16465588656,+0123'],
  ])('refuses %s=%j at start-up', (name, value) => {
    expect(() => loadLookupSettings({ [name]: value }, BASE)).toThrow(new RegExp(`Configuration: .*${name}`));
  });

  it('lists every service in the order of LOOKUP_SERVICES', () => {
    expect(ALL_SERVICES).toEqual(['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection']);
  });
});

describe('start-up summary', () => {
  it('states the defaults in words', () => {
    expect(describeRoutingSettings(loadLookupSettings({}, BASE).routing)).toEqual([
      'Lookup custom SIP header: X-MS-Operator-Content, on',
      'Lookup services offered: teamsDirectRouting, teamsOperatorConnect, teamsPhoneMobile, zoomPhoneCloudPeering, azureOperatorCallProtection',
      'Lookup trunk defaults: none (unprovisioned numbers default by prefix)',
      'Lookup mobile prefixes: none (unprovisioned numbers on other trunks default to Operator Connect)',
      'Lookup Zoom verification numbers: none',
      'Lookup answer TTL: 1 s',
    ]);
  });

  it('states a configured deployment, including what it cannot honour', () => {
    const routing = loadLookupSettings(
      {
        LOOKUP_HEADER_NAME: 'custom_header',
        LOOKUP_CUSTOM_HEADER_ENABLED: 'false',
        LOOKUP_SERVICES: 'teamsDirectRouting,teamsOperatorConnect',
        LOOKUP_TRUNK_DEFAULTS: 'operator-fixed=teamsOperatorConnect,operator-mobile=teamsPhoneMobile,lab=none',
        LOOKUP_ZOOM_VERIFICATION_NUMBERS: '+16465588656',
        LOOKUP_MOBILE_PREFIXES: '+4477',
        LOOKUP_TTL_SECONDS: '5',
      },
      BASE,
    ).routing;
    expect(describeRoutingSettings(routing)).toEqual([
      'Lookup custom SIP header: custom_header, off (answers never carry one)',
      'Lookup services offered: teamsDirectRouting, teamsOperatorConnect',
      'Lookup trunk defaults: operator-fixed → teamsOperatorConnect, operator-mobile → teamsPhoneMobile (not offered: such calls are refused), lab → none (no default)',
      'Lookup mobile prefixes: +4477',
      'Lookup Zoom verification numbers: +16465588656 (ignored: Zoom not offered)',
      'Lookup answer TTL: 5 s',
    ]);
  });
});
