/**
 * shared/flowthrough/reconcile/operatorConnect.ts at unit level: the reconcile of one account's
 * Operator Connect / Teams Phone Mobile numbers against an in-memory Operator Connect that records
 * every call (test/support/reconcileFakes.ts), with the worker's memory (flowstate) in an in-memory
 * Azurite. Each case names its own account, so the memory of one never leaks into another.
 * Written against the mutants StrykerJS left alive (docs/mutation.md): exact orders and their
 * contents, each backend state per number with its exact error, what is released or dropped, what
 * a refused, throttled or ambiguous call leaves behind, and the back-off asked for.
 */
import type { ErrorDetail } from '../../shared/contract/errors';
import type { AccountDoc, BackendState, NumberDoc, TeamsNumberConfig, TeamsNumberSettings, TeamsReadBack } from '../../shared/domain/types';
import type { FlowSettings } from '../../shared/flowthrough/config';
import { OcError } from '../../shared/flowthrough/oc/port';
import { desiredUpload, pushedKeyOf } from '../../shared/flowthrough/reconcile/desired';
import { reconcileOperatorConnect, type OcOutcome } from '../../shared/flowthrough/reconcile/operatorConnect';
import { resetCallingProfilesForTests } from '../../shared/flowthrough/reconcile/profiles';
import type { StoredNumber } from '../../shared/store/backendWrites';
import { readManagedNumbers, writeManagedNumbers, type ManagedNumber } from '../../shared/store/flowState';
import { setStepHook, type StepName } from '../../shared/store/steps';
import { consentOf, FakeOc, ocNumberOf, orderOf, startTableStorage, type TableStorage } from '../support/reconcileFakes';
import { flowSettings } from '../support/flowStubs';

const TENANT = 'AAAAAAAA-2222-3333-4444-555555555555';
const KEY = TENANT.toLowerCase();
const OTHER = 'bbbbbbbb-2222-3333-4444-555555555555';
const NOW = new Date('2026-12-07T10:00:00.000Z');
const N1 = '+14255550101';
const N2 = '+14255550102';
const N3 = '+14255550103';

const SETTINGS = flowSettings({ callingProfileId: 'profile-oc', mobileCallingProfileId: 'profile-tpm' });

const NOT_CONFIGURED: ErrorDetail = { code: 'OperatorConnectNotConfigured', message: 'Flow-through to Operator Connect is not configured in this deployment.', target: 'teamsOperatorConnect' };
const REUPLOAD_MESSAGE = 'Usage, capabilities and displayed country of an uploaded number cannot be changed in place; delete the number and create it again.';
const SYNCED: BackendState = { status: 'synced', errors: [] };
const PENDING: BackendState = { status: 'pending', errors: [] };
const STORED_READBACK: TeamsReadBack = { acquiredCapabilities: ['Stored'], availableCapabilities: ['Stored', 'More'], assignmentStatus: 'assigned' };

let accountCount = 0;
/** A fresh account name per case: its flowstate partition is its own. */
const freshName = () => `acct${++accountCount}`;

type Flags = readonly [enabled: boolean, syncEnabled: boolean];
function accountDoc(name: string, options: { oc?: Flags; tpm?: Flags; tenant?: string | null } = {}): AccountDoc {
  const oc = options.oc ?? [true, true];
  const tenant = options.tenant === undefined ? TENANT : options.tenant;
  return {
    name,
    serviceDetails: {
      ...(tenant !== null ? { teamsTenantId: tenant } : {}),
      teamsOperatorConnect: { enabled: oc[0], syncEnabled: oc[1] },
      ...(options.tpm !== undefined ? { teamsPhoneMobile: { enabled: options.tpm[0], syncEnabled: options.tpm[1] } } : {}),
    },
  };
}

const BASE_CONFIG: TeamsNumberConfig = { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling'], civicAddressId: 'addr-1' };

function numberDoc(account: string, n: string, config: Partial<TeamsNumberConfig> = {}, settings: Partial<TeamsNumberSettings> = {}, service: 'teamsOperatorConnect' | 'teamsPhoneMobile' = 'teamsOperatorConnect'): NumberDoc {
  return { telephoneNumber: n, accountName: account, serviceDetails: { [service]: { enabled: true, configuration: { ...BASE_CONFIG, ...config }, ...settings } } };
}

const drOnly = (account: string, n: string): NumberDoc => ({ telephoneNumber: n, accountName: account, serviceDetails: { teamsDirectRouting: { enabled: true } } });

function stored(doc: NumberDoc, backend: BackendState = PENDING): StoredNumber {
  return { record: { doc, backend, lastModified: NOW }, etag: 'etag' };
}

const numbersOf = (...entries: StoredNumber[]) => new Map(entries.map((s) => [s.record.doc.telephoneNumber, s]));

/** The key the worker keeps for a number pushed with these settings. */
function keyOf(doc: NumberDoc, account: AccountDoc): string {
  const d = desiredUpload(doc, account);
  if (d === undefined) throw new Error('not a desired number');
  return pushedKeyOf(d);
}

function row(n: string, fields: Partial<ManagedNumber> = {}): ManagedNumber {
  return { telephoneNumber: n, tenantId: KEY, service: 'teamsOperatorConnect', phase: 'present', orderId: '', submittedAt: '2026-12-07T09:00:00.000Z', pushedKey: 'k', errors: [], ...fields };
}

async function memoryOf(account: string): Promise<Record<string, ManagedNumber>> {
  return Object.fromEntries(await readManagedNumbers(account));
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
  setStepHook((s) => steps.push(s));
  resetCallingProfilesForTests();
});
afterEach(() => setStepHook(undefined));

