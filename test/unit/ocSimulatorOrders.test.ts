/**
 * Operator Connect simulator orders over real HTTP, on the manual clock: the lifecycle, every
 * synchronous validation and per-number outcome, release and unassign, overlap, list lag, the
 * createdAfter read-back, counters, and the real-time clock.
 */
import {
  SIM_ADDRESSES,
  SIM_LOCATIONS,
  SIM_NUMBER_RANGES,
  SIM_PROFILE_CALLING_CONFERENCING_ID,
  SIM_PROFILE_CALLING_ID,
  SIM_PROFILE_MOBILE_ID,
  SIM_SEED_NUMBERS,
  SIM_TENANT_GB,
  SIM_TENANT_PENDING_SETUP,
  SIM_TENANT_REMOVED,
  SIM_TENANT_SUSPENDED,
  SIM_TENANT_US,
  SIM_TENANT_WITHOUT_CONSENT,
  simNumber,
  startOcSimulator,
  type OcSimulator,
} from '../../dev/ocSimulator';
import { simCall, type SimReply } from '../support/simulatorHttp';

let sim: OcSimulator;
let token: string;

function api(method: string, path: string, body?: unknown, useSim: OcSimulator = sim, bearer = token): Promise<SimReply> {
  return simCall(path.startsWith('http') ? path : `${useSim.apiBaseUrl}${path}`, method, body, { bearer });
}

const US = (index: number) => simNumber(SIM_NUMBER_RANGES.US, index);
const CA = (index: number) => simNumber(SIM_NUMBER_RANGES.CA, index);
const GB = (index: number) => simNumber(SIM_NUMBER_RANGES.GB, index);
const TOLL_FREE = (index: number) => simNumber(SIM_NUMBER_RANGES.USTollFree, index);

/** A valid user-number upload for the US tenant; override any field. */
function userUpload(telephoneNumbers: string[], overrides: Record<string, unknown> = {}) {
  return {
    telephoneNumbers,
    callingProfileId: SIM_PROFILE_CALLING_ID,
    usage: 'CallingUserAssignment',
    choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
    civicAddressId: SIM_ADDRESSES.usValidated,
    ...overrides,
  };
}

async function submit(kind: 'uploadOrders' | 'releaseOrders' | 'unassignOrders', tenantId: string, body: unknown): Promise<string> {
  const answer = await api('POST', `/tenants/${tenantId}/${kind}`, body);
  expect(answer.status).toBe(202);
  return answer.body.orderId;
}

const getOrder = async (orderId: string) => (await api('GET', `/orders/${orderId}`)).body;

async function finishedOrder(orderId: string): Promise<any> {
  sim.advance(3_000);
  return getOrder(orderId);
}

function resultsByNumber(order: any): Record<string, { status: string; errorCode?: string }> {
  return Object.fromEntries(order.results.map((result: any) => [result.telephoneNumber, { status: result.status, ...(result.errorCode && { errorCode: result.errorCode }) }]));
}

async function listedNumbers(tenantId: string): Promise<string[]> {
  return (await api('GET', `/tenants/${tenantId}/numbers`)).body.value.map((number: any) => number.telephoneNumber);
}

