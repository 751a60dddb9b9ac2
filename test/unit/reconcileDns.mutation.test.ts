/**
 * shared/flowthrough/reconcile/directRouting.ts at unit level, against an in-memory DnsPort: which
 * names are read (desired, plus remembered ones not claimed by another account), that new names are
 * remembered before anything is published, the minimal upserts and removals, the read-back that
 * gives subdomainStatus and the names still to remember, and DnsError handling. Written for
 * StrykerJS (docs/mutation.md).
 */
import type { AccountDoc } from '../../shared/domain/types';
import { DnsError, type DnsPort, type TxtRecord } from '../../shared/flowthrough/dns/port';
import { reconcileDns } from '../../shared/flowthrough/reconcile/directRouting';

const BASE = 'a1b2c3d4.commsgw.example.com';
const R1 = `contoso.1r1.${BASE}`;
const R2 = `contoso.1r2.${BASE}`;
const OLD1 = `old.1r1.${BASE}`;
const OLD2 = `old.1r2.${BASE}`;
const TOK1 = 'MS=ms11111111';
const TOK2 = 'MS=ms22222222';

const drAccount = (label = 'contoso', enabled = true): AccountDoc => ({
  name: 'contoso',
  serviceDetails: { teamsDirectRouting: { enabled, syncEnabled: true, configuration: { callScreening: false, subdomain: label, subdomainTokens: { region1Token: TOK1, region2Token: TOK2 } } } },
});

interface FakeDns {
  readonly port: DnsPort;
  /** Every call in order: `read a,b`, `upsert a=v`, `remove a`, and the callbacks' `remember a,b`, `owned? a`. */
  readonly calls: string[];
  readonly records: Map<string, string[]>;
}

/**
 * DNS holding `published`. `failOn` makes the first call of that operation throw `error`;
 * `stuck` names survive their removal (a backend that did not apply it).
 */
function fakeDns(published: Record<string, string[]>, opts: { failOn?: 'read' | 'upsert' | 'remove'; error?: Error; stuck?: string[] } = {}): FakeDns {
  const records = new Map(Object.entries(published));
  const calls: string[] = [];
  const maybeFail = (op: 'read' | 'upsert' | 'remove') => {
    if (opts.failOn === op) throw opts.error ?? new Error('no error scripted');
  };
  const port: DnsPort = {
    read: (fqdns: readonly string[]) => {
      calls.push(`read ${fqdns.join(',')}`);
      maybeFail('read');
      const found = new Map<string, string[]>();
      for (const name of fqdns) {
        const values = records.get(name);
        if (values !== undefined && values.length > 0) found.set(name, [...values]);
      }
      return Promise.resolve(found);
    },
    upsert: (record: TxtRecord) => {
      calls.push(`upsert ${record.fqdn}=${record.value}`);
      maybeFail('upsert');
      records.set(record.fqdn, [record.value]);
      return Promise.resolve();
    },
    remove: (fqdn: string) => {
      calls.push(`remove ${fqdn}`);
      maybeFail('remove');
      if (!(opts.stuck ?? []).includes(fqdn)) records.delete(fqdn);
      return Promise.resolve();
    },
  };
  return { port, calls, records };
}

/** Runs reconcileDns with callbacks that log into the fake's calls; `elsewhere` are names another account owns. */
function run(dns: FakeDns, doc: AccountDoc | undefined, remembered: string[], elsewhere: string[] = [], rememberError?: Error) {
  return reconcileDns(
    doc,
    remembered,
    dns.port,
    BASE,
    (names) => {
      dns.calls.push(`remember ${names.join(',')}`);
      return rememberError === undefined ? Promise.resolve() : Promise.reject(rememberError);
    },
    (fqdn) => {
      dns.calls.push(`owned? ${fqdn}`);
      return Promise.resolve(elsewhere.includes(fqdn));
    },
  );
}

