/** The services a gateway number can use, and what each of them allows (docs/api.md, "Services and what each allows"). */
export const SERVICES = [
  'teamsOperatorConnect',
  'teamsDirectRouting',
  'teamsPhoneMobile',
  'zoomPhoneCloudPeering',
  'azureOperatorCallProtection',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Call destinations: a number routes to at most one of them (D7). Call Protection is a side service. */
export const DESTINATION_SERVICES: readonly ServiceName[] = ['teamsOperatorConnect', 'teamsDirectRouting', 'teamsPhoneMobile', 'zoomPhoneCloudPeering'];

/** Flow-through provisioning exists only for Operator Connect and Teams Phone Mobile (D3). */
export const SYNC_CAPABLE_SERVICES: readonly ServiceName[] = ['teamsOperatorConnect', 'teamsPhoneMobile'];

/** Services with a syncEnabled flag in the contract (Call Protection has none). */
export const SERVICES_WITH_SYNC_FLAG: readonly ServiceName[] = ['teamsOperatorConnect', 'teamsDirectRouting', 'teamsPhoneMobile', 'zoomPhoneCloudPeering'];

/** The custom SIP header is supported for these; not for Teams Phone Mobile nor Call Protection (D4). */
export const HEADER_CAPABLE_SERVICES: readonly ServiceName[] = ['teamsOperatorConnect', 'teamsDirectRouting', 'zoomPhoneCloudPeering'];

/** Services whose numbers need the account's Teams tenant (D15). */
export const TEAMS_TENANT_SERVICES: readonly ServiceName[] = ['teamsOperatorConnect', 'teamsPhoneMobile'];

export type ServiceCounts = Record<ServiceName, number>;

export function zeroCounts(): ServiceCounts {
  return { teamsOperatorConnect: 0, teamsDirectRouting: 0, teamsPhoneMobile: 0, zoomPhoneCloudPeering: 0, azureOperatorCallProtection: 0 };
}