beforeAll(async () => {
  sim = await startOcSimulator({ clock: 'manual', throttlePerMinute: null });
  token = sim.issueToken();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

describe('order lifecycle', () => {
  it('accepts an upload with 202, an absolute Location and a Pending body', async () => {
    const answer = await api('POST', `/tenants/${SIM_TENANT_US}/uploadOrders`, userUpload([US(0)]));
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ orderId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'Pending' });
    expect(answer.headers.get('location')).toBe(`${sim.apiBaseUrl}/orders/${answer.body.orderId}`);
    const followed = await api('GET', answer.headers.get('location') ?? '');
    expect(followed.body.orderId).toBe(answer.body.orderId);
  });

  it('moves Pending → InProgress after 1 s and finishes after 3 s of virtual time', async () => {
    const createdAt = new Date(sim.now()).toISOString();
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0), US(1)], { ticketId: 'CHG-42' }));
    expect(await getOrder(orderId)).toEqual({
      orderId,
      type: 'Upload',
      tenantId: SIM_TENANT_US,
      status: 'Pending',
      createdAt,
      totalCount: 2,
      successCount: 0,
      failureCount: 0,
      ticketId: 'CHG-42',
      results: [
        { telephoneNumber: US(0), status: 'Pending' },
        { telephoneNumber: US(1), status: 'Pending' },
      ],
    });
    sim.advance(999);
    expect((await getOrder(orderId)).status).toBe('Pending');
    sim.advance(1);
    const running = await getOrder(orderId);
    expect([running.status, running.results[0].status]).toEqual(['InProgress', 'InProgress']);
    expect(await listedNumbers(SIM_TENANT_US)).not.toContain(US(0));
    sim.advance(1_999);
    expect((await getOrder(orderId)).status).toBe('InProgress');
    sim.advance(1);
    const done = await getOrder(orderId);
    expect(done).toMatchObject({ status: 'Succeeded', successCount: 2, failureCount: 0, completedAt: new Date(sim.now()).toISOString() });
    expect(done.results.map((result: any) => result.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(done.error).toBeUndefined();
  });

  it('lists uploaded numbers with what the order asked for', async () => {
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)], { locationId: SIM_LOCATIONS.usFloor2, civicAddressId: undefined }));
    await finishedOrder(orderId);
    expect(await listedNumbers(SIM_TENANT_US)).toContain(US(0));
    const number = (await api('GET', `/tenants/${SIM_TENANT_US}/numbers/${encodeURIComponent(US(0))}`)).body;
    expect(number).toEqual({
      telephoneNumber: US(0),
      tenantId: SIM_TENANT_US,
      callingProfileId: SIM_PROFILE_CALLING_ID,
      usage: 'CallingUserAssignment',
      additionalUsages: [],
      acquiredCapabilities: ['UserAssignment', 'Office365', 'InboundCalling', 'OutboundCalling'],
      availableCapabilities: expect.arrayContaining(['Mobile']),
      isoCountryCode: 'US',
      civicAddressId: SIM_ADDRESSES.usValidated,
      locationId: SIM_LOCATIONS.usFloor2,
      allowTenantAddressUpdate: false,
      assignmentStatus: 'Unassigned',
      acquiredOn: new Date(sim.now()).toISOString(),
    });
  });

  it('uses the configured order times for new orders', async () => {
    sim.configure({ orderTimes: { pendingMs: 100, completeMs: 200 } });
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)]));
    sim.advance(100);
    expect((await getOrder(orderId)).status).toBe('InProgress');
    sim.advance(100);
    expect((await getOrder(orderId)).status).toBe('Succeeded');
  });

  it('answers 404 OrderNotFound for an unknown order', async () => {
    const answer = await api('GET', '/orders/00000000-0000-4000-8000-000000000000');
    expect([answer.status, answer.body.code]).toEqual([404, 'OrderNotFound']);
  });
});

