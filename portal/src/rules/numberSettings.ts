/** The settings a number form edits, and the NumberResource body they produce. */
import type { NumberInput } from '../../../shared/contract/resources';
import { SERVICES, type ServiceName } from '../../../shared/domain/services';

export interface TeamsSettings {
  usage: string;
  choosableCapabilities: string[];
  civicAddressId: string;
  locationId: string;
  allowTenantAddressUpdate: boolean;
  displayedCountryCode: string;
  assignmentStatus: '' | 'assigned' | 'unassigned';
}

export interface NumberSettings {
  services: Record<ServiceName, boolean>;
  customSipHeader: string;
  teams: TeamsSettings;
}

export const TEAMS_NUMBER_SERVICES = ['teamsOperatorConnect', 'teamsPhoneMobile'] as const;

export function emptyNumberSettings(): NumberSettings {
  return {
    services: Object.fromEntries(SERVICES.map((s) => [s, false])) as Record<ServiceName, boolean>,
    customSipHeader: '',
    teams: { usage: '', choosableCapabilities: [], civicAddressId: '', locationId: '', allowTenantAddressUpdate: false, displayedCountryCode: '', assignmentStatus: '' },
  };
}

export function numberSettingsOf(number: NumberInput): NumberSettings {
  const settings = emptyNumberSettings();
  for (const s of SERVICES) settings.services[s] = number.serviceDetails[s]?.enabled === true;
  settings.customSipHeader = number.configuration?.customSipHeader ?? '';
  const teams = number.serviceDetails.teamsOperatorConnect ?? number.serviceDetails.teamsPhoneMobile;
  const c = teams?.configuration;
  if (c) {
    settings.teams = {
      usage: c.usage,
      choosableCapabilities: [...c.choosableCapabilities],
      civicAddressId: c.civicAddressId ?? '',
      locationId: c.locationId ?? '',
      allowTenantAddressUpdate: c.allowTenantAddressUpdate === true,
      displayedCountryCode: c.displayedCountryCode ?? '',
      assignmentStatus: teams?.assignmentStatus ?? '',
    };
  }
  return settings;
}

export function numberBody(telephoneNumber: string, accountName: string, settings: NumberSettings): NumberInput {
  const serviceDetails: NumberInput['serviceDetails'] = {};
  for (const service of SERVICES) {
    if (!settings.services[service]) continue;
    if ((TEAMS_NUMBER_SERVICES as readonly string[]).includes(service)) {
      const t = settings.teams;
      const details: NonNullable<NumberInput['serviceDetails']['teamsOperatorConnect']> = { enabled: true };
      if (t.assignmentStatus !== '') details.assignmentStatus = t.assignmentStatus;
      if (t.usage.trim() !== '' || t.choosableCapabilities.length > 0) {
        details.configuration = { usage: t.usage.trim(), choosableCapabilities: t.choosableCapabilities, allowTenantAddressUpdate: t.allowTenantAddressUpdate };
        if (t.civicAddressId.trim() !== '') details.configuration.civicAddressId = t.civicAddressId.trim();
        if (t.locationId.trim() !== '') details.configuration.locationId = t.locationId.trim();
        if (t.displayedCountryCode.trim() !== '') details.configuration.displayedCountryCode = t.displayedCountryCode.trim();
      }
      serviceDetails[service as 'teamsOperatorConnect' | 'teamsPhoneMobile'] = details;
    } else {
      serviceDetails[service as 'teamsDirectRouting'] = { enabled: true };
    }
  }
  const body: NumberInput = { telephoneNumber, accountName, serviceDetails };
  if (settings.customSipHeader.trim() !== '') body.configuration = { customSipHeader: settings.customSipHeader.trim() };
  return body;
}
