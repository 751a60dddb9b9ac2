/**
 * Operator Connect simulator over real HTTP: the token endpoint, authentication and role rules, common
 * response conventions, and every read route with paging. Orders, faults and the customer side have
 * their own files (ocSimulatorOrders / ocSimulatorFaults / ocSimulatorCustomer).
 */
import {
  SIM_ADDRESSES,
  SIM_LOCATIONS,
  SIM_OPERATOR_ID,
  SIM_OPERATOR_TENANT_ID,
  SIM_PROFILE_CALLING_CONFERENCING_ID,
  SIM_PROFILE_CALLING_ID,
  SIM_PROFILE_MOBILE_ID,
  SIM_READER_CLIENT_ID,
  SIM_READER_CLIENT_SECRET,
  SIM_RESOURCE,
  SIM_SEED_NUMBERS,
  SIM_TENANT_GB,
  SIM_TENANT_PENDING_SETUP,
  SIM_TENANT_REMOVED,
  SIM_TENANT_SUSPENDED,
  SIM_TENANT_US,
  SIM_TENANT_WITHOUT_CONSENT,
  SIM_UNREGISTERED_CLIENT_ID,
  SIM_UNREGISTERED_CLIENT_SECRET,
  startOcSimulator,
  type OcRole,
  type OcSimulator,
} from '../../dev/ocSimulator';
import { simCall, simReply as reply, type SimReply as Reply } from '../support/simulatorHttp';

let sim: OcSimulator;
let token: string;

function requestToken(form: Record<string, string>, init: { tenant?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return fetch(sim.tokenUrl(init.tenant), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
    body: new URLSearchParams(form),
  }).then(reply);
}

async function tokenFor(clientId: string, clientSecret: string): Promise<string> {
  const answer = await requestToken({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: sim.scope });
  expect(answer.status).toBe(200);
  return answer.body.access_token;
}

function api(method: string, path: string, body?: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = path.startsWith('http') ? path : `${sim.apiBaseUrl}${path}`;
  return simCall(url, method, body, { ...(options.token !== null && { bearer: options.token ?? token }), ...(options.headers !== undefined && { headers: options.headers }) });
}

const numberPath = (tenantId: string, telephoneNumber: string) => `/tenants/${tenantId}/numbers/${encodeURIComponent(telephoneNumber)}`;