describe('upload validation at submission (400, nothing created)', () => {
  const cases: Array<{ name: string; tenant?: string; body: Record<string, unknown>; code: string; target?: string }> = [
    { name: 'a suspended consent', tenant: SIM_TENANT_SUSPENDED, body: userUpload([US(0)], { civicAddressId: SIM_ADDRESSES.suspendedValidated }), code: 'ConsentNotActive' },
    { name: 'a removed consent', tenant: SIM_TENANT_REMOVED, body: userUpload([US(0)], { civicAddressId: undefined }), code: 'ConsentNotActive' },
    { name: 'no consent at all', tenant: SIM_TENANT_WITHOUT_CONSENT, body: userUpload([US(0)], { civicAddressId: undefined }), code: 'ConsentNotActive' },
    { name: 'an empty number list', body: userUpload([]), code: 'NoTelephoneNumbers' },
    { name: 'a number without +', body: userUpload([US(0), '14255550299']), code: 'InvalidTelephoneNumber', target: 'telephoneNumbers[1]' },
    { name: 'a number with 16 digits', body: userUpload(['+1234567890123456']), code: 'InvalidTelephoneNumber', target: 'telephoneNumbers[0]' },
    { name: 'a duplicate number', body: userUpload([US(0), US(1), US(0)]), code: 'DuplicateTelephoneNumber', target: 'telephoneNumbers[2]' },
    { name: 'an unknown calling profile', body: userUpload([US(0)], { callingProfileId: '0c0f0000-0000-4000-8000-0000000000ff' }), code: 'CallingProfileNotFound', target: 'callingProfileId' },
    { name: 'an unknown usage', body: userUpload([US(0)], { usage: 'ThirdPartyAppAssignment' }), code: 'InvalidUsage', target: 'usage' },
    {
      name: 'conferencing on a calling-only profile',
      body: userUpload([US(0)], { usage: 'ConferenceAssignment', choosableCapabilities: [] }),
      code: 'UsageNotAllowedForCallingProfile',
      target: 'usage',
    },
    {
      name: 'a voice app on the mobile profile',
      body: userUpload([US(0)], { callingProfileId: SIM_PROFILE_MOBILE_ID, usage: 'FirstPartyAppAssignment' }),
      code: 'UsageNotAllowedForCallingProfile',
      target: 'usage',
    },
    { name: 'Mobile on a calling profile', body: userUpload([US(0)], { choosableCapabilities: ['InboundCalling', 'Mobile'] }), code: 'CapabilityNotAllowed', target: 'choosableCapabilities[1]' },
    {
      name: 'outbound calling on a conference bridge',
      body: userUpload([US(0)], { callingProfileId: SIM_PROFILE_CALLING_CONFERENCING_ID, usage: 'ConferenceAssignment', choosableCapabilities: ['OutboundCalling'] }),
      code: 'CapabilityNotAllowed',
    },
    {
      name: 'an additional usage on a user number',
      body: userUpload([US(0)], { additionalUsages: ['ConferenceAssignment'] }),
      code: 'InvalidUsage',
      target: 'additionalUsages[0]',
    },
    {
      name: 'an additional usage the profile does not offer',
      body: userUpload([US(0)], { usage: 'FirstPartyAppAssignment', additionalUsages: ['ConferenceAssignment'], civicAddressId: undefined }),
      code: 'UsageNotAllowedForCallingProfile',
      target: 'additionalUsages[0]',
    },
    { name: 'both civicAddressId and locationId', body: userUpload([US(0)], { locationId: SIM_LOCATIONS.usMain }), code: 'CivicAddressAndLocationConflict' },
    { name: 'a missing callingProfileId', body: userUpload([US(0)], { callingProfileId: undefined }), code: 'InvalidRequestBody', target: 'callingProfileId' },
    { name: 'missing choosableCapabilities', body: userUpload([US(0)], { choosableCapabilities: undefined }), code: 'InvalidRequestBody', target: 'choosableCapabilities' },
    { name: 'a tenantId that is not the path’s', body: userUpload([US(0)], { tenantId: SIM_TENANT_GB }), code: 'InvalidRequestBody', target: 'tenantId' },
    { name: 'a ticketId over 64 characters', body: userUpload([US(0)], { ticketId: 'x'.repeat(65) }), code: 'InvalidRequestBody', target: 'ticketId' },
    { name: 'a displayedCountryCode that is not alpha-2', body: userUpload([US(0)], { displayedCountryCode: 'USA' }), code: 'InvalidRequestBody', target: 'displayedCountryCode' },
  ];

  it.each(cases)('rejects $name with $code', async ({ tenant, body, code, target }) => {
    const answer = await api('POST', `/tenants/${tenant ?? SIM_TENANT_US}/uploadOrders`, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code, message: expect.any(String), details: expect.any(Array) });
    if (target !== undefined) expect(answer.body.details.map((detail: any) => detail.target)).toContain(target);
    expect(answer.headers.get('x-ms-error-code')).toBe(code);
    expect(sim.state.orders.size).toBe(0);
    expect(sim.counters.uploadOrdersByNumber).toEqual({});
  });

  it('rejects more numbers than the per-order limit with TooManyNumbers', async () => {
    sim.configure({ maxNumbersPerOrder: 2 });
    const answer = await api('POST', `/tenants/${SIM_TENANT_US}/uploadOrders`, userUpload([US(0), US(1), US(2)]));
    expect([answer.status, answer.body.code]).toEqual([400, 'TooManyNumbers']);
    expect((await api('POST', `/tenants/${SIM_TENANT_US}/uploadOrders`, userUpload([US(0), US(1)]))).status).toBe(202);
  });

  it('accepts the default limit of 1,000 numbers and rejects 1,001', async () => {
    const many = Array.from({ length: 1001 }, (_unused, index) => `+1425556${String(index).padStart(4, '0')}`);
    expect((await api('POST', `/tenants/${SIM_TENANT_US}/uploadOrders`, userUpload(many))).body.code).toBe('TooManyNumbers');
    expect((await api('POST', `/tenants/${SIM_TENANT_US}/uploadOrders`, userUpload(many.slice(0, 1000)))).status).toBe(202);
  });

  it('reads usage and capability names case-insensitively', async () => {
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)], { usage: 'callinguserassignment', choosableCapabilities: ['inboundcalling'] }));
    expect((await finishedOrder(orderId)).status).toBe('Succeeded');
    expect(sim.state.numbers.get(US(0))?.acquiredCapabilities).toEqual(['UserAssignment', 'Office365', 'InboundCalling']);
  });
});