describe('nothing to do', () => {
  it.each([
    ['no account', undefined],
    ['Direct Routing disabled', drAccount('contoso', false)],
    ['Direct Routing without configuration', { name: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true, syncEnabled: true } } }],
  ] as [string, AccountDoc | undefined][])('%s and nothing remembered: notProvisioned, no call at all', async (_, doc) => {
    const dns = fakeDns({ [R1]: [TOK1] });
    expect(await run(dns, doc, [])).toStrictEqual({ subdomainStatus: 'notProvisioned', dnsNames: [] });
    expect(dns.calls).toEqual([]);
  });

  it('a deleted account whose remembered names another account owns now: those are left alone', async () => {
    const dns = fakeDns({ [OLD1]: ['theirs'], [OLD2]: ['theirs'] });
    expect(await run(dns, undefined, [OLD1, OLD2], [OLD1, OLD2])).toStrictEqual({ subdomainStatus: 'notProvisioned', dnsNames: [] });
    expect(dns.calls).toEqual([`owned? ${OLD1}`, `owned? ${OLD2}`]);
    expect(dns.records.get(OLD1)).toEqual(['theirs']);
  });
});

describe('publishing', () => {
  it('remembers new names first, publishes both records, reads back: provisioned', async () => {
    const dns = fakeDns({});
    expect(await run(dns, drAccount(), [])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`remember ${R1},${R2}`, `read ${R1},${R2}`, `upsert ${R1}=${TOK1}`, `upsert ${R2}=${TOK2}`, `read ${R1},${R2}`]);
  });

  it('already published and remembered: one read, no write, no ownership question', async () => {
    const dns = fakeDns({ [R1]: [TOK1], [R2]: [TOK2] });
    expect(await run(dns, drAccount(), [R1, R2])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`read ${R1},${R2}`]);
  });

  it('reads remembered names in any spelling once, normalised', async () => {
    const dns = fakeDns({ [R1]: [TOK1], [R2]: [TOK2] });
    expect(await run(dns, drAccount(), [`${R1.toUpperCase()}.`, ` ${R2} `])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`read ${R1},${R2}`]);
  });

  it('repairs only the drifted record', async () => {
    const dns = fakeDns({ [R1]: ['MS=stale'], [R2]: [TOK2] });
    expect(await run(dns, drAccount(), [R1, R2])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`read ${R1},${R2}`, `upsert ${R1}=${TOK1}`, `read ${R1},${R2}`]);
  });
});

describe('withdrawing', () => {
  it('after a label change: remembers old and new, publishes the new, removes the old', async () => {
    const dns = fakeDns({ [OLD1]: [TOK1], [OLD2]: [TOK2] });
    expect(await run(dns, drAccount(), [`${OLD1.toUpperCase()}.`, OLD2])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([
      `owned? ${OLD1}`,
      `owned? ${OLD2}`,
      `remember ${R1},${R2},${OLD1},${OLD2}`,
      `read ${R1},${R2},${OLD1},${OLD2}`,
      `upsert ${R1}=${TOK1}`,
      `upsert ${R2}=${TOK2}`,
      `remove ${OLD1}`,
      `remove ${OLD2}`,
      `read ${R1},${R2},${OLD1},${OLD2}`,
    ]);
  });

  it('after a label change whose old label another account claimed: the new names are still remembered before publishing', async () => {
    const dns = fakeDns({ [OLD1]: ['theirs'], [OLD2]: ['theirs'] });
    expect(await run(dns, drAccount(), [OLD1, OLD2], [OLD1, OLD2])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`owned? ${OLD1}`, `owned? ${OLD2}`, `remember ${R1},${R2}`, `read ${R1},${R2}`, `upsert ${R1}=${TOK1}`, `upsert ${R2}=${TOK2}`, `read ${R1},${R2}`]);
    expect(dns.records.get(OLD1)).toEqual(['theirs']);
  });

  it('remembers first when one remembered name is still wanted and the other, owned elsewhere, gives way to a new one', async () => {
    const dns = fakeDns({ [R1]: [TOK1], [OLD1]: ['theirs'] });
    expect(await run(dns, drAccount(), [R1, OLD1], [OLD1])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`owned? ${OLD1}`, `remember ${R1},${R2}`, `read ${R1},${R2}`, `upsert ${R2}=${TOK2}`, `read ${R1},${R2}`]);
  });

  it('Direct Routing disabled: removes what is remembered, forgets what is gone', async () => {
    const dns = fakeDns({ [R1]: [TOK1], [R2]: [TOK2] });
    expect(await run(dns, drAccount('contoso', false), [R1, R2])).toStrictEqual({ subdomainStatus: 'notProvisioned', dnsNames: [] });
    expect(dns.calls).toEqual([`owned? ${R1}`, `owned? ${R2}`, `read ${R1},${R2}`, `remove ${R1}`, `remove ${R2}`, `read ${R1},${R2}`]);
  });

  it('keeps remembering a name whose removal did not take: inconsistent', async () => {
    const dns = fakeDns({ [R1]: [TOK1], [R2]: [TOK2] }, { stuck: [R2] });
    expect(await run(dns, undefined, [R1, R2])).toStrictEqual({ subdomainStatus: 'inconsistent', dnsNames: [R2] });
  });

  it('shrinks memory to the names still ours', async () => {
    const dns = fakeDns({ [R1]: [TOK1], [R2]: [TOK2] });
    expect(await run(dns, drAccount(), [R1, R2, OLD1, OLD2], [OLD1, OLD2])).toStrictEqual({ subdomainStatus: 'provisioned', dnsNames: [R1, R2] });
    expect(dns.calls).toEqual([`owned? ${OLD1}`, `owned? ${OLD2}`, `remember ${R1},${R2}`, `read ${R1},${R2}`]);
  });
});

