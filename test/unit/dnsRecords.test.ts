import { desiredTxtRecords, desiredTxtRecordsOf, dnsChanges, subdomainStatusOf } from '../../shared/flowthrough/dns/records';
import { normaliseFqdn, type TxtRecord } from '../../shared/flowthrough/dns/port';
import type { AccountDoc } from '../../shared/domain/types';

const BASE = 'a1b2c3d4e5f6g7h8.commsgw.azure.com';
const TOKENS = { region1Token: 'MS=ms11111111', region2Token: 'MS=ms22222222' };
const R1 = `contoso.1r1.${BASE}`;
const R2 = `contoso.1r2.${BASE}`;
const OLD1 = `old.1r1.${BASE}`;
const OLD2 = `old.1r2.${BASE}`;

const published = (entries: Record<string, string[]>) => new Map(Object.entries(entries));
const desired = (): TxtRecord[] => desiredTxtRecords('contoso', TOKENS, BASE);

describe('desiredTxtRecords', () => {
  it('names one TXT record per region, region 1 token at 1r1 and region 2 token at 1r2', () => {
    expect(desired()).toEqual([
      { fqdn: R1, value: 'MS=ms11111111' },
      { fqdn: R2, value: 'MS=ms22222222' },
    ]);
  });

  it('lower-cases the label and the base domain and drops a trailing dot, but keeps token case', () => {
    expect(desiredTxtRecords('Contoso', { region1Token: 'AbC', region2Token: 'dEf' }, 'Example.COM.')).toEqual([
      { fqdn: 'contoso.1r1.example.com', value: 'AbC' },
      { fqdn: 'contoso.1r2.example.com', value: 'dEf' },
    ]);
  });

  it.each([[''], ['a.b'], ['*'], ['x'.repeat(64)]])('refuses %j as a label', (label) => {
    expect(() => desiredTxtRecords(label, TOKENS, BASE)).toThrow(/not a DNS label/);
  });

  it('refuses an empty base domain and tokens that do not fit one TXT string', () => {
    expect(() => desiredTxtRecords('contoso', TOKENS, '.')).toThrow(/base domain is empty/);
    expect(() => desiredTxtRecords('contoso', { ...TOKENS, region2Token: '' }, BASE)).toThrow(/region2Token/);
    expect(() => desiredTxtRecords('contoso', { ...TOKENS, region1Token: 'x'.repeat(256) }, BASE)).toThrow(/region1Token/);
  });
});

describe('desiredTxtRecordsOf (an account document)', () => {
  const account = (enabled: boolean, configured = true): AccountDoc => ({
    name: 'contoso',
    serviceDetails: {
      teamsDirectRouting: {
        enabled,
        syncEnabled: false,
        ...(configured ? { configuration: { callScreening: true, subdomain: 'contoso', subdomainTokens: TOKENS } } : {}),
      },
    },
  });

  it('wants both records while Direct Routing is enabled and configured', () => {
    expect(desiredTxtRecordsOf(account(true), BASE)).toEqual(desired());
  });

  it('wants nothing when Direct Routing is disabled (even with a configuration), unconfigured or absent', () => {
    expect(desiredTxtRecordsOf(account(false), BASE)).toEqual([]);
    expect(desiredTxtRecordsOf(account(true, false), BASE)).toEqual([]);
    expect(desiredTxtRecordsOf({ name: 'contoso' }, BASE)).toEqual([]);
  });
});

