/**
 * shared/flowthrough/reconcile/orders.ts at unit level, against an in-memory Operator Connect: what a
 * finished order means for each managed number (afterOrder), and followOrders (known orders read
 * once per order, unknown submissions looked up among the tenant's recent orders, adopted or, after
 * the grace period, reverted). Written for StrykerJS (docs/mutation.md).
 */
import type { ManagedNumber } from '../../shared/store/flowState';
import type { OcOrder, OcOrderResult, OperatorConnect } from '../../shared/flowthrough/oc/port';
import { afterOrder, followOrders, IN_FLIGHT, isTerminal } from '../../shared/flowthrough/reconcile/orders';
import { operatorConnectWith } from '../support/flowStubs';

const N1 = '+14255550100';
const N2 = '+14255550101';
const N3 = '+14255550102';
const SUBMITTED = '2026-12-07T10:00:00.000Z';
const GRACE = 120_000;
/** Just past the grace period of a row submitted at SUBMITTED. */
const LATE = new Date(Date.parse(SUBMITTED) + GRACE);

const row = (over: Partial<ManagedNumber> = {}): ManagedNumber => ({
  telephoneNumber: N1,
  tenantId: 'tenant-1',
  service: 'teamsOperatorConnect',
  phase: 'uploading',
  orderId: 'o-1',
  submittedAt: SUBMITTED,
  pushedKey: 'key-1',
  errors: [],
  ...over,
});

const order = (over: Partial<OcOrder> = {}): OcOrder => ({
  orderId: 'o-1',
  type: 'Upload',
  tenantId: 'tenant-1',
  status: 'Succeeded',
  createdAt: '2026-12-07T10:00:01.000Z',
  results: [],
  ...over,
});

const result = (telephoneNumber: string, status: OcOrderResult['status'], errorCode?: string, errorMessage?: string): OcOrderResult => ({
  telephoneNumber,
  status,
  ...(errorCode !== undefined ? { errorCode } : {}),
  ...(errorMessage !== undefined ? { errorMessage } : {}),
});


/** Operator Connect knowing `known` orders by id and listing `listed` (any tenant); records every call. */
function fakeOc(known: OcOrder[], listed: OcOrder[] = []): { oc: OperatorConnect; calls: string[] } {
  const calls: string[] = [];
  const oc = operatorConnectWith('followOrders', {
    getOrder: (orderId) => {
      calls.push(`getOrder ${orderId}`);
      return Promise.resolve(known.find((o) => o.orderId === orderId));
    },
    listOrders: (tenantId, createdAfter) => {
      calls.push(`listOrders ${tenantId} ${createdAfter ?? '-'}`);
      return Promise.resolve(listed.filter((o) => o.tenantId === tenantId));
    },
  });
  return { oc, calls };
}

const managedOf = (...rows: ManagedNumber[]) => new Map(rows.map((m) => [m.telephoneNumber, m]));

describe('which phases are in flight and which orders are finished', () => {
  it('follows uploading, unassigning and releasing rows only', () => {
    expect([...IN_FLIGHT].sort()).toEqual(['releasing', 'unassigning', 'uploading']);
  });

  it.each([
    ['Succeeded', true],
    ['PartiallySucceeded', true],
    ['Failed', true],
    ['Pending', false],
    ['InProgress', false],
  ] as const)('an order %s is terminal: %s', (status, terminal) => {
    expect(isTerminal(order({ status }))).toBe(terminal);
  });
});