describe('per-number upload outcomes', () => {
  it('partly succeeds, with each failure’s code, and lists only the numbers that succeeded', async () => {
    const numbers = [
      US(0), // fine
      CA(0), // Canadian area code: CA is consented
      GB(0), // GB not consented by the US tenant
      SIM_SEED_NUMBERS.suspendedUser, // held by another tenant
      SIM_SEED_NUMBERS.usUnassignedUser, // already here: idempotent success by default
      '+99912345678', // no known country
      '+1425555030', // +1 with nine digits
    ];
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload(numbers));
    const order = await finishedOrder(orderId);
    expect(order).toMatchObject({ status: 'PartiallySucceeded', totalCount: 7, successCount: 3, failureCount: 4 });
    expect(resultsByNumber(order)).toEqual({
      [US(0)]: { status: 'Succeeded' },
      [CA(0)]: { status: 'Succeeded' },
      [GB(0)]: { status: 'Failed', errorCode: 'CountryNotConsented' },
      [SIM_SEED_NUMBERS.suspendedUser]: { status: 'Failed', errorCode: 'NumberAlreadyAcquired' },
      [SIM_SEED_NUMBERS.usUnassignedUser]: { status: 'Succeeded' },
      '+99912345678': { status: 'Failed', errorCode: 'UnknownCountryCode' },
      '+1425555030': { status: 'Failed', errorCode: 'UnknownCountryCode' },
    });
    expect(order.results.find((result: any) => result.errorCode === 'CountryNotConsented').errorMessage).toMatch(/GB/);
    const listed = await listedNumbers(SIM_TENANT_US);
    expect(listed).toEqual(expect.arrayContaining([US(0), CA(0)]));
    expect(listed).not.toContain(GB(0));
    expect(sim.state.numbers.get(CA(0))?.isoCountryCode).toBe('CA');
    expect(sim.state.numbers.get(SIM_SEED_NUMBERS.suspendedUser)?.tenantId).toBe(SIM_TENANT_SUSPENDED);
  });

  it('fails every number of a tenant that has not chosen its countries yet (operator-created consent)', async () => {
    const order = await finishedOrder(await submit('uploadOrders', SIM_TENANT_PENDING_SETUP, userUpload([US(0)], { civicAddressId: undefined, allowTenantAddressUpdate: true })));
    expect(order.status).toBe('Failed');
    expect(resultsByNumber(order)[US(0)]?.errorCode).toBe('CountryNotConsented');
  });

  it('fails a number already in the tenant with NumberAlreadyExists when that mode is chosen', async () => {
    sim.configure({ numberAlreadyExists: 'fail' });
    const order = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, userUpload([SIM_SEED_NUMBERS.usUnassignedUser])));
    expect(order.status).toBe('Failed');
    expect(resultsByNumber(order)[SIM_SEED_NUMBERS.usUnassignedUser]).toEqual({ status: 'Failed', errorCode: 'NumberAlreadyExists' });
    expect(order.error).toBeUndefined();
  });

  it('needs a displayed country for North American toll-free numbers', async () => {
    const appUpload = (overrides: Record<string, unknown>) =>
      userUpload([TOLL_FREE(0)], { usage: 'FirstPartyAppAssignment', civicAddressId: undefined, ...overrides });
    const without = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, appUpload({})));
    expect(resultsByNumber(without)[TOLL_FREE(0)]?.errorCode).toBe('UnknownCountryCode');
    const withCountry = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, appUpload({ displayedCountryCode: 'us' })));
    expect(withCountry.status).toBe('Succeeded');
    const number = sim.state.numbers.get(TOLL_FREE(0));
    expect(number).toMatchObject({ isoCountryCode: 'US', displayedCountryCode: 'US', usage: 'FirstPartyAppAssignment' });
    expect(number?.acquiredCapabilities).toEqual(['TollFree', 'FirstPartyAppAssignment', 'Office365', 'InboundCalling', 'OutboundCalling']);
  });

  it('refuses user assignment for toll-free numbers (UsageNotSupportedForTollFree)', async () => {
    const order = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, userUpload([TOLL_FREE(1)], { displayedCountryCode: 'US' })));
    expect(resultsByNumber(order)[TOLL_FREE(1)]?.errorCode).toBe('UsageNotSupportedForTollFree');
  });

  it('treats GB 0800 numbers as toll-free without a displayed country', async () => {
    const order = await finishedOrder(
      await submit('uploadOrders', SIM_TENANT_GB, userUpload(['+448001234567'], { usage: 'FirstPartyAppAssignment', civicAddressId: undefined })),
    );
    expect(order.status).toBe('Succeeded');
    expect(sim.state.numbers.get('+448001234567')?.acquiredCapabilities).toContain('TollFree');
  });

  it('requires an emergency address for user numbers unless the tenant may set it', async () => {
    const withoutAddress = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)], { civicAddressId: undefined })));
    expect(resultsByNumber(withoutAddress)[US(0)]?.errorCode).toBe('EmergencyAddressRequired');
    const tenantSets = await finishedOrder(
      await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)], { civicAddressId: undefined, allowTenantAddressUpdate: true })),
    );
    expect(tenantSets.status).toBe('Succeeded');
    expect(sim.state.numbers.get(US(0))?.allowTenantAddressUpdate).toBe(true);
    expect(sim.state.numbers.get(US(0))?.civicAddressId).toBeUndefined();
  });

  it.each([
    [{ civicAddressId: '99999999-9999-4999-8999-999999999999' }, 'UnableToRetrieveLocation'],
    [{ civicAddressId: undefined, locationId: '99999999-9999-4999-8999-999999999999' }, 'UnableToRetrieveLocation'],
    [{ civicAddressId: SIM_ADDRESSES.gbValidated }, 'UnableToRetrieveLocation'], // another tenant's address
    [{ civicAddressId: SIM_ADDRESSES.usWithoutDefault }, 'UnableToRetrieveDefaultLocation'],
  ])('fails each number of an upload with address %j as %s', async (address, code) => {
    const order = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0), US(1)], address)));
    expect(order).toMatchObject({ status: 'Failed', successCount: 0, failureCount: 2 });
    expect(order.results.map((result: any) => result.errorCode)).toEqual([code, code]);
  });

  it('uploads Teams Phone Mobile numbers with the Mobile capability', async () => {
    const order = await finishedOrder(
      await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)], { callingProfileId: SIM_PROFILE_MOBILE_ID, choosableCapabilities: ['InboundCalling', 'OutboundCalling', 'Mobile'] })),
    );
    expect(order.status).toBe('Succeeded');
    expect(sim.state.numbers.get(US(0))).toMatchObject({ callingProfileId: SIM_PROFILE_MOBILE_ID });
    expect(sim.state.numbers.get(US(0))?.acquiredCapabilities).toContain('Mobile');
  });

  it('lets a voice-app number also be a conference bridge on a conferencing profile', async () => {
    const order = await finishedOrder(
      await submit(
        'uploadOrders',
        SIM_TENANT_US,
        userUpload([US(0)], {
          callingProfileId: SIM_PROFILE_CALLING_CONFERENCING_ID,
          usage: 'FirstPartyAppAssignment',
          additionalUsages: ['ConferenceAssignment'],
          civicAddressId: undefined,
        }),
      ),
    );
    expect(order.status).toBe('Succeeded');
    const number = (await api('GET', `/tenants/${SIM_TENANT_US}/numbers/${encodeURIComponent(US(0))}`)).body;
    expect(number.additionalUsages).toEqual(['ConferenceAssignment']);
    expect(number.acquiredCapabilities).toEqual(expect.arrayContaining(['FirstPartyAppAssignment', 'ConferenceAssignment']));
  });

  it('fails every number when the consent stops being Active before the order runs', async () => {
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0), US(1)]));
    sim.advance(1_500);
    sim.suspendConsent(SIM_TENANT_US);
    const order = await finishedOrder(orderId);
    expect(order).toMatchObject({ status: 'Failed', error: { code: 'ConsentNotActive', message: expect.any(String) }, failureCount: 2 });
    expect(order.results.every((result: any) => result.errorCode === 'ConsentNotActive')).toBe(true);
    expect(sim.state.numbers.has(US(0))).toBe(false);
  });

  it('fails numbers that are part of another running order with NumberInProgress', async () => {
    const first = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0), US(1)]));
    sim.advance(500);
    const second = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(1), US(2)]));
    sim.advance(5_000);
    expect((await getOrder(first)).status).toBe('Succeeded');
    const overlapping = await getOrder(second);
    expect(overlapping.status).toBe('PartiallySucceeded');
    expect(resultsByNumber(overlapping)).toEqual({ [US(1)]: { status: 'Failed', errorCode: 'NumberInProgress' }, [US(2)]: { status: 'Succeeded' } });
    // Once the first order is finished the same number is accepted again (idempotent success).
    const third = await finishedOrder(await submit('uploadOrders', SIM_TENANT_US, userUpload([US(1)])));
    expect(third.status).toBe('Succeeded');
  });

  it('settles orders in time order when time jumps past several of them', async () => {
    const upload = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)]));
    sim.advance(3_000); // upload due exactly now; the release below is submitted after it finished
    const release = await submit('releaseOrders', SIM_TENANT_US, { telephoneNumbers: [US(0)] });
    const reupload = await submit('uploadOrders', SIM_TENANT_GB, userUpload([GB(0)], { civicAddressId: SIM_ADDRESSES.gbValidated }));
    sim.advance(60_000);
    expect([(await getOrder(upload)).status, (await getOrder(release)).status, (await getOrder(reupload)).status]).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(sim.state.numbers.has(US(0))).toBe(false);
  });
});

