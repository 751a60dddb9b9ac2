/**
 * shared/flowthrough/reconcile/account.ts at unit level: one account's level-triggered run against
 * the tables in an in-memory Azurite, an in-memory Operator Connect and a DNS port in a map
 * (test/support/reconcileFakes.ts), with a recorded `kick` and a clock that moves one second per
 * reading. Written against the mutants StrykerJS left alive (docs/mutation.md): the skip rule and
 * its clock-skew bound, which results are written and when, the account's status from Operator
 * Connect and DNS together, the follow-up asked for, and what the worker remembers or forgets.
 */
import type { ErrorDetail } from '../../shared/contract/errors';
import { zeroCounts } from '../../shared/domain/services';
import type { AccountDoc, BackendState, NumberDoc } from '../../shared/domain/types';
import { DnsError } from '../../shared/flowthrough/dns/port';
import type { KickReason } from '../../shared/flowthrough/kicks';
import { OcError } from '../../shared/flowthrough/oc/port';
import { reconcileAccount, type WorkerDeps } from '../../shared/flowthrough/reconcile/account';
import { insertAccount, readAccount } from '../../shared/store/accountStore';
import { readAccountNumbers } from '../../shared/store/backendWrites';
import { readAccountMemory, readManagedNumbers, writeAccountMemory, writeManagedNumbers, type ManagedNumber } from '../../shared/store/flowState';
import { commitPartition } from '../../shared/store/numberPartition';
import { setStepHook, type StepName } from '../../shared/store/steps';
import { claimSubdomain } from '../../shared/store/subdomains';
import { consentOf, FakeDns, FakeOc, startTableStorage, type TableStorage } from '../support/reconcileFakes';
import { flowSettings } from '../support/flowStubs';

const TENANT = 'aaaaaaaa-2222-3333-4444-555555555555';
const BASE = 'dr.example.com';
const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const SEEDED_AT = new Date('2026-01-01T00:00:00.000Z');
const N1 = '+14255550101';
const N2 = '+14255550102';
const N3 = '+14255550103';

const SETTINGS = flowSettings({ callingProfileId: 'profile-oc' });

let accountCount = 0;
const freshName = () => `acct${++accountCount}`;

function ocAccount(name: string, extra: Partial<NonNullable<AccountDoc['serviceDetails']>> = {}): AccountDoc {
  return { name, serviceDetails: { teamsTenantId: TENANT, teamsOperatorConnect: { enabled: true, syncEnabled: true }, ...extra } };
}
function drAccount(name: string, label: string): AccountDoc {
  return {
    name,
    serviceDetails: { teamsDirectRouting: { enabled: true, syncEnabled: false, configuration: { callScreening: false, subdomain: label, subdomainTokens: { region1Token: 'tok1', region2Token: 'tok2' } } } },
  };
}
const plainAccount = (name: string): AccountDoc => ({ name, serviceDetails: { teamsDirectRouting: { enabled: false, syncEnabled: false } } });

