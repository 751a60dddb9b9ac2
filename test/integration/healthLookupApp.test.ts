/**
 * The lookup's own function app (APP_FUNCTIONS=lookup, as infra/main.bicep deploys it): only the
 * lookup and /health are served, and /health reports storage and the lookup's view but no queue
 * (the lookup sends no kicks).
 */
import { stopLookupService } from '../../shared/lookup/lookupService';
import { startLocalHost, type LocalHost } from '../support/localHost';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({ APP_FUNCTIONS: 'lookup' });
});

afterAll(async () => {
  stopLookupService();
  await host?.stop();
});

it('serves the lookup and /health, and no Provisioning API', async () => {
  const health = await fetch(`${host.baseUrl}/health`);
  expect(health.status).toBe(200);
  const body = await health.json();
  expect(body).toMatchObject({ status: 'healthy', functions: ['lookup'], storage: { status: 'up' }, lookup: { status: 'up' } });
  expect(body).not.toHaveProperty('queue');

  const token = await host.token(['Lookup.Query']);
  const lookup = await fetch(`${host.baseUrl}/lookup/v1/route?direction=fromOperator&from=%2B33123456789&to=%2B14255580001`, { headers: { authorization: `Bearer ${token}` } });
  expect(lookup.status).toBe(200);

  const accounts = await fetch(`${host.baseUrl}/accounts?api-version=2024-01-01`, { headers: await host.adminHeaders() });
  expect(accounts.status).toBe(404);
});
