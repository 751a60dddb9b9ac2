/**
 * The resource input schemas (shared/contract/resources.ts) at unit level: every member of a full
 * account and number is accepted (read-only status included), unknown members are refused at every
 * level, and each pattern (account name, E.164 number, GUID, subdomain tokens, custom SIP header)
 * accepts every character class it names and refuses its neighbours, with its own message.
 */
import type { z } from 'zod';
import {
  ACCOUNT_NAME,
  GUID,
  TELEPHONE_NUMBER,
  accountInputSchema,
  accountNameSchema,
  accountServiceDetailsSchema,
  batchNumbersDeleteSchema,
  batchNumbersSchema,
  customSipHeaderSchema,
  directRoutingConfigSchema,
  numberIdentifierSchema,
  numberInputSchema,
  numberServiceDetailsSchema,
  subdomainTokensSchema,
  teamsNumberConfigSchema,
  telephoneNumberSchema,
} from '../../shared/contract/resources';

const TENANT = '0a9f0a9f-0a9f-0a9f-0a9f-0a9f0a9f0a9f';

const fullAccount = {
  name: 'AZaz09_-',
  correlationId: 'corr-1',
  serviceDetails: {
    teamsTenantId: TENANT,
    teamsOperatorConnect: { syncEnabled: true, enabled: true, numberCount: 3 },
    teamsDirectRouting: {
      syncEnabled: false,
      enabled: true,
      numberCount: 1,
      configuration: { callScreening: true, subdomain: 'dr-1', subdomainTokens: { region1Token: 'AZaz09=_-', region2Token: 'AZaz09=_-' } },
      subdomainStatus: 'Provisioned',
    },
    teamsPhoneMobile: { syncEnabled: false, enabled: false, numberCount: 0 },
    zoomPhoneCloudPeering: { syncEnabled: false, enabled: true },
    azureOperatorCallProtection: { enabled: true, numberCount: 2 },
  },
  serviceProvisioningStatus: 'Failed',
  serviceProvisioningErrors: [
    { code: 'A', message: 'a', target: 't', details: [{ code: 'B', message: 'b', details: [{ code: 'C', message: 'c' }] }], innererror: { x: 1 } },
  ],
};

const fullNumberConfig = {
  usage: 'CallingUserAssignment',
  choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
  acquiredCapabilities: ['InboundCalling'],
  availableCapabilities: ['Mobile'],
  additionalUsages: ['Conference'],
  civicAddressId: 'addr#1',
  locationId: 'loc-1',
  allowTenantAddressUpdate: true,
  displayedCountryCode: 'US',
};

const fullNumber = {
  telephoneNumber: '+19876543210',
  accountName: 'acct',
  serviceDetails: {
    teamsOperatorConnect: { enabled: true, assignmentStatus: 'assigned', configuration: fullNumberConfig },
    teamsDirectRouting: { enabled: true },
    teamsPhoneMobile: { enabled: false, assignmentStatus: 'unassigned', configuration: { usage: 'u', choosableCapabilities: [] } },
    zoomPhoneCloudPeering: { enabled: false },
    azureOperatorCallProtection: { enabled: true },
  },
  configuration: { customSipHeader: 'AZaz09_-' },
  serviceProvisioningStatus: 'Succeeded',
  serviceProvisioningErrors: [],
};

/** The issues of a refused value, as [path, code, message]. */
function issues(schema: z.ZodType, value: unknown): [string, string, string][] {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => [i.path.join('.'), i.code, i.message]);
}

/** Sets one member (by path) of a deep copy of `base`. */
function withMember(base: object, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
  return copy;
}