function claimsOf(jwt: string): any {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

beforeAll(async () => {
  sim = await startOcSimulator({ clock: 'manual', throttlePerMinute: null });
  token = await tokenFor(sim.clientId, sim.clientSecret);
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

describe('token endpoint', () => {
  it('issues an HS256 bearer token carrying appid, tid, roles and exp', async () => {
    const answer = await requestToken({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret, scope: sim.scope });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const [header] = (answer.body.access_token as string).split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = claimsOf(answer.body.access_token);
    expect(claims).toMatchObject({ appid: sim.clientId, tid: SIM_OPERATOR_TENANT_ID, aud: SIM_RESOURCE });
    expect(claims.roles).toEqual(expect.arrayContaining(['PartnerSettings.Write', 'NumberManagement.Write', 'TrunkManagement.Read']));
    expect(claims.exp * 1000).toBe(Math.floor(sim.now() / 1000) * 1000 + 3_600_000);
    expect(answer.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the client secret through HTTP Basic as well', async () => {
    const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
    const answer = await requestToken({ grant_type: 'client_credentials', scope: sim.scope }, { headers: { authorization: `Basic ${basic}` } });
    expect(answer.status).toBe(200);
  });

  it.each([
    { situation: 'a wrong secret', override: { client_secret: 'nope' }, tenant: undefined, error: 'invalid_client' },
    { situation: 'a missing secret', override: { client_secret: '' }, tenant: undefined, error: 'invalid_client' },
    { situation: 'an unknown client', override: { client_id: '11111111-1111-4111-8111-111111111111' }, tenant: undefined, error: 'unauthorized_client' },
    { situation: 'another tenant', override: {}, tenant: '22222222-2222-4222-8222-222222222222', error: 'unauthorized_client' },
    { situation: 'another grant type', override: { grant_type: 'password' }, tenant: undefined, error: 'unsupported_grant_type' },
    { situation: 'a wrong scope', override: { scope: 'https://graph.microsoft.com/.default' }, tenant: undefined, error: 'invalid_scope' },
  ])('answers $situation with 400 $error', async ({ override, tenant, error }) => {
    const form = { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret, scope: sim.scope, ...override };
    const answer = await requestToken(form, tenant === undefined ? {} : { tenant });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe(error);
    expect(answer.body.error_description).toMatch(/^AADSTS\d+: /);
  });

  it('rejects a JSON body with invalid_request', async () => {
    const answer = await fetch(sim.tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    }).then(reply);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('counts token calls apart from API calls', async () => {
    await tokenFor(sim.clientId, sim.clientSecret);
    await api('GET', '/callingProfiles');
    await fetch(`${sim.url}/_sim/state`);
    expect(sim.counters).toMatchObject({ tokenCalls: 1, apiCalls: 1 });
    expect(sim.counters.callsByRoute).toEqual({ 'POST /{tenant}/oauth2/v2.0/token': 1, 'GET /callingProfiles': 1 });
  });
});

describe('authentication', () => {
  it('answers 401 InvalidAuthenticationToken without a token, with a challenge', async () => {
    const answer = await api('GET', '/consents', undefined, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ code: 'InvalidAuthenticationToken', message: expect.any(String), details: [{ code: 'MissingToken', message: expect.any(String) }] });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.headers.get('x-ms-error-code')).toBe('InvalidAuthenticationToken');
  });

  it.each([
    ['garbage', () => 'not-a-jwt', 'Malformed'],
    ['a tampered signature', () => `${token.slice(0, -4)}AAAA`, 'InvalidSignature'],
    ['an unsigned token', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`, 'InvalidSignature'],
  ])('answers 401 for %s', async (_case, makeToken, reason) => {
    const answer = await api('GET', '/consents', undefined, { token: makeToken() });
    expect(answer.status).toBe(401);
    expect(answer.body.details[0].code).toBe(reason);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('answers 401 once the token expires on the virtual clock', async () => {
    const shortLived = sim.issueToken({ lifetimeSeconds: 60 });
    expect((await api('GET', '/consents', undefined, { token: shortLived })).status).toBe(200);
    sim.advance(60_000);
    const answer = await api('GET', '/consents', undefined, { token: shortLived });
    expect(answer.status).toBe(401);
    expect(answer.body.details[0].code).toBe('Expired');
  });

  it('answers 401 for a token signed by another simulator', async () => {
    const other = await startOcSimulator({ clock: 'manual' });
    try {
      const answer = await api('GET', '/consents', undefined, { token: other.issueToken() });
      expect(answer.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('authorization', () => {
  it('answers 403 AppNotRegistered for an app missing from the OC portal list', async () => {
    const unregistered = await tokenFor(SIM_UNREGISTERED_CLIENT_ID, SIM_UNREGISTERED_CLIENT_SECRET);
    const answer = await api('GET', '/consents', undefined, { token: unregistered });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('AppNotRegistered');
  });

  it('lets the read-only app read but answers 403 InsufficientRole on writes', async () => {
    const reader = await tokenFor(SIM_READER_CLIENT_ID, SIM_READER_CLIENT_SECRET);
    expect((await api('GET', '/consents', undefined, { token: reader })).status).toBe(200);
    expect((await api('GET', `/tenants/${SIM_TENANT_US}/numbers`, undefined, { token: reader })).status).toBe(200);
    const upload = await api('POST', `/tenants/${SIM_TENANT_US}/releaseOrders`, { telephoneNumbers: ['+14255550101'] }, { token: reader });
    expect(upload.status).toBe(403);
    expect(upload.body.code).toBe('InsufficientRole');
    expect(upload.body.details).toEqual([{ code: 'MissingRole', message: expect.any(String), target: 'NumberManagement.Write' }]);
    expect(sim.state.orders.size).toBe(0);
  });

  const consentPatch = { customerRelationship: { status: 'CustomerContacted' } };
  it.each<[string, string, unknown, OcRole, boolean]>([
    ['GET', '/consents', undefined, 'PartnerSettings.Read', true],
    ['GET', '/consents', undefined, 'PartnerSettings.Write', true],
    ['GET', '/consents', undefined, 'NumberManagement.Read', false],
    ['PATCH', `/consents/${SIM_TENANT_US}`, consentPatch, 'PartnerSettings.Write', true],
    ['PATCH', `/consents/${SIM_TENANT_US}`, consentPatch, 'NumberManagement.Write', true],
    ['PATCH', `/consents/${SIM_TENANT_US}`, consentPatch, 'PartnerSettings.Read', false],
    ['GET', '/callingProfiles', undefined, 'TrunkManagement.Read', true],
    ['GET', '/callingProfiles', undefined, 'NumberManagement.Read', false],
    ['GET', `/tenants/${SIM_TENANT_US}/numbers`, undefined, 'NumberManagement.Read', true],
    ['GET', `/tenants/${SIM_TENANT_US}/numbers`, undefined, 'NumberManagement.Write', true],
    ['GET', `/tenants/${SIM_TENANT_US}/numbers`, undefined, 'TrunkManagement.Read', false],
    ['GET', `/tenants/${SIM_TENANT_US}/usages`, undefined, 'Data.Read', false],
    ['POST', `/tenants/${SIM_TENANT_US}/unassignOrders`, { telephoneNumbers: ['+14255550101'] }, 'NumberManagement.Write', true],
    ['POST', `/tenants/${SIM_TENANT_US}/unassignOrders`, { telephoneNumbers: ['+14255550101'] }, 'NumberManagement.Read', false],
    ['PATCH', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser), { allowTenantAddressUpdate: true }, 'NumberManagement.Read', false],
  ])('%s %s (body %j) with only %s: allowed %s', async (method, path, body, role, allowed) => {
    const answer = await api(method, path, body, { token: sim.issueToken({ roles: [role] }) });
    if (allowed) expect(answer.status).toBeLessThan(300);
    else expect([answer.status, answer.body.code]).toEqual([403, 'InsufficientRole']);
  });

  it('applies role changes to new tokens only, and portal registration immediately', async () => {
    const before = await tokenFor(SIM_READER_CLIENT_ID, SIM_READER_CLIENT_SECRET);
    sim.updateApp(SIM_READER_CLIENT_ID, { roles: ['TrunkManagement.Read'] });
    expect((await api('GET', '/consents', undefined, { token: before })).status).toBe(200);
    const after = await tokenFor(SIM_READER_CLIENT_ID, SIM_READER_CLIENT_SECRET);
    expect((await api('GET', '/consents', undefined, { token: after })).body.code).toBe('InsufficientRole');
    sim.updateApp(SIM_READER_CLIENT_ID, { registeredInPortal: false });
    expect((await api('GET', '/callingProfiles', undefined, { token: after })).body.code).toBe('AppNotRegistered');
  });
});

describe('response conventions', () => {
  it('gives every response its own x-ms-request-id and echoes x-ms-client-request-id', async () => {
    const answers = await Promise.all([
      api('GET', '/consents', undefined, { headers: { 'x-ms-client-request-id': 'client-1' } }),
      api('GET', '/consents', undefined, { token: null }),
      api('GET', '/nowhere'),
      fetch(`${sim.url}/_sim/clock`).then(reply),
    ]);
    const ids = answers.map((answer) => answer.headers.get('x-ms-request-id'));
    expect(ids.every((id) => typeof id === 'string' && id.length === 36)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(answers[0]?.headers.get('x-ms-client-request-id')).toBe('client-1');
  });

  it('answers unknown routes with 404 RouteNotFound and wrong methods with 405 and Allow', async () => {
    const missing = await api('GET', '/tenants/x/nothing');
    expect([missing.status, missing.body.code]).toEqual([404, 'RouteNotFound']);
    const outside = await fetch(`${sim.url}/elsewhere`).then(reply);
    expect(outside.status).toBe(404);
    const wrongMethod = await api('DELETE', '/consents');
    expect([wrongMethod.status, wrongMethod.body.code, wrongMethod.headers.get('allow')]).toEqual([405, 'MethodNotAllowed', 'GET']);
  });

  it('answers a malformed JSON body with 400 InvalidRequestBody', async () => {
    const answer = await api('PATCH', `/consents/${SIM_TENANT_US}`, '{"customerRelationship":');
    expect([answer.status, answer.body.code]).toEqual([400, 'InvalidRequestBody']);
  });

  it('serves the API under a configured prefix', async () => {
    const other = await startOcSimulator({ clock: 'manual', apiPrefix: 'partner/v9/' });
    try {
      expect(other.apiBaseUrl).toBe(`${other.url}/partner/v9`);
      const headers = { authorization: `Bearer ${other.issueToken()}` };
      expect((await fetch(`${other.apiBaseUrl}/callingProfiles`, { headers })).status).toBe(200);
      expect((await fetch(`${other.url}/oc/v1/callingProfiles`, { headers })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('consents', () => {
  it('lists every consent with its PascalCase status and wire fields', async () => {
    const answer = await api('GET', '/consents');
    expect(answer.status).toBe(200);
    const byTenant = new Map<string, any>(answer.body.value.map((consent: any) => [consent.tenantId, consent]));
    expect(byTenant.get(SIM_TENANT_US)).toEqual({
      id: expect.any(String),
      tenantId: SIM_TENANT_US,
      operatorId: SIM_OPERATOR_ID,
      productContext: 'teams',
      status: 'Active',
      consentedOn: new Date(sim.now()).toISOString(),
      lastModifiedOn: new Date(sim.now()).toISOString(),
      consentedCountries: ['US', 'CA'],
      contacts: [{ fullName: 'Avery Admin', email: 'avery@contoso.example', telephoneNumber: '+14255550199', companyName: 'Contoso', companySize: 'L250_U999' }],
      customerRelationship: { status: 'ConsentAcknowledged', lastModifiedOn: expect.any(String) },
    });
    expect(byTenant.get(SIM_TENANT_SUSPENDED).status).toBe('Suspended');
    expect(byTenant.get(SIM_TENANT_REMOVED).status).toBe('Removed');
    expect(byTenant.get(SIM_TENANT_PENDING_SETUP).consentedCountries).toEqual([]);
    expect(byTenant.has(SIM_TENANT_WITHOUT_CONSENT)).toBe(false);
    expect(answer.body.nextLink).toBeUndefined();
  });

  it('filters by status, case-insensitively, and rejects an unknown status', async () => {
    const suspended = await api('GET', '/consents?status=suspended');
    expect(suspended.body.value.map((consent: any) => consent.tenantId)).toEqual([SIM_TENANT_SUSPENDED]);
    const bad = await api('GET', '/consents?status=Paused');
    expect([bad.status, bad.body.code, bad.body.details[0].target]).toEqual([400, 'InvalidQueryParameter', 'status']);
  });

  it('pages with $top and an absolute nextLink until every consent was served once', async () => {
    const seen: string[] = [];
    let link: string | undefined = `${sim.apiBaseUrl}/consents?$top=2`;
    let pages = 0;
    while (link !== undefined) {
      const answer = await api('GET', link);
      expect(answer.status).toBe(200);
      expect(answer.body.value.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.value.map((consent: any) => consent.tenantId));
      link = answer.body.nextLink;
      if (link !== undefined) expect(link.startsWith(`${sim.apiBaseUrl}/consents?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen.length).toBe(5);
  });

  it('keeps the filter in nextLink', async () => {
    sim.addConsent({ consentedCountries: ['US'] });
    sim.addConsent({ consentedCountries: ['US'] });
    const first = await api('GET', '/consents?status=Active&$top=2');
    const second = await api('GET', first.body.nextLink);
    expect([...first.body.value, ...second.body.value].every((consent: any) => consent.status === 'Active')).toBe(true);
    expect(first.body.value.length + second.body.value.length).toBe(4);
  });

  it.each([
    ['$top=0', 'InvalidQueryParameter'],
    ['$top=abc', 'InvalidQueryParameter'],
    ['$top=1001', 'InvalidQueryParameter'],
    ['$skipToken=garbage', 'InvalidSkipToken'],
  ])('rejects %s with 400 %s', async (query, code) => {
    const answer = await api('GET', `/consents?${query}`);
    expect([answer.status, answer.body.code]).toEqual([400, code]);
  });

  it('gets one consent and answers 404 ConsentNotFound for a tenant without one', async () => {
    expect((await api('GET', `/consents/${SIM_TENANT_GB}`)).body.consentedCountries).toEqual(['GB']);
    const missing = await api('GET', `/consents/${SIM_TENANT_WITHOUT_CONSENT}`);
    expect([missing.status, missing.body.code]).toEqual([404, 'ConsentNotFound']);
  });

  it('updates the customer relationship', async () => {
    sim.advance(5_000);
    const answer = await api('PATCH', `/consents/${SIM_TENANT_US}`, { customerRelationship: { status: 'AgreementSigned', comment: 'Signed on paper' } });
    expect(answer.status).toBe(200);
    const at = new Date(sim.now()).toISOString();
    expect(answer.body.customerRelationship).toEqual({ status: 'AgreementSigned', comment: 'Signed on paper', lastModifiedOn: at });
    expect(answer.body.lastModifiedOn).toBe(at);
    expect((await api('GET', `/consents/${SIM_TENANT_US}`)).body.customerRelationship.status).toBe('AgreementSigned');
  });

  it.each(['ConsentDeclined', 'ContractTerminated'])('requires a comment for %s (400 CommentRequired)', async (status) => {
    const withoutComment = await api('PATCH', `/consents/${SIM_TENANT_US}`, { customerRelationship: { status, comment: '  ' } });
    expect([withoutComment.status, withoutComment.body.code]).toEqual([400, 'CommentRequired']);
    const withComment = await api('PATCH', `/consents/${SIM_TENANT_US}`, { customerRelationship: { status, comment: 'No budget' } });
    expect(withComment.status).toBe(200);
  });

  it('answers 409 ConsentRemoved for a removed consent and 400 for an unknown relationship status', async () => {
    const removed = await api('PATCH', `/consents/${SIM_TENANT_REMOVED}`, { customerRelationship: { status: 'CustomerContacted' } });
    expect([removed.status, removed.body.code]).toEqual([409, 'ConsentRemoved']);
    const unknown = await api('PATCH', `/consents/${SIM_TENANT_US}`, { customerRelationship: { status: 'Happy' } });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'InvalidRequestBody']);
    const missing = await api('PATCH', `/consents/${SIM_TENANT_WITHOUT_CONSENT}`, { customerRelationship: { status: 'CustomerContacted' } });
    expect([missing.status, missing.body.code]).toEqual([404, 'ConsentNotFound']);
  });
});

describe('calling profiles and usages', () => {
  it('lists the three seeded calling profiles', async () => {
    const answer = await api('GET', '/callingProfiles');
    expect(answer.body.value).toEqual([
      { callingProfileId: SIM_PROFILE_CALLING_ID, name: 'Voice', nameSuffix: 'Sim', offerTypes: [{ offerTypeName: 'Calling' }] },
      {
        callingProfileId: SIM_PROFILE_CALLING_CONFERENCING_ID,
        name: 'Voice and Conferencing',
        nameSuffix: 'Sim',
        offerTypes: [{ offerTypeName: 'Calling' }, { offerTypeName: 'AudioConferencing' }],
      },
      { callingProfileId: SIM_PROFILE_MOBILE_ID, name: 'Teams Phone Mobile', nameSuffix: 'Sim', offerTypes: [{ offerTypeName: 'Mobile' }] },
    ]);
  });

  it('lists the capability plans of a tenant that completed its consent', async () => {
    const answer = await api('GET', `/tenants/${SIM_TENANT_US}/usages`);
    expect(answer.status).toBe(200);
    const plans = new Map<string, any>(answer.body.value.map((plan: any) => [plan.name, plan]));
    expect(plans.get('CallingUser')).toEqual({
      name: 'CallingUser',
      offerTypes: ['Calling'],
      usage: 'CallingUserAssignment',
      mandatoryCapabilities: ['UserAssignment', 'Office365'],
      choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
      supportsTollFree: false,
    });
    expect(plans.get('MobileUser').choosableCapabilities).toContain('Mobile');
    expect(plans.get('VoiceApp')).toMatchObject({ usage: 'FirstPartyAppAssignment', supportsTollFree: true });
    expect(plans.get('ConferenceBridge')).toMatchObject({ usage: 'ConferenceAssignment', offerTypes: ['AudioConferencing'] });
  });

  it('offers no usages before the customer completes an operator-created consent, and 404 without consent', async () => {
    expect((await api('GET', `/tenants/${SIM_TENANT_PENDING_SETUP}/usages`)).body).toEqual({ value: [] });
    expect((await api('GET', `/tenants/${SIM_TENANT_WITHOUT_CONSENT}/usages`)).body.code).toBe('ConsentNotFound');
  });

  it('reports the capabilities numbers could have in a tenant', async () => {
    const numbers = [SIM_SEED_NUMBERS.usUnassignedUser, '+14255550300', '+18885550111', '+442071234601', SIM_SEED_NUMBERS.gbUser, '+99912345678'];
    const answer = await api('POST', `/tenants/${SIM_TENANT_US}/availableCapabilities`, { telephoneNumbers: numbers });
    expect(answer.status).toBe(200);
    const byNumber = new Map<string, string[]>(answer.body.availableCapabilities.map((entry: any) => [entry.telephoneNumber, entry.availableCapabilities]));
    expect(byNumber.get(SIM_SEED_NUMBERS.usUnassignedUser)).toEqual(expect.arrayContaining(['UserAssignment', 'Mobile', 'InboundCalling']));
    expect(byNumber.get('+14255550300')).toEqual(expect.arrayContaining(['UserAssignment', 'FirstPartyAppAssignment', 'ConferenceAssignment', 'Mobile']));
    expect(byNumber.get('+18885550111')).toEqual(expect.arrayContaining(['TollFree', 'FirstPartyAppAssignment']));
    expect(byNumber.get('+18885550111')).not.toContain('UserAssignment');
    expect(byNumber.get('+442071234601')).toEqual([]); // GB is not among the tenant's countries
    expect(byNumber.get(SIM_SEED_NUMBERS.gbUser)).toEqual([]); // held by another tenant
    expect(byNumber.get('+99912345678')).toEqual([]);
  });

  it('rejects malformed numbers in availableCapabilities', async () => {
    const answer = await api('POST', `/tenants/${SIM_TENANT_US}/availableCapabilities`, { telephoneNumbers: ['4255550100'] });
    expect([answer.status, answer.body.code]).toEqual([400, 'InvalidTelephoneNumber']);
  });
});

describe('civic addresses', () => {
  it('lists a tenant’s addresses with their locations', async () => {
    const answer = await api('GET', `/tenants/${SIM_TENANT_US}/civicAddresses`);
    expect(answer.body.value.map((address: any) => address.id)).toEqual([
      SIM_ADDRESSES.usValidated,
      SIM_ADDRESSES.usNotValidated,
      SIM_ADDRESSES.usWithoutDefault,
      SIM_ADDRESSES.caValidated,
    ]);
    const [validated, notValidated, withoutDefault] = answer.body.value;
    expect(validated).toMatchObject({
      tenantId: SIM_TENANT_US,
      partnerId: SIM_OPERATOR_ID,
      country: 'US',
      cityOrTown: 'Redmond',
      validationStatus: 'Validated',
      defaultLocationId: SIM_LOCATIONS.usMain,
    });
    expect(validated.locations).toEqual([
      { id: SIM_LOCATIONS.usMain, civicAddressId: SIM_ADDRESSES.usValidated, description: '911', isDefault: true, elin: 'HQ' },
      { id: SIM_LOCATIONS.usFloor2, civicAddressId: SIM_ADDRESSES.usValidated, description: 'Floor 2', additionalInfo: 'East wing', isDefault: false },
    ]);
    expect(notValidated.validationStatus).toBe('NotValidated');
    expect(withoutDefault.defaultLocationId).toBeUndefined();
  });

  it('gets one address and answers 404 CivicAddressNotFound for another tenant’s', async () => {
    expect((await api('GET', `/tenants/${SIM_TENANT_GB}/civicAddresses/${SIM_ADDRESSES.gbValidated}`)).body.country).toBe('GB');
    const other = await api('GET', `/tenants/${SIM_TENANT_US}/civicAddresses/${SIM_ADDRESSES.gbValidated}`);
    expect([other.status, other.body.code]).toEqual([404, 'CivicAddressNotFound']);
  });

  it('pages addresses', async () => {
    const first = await api('GET', `/tenants/${SIM_TENANT_US}/civicAddresses?$top=3`);
    expect(first.body.value).toHaveLength(3);
    const second = await api('GET', first.body.nextLink);
    expect(second.body.value.map((address: any) => address.id)).toEqual([SIM_ADDRESSES.caValidated]);
    expect(second.body.nextLink).toBeUndefined();
  });
});

describe('numbers', () => {
  it('lists a tenant’s numbers in the wire shape', async () => {
    const answer = await api('GET', `/tenants/${SIM_TENANT_US}/numbers`);
    expect(answer.body.value.map((number: any) => number.telephoneNumber)).toEqual([
      SIM_SEED_NUMBERS.usAssignedUser,
      SIM_SEED_NUMBERS.usUnassignedUser,
      SIM_SEED_NUMBERS.usTollFreeApp,
    ]);
    expect(answer.body.value[0]).toEqual({
      telephoneNumber: SIM_SEED_NUMBERS.usAssignedUser,
      tenantId: SIM_TENANT_US,
      callingProfileId: SIM_PROFILE_CALLING_ID,
      usage: 'CallingUserAssignment',
      additionalUsages: [],
      acquiredCapabilities: ['UserAssignment', 'Office365', 'InboundCalling', 'OutboundCalling'],
      availableCapabilities: expect.arrayContaining(['Mobile', 'UserAssignment']),
      isoCountryCode: 'US',
      civicAddressId: SIM_ADDRESSES.usValidated,
      locationId: SIM_LOCATIONS.usMain,
      allowTenantAddressUpdate: false,
      assignmentStatus: 'UserAssigned',
      acquiredOn: expect.stringMatching(/Z$/),
    });
    expect(answer.body.value[2]).toMatchObject({ displayedCountryCode: 'US', usage: 'FirstPartyAppAssignment', assignmentStatus: 'Unassigned' });
    expect(answer.body.value[2].acquiredCapabilities).toContain('TollFree');
  });

  it('pages numbers with $top', async () => {
    const first = await api('GET', `/tenants/${SIM_TENANT_US}/numbers?$top=2`);
    const second = await api('GET', first.body.nextLink);
    expect([first.body.value.length, second.body.value.length, second.body.nextLink]).toEqual([2, 1, undefined]);
  });

  it('gets one number by its encoded E.164 form and answers 404 NumberNotFound for another tenant’s', async () => {
    const found = await api('GET', numberPath(SIM_TENANT_GB, SIM_SEED_NUMBERS.gbUser));
    expect(found.body).toMatchObject({ telephoneNumber: SIM_SEED_NUMBERS.gbUser, isoCountryCode: 'GB' });
    const unencoded = await api('GET', `/tenants/${SIM_TENANT_GB}/numbers/${SIM_SEED_NUMBERS.gbUser}`);
    expect(unencoded.status).toBe(200);
    const other = await api('GET', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.gbUser));
    expect([other.status, other.body.code]).toEqual([404, 'NumberNotFound']);
  });

  it('still shows the numbers of suspended tenants and answers 404 ConsentNotFound without consent', async () => {
    expect((await api('GET', `/tenants/${SIM_TENANT_SUSPENDED}/numbers`)).body.value).toHaveLength(1);
    expect((await api('GET', `/tenants/${SIM_TENANT_WITHOUT_CONSENT}/numbers`)).body.code).toBe('ConsentNotFound');
  });

  it('moves a number to another location, whose address comes with it', async () => {
    const answer = await api('PATCH', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser), { locationId: SIM_LOCATIONS.caMain });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ civicAddressId: SIM_ADDRESSES.caValidated, locationId: SIM_LOCATIONS.caMain });
    expect(sim.state.numbers.get(SIM_SEED_NUMBERS.usUnassignedUser)?.locationId).toBe(SIM_LOCATIONS.caMain);
  });

  it('takes an address’s default location when only the address is given', async () => {
    const answer = await api('PATCH', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser), { civicAddressId: SIM_ADDRESSES.usNotValidated });
    expect(answer.body).toMatchObject({ civicAddressId: SIM_ADDRESSES.usNotValidated, locationId: SIM_LOCATIONS.usNotValidated });
  });

  it.each([
    [{ civicAddressId: SIM_ADDRESSES.usWithoutDefault }, 400, 'UnableToRetrieveDefaultLocation'],
    [{ locationId: '99999999-9999-4999-8999-999999999999' }, 400, 'UnableToRetrieveLocation'],
    [{ civicAddressId: SIM_ADDRESSES.usValidated, locationId: SIM_LOCATIONS.usMain }, 400, 'CivicAddressAndLocationConflict'],
    [{ civicAddressId: null }, 400, 'EmergencyAddressRequired'],
    [{}, 400, 'InvalidRequestBody'],
  ])('rejects the number update %j with %i %s', async (body, status, code) => {
    const answer = await api('PATCH', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser), body);
    expect([answer.status, answer.body.code]).toEqual([status, code]);
    expect(sim.state.numbers.get(SIM_SEED_NUMBERS.usUnassignedUser)?.locationId).toBe(SIM_LOCATIONS.usMain);
  });

  it('clears the address once the tenant may set it itself', async () => {
    const answer = await api('PATCH', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.usUnassignedUser), { civicAddressId: null, allowTenantAddressUpdate: true });
    expect(answer.status).toBe(200);
    expect(answer.body.allowTenantAddressUpdate).toBe(true);
    expect(answer.body.civicAddressId).toBeUndefined();
    expect(answer.body.locationId).toBeUndefined();
  });

  it('refuses number updates for another tenant’s number (404) and a suspended consent (400 ConsentNotActive)', async () => {
    const other = await api('PATCH', numberPath(SIM_TENANT_US, SIM_SEED_NUMBERS.gbUser), { allowTenantAddressUpdate: true });
    expect([other.status, other.body.code]).toEqual([404, 'NumberNotFound']);
    const suspended = await api('PATCH', numberPath(SIM_TENANT_SUSPENDED, SIM_SEED_NUMBERS.suspendedUser), { allowTenantAddressUpdate: true });
    expect([suspended.status, suspended.body.code]).toEqual([400, 'ConsentNotActive']);
  });
});
