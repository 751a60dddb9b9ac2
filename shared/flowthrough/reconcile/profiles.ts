/**
 * Which calling profile an upload goes into: configured, or discovered once per process (Microsoft
 * creates an operator's profiles at onboarding; a Teams Phone Mobile profile offers `Mobile`).
 */
import type { FlowSettings } from '../config';
import { OcError, type OcCallingProfile, type OperatorConnect } from '../oc/port';
import type { SyncService } from './desired';

let discovered: Promise<OcCallingProfile[]> | undefined;

export function resetCallingProfilesForTests(): void {
  discovered = undefined;
}

export async function callingProfileFor(oc: OperatorConnect, service: SyncService, settings: FlowSettings): Promise<string> {
  const configured = service === 'teamsPhoneMobile' ? settings.mobileCallingProfileId : settings.callingProfileId;
  if (configured !== undefined) return configured;
  discovered ??= oc.listCallingProfiles().catch((err: unknown) => {
    discovered = undefined;
    throw err;
  });
  const profiles = await discovered;
  const match = profiles.find((p) => p.mobile === (service === 'teamsPhoneMobile'));
  if (match === undefined) {
    throw new OcError('configuration', undefined, 'CallingProfileNotFound', `No ${service === 'teamsPhoneMobile' ? 'Teams Phone Mobile' : 'Operator Connect'} calling profile exists; set ${service === 'teamsPhoneMobile' ? 'OC_MOBILE_CALLING_PROFILE_ID' : 'OC_CALLING_PROFILE_ID'}.`);
  }
  return match.id;
}