describe('full documents', () => {
  it('an account with every member, read-only status and nested error details included, is accepted as is', () => {
    expect(accountInputSchema.parse(fullAccount)).toEqual(fullAccount);
    // In the same test: zod evaluates the lazy error schema once, so only the first test to use it
    // covers it in a mutation run.
    expect(issues(accountInputSchema, { name: 'a', serviceProvisioningErrors: [{ code: 1, details: [{ code: 'c' }] }] }).map((i) => i[0])).toEqual([
      'serviceProvisioningErrors.0.code',
      'serviceProvisioningErrors.0.message',
      'serviceProvisioningErrors.0.details.0.message',
    ]);
  });

  it('a number with every member is accepted as is', () => {
    expect(numberInputSchema.parse(fullNumber)).toEqual(fullNumber);
  });

  it('a minimal account and number are accepted', () => {
    expect(accountInputSchema.parse({ name: 'a' })).toEqual({ name: 'a' });
    expect(numberInputSchema.parse({ telephoneNumber: '+123', accountName: 'a', serviceDetails: {} })).toEqual({ telephoneNumber: '+123', accountName: 'a', serviceDetails: {} });
  });

  const accountPaths: (string | number)[][] = [
    [],
    ['serviceDetails'],
    ['serviceDetails', 'teamsOperatorConnect'],
    ['serviceDetails', 'teamsDirectRouting'],
    ['serviceDetails', 'teamsDirectRouting', 'configuration'],
    ['serviceDetails', 'teamsDirectRouting', 'configuration', 'subdomainTokens'],
    ['serviceDetails', 'teamsPhoneMobile'],
    ['serviceDetails', 'zoomPhoneCloudPeering'],
    ['serviceDetails', 'azureOperatorCallProtection'],
  ];
  it.each(accountPaths)('an unknown member of the account at %j is refused', (...path) => {
    expect(issues(accountInputSchema, withMember(fullAccount, [...path, 'extra'], 1))).toEqual([[path.join('.'), 'unrecognized_keys', 'Unrecognized key: "extra"']]);
  });

  const numberPaths: (string | number)[][] = [
    [],
    ['serviceDetails'],
    ['serviceDetails', 'teamsOperatorConnect'],
    ['serviceDetails', 'teamsOperatorConnect', 'configuration'],
    ['serviceDetails', 'teamsDirectRouting'],
    ['serviceDetails', 'teamsPhoneMobile'],
    ['serviceDetails', 'zoomPhoneCloudPeering'],
    ['serviceDetails', 'azureOperatorCallProtection'],
    ['configuration'],
  ];
  it.each(numberPaths)('an unknown member of the number at %j is refused', (...path) => {
    expect(issues(numberInputSchema, withMember(fullNumber, [...path, 'extra'], 1))).toEqual([[path.join('.'), 'unrecognized_keys', 'Unrecognized key: "extra"']]);
  });

  it('read-only members must have their declared type', () => {
    expect(issues(accountInputSchema, { name: 'a', serviceProvisioningStatus: 1 }).map((i) => i[0])).toEqual(['serviceProvisioningStatus']);
    expect(issues(numberInputSchema, { ...fullNumber, serviceProvisioningErrors: [{ code: 'A' }] }).map((i) => i[0])).toEqual(['serviceProvisioningErrors.0.message']);
    expect(issues(accountInputSchema, { name: 'a', serviceProvisioningErrors: [{ code: 'A', message: 'm', details: [{ code: 1, message: 'm' }] }] }).map((i) => i[0])).toEqual([
      'serviceProvisioningErrors.0.details.0.code',
    ]);
  });

  it('assignmentStatus is assigned or unassigned', () => {
    for (const status of ['assigned', 'unassigned']) {
      expect(numberServiceDetailsSchema.safeParse({ teamsOperatorConnect: { enabled: true, assignmentStatus: status } }).success).toBe(true);
    }
    for (const status of ['', 'Assigned', 'pending']) {
      expect(numberServiceDetailsSchema.safeParse({ teamsOperatorConnect: { enabled: true, assignmentStatus: status } }).success).toBe(false);
    }
  });

  it('batches hold at most 100 entries of any shape; an identifier is a telephone number only', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => ({ i }));
    expect(batchNumbersSchema.parse({ numbers: hundred })).toEqual({ numbers: hundred });
    expect(batchNumbersSchema.safeParse({ numbers: [...hundred, 1] }).success).toBe(false);
    expect(batchNumbersDeleteSchema.parse({ numbers: hundred })).toEqual({ numbers: hundred });
    expect(batchNumbersDeleteSchema.safeParse({ numbers: [...hundred, 1] }).success).toBe(false);
    expect(batchNumbersSchema.safeParse({ numbers: [], x: 1 }).success).toBe(false);
    expect(batchNumbersDeleteSchema.safeParse({ numbers: [], x: 1 }).success).toBe(false);
    expect(numberIdentifierSchema.parse({ telephoneNumber: '+123' })).toEqual({ telephoneNumber: '+123' });
    expect(issues(numberIdentifierSchema, { telephoneNumber: '+123', accountName: 'a' })[0]?.[1]).toBe('unrecognized_keys');
  });
});

const NAME_MESSAGE = 'must contain only letters, digits, "_" and "-"';
const TOKEN_MESSAGE = 'must contain only letters, digits, "=", "_" and "-"';
const E164_MESSAGE = 'must be an E.164 number: "+", a non-zero digit, then digits (at most 15 digits)';