interface Run {
  account?: AccountDoc | undefined;
  numbers?: Map<string, StoredNumber>;
  oc: FakeOc | undefined;
  settings?: FlowSettings;
}

function run(name: string, r: Run): Promise<OcOutcome> {
  return reconcileOperatorConnect({ accountName: name, account: r.account, numbers: r.numbers ?? new Map(), oc: r.oc, settings: r.settings ?? SETTINGS, now: NOW });
}

/** A fake whose tenant has an active consent. */
const consenting = (...tenants: string[]) => {
  const oc = new FakeOc();
  for (const t of tenants.length > 0 ? tenants : [KEY]) oc.consents.set(t, consentOf(t));
  return oc;
};

describe('without an Operator Connect client', () => {
  it('fails every number that needs it and tells the account, and leaves the others synced', async () => {
    const name = freshName();
    const account = accountDoc(name);
    const out = await run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1)), stored(drOnly(name, N2))), oc: undefined });
    expect(out).toStrictEqual({
      backends: new Map([
        [N1, { status: 'failed', errors: [NOT_CONFIGURED] }],
        [N2, SYNCED],
      ]),
      accountErrors: [NOT_CONFIGURED],
      inFlight: false,
      managedLeft: 0,
    });
  });

  it('tells the account when only a number needs it (the account itself does not sync an enabled service)', async () => {
    const name = freshName();
    const account = accountDoc(name, { oc: [false, true] });
    const out = await run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1)), stored(drOnly(name, N2))), oc: undefined });
    expect(out.accountErrors).toStrictEqual([NOT_CONFIGURED]);
    expect(out.backends.get(N1)).toStrictEqual({ status: 'failed', errors: [NOT_CONFIGURED] });
  });

  it('tells an account syncing Teams Phone Mobile only, even before any number', async () => {
    const name = freshName();
    const out = await run(name, { account: accountDoc(name, { oc: [false, false], tpm: [true, true] }), oc: undefined });
    expect(out).toStrictEqual({ backends: new Map(), accountErrors: [NOT_CONFIGURED], inFlight: false, managedLeft: 0 });
  });

  it('says nothing to an account that syncs nothing, to one enabled without sync or synced but disabled, to one without tenant, or to none', async () => {
    const cases: (AccountDoc | undefined)[] = [
      accountDoc('a', { oc: [true, false], tpm: [true, false] }),
      accountDoc('a', { oc: [false, true], tpm: [false, true] }),
      accountDoc('a', { tenant: null }),
      { name: 'a' },
      undefined,
    ];
    for (const account of cases) {
      const out = await run('a', { account, numbers: numbersOf(stored(drOnly('a', N1))), oc: undefined });
      expect([account, out]).toStrictEqual([account, { backends: new Map([[N1, SYNCED]]), accountErrors: [], inFlight: false, managedLeft: 0 }]);
    }
  });
});

describe('an account with nothing to do', () => {
  it('calls nothing and reports its numbers synced', async () => {
    const name = freshName();
    const oc = consenting();
    const out = await run(name, { account: accountDoc(name, { oc: [true, false] }), numbers: numbersOf(stored(drOnly(name, N1))), oc });
    expect(out).toStrictEqual({ backends: new Map([[N1, SYNCED]]), accountErrors: [], inFlight: false, managedLeft: 0 });
    expect(oc.calls).toEqual([]);
    expect(steps).toEqual([]);
  });

  it('with an account that syncs but has no number: checks its consent only', async () => {
    const name = freshName();
    const oc = consenting();
    const out = await run(name, { account: accountDoc(name, { tenant: TENANT }), oc });
    expect(oc.calls).toEqual([['getConsent', KEY]]);
    expect(steps).toEqual(['reconcile.ordersFollowed']);
    expect(out).toStrictEqual({ backends: new Map(), accountErrors: [], inFlight: false, managedLeft: 0 });
  });
});

describe('consent', () => {
  it('without a consent: nothing is uploaded, the account and each wanted number fail with ConsentNotFound', async () => {
    const name = freshName();
    const oc = new FakeOc();
    const account = accountDoc(name, { tpm: [true, true] });
    const numbers = numbersOf(stored(numberDoc(name, N1)), stored(numberDoc(name, N2, {}, {}, 'teamsPhoneMobile')), stored(drOnly(name, N3)));
    const out = await run(name, { account, numbers, oc });
    const error = { code: 'ConsentNotFound', message: `Tenant ${KEY} has not chosen this operator in Teams (no Operator Connect consent).`, target: 'teamsTenantId' };
    expect(out).toStrictEqual({
      backends: new Map([
        [N1, { status: 'failed', errors: [{ ...error, target: 'teamsOperatorConnect' }] }],
        [N2, { status: 'failed', errors: [{ ...error, target: 'teamsPhoneMobile' }] }],
        [N3, SYNCED],
      ]),
      accountErrors: [error],
      inFlight: false,
      managedLeft: 0,
    });
    expect(oc.calls).toEqual([['getConsent', KEY]]);
    expect(await memoryOf(name)).toEqual({});
  });

  it('with a consent that is not Active: ConsentNotActive with its status', async () => {
    const name = freshName();
    const oc = new FakeOc();
    oc.consents.set(KEY, consentOf(KEY, 'Suspended'));
    const out = await run(name, { account: accountDoc(name), numbers: numbersOf(stored(numberDoc(name, N1))), oc });
    const error = { code: 'ConsentNotActive', message: "The tenant's Operator Connect consent is Suspended.", target: 'teamsTenantId' };
    expect(out.accountErrors).toStrictEqual([error]);
    expect(out.backends.get(N1)).toStrictEqual({ status: 'failed', errors: [{ ...error, target: 'teamsOperatorConnect' }] });
    expect(oc.callsOf('submitUpload')).toEqual([]);
  });

  it('a number already present keeps its read-back state while the consent is missing', async () => {
    const name = freshName();
    const oc = new FakeOc();
    const account = accountDoc(name);
    const doc = numberDoc(name, N1);
    await writeManagedNumbers(name, [row(N1, { pushedKey: keyOf(doc, account) })]);
    const out = await run(name, { account, numbers: numbersOf(stored(doc, { status: 'synced', errors: [], readBack: STORED_READBACK })), oc });
    expect(out.backends.get(N1)).toStrictEqual({ status: 'synced', errors: [], readBack: STORED_READBACK });
    expect(out.accountErrors.map((e) => e.code)).toEqual(['ConsentNotFound']);
    expect(out.managedLeft).toBe(1);
  });

  it("asks for the numbers' tenant only when the account itself does not sync an enabled service", async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name, { oc: [false, true] });
    const out = await run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1))), oc });
    expect(oc.callsOf('getConsent')).toEqual([['getConsent', KEY]]);
    expect(oc.callsOf('submitUpload')).toHaveLength(1);
    expect(out.backends.get(N1)).toStrictEqual(PENDING);
  });
});