function ocNumber(account: string, n: string, civicAddressId = 'addr-1'): NumberDoc {
  return { telephoneNumber: n, accountName: account, serviceDetails: { teamsOperatorConnect: { enabled: true, configuration: { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling'], civicAddressId } } } };
}
const drNumber = (account: string, n: string): NumberDoc => ({ telephoneNumber: n, accountName: account, serviceDetails: { teamsDirectRouting: { enabled: true } } });

async function seedAccount(doc: AccountDoc, backend: BackendState = { status: 'pending', errors: [] }): Promise<void> {
  await insertAccount({ doc, counts: zeroCounts(), backend, subdomainStatus: 'notProvisioned', lastModified: SEEDED_AT, deleting: false });
}
async function seedNumbers(account: string, ...entries: [NumberDoc, BackendState][]): Promise<void> {
  await commitPartition(
    account,
    entries.map(([doc, backend]) => ({ doc, backend, lastModified: SEEDED_AT })),
    [],
  );
}
async function numberStates(account: string): Promise<Record<string, { backend: BackendState; lastModified: string }>> {
  const out: Record<string, { backend: BackendState; lastModified: string }> = {};
  for (const [n, s] of await readAccountNumbers(account)) out[n] = { backend: s.record.backend, lastModified: s.record.lastModified.toISOString() };
  return out;
}
async function accountState(name: string) {
  const a = await readAccount(name);
  return a === undefined ? undefined : { backend: a.backend, subdomainStatus: a.subdomainStatus, lastModified: a.lastModified.toISOString() };
}

interface Kick {
  accountName: string;
  reason: KickReason;
  delayMs: number;
}

interface World {
  oc: FakeOc;
  dns: FakeDns;
  kicks: Kick[];
  deps: WorkerDeps;
  /** Clock readings taken so far (one second apart, from T0). */
  readings: () => number;
}

function world(options: { oc?: FakeOc | null; kick?: (k: Kick) => Promise<void> } = {}): World {
  const oc = options.oc ?? new FakeOc();
  if (options.oc === undefined) oc.consents.set(TENANT, consentOf(TENANT));
  const dns = new FakeDns();
  const kicks: Kick[] = [];
  let readings = 0;
  const deps: WorkerDeps = {
    oc: options.oc === null ? undefined : oc,
    dns,
    settings: SETTINGS,
    baseDomain: BASE,
    kick: async (accountName, reason, delayMs) => {
      kicks.push({ accountName, reason, delayMs });
      await options.kick?.({ accountName, reason, delayMs });
    },
    now: () => new Date(T0 + 1000 * readings++),
  };
  return { oc, dns, kicks, deps, readings: () => readings };
}

let storage: TableStorage;
let steps: StepName[] = [];

beforeAll(async () => {
  storage = await startTableStorage();
});
afterAll(async () => {
  await storage.stop();
});
beforeEach(() => {
  steps = [];
  setStepHook((s) => {
    if (s.startsWith('reconcile.')) steps.push(s);
  });
});
afterEach(() => setStepHook(undefined));

const PENDING: BackendState = { status: 'pending', errors: [] };
const SYNCED: BackendState = { status: 'synced', errors: [] };
const FULL_RUN: StepName[] = ['reconcile.loaded', 'reconcile.numbersWritten', 'reconcile.dnsPublished', 'reconcile.accountWritten'];

describe('the skip rule', () => {
  const lastRun = at(60_000);
  const prepared = async () => {
    const name = freshName();
    await seedAccount(plainAccount(name));
    await writeAccountMemory(name, { dnsNames: ['x.1r1.dr.example.com'], lastRunStartedAt: lastRun });
    return name;
  };

  it('skips a kick due more than the clock skew (2 s) before the last run started, touching nothing', async () => {
    const name = await prepared();
    const w = world();
    expect(await reconcileAccount(name, at(60_000 - 2_001), w.deps)).toBe('skipped');
    expect(steps).toEqual([]);
    expect(w.oc.calls).toEqual([]);
    expect(w.dns.calls).toEqual([]);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: ['x.1r1.dr.example.com'], lastRunStartedAt: lastRun });
  });

  it('runs a kick due exactly the clock skew before the last run, or later', async () => {
    for (const due of [at(60_000 - 2_000), at(60_000), at(90_000)]) {
      const name = await prepared();
      const w = world();
      expect([due, await reconcileAccount(name, due, w.deps)]).toEqual([due, 'done']);
      expect(steps.slice(-4)).toEqual(FULL_RUN);
      expect((await readAccountMemory(name)).lastRunStartedAt).toBe(at(0));
    }
  });

  it('runs whatever the kick’s time when no run finished before', async () => {
    const name = freshName();
    await seedAccount(plainAccount(name));
    const w = world();
    expect(await reconcileAccount(name, at(-10_000_000), w.deps)).toBe('done');
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [], lastRunStartedAt: at(0) });
  });

  it('without a clock of its own, the run starts at the current time', async () => {
    const name = freshName();
    await seedAccount(plainAccount(name));
    const { now: _now, ...deps } = world().deps;
    void _now;
    const before = Date.now();
    await reconcileAccount(name, new Date(before).toISOString(), deps);
    const started = Date.parse((await readAccountMemory(name)).lastRunStartedAt);
    expect(started).toBeGreaterThanOrEqual(before);
    expect(started).toBeLessThanOrEqual(Date.now());
  });
});