describe('release and unassign orders', () => {
  it('releases unassigned numbers and reports assigned or foreign ones', async () => {
    const orderId = await submit('releaseOrders', SIM_TENANT_US, {
      telephoneNumbers: [SIM_SEED_NUMBERS.usUnassignedUser, SIM_SEED_NUMBERS.usAssignedUser, SIM_SEED_NUMBERS.gbUser],
    });
    const order = await finishedOrder(orderId);
    expect(order).toMatchObject({ type: 'Release', status: 'PartiallySucceeded', successCount: 1, failureCount: 2 });
    expect(resultsByNumber(order)).toEqual({
      [SIM_SEED_NUMBERS.usUnassignedUser]: { status: 'Succeeded' },
      [SIM_SEED_NUMBERS.usAssignedUser]: { status: 'Failed', errorCode: 'NumberAssigned' },
      [SIM_SEED_NUMBERS.gbUser]: { status: 'Failed', errorCode: 'NumberNotFound' },
    });
    expect(await listedNumbers(SIM_TENANT_US)).not.toContain(SIM_SEED_NUMBERS.usUnassignedUser);
    expect(sim.counters.ownerByNumber[SIM_SEED_NUMBERS.usUnassignedUser]).toBeUndefined();
    expect(sim.counters.ownerByNumber[SIM_SEED_NUMBERS.gbUser]).toBe(SIM_TENANT_GB);
  });

  it('unassigns, treating an unassigned number as success, then releases', async () => {
    const unassign = await finishedOrder(
      await submit('unassignOrders', SIM_TENANT_US, { telephoneNumbers: [SIM_SEED_NUMBERS.usAssignedUser, SIM_SEED_NUMBERS.usUnassignedUser, US(50)] }),
    );
    expect(unassign).toMatchObject({ type: 'Unassign', status: 'PartiallySucceeded' });
    expect(resultsByNumber(unassign)).toEqual({
      [SIM_SEED_NUMBERS.usAssignedUser]: { status: 'Succeeded' },
      [SIM_SEED_NUMBERS.usUnassignedUser]: { status: 'Succeeded' },
      [US(50)]: { status: 'Failed', errorCode: 'NumberNotFound' },
    });
    expect(sim.state.numbers.get(SIM_SEED_NUMBERS.usAssignedUser)?.assignmentStatus).toBe('Unassigned');
    const release = await finishedOrder(await submit('releaseOrders', SIM_TENANT_US, { telephoneNumbers: [SIM_SEED_NUMBERS.usAssignedUser] }));
    expect(release.status).toBe('Succeeded');
  });

  it.each([
    [{ telephoneNumbers: [] }, 'NoTelephoneNumbers'],
    [{ telephoneNumbers: ['+1', '+14255550101'] }, 'InvalidTelephoneNumber'],
    [{ telephoneNumbers: ['+14255550101', '+14255550101'] }, 'DuplicateTelephoneNumber'],
    [{}, 'InvalidRequestBody'],
  ])('validates release bodies: %j → %s', async (body, code) => {
    const answer = await api('POST', `/tenants/${SIM_TENANT_US}/releaseOrders`, body);
    expect([answer.status, answer.body.code]).toEqual([400, code]);
    expect(sim.state.orders.size).toBe(0);
  });

  it('refuses release and unassign orders for a tenant whose consent is not Active', async () => {
    for (const kind of ['releaseOrders', 'unassignOrders']) {
      const answer = await api('POST', `/tenants/${SIM_TENANT_SUSPENDED}/${kind}`, { telephoneNumbers: [SIM_SEED_NUMBERS.suspendedUser] });
      expect([answer.status, answer.body.code]).toEqual([400, 'ConsentNotActive']);
    }
  });

  it('fails a release of a number still being uploaded with NumberInProgress', async () => {
    await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)]));
    const release = await finishedOrder(await submit('releaseOrders', SIM_TENANT_US, { telephoneNumbers: [US(0)] }));
    expect(resultsByNumber(release)[US(0)]?.errorCode).toBe('NumberInProgress');
    expect(sim.state.numbers.has(US(0))).toBe(true);
  });
});