describe('uploads', () => {
  it('uploads missing numbers grouped by identical settings, with every field of the order', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name, { tpm: [true, true] });
    const rich = { additionalUsages: ['Zeta', 'Alpha'], displayedCountryCode: 'US', allowTenantAddressUpdate: true, locationId: 'loc-1' };
    const docs = [numberDoc(name, N2, rich), numberDoc(name, N1, rich), numberDoc(name, N3, { civicAddressId: 'addr-2' }, {}, 'teamsPhoneMobile')];
    const out = await run(name, { account, numbers: numbersOf(...docs.map((d) => stored(d))), oc });
    expect(oc.callsOf('submitUpload')).toStrictEqual([
      [
        'submitUpload',
        {
          tenantId: KEY,
          telephoneNumbers: [N1, N2],
          callingProfileId: 'profile-oc',
          usage: 'CallingUserAssignment',
          choosableCapabilities: ['InboundCalling'],
          additionalUsages: ['Alpha', 'Zeta'],
          locationId: 'loc-1',
          allowTenantAddressUpdate: true,
          displayedCountryCode: 'US',
        },
      ],
      [
        'submitUpload',
        { tenantId: KEY, telephoneNumbers: [N3], callingProfileId: 'profile-tpm', usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling'], civicAddressId: 'addr-2', allowTenantAddressUpdate: false },
      ],
    ]);
    const intent = (n: string, doc: NumberDoc, orderId: string, service: ManagedNumber['service'] = 'teamsOperatorConnect') =>
      row(n, { service, phase: 'uploading', orderId, submittedAt: NOW.toISOString(), pushedKey: keyOf(doc, account) });
    expect(await memoryOf(name)).toStrictEqual({
      [N1]: intent(N1, docs[1] as NumberDoc, 'order-1'),
      [N2]: intent(N2, docs[0] as NumberDoc, 'order-1'),
      [N3]: intent(N3, docs[2] as NumberDoc, 'order-2', 'teamsPhoneMobile'),
    });
    expect(out).toStrictEqual({
      backends: new Map([
        [N2, PENDING],
        [N1, PENDING],
        [N3, PENDING],
      ]),
      accountErrors: [],
      inFlight: true,
      managedLeft: 3,
    });
    expect(steps).toEqual(['reconcile.ordersFollowed', 'reconcile.intentRecorded', 'reconcile.orderSubmitted', 'reconcile.intentRecorded', 'reconcile.orderSubmitted']);
  });

  it('splits a group into orders of at most maxOrderSize numbers', async () => {
    const name = freshName();
    const oc = consenting();
    const numbers = numbersOf(...[N3, N1, N2].map((n) => stored(numberDoc(name, n))));
    await run(name, { account: accountDoc(name), numbers, oc, settings: { ...SETTINGS, maxOrderSize: 2 } });
    expect(oc.callsOf('submitUpload').map(([, order]) => (order as { telephoneNumbers: string[] }).telephoneNumbers)).toEqual([[N1, N2], [N3]]);
  });

  it('a refused order fails its numbers with Operator Connect’s error, and the next order still goes', async () => {
    const name = freshName();
    const oc = consenting().fail('submitUpload', new OcError('permanent', 400, 'InvalidCivicAddress', 'The civic address is not valid.'));
    const account = accountDoc(name, { tpm: [true, true] });
    const a = numberDoc(name, N1, {}, {}, 'teamsPhoneMobile');
    const b = numberDoc(name, N2, { civicAddressId: 'addr-2' });
    const out = await run(name, { account, numbers: numbersOf(stored(a), stored(b)), oc });
    const errors = [{ code: 'InvalidCivicAddress', message: 'The civic address is not valid.', target: 'teamsPhoneMobile' }];
    expect(out.backends).toStrictEqual(
      new Map([
        [N1, { status: 'failed', errors }],
        [N2, PENDING],
      ]),
    );
    expect(await memoryOf(name)).toStrictEqual({
      [N1]: row(N1, { service: 'teamsPhoneMobile', phase: 'failed', submittedAt: NOW.toISOString(), pushedKey: keyOf(a, account), errors }),
      [N2]: row(N2, { phase: 'uploading', orderId: 'order-1', submittedAt: NOW.toISOString(), pushedKey: keyOf(b, account) }),
    });
    expect(out.accountErrors).toEqual([]);
    expect(out).not.toHaveProperty('retryAfterMs');
  });

  it('a refused number is not uploaded again with the same settings, but is with new ones', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const same = numberDoc(name, N1);
    const changed = numberDoc(name, N2, { civicAddressId: 'addr-new' });
    const errors = [{ code: 'Refused', message: 'no', target: 'teamsOperatorConnect' }];
    await writeManagedNumbers(name, [row(N1, { phase: 'failed', pushedKey: keyOf(same, account), errors }), row(N2, { phase: 'failed', pushedKey: keyOf(numberDoc(name, N2), account), errors })]);
    const out = await run(name, { account, numbers: numbersOf(stored(same), stored(changed)), oc });
    expect(oc.callsOf('submitUpload').map(([, order]) => (order as { telephoneNumbers: string[] }).telephoneNumbers)).toEqual([[N2]]);
    expect(out.backends).toStrictEqual(
      new Map([
        [N1, { status: 'failed', errors }],
        [N2, PENDING],
      ]),
    );
    expect(oc.callsOf('listNumbers')).toEqual([]);
  });

  it('a throttled upload was not accepted: its rows go and the run asks to come back after the server’s delay', async () => {
    const name = freshName();
    const oc = consenting().fail('submitUpload', new OcError('transient', 429, 'TooManyRequests', 'slow down', [], 7_000));
    const out = await run(name, { account: accountDoc(name), numbers: numbersOf(stored(numberDoc(name, N1))), oc });
    expect(await memoryOf(name)).toEqual({});
    expect(out).toStrictEqual({ backends: new Map([[N1, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 0, retryAfterMs: 7_000 });
  });

  it('an ambiguous upload keeps its rows without an order id, to be read back; back after followUpMs', async () => {
    const name = freshName();
    const oc = consenting().fail('submitUpload', new OcError('ambiguous', undefined, 'Timeout', 'no answer'));
    const account = accountDoc(name);
    const doc = numberDoc(name, N1);
    const out = await run(name, { account, numbers: numbersOf(stored(doc)), oc });
    expect(await memoryOf(name)).toStrictEqual({ [N1]: row(N1, { phase: 'uploading', submittedAt: NOW.toISOString(), pushedKey: keyOf(doc, account) }) });
    expect(out).toStrictEqual({ backends: new Map([[N1, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 1, retryAfterMs: 15_000 });
  });

  it('an error that is not Operator Connect’s propagates', async () => {
    const name = freshName();
    const boom = new Error('boom');
    const oc = consenting().fail('submitUpload', boom);
    await expect(run(name, { account: accountDoc(name), numbers: numbersOf(stored(numberDoc(name, N1))), oc })).rejects.toBe(boom);
  });

  it('without a calling profile: a configuration error on the account, the number stays pending', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const doc = numberDoc(name, N1, { civicAddressId: 'addr-new' });
    const errors = [{ code: 'Refused', message: 'no', target: 'teamsOperatorConnect' }];
    await writeManagedNumbers(name, [row(N1, { phase: 'failed', pushedKey: keyOf(numberDoc(name, N1), account), errors })]);
    const { callingProfileId: _c, ...noProfile } = SETTINGS;
    void _c;
    const out = await run(name, { account, numbers: numbersOf(stored(doc)), oc, settings: { ...noProfile, followUpMs: 90_000 } });
    expect(oc.callsOf('listCallingProfiles', 'submitUpload')).toEqual([['listCallingProfiles']]);
    expect(out).toStrictEqual({
      backends: new Map([[N1, PENDING]]),
      accountErrors: [{ code: 'CallingProfileNotFound', message: 'No Operator Connect calling profile exists; set OC_CALLING_PROFILE_ID.', target: 'teamsOperatorConnect' }],
      inFlight: true,
      managedLeft: 1,
      retryAfterMs: 90_000,
    });
  });
});

describe('back-off', () => {
  it('a configuration error is an account error, retried after at least a minute', async () => {
    const cases: [string, number, string, number][] = [
      ['Forbidden', 15_000, 'Forbidden', 60_000],
      ['', 15_000, 'OperatorConnectAccessDenied', 60_000],
      ['Forbidden', 61_000, 'Forbidden', 61_000],
    ];
    for (const [code, followUpMs, reported, retry] of cases) {
      const name = freshName();
      const oc = new FakeOc().fail('getConsent', new OcError('configuration', 403, code, 'The app is not allowed.', [], 5));
      const out = await run(name, { account: accountDoc(name), oc, settings: { ...SETTINGS, followUpMs } });
      expect(out).toStrictEqual({ backends: new Map(), accountErrors: [{ code: reported, message: 'The app is not allowed.', target: 'teamsOperatorConnect' }], inFlight: false, managedLeft: 0, retryAfterMs: retry });
    }
  });
});

describe('following orders', () => {
  it('an upload that finished makes the number present and its listing is read, even with a read-back stored', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const doc = numberDoc(name, N1);
    await writeManagedNumbers(name, [row(N1, { phase: 'uploading', orderId: 'order-9', pushedKey: keyOf(doc, account) })]);
    oc.orders.set('order-9', orderOf('order-9', 'Upload', KEY, 'Succeeded', [{ telephoneNumber: N1, status: 'Succeeded' }]));
    oc.numbers.set(KEY, [ocNumberOf(KEY, N1, { acquiredCapabilities: ['Live'], availableCapabilities: ['Live', 'X'], assignmentStatus: 'unassigned' })]);
    const out = await run(name, { account, numbers: numbersOf(stored(doc, { status: 'pending', errors: [], readBack: STORED_READBACK })), oc });
    expect(oc.callsOf('getOrder', 'listNumbers')).toEqual([
      ['getOrder', 'order-9'],
      ['listNumbers', KEY],
    ]);
    expect(out).toStrictEqual({
      backends: new Map([[N1, { status: 'synced', errors: [], readBack: { acquiredCapabilities: ['Live'], availableCapabilities: ['Live', 'X'], assignmentStatus: 'unassigned' } }]]),
      accountErrors: [],
      inFlight: false,
      managedLeft: 1,
    });
    expect((await memoryOf(name))[N1]).toStrictEqual(row(N1, { pushedKey: keyOf(doc, account) }));
  });

  it('an order still running keeps the number pending and the run in flight', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const doc = numberDoc(name, N1);
    await writeManagedNumbers(name, [row(N1, { phase: 'uploading', orderId: 'order-9', pushedKey: keyOf(doc, account) })]);
    oc.orders.set('order-9', orderOf('order-9', 'Upload', KEY, 'InProgress', [{ telephoneNumber: N1, status: 'Pending' }]));
    const out = await run(name, { account, numbers: numbersOf(stored(doc)), oc });
    expect(out).toStrictEqual({ backends: new Map([[N1, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 1 });
    expect(oc.callsOf('submitUpload', 'listNumbers')).toEqual([]);
  });

  it('a withdrawal in flight with no number left keeps the run in flight', async () => {
    const name = freshName();
    const oc = consenting();
    await writeManagedNumbers(name, [row(N1, { phase: 'releasing', orderId: 'order-9' })]);
    oc.orders.set('order-9', orderOf('order-9', 'Release', KEY, 'InProgress', [{ telephoneNumber: N1, status: 'Pending' }]));
    const out = await run(name, { account: undefined, oc });
    expect(out).toStrictEqual({ backends: new Map(), accountErrors: [], inFlight: true, managedLeft: 1 });
    expect(oc.callsOf('submitRelease')).toEqual([]);
  });
});

describe('read-back of present numbers', () => {
  it('uses the stored read-back without listing when nothing changed', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const doc = numberDoc(name, N1, {}, { assignmentStatus: 'assigned' });
    await writeManagedNumbers(name, [row(N1, { pushedKey: keyOf(doc, account) })]);
    const out = await run(name, { account, numbers: numbersOf(stored(doc, { status: 'synced', errors: [], readBack: STORED_READBACK })), oc });
    expect(oc.calls).toEqual([['getConsent', KEY]]);
    expect(out).toStrictEqual({ backends: new Map([[N1, { status: 'synced', errors: [], readBack: STORED_READBACK }]]), accountErrors: [], inFlight: false, managedLeft: 1 });
  });

  it('lists the tenant when a present number has no read-back yet; one the listing lacks stays pending', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const docs = [numberDoc(name, N1), numberDoc(name, N2)];
    await writeManagedNumbers(name, [row(N1, { pushedKey: keyOf(docs[0] as NumberDoc, account) }), row(N2, { pushedKey: keyOf(docs[1] as NumberDoc, account) })]);
    oc.numbers.set(KEY, [ocNumberOf(KEY, N1)]);
    const out = await run(name, { account, numbers: numbersOf(stored(docs[0] as NumberDoc), stored(docs[1] as NumberDoc, { status: 'synced', errors: [], readBack: STORED_READBACK })), oc });
    expect(oc.callsOf('listNumbers')).toEqual([['listNumbers', KEY]]);
    expect(out).toStrictEqual({
      backends: new Map([
        [N1, { status: 'synced', errors: [], readBack: { acquiredCapabilities: ['InboundCalling'], availableCapabilities: ['InboundCalling', 'OutboundCalling'], assignmentStatus: 'assigned' } }],
        [N2, PENDING],
      ]),
      accountErrors: [],
      inFlight: true,
      managedLeft: 2,
    });
  });

  it('a number the operator wants unassigned: listed, unassigned while assigned (pending), synced once unassigned', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const docs = [numberDoc(name, N1, {}, { assignmentStatus: 'unassigned' }), numberDoc(name, N2, {}, { assignmentStatus: 'unassigned' })];
    const rows = docs.map((d) => row(d.telephoneNumber, { pushedKey: keyOf(d, account) }));
    await writeManagedNumbers(name, rows);
    oc.numbers.set(KEY, [ocNumberOf(KEY, N1, { assignmentStatus: 'assigned' }), ocNumberOf(KEY, N2, { assignmentStatus: 'unassigned' })]);
    const backend = { status: 'synced' as const, errors: [], readBack: STORED_READBACK };
    const out = await run(name, { account, numbers: numbersOf(...docs.map((d) => stored(d, backend))), oc });
    expect(oc.callsOf('listNumbers', 'submitUnassign')).toEqual([
      ['listNumbers', KEY],
      ['submitUnassign', KEY, [N1]],
    ]);
    const live = (assignmentStatus: 'assigned' | 'unassigned') => ({ acquiredCapabilities: ['InboundCalling'], availableCapabilities: ['InboundCalling', 'OutboundCalling'], assignmentStatus });
    expect(out.backends).toStrictEqual(
      new Map([
        [N1, PENDING],
        [N2, { status: 'synced', errors: [], readBack: live('unassigned') }],
      ]),
    );
    expect(await memoryOf(name)).toStrictEqual({ [N1]: { ...rows[0], phase: 'unassigning', orderId: 'order-1', submittedAt: NOW.toISOString() }, [N2]: rows[1] });
    expect(out.inFlight).toBe(true);
  });

  it('an assigned number the operator wants unassigned whose unassignment was throttled is pending with its read-back', async () => {
    const name = freshName();
    const oc = consenting().fail('submitUnassign', new OcError('transient', 503, 'Unavailable', 'later', [], 3_000));
    const account = accountDoc(name);
    const doc = numberDoc(name, N1, {}, { assignmentStatus: 'unassigned' });
    await writeManagedNumbers(name, [row(N1, { pushedKey: keyOf(doc, account), failedKey: 'other' })]);
    oc.numbers.set(KEY, [ocNumberOf(KEY, N1, { acquiredCapabilities: [], availableCapabilities: [] })]);
    const out = await run(name, { account, numbers: numbersOf(stored(doc, { status: 'pending', errors: [], readBack: STORED_READBACK })), oc });
    expect(oc.callsOf('submitUnassign')).toEqual([['submitUnassign', KEY, [N1]]]);
    const readBack = { acquiredCapabilities: [], availableCapabilities: [], assignmentStatus: 'assigned' };
    expect(out).toStrictEqual({ backends: new Map([[N1, { status: 'pending', errors: [], readBack }]]), accountErrors: [], inFlight: true, managedLeft: 1, retryAfterMs: 3_000 });
  });

  it('a listing that fails leaves present numbers pending (their stored read-back is not trusted) and asks to come back', async () => {
    const name = freshName();
    const oc = consenting().fail('listNumbers', new OcError('transient', 503, 'Unavailable', 'later', [], 3_000));
    const account = accountDoc(name);
    const doc = numberDoc(name, N1, {}, { assignmentStatus: 'unassigned' });
    await writeManagedNumbers(name, [row(N1, { pushedKey: keyOf(doc, account) })]);
    const out = await run(name, { account, numbers: numbersOf(stored(doc, { status: 'synced', errors: [], readBack: STORED_READBACK })), oc });
    expect(out).toStrictEqual({ backends: new Map([[N1, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 1, retryAfterMs: 3_000 });
  });
});

describe('withdrawals', () => {
  it('a deleted account: present numbers released per tenant, assigned ones unassigned first, failed rows dropped, in-flight ones left', async () => {
    const name = freshName();
    const oc = new FakeOc();
    const assigned = [{ code: 'NumberAssigned', message: 'assigned', target: 'teamsOperatorConnect' }];
    const rows = [
      row(N1),
      row(N2, { errors: assigned }),
      row(N3, { tenantId: OTHER, service: 'teamsPhoneMobile' }),
      row('+14255550104', { phase: 'failed' }),
      row('+14255550105', { phase: 'releasing', orderId: 'order-9' }),
      row('+14255550106', { errors: [{ code: 'ReleaseFailed', message: 'refused', target: 'teamsOperatorConnect' }] }),
    ];
    await writeManagedNumbers(name, rows);
    oc.orders.set('order-9', orderOf('order-9', 'Release', KEY, 'Pending', []));
    const out = await run(name, { account: undefined, oc });
    expect(oc.callsOf('submitRelease', 'submitUnassign')).toEqual([
      ['submitUnassign', KEY, [N2]],
      ['submitRelease', KEY, [N1, '+14255550106']],
      ['submitRelease', OTHER, [N3]],
    ]);
    const at = NOW.toISOString();
    expect(await memoryOf(name)).toStrictEqual({
      [N1]: { ...rows[0], phase: 'releasing', orderId: 'order-2', submittedAt: at },
      [N2]: { ...rows[1], phase: 'unassigning', orderId: 'order-1', submittedAt: at },
      [N3]: { ...rows[2], phase: 'releasing', orderId: 'order-3', submittedAt: at },
      '+14255550105': rows[4],
      '+14255550106': { ...rows[5], phase: 'releasing', orderId: 'order-2', submittedAt: at },
    });
    expect(out).toStrictEqual({ backends: new Map(), accountErrors: [], inFlight: true, managedLeft: 5 });
    expect(steps).toEqual(['reconcile.ordersFollowed', 'reconcile.intentRecorded', 'reconcile.orderSubmitted', 'reconcile.intentRecorded', 'reconcile.orderSubmitted', 'reconcile.intentRecorded', 'reconcile.orderSubmitted']);
  });

  it('releases in orders of at most maxOrderSize numbers', async () => {
    const name = freshName();
    const oc = new FakeOc();
    await writeManagedNumbers(name, [row(N1), row(N2), row(N3)]);
    await run(name, { account: undefined, oc, settings: { ...SETTINGS, maxOrderSize: 2 } });
    expect(oc.callsOf('submitRelease')).toEqual([
      ['submitRelease', KEY, [N1, N2]],
      ['submitRelease', KEY, [N3]],
    ]);
  });

  it('only failed rows left: they are dropped and nothing is called', async () => {
    const name = freshName();
    const oc = new FakeOc();
    await writeManagedNumbers(name, [row(N1, { phase: 'failed' })]);
    const out = await run(name, { account: undefined, oc });
    expect(await memoryOf(name)).toEqual({});
    expect(oc.calls).toEqual([]);
    expect(out).toStrictEqual({ backends: new Map(), accountErrors: [], inFlight: false, managedLeft: 0 });
  });

  it('a number that keeps its service after the account stopped syncing it is let go, not released; a disabled one is released', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name, { oc: [true, false] });
    const keeps = numberDoc(name, N1);
    const disabled: NumberDoc = { telephoneNumber: N2, accountName: name, serviceDetails: { teamsOperatorConnect: { enabled: false, configuration: BASE_CONFIG } } };
    await writeManagedNumbers(name, [row(N1), row(N2)]);
    const out = await run(name, { account, numbers: numbersOf(stored(keeps), stored(disabled)), oc });
    expect(oc.callsOf('submitRelease')).toEqual([['submitRelease', KEY, [N2]]]);
    expect(Object.keys(await memoryOf(name))).toEqual([N2]);
    expect(out.backends).toStrictEqual(
      new Map([
        [N1, SYNCED],
        [N2, SYNCED],
      ]),
    );
  });

  it('a number moved to another tenant or service is released from the old one before it is uploaded again', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name, { tpm: [true, true] });
    const docs = [numberDoc(name, N1), numberDoc(name, N2)];
    await writeManagedNumbers(name, [row(N1, { tenantId: OTHER, pushedKey: keyOf(docs[0] as NumberDoc, account) }), row(N2, { service: 'teamsPhoneMobile', pushedKey: keyOf(docs[1] as NumberDoc, account) })]);
    const out = await run(name, { account, numbers: numbersOf(...docs.map((d) => stored(d))), oc });
    expect(oc.callsOf('submitRelease', 'submitUpload')).toEqual([
      ['submitRelease', OTHER, [N1]],
      ['submitRelease', KEY, [N2]],
    ]);
    expect(out.backends).toStrictEqual(
      new Map([
        [N1, PENDING],
        [N2, PENDING],
      ]),
    );
  });

  it('a throttled release puts the rows back to present; a moved number waits (pending) instead of asking for a re-upload', async () => {
    const name = freshName();
    const oc = consenting().fail('submitRelease', new OcError('transient', 429, 'TooManyRequests', 'slow down'));
    const account = accountDoc(name, { tpm: [true, true] });
    const docs = [numberDoc(name, N1), numberDoc(name, N2)];
    // Each row's key is what was pushed: for the old tenant, for the old service.
    const rows = [
      row(N1, { tenantId: OTHER, pushedKey: keyOf(docs[0] as NumberDoc, accountDoc(name, { tenant: OTHER })) }),
      row(N2, { service: 'teamsPhoneMobile', pushedKey: keyOf(numberDoc(name, N2, {}, {}, 'teamsPhoneMobile'), account) }),
    ];
    await writeManagedNumbers(name, rows);
    const out = await run(name, { account, numbers: numbersOf(...docs.map((d) => stored(d))), oc, settings: { ...SETTINGS, followUpMs: 20_000 } });
    expect(await memoryOf(name)).toStrictEqual({ [N1]: { ...rows[0], submittedAt: NOW.toISOString() }, [N2]: rows[1] });
    expect(out).toStrictEqual({
      backends: new Map([
        [N1, PENDING],
        [N2, PENDING],
      ]),
      accountErrors: [],
      inFlight: true,
      managedLeft: 2,
      retryAfterMs: 20_000,
    });
  });

  it('a refused release keeps the number present with the refusal, and the run goes on', async () => {
    const name = freshName();
    const oc = consenting().fail('submitRelease', new OcError('permanent', 409, 'NumberAssigned', 'The number is assigned to a user.'));
    const account = accountDoc(name);
    await writeManagedNumbers(name, [row(N1, { tenantId: OTHER })]);
    const doc = numberDoc(name, N2);
    const out = await run(name, { account, numbers: numbersOf(stored(doc)), oc });
    expect(await memoryOf(name)).toStrictEqual({
      [N1]: row(N1, { tenantId: OTHER, submittedAt: NOW.toISOString(), errors: [{ code: 'NumberAssigned', message: 'The number is assigned to a user.', target: 'teamsOperatorConnect' }] }),
      [N2]: row(N2, { phase: 'uploading', orderId: 'order-1', submittedAt: NOW.toISOString(), pushedKey: keyOf(doc, account) }),
    });
    expect(out).toStrictEqual({ backends: new Map([[N2, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 2 });
  });
});

describe('numbers left without their account', () => {
  it('a number still on file whose account is gone is released', async () => {
    const name = freshName();
    const oc = new FakeOc();
    await writeManagedNumbers(name, [row(N1)]);
    const out = await run(name, { account: undefined, numbers: numbersOf(stored(numberDoc(name, N1))), oc });
    expect(oc.callsOf('submitRelease')).toEqual([['submitRelease', KEY, [N1]]]);
    expect(out.backends).toStrictEqual(new Map([[N1, SYNCED]]));
  });
});

describe('unassignment asked for a number not listed yet', () => {
  it('is not sent; the number stays pending', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const doc = numberDoc(name, N1, {}, { assignmentStatus: 'unassigned' });
    await writeManagedNumbers(name, [row(N1, { pushedKey: keyOf(doc, account) })]);
    const out = await run(name, { account, numbers: numbersOf(stored(doc, { status: 'synced', errors: [], readBack: STORED_READBACK })), oc });
    expect(oc.callsOf('listNumbers', 'submitUnassign')).toEqual([['listNumbers', KEY]]);
    expect(out).toStrictEqual({ backends: new Map([[N1, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 1 });
  });
});

describe('updates in place', () => {
  const present = async (name: string, account: AccountDoc, uploaded: NumberDoc, extra: Partial<ManagedNumber> = {}) => {
    const r = row(uploaded.telephoneNumber, { pushedKey: keyOf(uploaded, account), ...extra });
    await writeManagedNumbers(name, [r]);
    return r;
  };
  const SYNCED_BACK = { status: 'synced' as const, errors: [], readBack: STORED_READBACK };

  it('a new civic address is sent with the location cleared; the row takes the new key and forgets an old refusal', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    const r = await present(name, account, numberDoc(name, N1), { failedKey: 'an older refusal', errors: [{ code: 'Old', message: 'old', target: 'x' }] });
    const wanted = numberDoc(name, N1, { civicAddressId: 'addr-2', allowTenantAddressUpdate: true });
    const out = await run(name, { account, numbers: numbersOf(stored(wanted, SYNCED_BACK)), oc });
    expect(oc.callsOf('updateNumber', 'submitUpload', 'submitRelease')).toStrictEqual([['updateNumber', KEY, N1, { civicAddressId: 'addr-2', locationId: null, allowTenantAddressUpdate: true }]]);
    const { failedKey: _f, ...rest } = r;
    void _f;
    expect(await memoryOf(name)).toStrictEqual({ [N1]: { ...rest, pushedKey: keyOf(wanted, account), errors: [] } });
    expect(out).toStrictEqual({ backends: new Map([[N1, SYNCED_BACK]]), accountErrors: [], inFlight: false, managedLeft: 1 });
  });

  it('a location is sent alone; no address at all clears both', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    await present(name, account, numberDoc(name, N1));
    await writeManagedNumbers(name, [row(N2, { pushedKey: keyOf(numberDoc(name, N2), account) })]);
    const noAddress: NumberDoc = { telephoneNumber: N2, accountName: name, serviceDetails: { teamsOperatorConnect: { enabled: true, configuration: { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling'] } } } };
    await run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1, { locationId: 'loc-9' }), SYNCED_BACK), stored(noAddress, SYNCED_BACK)), oc });
    expect(oc.callsOf('updateNumber')).toStrictEqual([
      ['updateNumber', KEY, N1, { locationId: 'loc-9', allowTenantAddressUpdate: false }],
      ['updateNumber', KEY, N2, { civicAddressId: null, locationId: null, allowTenantAddressUpdate: false }],
    ]);
  });

  it('a refused update is remembered with its error and not sent again for the same settings', async () => {
    const name = freshName();
    const oc = consenting().fail('updateNumber', new OcError('permanent', 400, 'AddressNotValidated', 'The address is not validated.'));
    const account = accountDoc(name);
    const r = await present(name, account, numberDoc(name, N1));
    const wanted = numberDoc(name, N1, { civicAddressId: 'addr-2' }, {}, 'teamsOperatorConnect');
    const errors = [{ code: 'AddressNotValidated', message: 'The address is not validated.', target: 'teamsOperatorConnect' }];
    const first = await run(name, { account, numbers: numbersOf(stored(wanted, SYNCED_BACK)), oc });
    expect(await memoryOf(name)).toStrictEqual({ [N1]: { ...r, failedKey: keyOf(wanted, account), errors } });
    expect(first).toStrictEqual({ backends: new Map([[N1, { status: 'failed', errors }]]), accountErrors: [], inFlight: false, managedLeft: 1 });
    const second = await run(name, { account, numbers: numbersOf(stored(wanted, SYNCED_BACK)), oc });
    expect(oc.callsOf('updateNumber')).toHaveLength(1);
    expect(second.backends.get(N1)).toStrictEqual({ status: 'failed', errors });
  });

  it('a throttled update leaves the number pending and asks to come back', async () => {
    const name = freshName();
    const oc = consenting().fail('updateNumber', new OcError('transient', 503, 'Unavailable', 'later', [], 4_000));
    const account = accountDoc(name);
    const r = await present(name, account, numberDoc(name, N1));
    const out = await run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1, { civicAddressId: 'addr-2' }), SYNCED_BACK)), oc });
    expect(await memoryOf(name)).toStrictEqual({ [N1]: r });
    expect(out).toStrictEqual({ backends: new Map([[N1, PENDING]]), accountErrors: [], inFlight: true, managedLeft: 1, retryAfterMs: 4_000 });
  });

  it('an update failing with an error that is not Operator Connect’s propagates', async () => {
    const name = freshName();
    const boom = new TypeError('boom');
    const oc = consenting().fail('updateNumber', boom);
    const account = accountDoc(name);
    await present(name, account, numberDoc(name, N1));
    await expect(run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1, { civicAddressId: 'addr-2' }), SYNCED_BACK)), oc })).rejects.toBe(boom);
  });

  it('a change of what is fixed at upload is not updated: ReuploadRequired', async () => {
    const name = freshName();
    const oc = consenting();
    const account = accountDoc(name);
    await present(name, account, numberDoc(name, N1));
    const out = await run(name, { account, numbers: numbersOf(stored(numberDoc(name, N1, { usage: 'FirstPartyAppAssignment', civicAddressId: 'addr-2' }), SYNCED_BACK)), oc });
    expect(oc.callsOf('updateNumber', 'submitUpload', 'submitRelease')).toEqual([]);
    expect(out).toStrictEqual({
      backends: new Map([[N1, { status: 'failed', errors: [{ code: 'ReuploadRequired', message: REUPLOAD_MESSAGE, target: 'teamsOperatorConnect' }] }]]),
      accountErrors: [],
      inFlight: false,
      managedLeft: 1,
    });
  });
});
