/**
 * Start-up validation of the settings each function group reads lazily (on its first message or
 * request), so a wrong deployment fails when the app starts rather than on the first kick.
 * shared/config.ts and AUTH_* are validated by functions/index.ts for every group; the lookup's
 * LOOKUP_* by functions/lookup.ts on load.
 */
import type { FunctionGroup } from './appFunctions';
import { loadFlowSettings } from './flowthrough/config';
import { loadDnsConfig } from './flowthrough/dns/dnsConfig';
import { loadOcClientSettings } from './flowthrough/oc/config';

export function validateGroupSettings(groups: ReadonlySet<FunctionGroup>, env: NodeJS.ProcessEnv): void {
  if (!groups.has('worker')) return;
  loadFlowSettings(env);
  loadDnsConfig(env);
  // Without OC_API_BASE_URL Operator Connect is "not configured" (shared/flowthrough/ocInstance.ts).
  if (env.OC_API_BASE_URL) loadOcClientSettings(env);
}