describe('afterOrder: an upload', () => {
  const before = row({ orderId: 'o-1', errors: [{ code: 'Old', message: 'old', target: 'teamsOperatorConnect' }], failedKey: 'f-1' });

  it('makes the number present, clearing the order and earlier errors, when its result succeeded', () => {
    expect(afterOrder(before, order({ results: [result(N2, 'Failed', 'X'), result(N1, 'Succeeded')] }))).toStrictEqual({
      ...before,
      orderId: '',
      errors: [],
      phase: 'present',
    });
  });

  it('makes the number present when Operator Connect already had it (NumberAlreadyExists), from the result or the order', () => {
    expect(afterOrder(before, order({ status: 'Failed', results: [result(N1, 'Failed', 'NumberAlreadyExists')] }))).toStrictEqual({ ...before, orderId: '', errors: [], phase: 'present' });
    expect(afterOrder(before, order({ status: 'Failed', error: { code: 'NumberAlreadyExists', message: 'exists' } }))).toStrictEqual({ ...before, orderId: '', errors: [], phase: 'present' });
  });

  it('drops the row (to try again) when another order holds the number (NumberInProgress)', () => {
    expect(afterOrder(before, order({ status: 'Failed', results: [result(N1, 'Failed', 'NumberInProgress')] }))).toBeUndefined();
    expect(afterOrder(before, order({ status: 'Failed', error: { code: 'NumberInProgress', message: 'busy' } }))).toBeUndefined();
  });

  it("fails the number with the result's code and message, targeting the row's service", () => {
    const mobile = row({ service: 'teamsPhoneMobile' });
    expect(afterOrder(mobile, order({ status: 'PartiallySucceeded', results: [result(N2, 'Succeeded'), result(N1, 'Failed', 'InvalidNumber', 'Not a number.')] }))).toStrictEqual({
      ...mobile,
      orderId: '',
      phase: 'failed',
      errors: [{ code: 'InvalidNumber', message: 'Not a number.', target: 'teamsPhoneMobile' }],
    });
  });

  it("fails a result without code as UploadFailed, with the order's message, ignoring the order's code", () => {
    const o = order({ status: 'Failed', results: [result(N1, 'Failed')], error: { code: 'NumberInProgress', message: 'The order broke.' } });
    expect(afterOrder(row(), o)?.errors).toStrictEqual([{ code: 'UploadFailed', message: 'The order broke.', target: 'teamsOperatorConnect' }]);
    expect(afterOrder(row(), o)?.phase).toBe('failed');
  });

  it('fails a result without code or message, and no order error, with the default message', () => {
    expect(afterOrder(row(), order({ status: 'Failed', results: [result(N1, 'Failed')] }))).toStrictEqual({
      ...row(),
      orderId: '',
      phase: 'failed',
      errors: [{ code: 'UploadFailed', message: 'Operator Connect refused the upload.', target: 'teamsOperatorConnect' }],
    });
  });

  it("without a result for the number, fails it with the order's error, or MissingOrderResult", () => {
    expect(afterOrder(row(), order({ status: 'Failed', results: [result(N2, 'Succeeded')], error: { code: 'TenantGone', message: 'No tenant.' } }))?.errors).toStrictEqual([
      { code: 'TenantGone', message: 'No tenant.', target: 'teamsOperatorConnect' },
    ]);
    expect(afterOrder(row(), order({ status: 'Succeeded', results: [result(N2, 'Succeeded')] }))).toStrictEqual({
      ...row(),
      orderId: '',
      phase: 'failed',
      errors: [{ code: 'MissingOrderResult', message: 'Operator Connect refused the upload.', target: 'teamsOperatorConnect' }],
    });
  });
});

describe('afterOrder: an unassign', () => {
  it('leaves the number present whatever the result, clearing order and errors', () => {
    const before = row({ phase: 'unassigning', errors: [{ code: 'Old', message: 'old' }] });
    const expected = { ...before, orderId: '', errors: [], phase: 'present' };
    expect(afterOrder(before, order({ type: 'Unassign', results: [result(N1, 'Succeeded')] }))).toStrictEqual(expected);
    expect(afterOrder(before, order({ type: 'Unassign', status: 'Failed', results: [result(N1, 'Failed', 'NumberNotAssigned', 'x')] }))).toStrictEqual(expected);
    expect(afterOrder(before, order({ type: 'Unassign', status: 'Failed', error: { code: 'Broken', message: 'x' } }))).toStrictEqual(expected);
  });
});

