import { startLocalHost } from '../support/localHost';
it('probe', async () => {
  const host = await startLocalHost();
  const h = { ...(await host.adminHeaders()), 'content-type': 'application/json' };
  const u = (p: string) => `${host.baseUrl}${p}${p.includes('?') ? '&' : '?'}api-version=2024-02-29-preview`;
  for (const b of [{ name: 'abc1', serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } }, { name: 'abc2', serviceDetails: { azureOperatorCallProtection: { enabled: true } } }, { name: 'abc3', serviceDetails: { teamsOperatorConnect: { enabled: true, syncEnabled: false } } }]) {
    const r = await fetch(u(`/accounts/${b.name}`), { method: 'PUT', headers: h, body: JSON.stringify(b) });
    console.log(r.status, await r.text());
  }
  await host.stop();
});