describe('number results', () => {
  it('writes only the numbers whose backend state changed, at the time after the reconcile', async () => {
    const name = freshName();
    await seedAccount(plainAccount(name));
    const readBack = { acquiredCapabilities: ['InboundCalling'], availableCapabilities: ['InboundCalling'], assignmentStatus: 'assigned' as const };
    await seedNumbers(
      name,
      [drNumber(name, N1), SYNCED],
      [drNumber(name, N2), { status: 'synced', errors: [{ code: 'Old', message: 'old', target: 'x' }] }],
      [drNumber(name, N3), { status: 'synced', errors: [], readBack }],
      [drNumber(name, '+14255550104'), PENDING],
    );
    const w = world();
    expect(await reconcileAccount(name, at(0), w.deps)).toBe('done');
    expect(await numberStates(name)).toEqual({
      [N1]: { backend: SYNCED, lastModified: SEEDED_AT.toISOString() },
      [N2]: { backend: SYNCED, lastModified: at(1_000) },
      [N3]: { backend: SYNCED, lastModified: at(1_000) },
      '+14255550104': { backend: SYNCED, lastModified: at(1_000) },
    });
    expect(steps).toEqual(FULL_RUN);
  });

  it('passes the account, its numbers, the client, the settings and the start time to the Operator Connect reconcile', async () => {
    const name = freshName();
    await seedAccount(ocAccount(name));
    await seedNumbers(name, [ocNumber(name, N1), PENDING]);
    const w = world();
    await reconcileAccount(name, at(0), w.deps);
    expect(w.oc.callsOf('submitUpload')).toHaveLength(1);
    const rows = Object.fromEntries(await readManagedNumbers(name));
    expect(rows[N1]).toMatchObject({ phase: 'uploading', orderId: 'order-1', submittedAt: at(0) });
    expect(await numberStates(name)).toEqual({ [N1]: { backend: PENDING, lastModified: SEEDED_AT.toISOString() } });
    expect(w.kicks).toEqual([{ accountName: name, reason: 'followUp', delayMs: 15_000 }]);
  });

  it('a deleted account’s leftover number rows are not read or written', async () => {
    const name = freshName();
    await seedNumbers(name, [drNumber(name, N1), PENDING]);
    const w = world();
    expect(await reconcileAccount(name, at(0), w.deps)).toBe('done');
    expect(await numberStates(name)).toEqual({ [N1]: { backend: PENDING, lastModified: SEEDED_AT.toISOString() } });
    expect(await readAccount(name)).toBeUndefined();
  });
});

