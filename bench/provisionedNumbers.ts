/**
 * The provisioned data the lookup benchmarks (bench:lookup, bench:sip) seed: account plans, the
 * account and number documents they become, and a deterministic sequence so runs ask the same
 * questions. Each benchmark chooses its own plans and sizes.
 */
import type { NumberDoc } from '../shared/domain/types';

export type Service = 'teamsDirectRouting' | 'teamsOperatorConnect' | 'teamsPhoneMobile' | 'zoomPhoneCloudPeering';

export interface AccountPlan {
  name: string;
  service: Service;
  callProtection: boolean;
  /** Direct Routing accounts: their subdomain label and caller-ID screening (on unless said). */
  subdomain?: string;
  callScreening?: boolean;
}

export const TENANT = '11111111-2222-3333-4444-555555555555';

/** Provisioned number i: +14251000000, +14251000001, … */
export const numberAt = (i: number) => `+1425${String(1_000_000 + i)}`;
/** Unprovisioned number i, in a range no plan uses. */
export const unknownAt = (i: number) => `+1426${String(1_000_000 + i)}`;

export function accountBody(plan: AccountPlan): unknown {
  const details: Record<string, unknown> = { [plan.service]: { syncEnabled: false, enabled: true } };
  if (plan.subdomain !== undefined) {
    details.teamsDirectRouting = {
      syncEnabled: false,
      enabled: true,
      configuration: { callScreening: plan.callScreening ?? true, subdomain: plan.subdomain, subdomainTokens: { region1Token: 'r1', region2Token: 'r2' } },
    };
  }
  if (plan.service === 'teamsOperatorConnect' || plan.service === 'teamsPhoneMobile') details.teamsTenantId = TENANT;
  if (plan.callProtection) details.azureOperatorCallProtection = { enabled: true };
  return { name: plan.name, serviceDetails: details };
}

/** Number i of `plan`: some with Call Protection, most with a header where the service supports one (not Teams Phone Mobile). */
export function numberDoc(i: number, plan: AccountPlan): NumberDoc {
  const serviceDetails: NumberDoc['serviceDetails'] = { [plan.service]: { enabled: true } };
  if (plan.callProtection && i % 5 === 0) serviceDetails.azureOperatorCallProtection = { enabled: true };
  const header = plan.service !== 'teamsPhoneMobile' && i % 10 !== 0 ? { configuration: { customSipHeader: `cust-${i % 977}` } } : {};
  return { telephoneNumber: numberAt(i), accountName: plan.name, serviceDetails, ...header };
}

/** Deterministic pseudo-random sequence in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