describe('subdomainStatusOf (D5)', () => {
  it('is provisioned when each desired name publishes exactly its token', () => {
    expect(subdomainStatusOf(desired(), published({ [R1]: ['MS=ms11111111'], [R2]: ['MS=ms22222222'] }))).toBe('provisioned');
  });

  it('compares names case-insensitively (a backend may echo another spelling)', () => {
    const upper = published({ [R1.toUpperCase() + '.']: ['MS=ms11111111'], [R2.toUpperCase()]: ['MS=ms22222222'] });
    expect(subdomainStatusOf(desired(), upper)).toBe('provisioned');
  });

  it('is notProvisioned when none of the desired names has a record', () => {
    expect(subdomainStatusOf(desired(), published({}))).toBe('notProvisioned');
  });

  it('treats an empty record set like a missing one', () => {
    expect(subdomainStatusOf(desired(), published({ [R1]: [], [R2]: [] }))).toBe('notProvisioned');
  });

  it('is notProvisioned when nothing is desired and nothing is published (DR disabled, withdrawn)', () => {
    expect(subdomainStatusOf([], published({}))).toBe('notProvisioned');
  });

  it('is inconsistent when only one region is published', () => {
    expect(subdomainStatusOf(desired(), published({ [R1]: ['MS=ms11111111'] }))).toBe('inconsistent');
  });

  it('is inconsistent when a region publishes an old token', () => {
    expect(subdomainStatusOf(desired(), published({ [R1]: ['MS=ms11111111'], [R2]: ['MS=msOLD'] }))).toBe('inconsistent');
  });

  it('is inconsistent when the tokens are swapped between the regions', () => {
    expect(subdomainStatusOf(desired(), published({ [R1]: ['MS=ms22222222'], [R2]: ['MS=ms11111111'] }))).toBe('inconsistent');
  });

  it('compares token values case-sensitively', () => {
    expect(subdomainStatusOf(desired(), published({ [R1]: ['ms=MS11111111'], [R2]: ['MS=ms22222222'] }))).toBe('inconsistent');
  });

  it('is inconsistent when a name publishes the token next to another value', () => {
    const extra = published({ [R1]: ['MS=ms11111111', 'v=spf1 -all'], [R2]: ['MS=ms22222222'] });
    expect(subdomainStatusOf(desired(), extra)).toBe('inconsistent');
  });

  it('is inconsistent while the previous label still publishes records next to the new ones', () => {
    const both = published({ [R1]: ['MS=ms11111111'], [R2]: ['MS=ms22222222'], [OLD1]: ['MS=msOLD'] });
    expect(subdomainStatusOf(desired(), both)).toBe('inconsistent');
  });

  it('is inconsistent when only the previous label publishes (label changed, nothing applied yet)', () => {
    expect(subdomainStatusOf(desired(), published({ [OLD1]: ['MS=msOLD'], [OLD2]: ['MS=msOLD'] }))).toBe('inconsistent');
  });

  it('is inconsistent when Direct Routing is disabled but stale records are still published', () => {
    expect(subdomainStatusOf([], published({ [R1]: ['MS=ms11111111'], [R2]: ['MS=ms22222222'] }))).toBe('inconsistent');
  });
});

describe('dnsChanges', () => {
  it('asks for nothing when the published records are the desired ones', () => {
    expect(dnsChanges(desired(), published({ [R1]: ['MS=ms11111111'], [R2]: ['MS=ms22222222'] }))).toEqual({ upserts: [], removals: [] });
  });

  it('upserts only the records that differ and removes names that are not desired', () => {
    const changes = dnsChanges(desired(), published({ [R1]: ['MS=ms11111111'], [R2]: ['MS=msOLD', 'MS=ms22222222'], [OLD1]: ['x'] }));
    expect(changes).toEqual({ upserts: [{ fqdn: R2, value: 'MS=ms22222222' }], removals: [OLD1] });
  });

  it('publishes both records from scratch and withdraws everything when nothing is desired', () => {
    expect(dnsChanges(desired(), published({})).upserts).toEqual(desired());
    expect(dnsChanges([], published({ [R1]: ['a'], [R2]: ['b'], [OLD1]: [] }))).toEqual({ upserts: [], removals: [R1, R2] });
  });

  it('leaves a status of provisioned once applied', () => {
    const before = published({ [OLD1]: ['old'], [R1]: ['wrong'] });
    const { upserts, removals } = dnsChanges(desired(), before);
    const after = new Map(before);
    for (const name of removals) after.delete(name);
    for (const record of upserts) after.set(record.fqdn, [record.value]);
    expect(subdomainStatusOf(desired(), after)).toBe('provisioned');
  });
});

describe('normaliseFqdn', () => {
  it('lower-cases, trims and drops the root dot', () => {
    expect(normaliseFqdn(' Contoso.1R1.Example.com. ')).toBe('contoso.1r1.example.com');
  });
});
