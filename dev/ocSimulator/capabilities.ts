/**
 * Capability plans ("usages", docs/oc-simulator.md): which usage a calling profile's offer types
 * allow, which capabilities come with it and which the operator may choose. Microsoft publishes no
 * matrix; this one follows the inferred table in docs/oc-simulator.md, with Teams Phone Mobile as its own offer type.
 */
import type { OcCapabilityPlan } from '../../shared/flowthrough/oc/wire';
import type { CallingProfileRecord, Usage } from './model';

/** The wire's capability plan (shared/flowthrough/oc/wire.ts), its usage one the simulator knows. */
export type CapabilityPlan = Readonly<Omit<OcCapabilityPlan, 'usage'>> & { readonly usage: Usage };

export const CAPABILITY_PLANS: readonly CapabilityPlan[] = [
  {
    name: 'CallingUser',
    offerTypes: ['Calling'],
    usage: 'CallingUserAssignment',
    mandatoryCapabilities: ['UserAssignment', 'Office365'],
    choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
    supportsTollFree: false,
  },
  {
    name: 'MobileUser',
    offerTypes: ['Mobile'],
    usage: 'CallingUserAssignment',
    mandatoryCapabilities: ['UserAssignment', 'Office365'],
    choosableCapabilities: ['InboundCalling', 'OutboundCalling', 'Mobile'],
    supportsTollFree: false,
  },
  {
    name: 'VoiceApp',
    offerTypes: ['Calling'],
    usage: 'FirstPartyAppAssignment',
    mandatoryCapabilities: ['FirstPartyAppAssignment', 'Office365'],
    choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
    supportsTollFree: true,
  },
  {
    name: 'ConferenceBridge',
    offerTypes: ['AudioConferencing'],
    usage: 'ConferenceAssignment',
    mandatoryCapabilities: ['ConferenceAssignment', 'Office365'],
    choosableCapabilities: ['InboundCalling'],
    supportsTollFree: true,
  },
];

/** The capability a usage grants when it is added as an additional usage. */
const USAGE_CAPABILITY: Readonly<Record<Usage, string>> = {
  CallingUserAssignment: 'UserAssignment',
  FirstPartyAppAssignment: 'FirstPartyAppAssignment',
  ConferenceAssignment: 'ConferenceAssignment',
};

/** Usages that may share a number (service numbers): an app number can also be a conference bridge. */
export const SHAREABLE_USAGES: readonly Usage[] = ['FirstPartyAppAssignment', 'ConferenceAssignment'];

/** The plan a profile offers for a usage: every offer type of the plan must be among the profile's. */
export function planFor(profile: CallingProfileRecord, usage: Usage): CapabilityPlan | undefined {
  return CAPABILITY_PLANS.find((plan) => plan.usage === usage && plan.offerTypes.every((offer) => profile.offerTypes.includes(offer)));
}

/** Plans some calling profile of the operator can serve. */
export function offeredPlans(profiles: Iterable<CallingProfileRecord>): CapabilityPlan[] {
  const offers = new Set<string>();
  for (const profile of profiles) for (const offer of profile.offerTypes) offers.add(offer);
  return CAPABILITY_PLANS.filter((plan) => plan.offerTypes.every((offer) => offers.has(offer)));
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

export function acquiredCapabilities(plan: CapabilityPlan, chosen: readonly string[], additionalUsages: readonly Usage[], tollFree: boolean): string[] {
  return unique([...(tollFree ? ['TollFree'] : []), ...plan.mandatoryCapabilities, ...chosen, ...additionalUsages.map((usage) => USAGE_CAPABILITY[usage])]);
}

/** Everything a number of this kind could carry under any plan (what `availableCapabilities` reports). */
export function capabilitiesAvailableTo(tollFree: boolean, plans: readonly CapabilityPlan[] = CAPABILITY_PLANS): string[] {
  const fitting = plans.filter((plan) => !tollFree || plan.supportsTollFree);
  return unique([...(tollFree ? ['TollFree'] : []), ...fitting.flatMap((plan) => [...plan.mandatoryCapabilities, ...plan.choosableCapabilities])]);
}