describe('afterOrder: a release', () => {
  const before = row({ phase: 'releasing', service: 'teamsPhoneMobile' });

  it('drops the row when the release succeeded or the number is gone (NumberNotFound, result or order)', () => {
    expect(afterOrder(before, order({ type: 'Release', results: [result(N2, 'Failed', 'X'), result(N1, 'Succeeded')] }))).toBeUndefined();
    expect(afterOrder(before, order({ type: 'Release', status: 'Failed', results: [result(N1, 'Failed', 'NumberNotFound')] }))).toBeUndefined();
    expect(afterOrder(before, order({ type: 'Release', status: 'Failed', error: { code: 'NumberNotFound', message: 'gone' } }))).toBeUndefined();
  });

  it("keeps a refused number present with the result's code and message", () => {
    expect(afterOrder(before, order({ type: 'Release', status: 'PartiallySucceeded', results: [result(N2, 'Succeeded'), result(N1, 'Failed', 'NumberAssigned', 'Still assigned.')] }))).toStrictEqual({
      ...before,
      orderId: '',
      phase: 'present',
      errors: [{ code: 'NumberAssigned', message: 'Still assigned.', target: 'teamsPhoneMobile' }],
    });
  });

  it("uses ReleaseFailed and the default message without a result code or message (never the order's message)", () => {
    expect(afterOrder(before, order({ type: 'Release', status: 'Failed', results: [result(N1, 'Failed')], error: { code: 'Other', message: 'Order message.' } }))?.errors).toStrictEqual([
      { code: 'ReleaseFailed', message: 'Operator Connect refused the release.', target: 'teamsPhoneMobile' },
    ]);
    expect(afterOrder(before, order({ type: 'Release', status: 'Failed', results: [] }))).toStrictEqual({
      ...before,
      orderId: '',
      phase: 'present',
      errors: [{ code: 'MissingOrderResult', message: 'Operator Connect refused the release.', target: 'teamsPhoneMobile' }],
    });
  });
});

describe('followOrders: known orders', () => {
  it('reads nothing when no row is in flight', async () => {
    const { oc, calls } = fakeOc([]);
    const out = await followOrders(oc, managedOf(row({ phase: 'present' }), row({ telephoneNumber: N2, phase: 'failed', orderId: '' })), LATE, GRACE);
    expect(out).toEqual({ updates: [], removals: [] });
    expect(calls).toEqual([]);
  });

  it('reads each order once for all its rows and applies a finished one to each', async () => {
    const a = row({ telephoneNumber: N1 });
    const b = row({ telephoneNumber: N2 });
    const c = row({ telephoneNumber: N3, orderId: 'o-2' });
    const { oc, calls } = fakeOc([
      order({ results: [result(N1, 'Succeeded'), result(N2, 'Failed', 'NumberInProgress')] }),
      order({ orderId: 'o-2', status: 'Failed', results: [result(N3, 'Failed', 'Bad', 'bad')] }),
    ]);
    const out = await followOrders(oc, managedOf(a, b, c), LATE, GRACE);
    expect(calls).toEqual(['getOrder o-1', 'getOrder o-2']);
    expect(out).toStrictEqual({
      updates: [
        { ...a, orderId: '', errors: [], phase: 'present' },
        { ...c, orderId: '', phase: 'failed', errors: [{ code: 'Bad', message: 'bad', target: 'teamsOperatorConnect' }] },
      ],
      removals: [N2],
    });
  });

  it('leaves rows of unfinished orders alone', async () => {
    const { oc, calls } = fakeOc([order({ status: 'InProgress', results: [result(N1, 'InProgress')] }), order({ orderId: 'o-2', status: 'Pending' })]);
    const out = await followOrders(oc, managedOf(row(), row({ telephoneNumber: N2, phase: 'releasing', orderId: 'o-2' })), LATE, GRACE);
    expect(out).toEqual({ updates: [], removals: [] });
    expect(calls).toEqual(['getOrder o-1', 'getOrder o-2']);
  });
});