describe('list lag', () => {
  it('shows an uploaded number only listLagMs after its order succeeded, and a released one until then', async () => {
    sim.configure({ listLagMs: 5_000 });
    const orderId = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)]));
    expect((await finishedOrder(orderId)).status).toBe('Succeeded');
    expect(await listedNumbers(SIM_TENANT_US)).not.toContain(US(0));
    expect((await api('GET', `/tenants/${SIM_TENANT_US}/numbers/${encodeURIComponent(US(0))}`)).status).toBe(404);
    sim.advance(5_000);
    expect(await listedNumbers(SIM_TENANT_US)).toContain(US(0));

    const release = await finishedOrder(await submit('releaseOrders', SIM_TENANT_US, { telephoneNumbers: [US(0)] }));
    expect(release.status).toBe('Succeeded');
    expect(sim.state.numbers.has(US(0))).toBe(false);
    expect(await listedNumbers(SIM_TENANT_US)).toContain(US(0));
    sim.advance(5_000);
    expect(await listedNumbers(SIM_TENANT_US)).not.toContain(US(0));
  });
});

describe('orders of a tenant since a time (our extension)', () => {
  it('lists every order of the tenant created at or after createdAfter, any status', async () => {
    const early = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0)]));
    sim.advance(10_000);
    const since = new Date(sim.now()).toISOString();
    const done = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(1)]));
    sim.advance(5_000);
    const pending = await submit('releaseOrders', SIM_TENANT_US, { telephoneNumbers: [US(0)] });
    await submit('uploadOrders', SIM_TENANT_GB, userUpload([GB(0)], { civicAddressId: SIM_ADDRESSES.gbValidated }));

    const answer = await api('GET', `/tenants/${SIM_TENANT_US}/orders?createdAfter=${encodeURIComponent(since)}`);
    expect(answer.status).toBe(200);
    expect(answer.body.value.map((order: any) => [order.orderId, order.status])).toEqual([
      [done, 'Succeeded'],
      [pending, 'Pending'],
    ]);
    expect(answer.body.value[0].results).toEqual([{ telephoneNumber: US(1), status: 'Succeeded' }]);
    const all = await api('GET', `/tenants/${SIM_TENANT_US}/orders`);
    expect(all.body.value.map((order: any) => order.orderId)).toEqual([early, done, pending]);
  });

  it('pages the orders and rejects an unreadable createdAfter', async () => {
    for (let index = 0; index < 3; index++) await submit('uploadOrders', SIM_TENANT_US, userUpload([US(index)]));
    const first = await api('GET', `/tenants/${SIM_TENANT_US}/orders?createdAfter=2000-01-01T00:00:00Z&$top=2`);
    expect(first.body.value).toHaveLength(2);
    expect(first.body.nextLink).toContain('createdAfter=2000-01-01T00%3A00%3A00Z');
    const second = await api('GET', first.body.nextLink);
    expect(second.body.value).toHaveLength(1);
    expect(second.body.nextLink).toBeUndefined();
    const bad = await api('GET', `/tenants/${SIM_TENANT_US}/orders?createdAfter=yesterday`);
    expect([bad.status, bad.body.code]).toEqual([400, 'InvalidQueryParameter']);
    expect((await api('GET', `/tenants/${SIM_TENANT_WITHOUT_CONSENT}/orders`)).body.code).toBe('ConsentNotFound');
  });
});