describe('failures', () => {
  it.each([
    ['a transient read with Retry-After', 'read', new DnsError('transient', 503, 'ServerBusy', 'Busy.', 7_000), { code: 'ServerBusy', transient: true, retryAfterMs: 7_000 }],
    ['a transient upsert without Retry-After', 'upsert', new DnsError('transient', undefined, 'Timeout', 'Timed out.'), { code: 'Timeout', transient: true, retryAfterMs: 5_000 }],
    ['a permanent removal without code', 'remove', new DnsError('permanent', 400, '', 'Bad request.', 7_000), { code: 'DnsUpdateFailed', transient: false, retryAfterMs: 60_000 }],
    ['a configuration error', 'read', new DnsError('configuration', 403, 'AuthorizationFailed', 'No role.', 7_000), { code: 'AuthorizationFailed', transient: false, retryAfterMs: 60_000 }],
  ] as const)('%s: inconsistent, every name kept, the error reported on teamsDirectRouting', async (_, failOn, error, expected) => {
    const dns = fakeDns({ [OLD1]: [TOK1] }, { failOn, error });
    expect(await run(dns, drAccount(), [OLD1, OLD2])).toStrictEqual({
      subdomainStatus: 'inconsistent',
      dnsNames: [R1, R2, OLD1, OLD2],
      error: { code: expected.code, message: error.message, target: 'teamsDirectRouting' },
      transient: expected.transient,
      retryAfterMs: expected.retryAfterMs,
    });
  });

  it('a DnsError while remembering is reported the same way, before any DNS call', async () => {
    const dns = fakeDns({});
    const out = await run(dns, drAccount(), [], [], new DnsError('transient', 503, 'Busy', 'Busy.'));
    expect(out).toStrictEqual({
      subdomainStatus: 'inconsistent',
      dnsNames: [R1, R2],
      error: { code: 'Busy', message: 'Busy.', target: 'teamsDirectRouting' },
      transient: true,
      retryAfterMs: 5_000,
    });
    expect(dns.calls).toEqual([`remember ${R1},${R2}`]);
  });

  it('any other error propagates unchanged', async () => {
    const boom = new Error('storage down');
    await expect(run(fakeDns({}, { failOn: 'upsert', error: boom }), drAccount(), [R1, R2])).rejects.toBe(boom);
    await expect(run(fakeDns({}), drAccount(), [], [], boom)).rejects.toBe(boom);
  });
});
