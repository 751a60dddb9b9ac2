/**
 * Stored desired state: what clients may set, with read-only fields removed. The representations
 * returned by the API add the server-owned fields (status, counts, subdomainStatus).
 */
import type { ErrorDetail } from '../contract/errors';

export type ProvisioningStatus = 'pending' | 'synced' | 'failed';

export interface SyncedServiceSettings {
  syncEnabled: boolean;
  enabled: boolean;
}

export interface DirectRoutingConfig {
  callScreening: boolean;
  subdomain: string;
  subdomainTokens: { region1Token: string; region2Token: string };
}

export interface AccountDoc {
  name: string;
  correlationId?: string;
  serviceDetails?: {
    teamsTenantId?: string;
    teamsOperatorConnect?: SyncedServiceSettings;
    teamsDirectRouting?: SyncedServiceSettings & { configuration?: DirectRoutingConfig };
    teamsPhoneMobile?: SyncedServiceSettings;
    zoomPhoneCloudPeering?: SyncedServiceSettings;
    azureOperatorCallProtection?: { enabled: boolean };
  };
}

export interface TeamsNumberConfig {
  usage: string;
  choosableCapabilities: string[];
  /** Read-only, from Operator Connect: only in representations, never stored in the document. */
  acquiredCapabilities?: string[];
  availableCapabilities?: string[];
  additionalUsages?: string[];
  civicAddressId?: string;
  locationId?: string;
  allowTenantAddressUpdate?: boolean;
  displayedCountryCode?: string;
}

export interface TeamsNumberSettings {
  enabled: boolean;
  assignmentStatus?: 'assigned' | 'unassigned';
  configuration?: TeamsNumberConfig;
}

export interface NumberDoc {
  telephoneNumber: string;
  accountName: string;
  serviceDetails: {
    teamsOperatorConnect?: TeamsNumberSettings;
    teamsDirectRouting?: { enabled: boolean };
    teamsPhoneMobile?: TeamsNumberSettings;
    zoomPhoneCloudPeering?: { enabled: boolean };
    azureOperatorCallProtection?: { enabled: boolean };
  };
  configuration?: { customSipHeader?: string };
}

/** What Operator Connect reports about an uploaded number (read back by the flow-through worker). */
export interface TeamsReadBack {
  acquiredCapabilities: string[];
  availableCapabilities: string[];
  assignmentStatus: 'assigned' | 'unassigned';
}

/** Server-owned backend state of a resource (docs/api.md, "serviceProvisioningStatus until flow-through exists"). */
export interface BackendState {
  status: ProvisioningStatus;
  errors: ErrorDetail[];
  /** Numbers uploaded to Operator Connect / Teams Phone Mobile: the backend's view of them. */
  readBack?: TeamsReadBack;
}