describe('the account result', () => {
  it('synced when nothing failed, with the subdomain status published, at the time after DNS', async () => {
    const name = freshName();
    await seedAccount(drAccount(name, 'fab'));
    const w = world();
    await reconcileAccount(name, at(0), w.deps);
    expect(await accountState(name)).toEqual({ backend: SYNCED, subdomainStatus: 'provisioned', lastModified: at(2_000) });
    expect([...w.dns.records.keys()].sort()).toEqual([`fab.1r1.${BASE}`, `fab.1r2.${BASE}`]);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [`fab.1r1.${BASE}`, `fab.1r2.${BASE}`], lastRunStartedAt: at(0) });
    expect(w.kicks).toEqual([]);
    expect(w.readings()).toBe(3);
  });

  it('failed with Operator Connect’s account errors', async () => {
    const name = freshName();
    await seedAccount(ocAccount(name));
    const w = world({ oc: new FakeOc() });
    await reconcileAccount(name, at(0), w.deps);
    const error: ErrorDetail = { code: 'ConsentNotFound', message: `Tenant ${TENANT} has not chosen this operator in Teams (no Operator Connect consent).`, target: 'teamsTenantId' };
    expect(await accountState(name)).toEqual({ backend: { status: 'failed', errors: [error] }, subdomainStatus: 'notProvisioned', lastModified: at(2_000) });
    expect(w.kicks).toEqual([]);
  });

  it('failed with both Operator Connect’s and DNS’s errors, in that order; a refused DNS call is retried after a minute', async () => {
    const name = freshName();
    const doc = drAccount(name, 'fab');
    await seedAccount({ ...doc, serviceDetails: { ...doc.serviceDetails, teamsTenantId: TENANT, teamsOperatorConnect: { enabled: true, syncEnabled: true } } });
    const w = world({ oc: new FakeOc() });
    w.dns.fail('upsert', new DnsError('permanent', 400, 'BadRecord', 'The record was refused.'));
    await reconcileAccount(name, at(0), w.deps);
    const state = await accountState(name);
    expect(state?.backend.status).toBe('failed');
    expect(state?.backend.errors.map((e) => e.code)).toEqual(['ConsentNotFound', 'BadRecord']);
    expect(state?.backend.errors[1]).toEqual({ code: 'BadRecord', message: 'The record was refused.', target: 'teamsDirectRouting' });
    expect(state?.subdomainStatus).toBe('inconsistent');
    expect(w.kicks).toEqual([{ accountName: name, reason: 'followUp', delayMs: 60_000 }]);
  });

  it('pending while DNS is unavailable, whatever Operator Connect said; back after the DNS delay', async () => {
    const name = freshName();
    const doc = drAccount(name, 'fab');
    await seedAccount({ ...doc, serviceDetails: { ...doc.serviceDetails, teamsTenantId: TENANT, teamsOperatorConnect: { enabled: true, syncEnabled: true } } });
    const w = world({ oc: new FakeOc() });
    w.dns.fail('read', new DnsError('transient', 503, 'Busy', 'busy', 4_000));
    await reconcileAccount(name, at(0), w.deps);
    expect(await accountState(name)).toEqual({ backend: PENDING, subdomainStatus: 'inconsistent', lastModified: at(2_000) });
    expect(w.kicks).toEqual([{ accountName: name, reason: 'followUp', delayMs: 4_000 }]);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [`fab.1r1.${BASE}`, `fab.1r2.${BASE}`], lastRunStartedAt: at(0) });
  });

  it('pending while Operator Connect asks to come back without an account error; kicked as a retry after its delay', async () => {
    const name = freshName();
    await seedAccount(ocAccount(name), SYNCED);
    const w = world({ oc: new FakeOc().fail('getConsent', new OcError('transient', 429, 'TooManyRequests', 'slow down', [], 9_000)) });
    await reconcileAccount(name, at(0), w.deps);
    expect(await accountState(name)).toEqual({ backend: PENDING, subdomainStatus: 'notProvisioned', lastModified: at(2_000) });
    expect(w.kicks).toEqual([{ accountName: name, reason: 'retry', delayMs: 9_000 }]);
  });

  it('failed when Operator Connect asks to come back with an account error (configuration)', async () => {
    const name = freshName();
    await seedAccount(ocAccount(name));
    const w = world({ oc: new FakeOc().fail('getConsent', new OcError('configuration', 403, 'Forbidden', 'no role')) });
    await reconcileAccount(name, at(0), w.deps);
    expect(await accountState(name)).toEqual({ backend: { status: 'failed', errors: [{ code: 'Forbidden', message: 'no role', target: 'teamsOperatorConnect' }] }, subdomainStatus: 'notProvisioned', lastModified: at(2_000) });
    expect(w.kicks).toEqual([{ accountName: name, reason: 'retry', delayMs: 60_000 }]);
  });

  it('a retry and a follow-up together: one kick, as a retry, after the shorter delay', async () => {
    for (const [retryAfterMs, delayMs] of [
      [7_000, 7_000],
      [30_000, 15_000],
    ] as const) {
      const name = freshName();
      await seedAccount(ocAccount(name));
      await seedNumbers(name, [ocNumber(name, N1), PENDING], [ocNumber(name, N2, 'addr-2'), PENDING]);
      // The first order goes out (in flight), the second is throttled.
      const w = world({ oc: new FakeOc().pass('submitUpload').fail('submitUpload', new OcError('transient', 429, 'TooManyRequests', 'slow down', [], retryAfterMs)) });
      w.oc.consents.set(TENANT, consentOf(TENANT));
      await reconcileAccount(name, at(0), w.deps);
      expect(w.oc.callsOf('submitUpload')).toHaveLength(2);
      expect(w.kicks).toEqual([{ accountName: name, reason: 'retry', delayMs }]);
      expect((await accountState(name))?.backend).toEqual(PENDING);
    }
  });
});