describe('counters', () => {
  it('records which upload orders each number appeared in, and who owns it', async () => {
    const first = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(0), US(1)]));
    await finishedOrder(first);
    const second = await submit('uploadOrders', SIM_TENANT_US, userUpload([US(1)]));
    await submit('releaseOrders', SIM_TENANT_US, { telephoneNumbers: [US(0)] });
    const counters = sim.counters;
    expect(counters.uploadOrdersByNumber[US(0)]).toEqual([first]);
    expect(counters.uploadOrdersByNumber[US(1)]).toEqual([first, second]);
    expect(counters.numbersUploadedMoreThanOnce).toEqual([US(1)]);
    expect(counters.ownerByNumber[US(0)]).toBe(SIM_TENANT_US);
    expect(counters.callsByRoute['POST /tenants/{tenantId}/uploadOrders']).toBe(2);
    expect(counters.callsByRoute['POST /tenants/{tenantId}/releaseOrders']).toBe(1);
    expect(counters.callsByRoute['GET /orders/{orderId}']).toBe(1);
    expect(counters.apiCalls).toBe(4);
    sim.resetCounters();
    expect(sim.counters).toMatchObject({ apiCalls: 0, tokenCalls: 0, callsByRoute: {}, uploadOrdersByNumber: {}, numbersUploadedMoreThanOnce: [] });
    expect(sim.counters.ownerByNumber[US(0)]).toBe(SIM_TENANT_US);
  });

  it('does not count rejected submissions as uploads', async () => {
    await api('POST', `/tenants/${SIM_TENANT_SUSPENDED}/uploadOrders`, userUpload([US(0)]));
    expect(sim.counters.uploadOrdersByNumber).toEqual({});
    expect(sim.counters.apiCalls).toBe(1);
  });
});

describe('real clock', () => {
  it('completes orders on its own as real time passes (scaled)', async () => {
    const fast = await startOcSimulator({ clock: 'real', timeScale: 200, throttlePerMinute: null });
    try {
      const bearer = fast.issueToken();
      const accepted = await api('POST', `/tenants/${SIM_TENANT_US}/uploadOrders`, userUpload([US(0)]), fast, bearer);
      expect(accepted.status).toBe(202);
      let status = accepted.body.status;
      for (let attempt = 0; attempt < 200 && status !== 'Succeeded'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = (await api('GET', `/orders/${accepted.body.orderId}`, undefined, fast, bearer)).body.status;
      }
      expect(status).toBe('Succeeded');
      expect(fast.state.numbers.get(US(0))?.tenantId).toBe(SIM_TENANT_US);
    } finally {
      await fast.close();
    }
  });
});
