/**
 * A civic address id with a "#" in it (the contract allows any text; docs/mutation.md "Found on the
 * way"): the worker's memory of what it pushed is `<upload key>#<address key>`, and a split at the
 * wrong "#" made an uploaded number look as if its usage had changed (failed, ReuploadRequired).
 * End to end: HTTP API → worker → Operator Connect simulator → the number's status over HTTP.
 */
import { SIM_TENANT_US } from '../../dev/ocSimulator';
import { addCivicAddress } from '../../dev/ocSimulator/tenants';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { startFlowthroughHost, type FlowthroughHost } from '../support/flowthroughHost';
import { numberRange, ocAccount, ocNumber, settled } from '../support/ocFixtures';

let host: FlowthroughHost;
let api: ApiClient;

beforeAll(async () => {
  host = await startFlowthroughHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
});
afterAll(() => host.stop());

test('a number whose civic address id holds a "#" is uploaded and stays synced', async () => {
  const civicAddressId = 'hq#1';
  addCivicAddress(host.sim.state, SIM_TENANT_US, { id: civicAddressId, country: 'US' });
  await api.put('/accounts/hash-addr', { json: ocAccount('hash-addr', SIM_TENANT_US) });
  const [n] = numberRange('+14255571500', 1) as [string];
  const path = `/accounts/hash-addr/numbers/${encodeURIComponent(n)}`;
  expect((await api.put(path, { json: ocNumber('hash-addr', n, { civicAddressId }) })).status).toBe(201);

  expect(await settled(api, 'hash-addr')).toEqual({ synced: 1 });
  expect(host.sim.state.numbers.get(n)?.civicAddressId).toBe(civicAddressId);
  const res = await api.get(path);
  expect([res.body.serviceProvisioningStatus, res.body.serviceProvisioningErrors]).toEqual(['synced', []]);
});