describe('DNS names remembered', () => {
  it('names published before are remembered before anything is published, even when the run fails later', async () => {
    const name = freshName();
    await seedAccount(drAccount(name, 'fab'));
    await writeAccountMemory(name, { dnsNames: [`old.1r1.${BASE}`], lastRunStartedAt: at(-50_000) });
    const boom = new Error('kick failed');
    const w = world({ kick: () => Promise.reject(boom) });
    w.dns.fail('read', new DnsError('transient', 503, 'Busy', 'busy'));
    await expect(reconcileAccount(name, at(0), w.deps)).rejects.toBe(boom);
    expect(w.kicks).toEqual([{ accountName: name, reason: 'followUp', delayMs: 5_000 }]);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [`fab.1r1.${BASE}`, `fab.1r2.${BASE}`, `old.1r1.${BASE}`], lastRunStartedAt: at(-50_000) });
  });

  it('a remembered name whose label another account claimed is left alone; ours and unclaimed ones are withdrawn', async () => {
    const name = freshName();
    const other = freshName();
    await seedAccount(plainAccount(name));
    expect(await claimSubdomain('theirs', other, async () => true)).toBe('claimed');
    expect(await claimSubdomain('mine', name, async () => true)).toBe('claimed');
    const names = [`theirs.1r1.${BASE}`, `mine.1r1.${BASE}`, `free.1r1.${BASE}`];
    await writeAccountMemory(name, { dnsNames: names, lastRunStartedAt: '' });
    const w = world();
    for (const n of names) w.dns.records.set(n, 'v');
    await reconcileAccount(name, at(0), w.deps);
    expect([...w.dns.records.keys()]).toEqual([`theirs.1r1.${BASE}`]);
    expect(w.dns.calls.filter(([m]) => m === 'remove')).toEqual([
      ['remove', `mine.1r1.${BASE}`],
      ['remove', `free.1r1.${BASE}`],
    ]);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [], lastRunStartedAt: at(0) });
    expect((await accountState(name))?.subdomainStatus).toBe('notProvisioned');
  });
});

describe('forgetting an account', () => {
  it('a deleted account with nothing left published or uploaded is forgotten', async () => {
    const name = freshName();
    await writeAccountMemory(name, { dnsNames: [`gone.1r1.${BASE}`], lastRunStartedAt: at(-50_000) });
    const w = world();
    w.dns.records.set(`gone.1r1.${BASE}`, 'v');
    expect(await reconcileAccount(name, at(0), w.deps)).toBe('done');
    expect(w.dns.records.size).toBe(0);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [], lastRunStartedAt: '' });
    expect(steps).toEqual(FULL_RUN);
  });

  it('a deleted account is remembered while a DNS name may still be published', async () => {
    const name = freshName();
    await writeAccountMemory(name, { dnsNames: [`gone.1r1.${BASE}`], lastRunStartedAt: at(-50_000) });
    const w = world();
    w.dns.fail('read', new DnsError('transient', 503, 'Busy', 'busy', 1_000));
    await reconcileAccount(name, at(0), w.deps);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [`gone.1r1.${BASE}`], lastRunStartedAt: at(0) });
    expect(w.kicks).toEqual([{ accountName: name, reason: 'followUp', delayMs: 1_000 }]);
  });

  it('a deleted account is remembered while a number is still held in Operator Connect', async () => {
    const name = freshName();
    const held: ManagedNumber = { telephoneNumber: N1, tenantId: TENANT, service: 'teamsOperatorConnect', phase: 'present', orderId: '', submittedAt: at(-50_000), pushedKey: 'k', errors: [] };
    await writeManagedNumbers(name, [held]);
    const w = world();
    await reconcileAccount(name, at(0), w.deps);
    expect(w.oc.callsOf('submitRelease')).toEqual([['submitRelease', TENANT, [N1]]]);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [], lastRunStartedAt: at(0) });
    expect(w.kicks).toEqual([{ accountName: name, reason: 'followUp', delayMs: 15_000 }]);
  });

  it('an account that exists is remembered even with nothing published', async () => {
    const name = freshName();
    await seedAccount(plainAccount(name));
    await reconcileAccount(name, at(0), world({ oc: null }).deps);
    expect(await readAccountMemory(name)).toEqual({ dnsNames: [], lastRunStartedAt: at(0) });
    expect(await accountState(name)).toEqual({ backend: SYNCED, subdomainStatus: 'notProvisioned', lastModified: at(2_000) });
  });
});
