/**
 * `:getTeamsCapabilityPlans` and `:getTeamsAvailableCapabilities`: questions to Operator Connect about
 * the account's Teams tenant, answered in the contract's shapes (docs/teams.md, "Pass-through operations").
 */
import { z } from 'zod';
import { numberIdentifierSchema } from '../contract/resources';
import type { OcCapabilityPlan } from '../flowthrough/oc/port';
import { askOperatorConnect } from './ocFailures';
import { consentNotFound, teamsTenantOf } from './teamsTenant';

/** Same bound as the batch operations (D8): one question covers at most one batch of numbers. */
export const MAX_CAPABILITY_NUMBERS = 100;

/** The contract's TeamsCapabilityPlan has exactly Operator Connect's fields (shared/flowthrough/oc/wire.ts). */
export type TeamsCapabilityPlan = OcCapabilityPlan;

export function capabilityPlanFromOc(plan: OcCapabilityPlan): TeamsCapabilityPlan {
  return {
    name: plan.name,
    offerTypes: [...plan.offerTypes],
    usage: plan.usage,
    mandatoryCapabilities: [...plan.mandatoryCapabilities],
    choosableCapabilities: [...plan.choosableCapabilities],
    supportsTollFree: plan.supportsTollFree,
  };
}

export async function teamsCapabilityPlans(accountName: string): Promise<{ capabilityPlans: TeamsCapabilityPlan[] }> {
  const tenantId = await teamsTenantOf(accountName);
  const plans = await askOperatorConnect((oc) => oc.getCapabilityPlans(tenantId), consentNotFound(tenantId));
  return { capabilityPlans: plans.map(capabilityPlanFromOc) };
}

/** The NumberIdentifiers body (shared/operations/teams.ts removes duplicates, order kept). */
export const numberIdentifiersSchema = z.strictObject({ numbers: z.array(numberIdentifierSchema).min(1).max(MAX_CAPABILITY_NUMBERS) });

/**
 * OC answers per number; the contract has one list. It is the capabilities every listed number can
 * have (the intersection), in the order OC gives them for the first number: what may be chosen when
 * these numbers are provisioned together.
 */
export function commonCapabilities(perNumber: readonly { telephoneNumber: string; availableCapabilities: readonly string[] }[], asked: readonly string[]): string[] {
  const byNumber = new Map(perNumber.map((entry) => [entry.telephoneNumber, entry.availableCapabilities]));
  const lists = asked.map((telephoneNumber) => byNumber.get(telephoneNumber) ?? []);
  const [first, ...rest] = lists;
  if (first === undefined) return [];
  return [...new Set(first)].filter((capability) => rest.every((list) => list.includes(capability)));
}

export async function teamsAvailableCapabilities(accountName: string, telephoneNumbers: readonly string[]): Promise<{ availableCapabilities: string[] }> {
  const tenantId = await teamsTenantOf(accountName);
  const perNumber = await askOperatorConnect((oc) => oc.getAvailableCapabilities(tenantId, telephoneNumbers), consentNotFound(tenantId));
  return { availableCapabilities: commonCapabilities(perNumber, telephoneNumbers) };
}
