/**
 * The lookup in a deployment that offers only Direct Routing and Zoom (LOOKUP_SERVICES) and sends no
 * custom headers (LOOKUP_CUSTOM_HEADER_ENABLED=false), through HTTP against the local host: no
 * default to a service it does not offer, ServiceNotOffered for numbers and origins of such
 * services, no Call Protection fork, no header whatever is stored, and the start-up summary saying so.
 */
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const BASE_DOMAIN = 'gw.example.net';
const ZOOM_VERIFICATION = '+16465550100';

let host: LocalHost;
let api: ApiClient;
let lookupAuth: Record<string, string>;
let startupLog: string;

async function lookup(params: Record<string, string>): Promise<any> {
  const res = await fetch(`${host.baseUrl}/lookup/v1/route?${new URLSearchParams(params).toString()}`, { headers: lookupAuth });
  expect(res.status).toBe(200);
  return res.json();
}

async function put(path: string, json: unknown): Promise<void> {
  const res = await api.put(path, { json });
  expect([200, 201]).toContain(res.status);
}

beforeAll(async () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    host = await startLocalHost({
      DR_BASE_DOMAIN: BASE_DOMAIN,
      LOOKUP_SERVICES: 'teamsDirectRouting,zoomPhoneCloudPeering',
      LOOKUP_CUSTOM_HEADER_ENABLED: 'false',
      LOOKUP_TRUNK_DEFAULTS: 'operator-fixed=teamsOperatorConnect,operator-mobile=teamsPhoneMobile',
      LOOKUP_MOBILE_PREFIXES: '+4477',
      LOOKUP_ZOOM_VERIFICATION_NUMBERS: ZOOM_VERIFICATION,
      // These tests are about answers, not deadlines (lookupOutage.test.ts is): a cold read on a busy
      // shared machine may take longer than the 1 s default and would turn an answer into the 503.
      LOOKUP_STORAGE_TIMEOUT_MS: '10000',
    });
    startupLog = log.mock.calls.map((args) => String(args[0])).join('\n');
  } finally {
    log.mockRestore();
  }
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  lookupAuth = { authorization: `Bearer ${await host.token(['Lookup.Query'])}` };
  const dr = { syncEnabled: false, enabled: true, configuration: { callScreening: true, subdomain: 'depdr', subdomainTokens: { region1Token: 't1', region2Token: 't2' } } };
  await put('/accounts/dep-dr', { name: 'dep-dr', serviceDetails: { teamsDirectRouting: dr, zoomPhoneCloudPeering: { syncEnabled: false, enabled: true }, azureOperatorCallProtection: { enabled: true } } });
  await put('/accounts/dep-oc', { name: 'dep-oc', serviceDetails: { teamsTenantId: '55555555-5555-4555-8555-555555555555', teamsOperatorConnect: { syncEnabled: false, enabled: true } } });
  const number = (account: string, n: string, serviceDetails: Record<string, unknown>, customSipHeader: string) =>
    put(`/accounts/${account}/numbers/${n}`, { telephoneNumber: n, accountName: account, serviceDetails, configuration: { customSipHeader } });
  await number('dep-dr', '+14255561001', { teamsDirectRouting: { enabled: true }, azureOperatorCallProtection: { enabled: true } }, 'dr-h');
  await number('dep-dr', '+14255561002', { zoomPhoneCloudPeering: { enabled: true }, azureOperatorCallProtection: { enabled: true } }, 'z-h');
  await number('dep-oc', '+14255561003', { teamsOperatorConnect: { enabled: true } }, 'oc-h');
});

afterAll(async () => {
  await host?.stop();
});

it('logs how it routes once at start-up', () => {
  expect(startupLog).toContain('Lookup custom SIP header: X-MS-Operator-Content, off (answers never carry one)');
  expect(startupLog).toContain('Lookup services offered: teamsDirectRouting, zoomPhoneCloudPeering');
  expect(startupLog).toContain('operator-mobile → teamsPhoneMobile (not offered: such calls are refused)');
  expect(startupLog.split('Lookup services offered:')).toHaveLength(2);
});

it('defaults no unprovisioned number: the deployment offers neither Operator Connect nor Teams Phone Mobile', async () => {
  for (const [to, trunk] of [['+14255569901', undefined], ['+447700900200', undefined], ['+14255569901', 'operator-fixed'], ['+14255569901', 'operator-mobile'], ['+14255569901', 'other']] as const) {
    const answer = await lookup({ direction: 'fromOperator', from: '+33123456789', to, ...(trunk === undefined ? {} : { trunk }) });
    expect(answer).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', defaulted: false, defaultedBy: null });
  }
});

it('routes Direct Routing and Zoom numbers without their stored headers and without Call Protection', async () => {
  expect(await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255561001' })).toEqual({
    action: 'route',
    destination: 'teamsDirectRouting',
    callProtection: false,
    accountName: 'dep-dr',
    teamsTenantId: null,
    contactHosts: [`depdr.1r1.${BASE_DOMAIN}`, `depdr.1r2.${BASE_DOMAIN}`],
    customHeader: null,
    defaulted: false,
    defaultedBy: null,
    ttlSeconds: 1,
  });
  expect(await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255561002' })).toMatchObject({ action: 'route', destination: 'zoomPhoneCloudPeering', callProtection: false, customHeader: null });
  expect(await lookup({ direction: 'toOperator', from: '+14255561001', to: '+33123456789', origin: 'teamsDirectRouting', subdomain: 'depdr' })).toMatchObject({ action: 'route', accountName: 'dep-dr', customHeader: null, callProtection: false });
  expect(await lookup({ direction: 'toOperator', from: '+14255561002', to: '+33123456789', origin: 'zoomPhoneCloudPeering' })).toMatchObject({ action: 'route', accountName: 'dep-dr', customHeader: null });
});

it('refuses a provisioned number, or a call from a service, the deployment does not offer (404 ServiceNotOffered)', async () => {
  expect(await lookup({ direction: 'fromOperator', from: '+33123456789', to: '+14255561003' })).toMatchObject({
    action: 'reject',
    sipStatus: 404,
    reason: 'ServiceNotOffered',
    accountName: 'dep-oc',
    teamsTenantId: '55555555-5555-4555-8555-555555555555',
    customHeader: null,
  });
  for (const origin of ['teamsOperatorConnect', 'teamsPhoneMobile']) {
    expect(await lookup({ direction: 'toOperator', from: '+14255561003', to: '+33123456789', origin })).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'ServiceNotOffered', accountName: null });
  }
});

it('still routes Zoom verification numbers to Zoom (Zoom is offered)', async () => {
  expect(await lookup({ direction: 'fromOperator', from: '+33123456789', to: ZOOM_VERIFICATION, trunk: 'operator-fixed' })).toMatchObject({ action: 'route', destination: 'zoomPhoneCloudPeering', defaultedBy: 'zoomVerification' });
});
