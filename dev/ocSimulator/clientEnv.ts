/** The OC_* settings that point this app's Operator Connect client at a running simulator. */
import type { OcSimulator } from './index';

export function simulatorClientEnv(sim: Pick<OcSimulator, 'apiBaseUrl' | 'scope' | 'url' | 'operatorTenantId' | 'clientId' | 'clientSecret'>): Record<string, string> {
  return {
    OC_API_BASE_URL: sim.apiBaseUrl,
    OC_SCOPE: sim.scope,
    // @azure/identity refuses a plain-http authority; the simulator is reached with a form POST.
    OC_AUTH_MODE: 'client-secret-form',
    OC_TOKEN_AUTHORITY: sim.url,
    OC_TENANT_ID: sim.operatorTenantId,
    OC_CLIENT_ID: sim.clientId,
    OC_CLIENT_SECRET: sim.clientSecret,
  };
}
