/**
 * Which function groups this process registers (APP_FUNCTIONS). One package serves every app:
 * in Azure the lookup runs as its own function app (own scale, always-ready instances, inbound
 * access limited to the SIP layer) and the Provisioning API with the flow-through worker as
 * another (infra/README.md "Function apps"). Locally and by default every group registers.
 *   api     the Provisioning API (accounts, numbers, Teams)
 *   worker  the flow-through worker (Service Bus trigger) and the sweeper (timer)
 *   lookup  the SIP layer's route lookup
 * `/health` registers in every app.
 */
import { currentSettings } from './settings/current';
import { listItems } from './settings/parse';

export const FUNCTION_GROUPS = ['api', 'worker', 'lookup'] as const;
export type FunctionGroup = (typeof FUNCTION_GROUPS)[number];

/** `all` (default), or a comma list of groups, e.g. `api,worker`. Fails fast on anything else. */
export function parseAppFunctions(raw: string | undefined): ReadonlySet<FunctionGroup> {
  const text = raw?.trim() ?? '';
  if (text === '' || text.toLowerCase() === 'all') return new Set(FUNCTION_GROUPS);
  const groups = new Set<FunctionGroup>();
  for (const item of listItems(text).map((part) => part.toLowerCase())) {
    if (!(FUNCTION_GROUPS as readonly string[]).includes(item)) {
      throw new Error(`Configuration: APP_FUNCTIONS=${raw} must be 'all' or a comma list of ${FUNCTION_GROUPS.join(', ')}.`);
    }
    groups.add(item as FunctionGroup);
  }
  return groups;
}

let cached: ReadonlySet<FunctionGroup> | undefined;

/** The groups of this process, read once. */
export function appFunctions(): ReadonlySet<FunctionGroup> {
  const current = currentSettings();
  if (current !== undefined) return current.functions;
  cached ??= parseAppFunctions(process.env.APP_FUNCTIONS);
  return cached;
}