describe('patterns', () => {
  it('the exported patterns', () => {
    for (const ok of ['AZaz09_-', 'A', 'z', '0', '9', '_', '-']) expect(ACCOUNT_NAME.test(ok)).toBe(true);
    for (const bad of ['', 'a b', 'a.b', ' a', 'a ', 'a=', 'é']) expect(ACCOUNT_NAME.test(bad)).toBe(false);
    for (const ok of ['+10', '+19', '+91', '+1234567890']) expect(TELEPHONE_NUMBER.test(ok)).toBe(true);
    for (const bad of ['+1', '+01', '10', '1+23', 'x+12', '+12x', '+1a', '++12', '+ 12']) expect(TELEPHONE_NUMBER.test(bad)).toBe(false);
  });

  // Each group holds 0, 9 and both ends of a letter range, in one case or the other.
  const GUIDS_OK = ['09af09af-09af-09af-09af-09af09af09af', 'AF09AF09-AF09-AF09-AF09-AF09AF09AF09', '00000000-0000-0000-0000-000000000000'];
  const GUID_GROUPS = [8, 4, 4, 4, 12];
  const guidWith = (group: number, length: number, char = 'a') => GUID_GROUPS.map((n, i) => (i === group ? char.repeat(length) : '0'.repeat(n))).join('-');
  const GUIDS_BAD = [
    ...GUID_GROUPS.flatMap((n, i) => [guidWith(i, n - 1), guidWith(i, n + 1), guidWith(i, n, 'g'), guidWith(i, n, 'G'), guidWith(i, n, '-')]),
    `x${GUIDS_OK[0]}`,
    `${GUIDS_OK[0]}x`,
    '09af09af09af09af09af09af09af09af',
    '{09af09af-09af-09af-09af-09af09af09af}',
  ];

  it('GUID: every hex digit of either case in every group, and nothing else', () => {
    for (const ok of GUIDS_OK) expect(GUID.test(ok)).toBe(true);
    for (const bad of GUIDS_BAD) expect([bad, GUID.test(bad)]).toEqual([bad, false]);
  });

  it('teamsTenantId is a GUID', () => {
    for (const ok of GUIDS_OK) expect(accountServiceDetailsSchema.safeParse({ teamsTenantId: ok }).success).toBe(true);
    expect(issues(accountServiceDetailsSchema, { teamsTenantId: 'not-a-guid' })).toEqual([['teamsTenantId', 'invalid_format', 'must be a GUID']]);
  });

  it('account name: letters, digits, "_" and "-", 1 to 100 characters', () => {
    expect(accountNameSchema.parse('AZaz09_-')).toBe('AZaz09_-');
    expect(accountNameSchema.parse('x'.repeat(100))).toBe('x'.repeat(100));
    expect(issues(accountNameSchema, 'a.b')).toEqual([['', 'invalid_format', NAME_MESSAGE]]);
    expect(issues(accountNameSchema, '').map((i) => i[1])).toContain('too_small');
    expect(issues(accountNameSchema, 'x'.repeat(101)).map((i) => i[1])).toEqual(['too_big']);
  });

  it('telephone number: E.164, 3 to 16 characters', () => {
    expect(telephoneNumberSchema.parse('+123456789012345')).toBe('+123456789012345');
    expect(issues(telephoneNumberSchema, '+0123')).toEqual([['', 'invalid_format', E164_MESSAGE]]);
    expect(issues(telephoneNumberSchema, '+1234567890123456').map((i) => i[1])).toEqual(['too_big']);
  });

  const tokenChars = ['AZaz09=_-', 'A', 'Z', 'a', 'z', '0', '9', '=', '_', '-'];
  const tokenBad = ['a b', 'a.b', ' a', 'a ', 'a+', 'a/'];
  it.each(['region1Token', 'region2Token'] as const)('%s: letters, digits, "=", "_" and "-"', (member) => {
    const other = member === 'region1Token' ? 'region2Token' : 'region1Token';
    for (const ok of tokenChars) expect(subdomainTokensSchema.safeParse({ [member]: ok, [other]: 'x' }).success).toBe(true);
    for (const bad of tokenBad) expect(issues(subdomainTokensSchema, { [member]: bad, [other]: 'x' })).toEqual([[member, 'invalid_format', TOKEN_MESSAGE]]);
  });

  it('Direct Routing subdomain: letters, digits, "_" and "-", at most 10 characters', () => {
    const config = (subdomain: string) => ({ callScreening: false, subdomain, subdomainTokens: { region1Token: 'a', region2Token: 'b' } });
    for (const ok of ['AZaz09_-', 'A', 'z', '0', '9', '_', '-']) expect(directRoutingConfigSchema.safeParse(config(ok)).success).toBe(true);
    for (const bad of ['a b', 'a.b', ' a', 'a ', 'a=']) expect(issues(directRoutingConfigSchema, config(bad))).toEqual([['subdomain', 'invalid_format', NAME_MESSAGE]]);
    expect(issues(directRoutingConfigSchema, config('x'.repeat(11))).map((i) => i[1])).toEqual(['too_big']);
  });

  it('custom SIP header: letters, digits, "_" and "-"', () => {
    for (const ok of ['AZaz09_-', 'A', 'Z', 'a', 'z', '0', '9', '_', '-']) expect(customSipHeaderSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['a b', 'a.b', ' a', 'a ', 'a=', 'a:b']) expect(issues(customSipHeaderSchema, bad)).toEqual([['', 'invalid_format', NAME_MESSAGE]]);
  });

  it('Teams number configuration: bounded texts and lists', () => {
    expect(teamsNumberConfigSchema.safeParse({ usage: '', choosableCapabilities: [] }).success).toBe(false);
    expect(teamsNumberConfigSchema.safeParse({ usage: 'u', choosableCapabilities: Array.from({ length: 21 }, () => 'c') }).success).toBe(false);
    expect(teamsNumberConfigSchema.safeParse({ usage: 'u', choosableCapabilities: Array.from({ length: 20 }, () => 'c') }).success).toBe(true);
  });
});