describe('followOrders: read-back of unknown submissions', () => {
  it('looks an unknown order up among the tenant orders since its submission less five minutes, and adopts a finished one', async () => {
    const m = row({ orderId: 'lost' });
    const { oc, calls } = fakeOc([], [order({ orderId: 'o-9', results: [result(N1, 'Succeeded')] })]);
    const out = await followOrders(oc, managedOf(m), LATE, GRACE);
    expect(calls).toEqual(['getOrder lost', 'listOrders tenant-1 2026-12-07T09:55:00.000Z']);
    expect(out).toStrictEqual({ updates: [{ ...m, orderId: '', errors: [], phase: 'present' }], removals: [] });
  });

  it('follows an unfinished order found, once, even past the grace period', async () => {
    const m = row({ orderId: '' });
    const { oc, calls } = fakeOc([], [order({ orderId: 'o-9', status: 'InProgress', results: [result(N1, 'InProgress')] })]);
    const out = await followOrders(oc, managedOf(m), new Date(Date.parse(SUBMITTED) + 10 * GRACE), GRACE);
    expect(calls).toEqual(['listOrders tenant-1 2026-12-07T09:55:00.000Z']);
    expect(out).toStrictEqual({ updates: [{ ...m, orderId: 'o-9' }], removals: [] });
  });

  it("matches each row to an order of its phase's type holding its number", async () => {
    const up = row({ telephoneNumber: N1, orderId: '' });
    const un = row({ telephoneNumber: N2, orderId: '', phase: 'unassigning' });
    const rel = row({ telephoneNumber: N3, orderId: '', phase: 'releasing' });
    const all = [result(N1, 'InProgress'), result(N2, 'InProgress'), result(N3, 'InProgress')];
    const { oc, calls } = fakeOc(
      [],
      [
        order({ orderId: 'up-other', status: 'Pending', createdAt: '2026-12-07T10:00:09.000Z', results: [result(N2, 'Pending')] }),
        order({ orderId: 'up', status: 'Pending', createdAt: '2026-12-07T10:00:01.000Z', results: all }),
        order({ orderId: 'un', type: 'Unassign', status: 'InProgress', createdAt: '2026-12-07T10:00:02.000Z', results: all }),
        order({ orderId: 'rel', type: 'Release', status: 'InProgress', createdAt: '2026-12-07T10:00:03.000Z', results: all }),
      ],
    );
    const out = await followOrders(oc, managedOf(up, un, rel), LATE, GRACE);
    expect(calls).toEqual(['listOrders tenant-1 2026-12-07T09:55:00.000Z']);
    expect(out).toStrictEqual({
      updates: [
        { ...up, orderId: 'up' },
        { ...un, orderId: 'un' },
        { ...rel, orderId: 'rel' },
      ],
      removals: [],
    });
  });

  it.each([
    ['oldest first', ['a', 'b', 'c']],
    ['newest first', ['c', 'b', 'a']],
    ['mixed', ['b', 'c', 'a']],
    ['mixed again', ['a', 'c', 'b']],
  ])('takes the newest matching order (listed %s)', async (_, ids) => {
    const created: Record<string, string> = { a: '2026-12-07T10:00:01.000Z', b: '2026-12-07T10:00:02.000Z', c: '2026-12-07T10:00:03.000Z' };
    const listed = ids.map((id) => order({ orderId: id, status: 'InProgress', createdAt: created[id] ?? '', results: [result(N1, 'InProgress')] }));
    const { oc } = fakeOc([], listed);
    const out = await followOrders(oc, managedOf(row({ orderId: '' })), LATE, GRACE);
    expect(out.updates.map((m) => m.orderId)).toEqual(['c']);
  });

  it.each([
    ['the same creation time', '2026-12-07T10:00:02.000Z'],
    ['no creation time on either', ''],
  ])('between matching orders with %s, follows the one listed first', async (_, createdAt) => {
    for (const ids of [['x', 'y'], ['y', 'x']]) {
      const listed = ids.map((id) => order({ orderId: id, status: 'InProgress', createdAt, results: [result(N1, 'InProgress')] }));
      const { oc } = fakeOc([], listed);
      const out = await followOrders(oc, managedOf(row({ orderId: '' })), LATE, GRACE);
      expect(out.updates.map((m) => m.orderId)).toEqual([ids[0]]);
    }
  });

  it('lists once per tenant, from the earliest submission of its rows', async () => {
    const rows = [
      row({ telephoneNumber: N1, orderId: '', submittedAt: '2026-12-07T10:00:00.000Z' }),
      row({ telephoneNumber: N2, orderId: '', submittedAt: '2026-12-07T08:00:00.000Z' }),
      row({ telephoneNumber: N3, orderId: '', tenantId: 'tenant-2', submittedAt: '2026-12-07T09:00:00.000Z' }),
    ];
    const { oc, calls } = fakeOc([]);
    await followOrders(oc, managedOf(...rows), new Date('2026-12-07T10:00:01.000Z'), GRACE);
    expect(calls).toEqual(['listOrders tenant-1 2026-12-07T07:55:00.000Z', 'listOrders tenant-2 2026-12-07T08:55:00.000Z']);
  });

  it('reads an unreadable submission time as the epoch: listed from then, and past any grace period', async () => {
    const m = row({ orderId: '', submittedAt: 'not a time', phase: 'unassigning' });
    const { oc, calls } = fakeOc([]);
    const out = await followOrders(oc, managedOf(m), new Date(Date.parse(SUBMITTED)), GRACE);
    expect(calls).toEqual(['listOrders tenant-1 1969-12-31T23:55:00.000Z']);
    expect(out).toStrictEqual({ updates: [{ ...m, phase: 'present', orderId: '' }], removals: [] });
  });

  it('waits for the grace period when nothing is found, then drops an upload and returns a withdrawal to present', async () => {
    const up = row({ telephoneNumber: N1, orderId: 'gone' });
    const rel = row({ telephoneNumber: N2, orderId: 'gone', phase: 'releasing' });
    const un = row({ telephoneNumber: N3, orderId: '', phase: 'unassigning' });
    // An order of another type, or without the number, proves nothing.
    const listed = [order({ orderId: 'x', type: 'Unassign', status: 'InProgress', results: [result(N1, 'InProgress')] }), order({ orderId: 'y', type: 'Release', status: 'Pending', results: [result(N1, 'Pending')] })];

    const early = await followOrders(fakeOc([], listed).oc, managedOf(up, rel, un), new Date(LATE.getTime() - 1), GRACE);
    expect(early).toEqual({ updates: [], removals: [] });

    const { oc, calls } = fakeOc([], listed);
    const late = await followOrders(oc, managedOf(up, rel, un), LATE, GRACE);
    expect(calls).toEqual(['getOrder gone', 'listOrders tenant-1 2026-12-07T09:55:00.000Z']);
    expect(late).toStrictEqual({
      updates: [
        { ...un, phase: 'present', orderId: '' },
        { ...rel, phase: 'present', orderId: '' },
      ],
      removals: [N1],
    });
  });

  it('looks up a finished order found by read-back for a number of a lost order and applies it', async () => {
    const m = row({ orderId: 'lost', phase: 'releasing' });
    const { oc } = fakeOc([], [order({ orderId: 'r', type: 'Release', status: 'Failed', results: [result(N1, 'Failed', 'NumberAssigned', 'assigned')] })]);
    const out = await followOrders(oc, managedOf(m), LATE, GRACE);
    expect(out).toStrictEqual({ updates: [{ ...m, orderId: '', phase: 'present', errors: [{ code: 'NumberAssigned', message: 'assigned', target: 'teamsOperatorConnect' }] }], removals: [] });
  });
});
