import { startLocalHost, type LocalHost } from '../support/localHost';
import { createApiClient } from '../support/apiClient';

let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost();
});
afterAll(async () => {
  await host?.stop();
});

it('smoke', async () => {
  const api = createApiClient(host.baseUrl);
  const put = await api.put('/accounts/contoso', { json: { name: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true, syncEnabled: false, configuration: { callScreening: true, subdomain: 'contoso', subdomainTokens: { region1Token: 'a', region2Token: 'b' } } } } } });
  console.log(put.status, JSON.stringify(put.body), put.headers.get('etag'));
  const batch = await api.post('/accounts/contoso:createOrUpdateNumbers', { json: { numbers: [1, 2, 3].map((i) => ({ telephoneNumber: `+1425555000${i}`, accountName: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true } }, configuration: { customSipHeader: 'x' } })) } });
  console.log(batch.status, JSON.stringify(batch.body).slice(0, 300));
  const list = await api.get('/numbers', { query: { countRecords: true, maxpagesize: 2 } });
  console.log(list.status, list.headers.get('x-ms-record-count'), JSON.stringify(list.body).slice(0, 600));
  const acc = await api.get('/accounts/contoso');
  console.log(acc.status, JSON.stringify(acc.body));
  const del = await api.delete('/accounts/contoso', { query: { deleteNumbers: true } });
  console.log(del.status);
});
