/** Number rules: D4, D7 and the representation the API returns. Pure: no I/O. */
import { ErrorCode, type ErrorDetail } from '../contract/errors';
import type { NumberInput } from '../contract/resources';
import { serviceEnabled, syncEnabled } from './accounts';
import { DESTINATION_SERVICES, HEADER_CAPABLE_SERVICES, SERVICES, SYNC_CAPABLE_SERVICES, type ServiceName } from './services';
import type { AccountDoc, BackendState, NumberDoc, ProvisioningStatus, TeamsNumberSettings, TeamsReadBack } from './types';

type TeamsNumberInput = NonNullable<NumberInput['serviceDetails']['teamsOperatorConnect']>;

function normaliseTeams(input: TeamsNumberInput): TeamsNumberSettings {
  const out: TeamsNumberSettings = { enabled: input.enabled };
  if (input.assignmentStatus !== undefined) out.assignmentStatus = input.assignmentStatus;
  const c = input.configuration;
  if (c !== undefined) {
    out.configuration = { usage: c.usage, choosableCapabilities: [...c.choosableCapabilities] };
    if (c.additionalUsages !== undefined) out.configuration.additionalUsages = [...c.additionalUsages];
    if (c.civicAddressId !== undefined) out.configuration.civicAddressId = c.civicAddressId;
    if (c.locationId !== undefined) out.configuration.locationId = c.locationId;
    // The contract's default, made explicit so what is pushed to Teams is what is shown.
    out.configuration.allowTenantAddressUpdate = c.allowTenantAddressUpdate ?? false;
    if (c.displayedCountryCode !== undefined) out.configuration.displayedCountryCode = c.displayedCountryCode;
  }
  return out;
}

/** Drops read-only fields (acquired/available capabilities, status); stable member order. */
export function normaliseNumber(input: NumberInput): NumberDoc {
  const sd = input.serviceDetails;
  const serviceDetails: NumberDoc['serviceDetails'] = {};
  if (sd.teamsOperatorConnect) serviceDetails.teamsOperatorConnect = normaliseTeams(sd.teamsOperatorConnect);
  if (sd.teamsDirectRouting) serviceDetails.teamsDirectRouting = { enabled: sd.teamsDirectRouting.enabled };
  if (sd.teamsPhoneMobile) serviceDetails.teamsPhoneMobile = normaliseTeams(sd.teamsPhoneMobile);
  if (sd.zoomPhoneCloudPeering) serviceDetails.zoomPhoneCloudPeering = { enabled: sd.zoomPhoneCloudPeering.enabled };
  if (sd.azureOperatorCallProtection) serviceDetails.azureOperatorCallProtection = { enabled: sd.azureOperatorCallProtection.enabled };
  const doc: NumberDoc = { telephoneNumber: input.telephoneNumber, accountName: input.accountName, serviceDetails };
  if (input.configuration !== undefined) {
    doc.configuration = {};
    if (input.configuration.customSipHeader !== undefined) doc.configuration.customSipHeader = input.configuration.customSipHeader;
  }
  return doc;
}

export function enabledServices(doc: NumberDoc): ServiceName[] {
  return SERVICES.filter((s) => doc.serviceDetails[s]?.enabled === true);
}

/** D7, D4 and the Operator Connect upload prerequisites, against the owning account. */
export function validateNumber(doc: NumberDoc, account: AccountDoc, target: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const at = (path: string) => (target === '' ? path : `${target}.${path}`);
  const enabled = enabledServices(doc);
  if (enabled.length === 0) {
    details.push({ code: ErrorCode.InvalidRequestContent, message: 'At least one service must be enabled on a number.', target: at('serviceDetails') });
  }
  const destinations = enabled.filter((s) => DESTINATION_SERVICES.includes(s));
  if (destinations.length > 1) {
    details.push({
      code: ErrorCode.InvalidRequestContent,
      message: `A number routes to one destination; ${destinations.join(' and ')} cannot both be enabled (Call Protection combines with any).`,
      target: at('serviceDetails'),
    });
  }
  for (const service of enabled) {
    if (!serviceEnabled(account, service)) {
      details.push({
        code: ErrorCode.ServiceNotEnabledOnAccount,
        message: `${service} is not enabled on account ${account.name}.`,
        target: at(`serviceDetails.${service}.enabled`),
      });
    }
  }
  const header = doc.configuration?.customSipHeader;
  if (header !== undefined && enabled.length > 0 && !enabled.some((s) => HEADER_CAPABLE_SERVICES.includes(s))) {
    details.push({
      code: ErrorCode.InvalidRequestContent,
      message: 'customSipHeader is not supported for Teams Phone Mobile or Azure Operator Call Protection numbers.',
      target: at('configuration.customSipHeader'),
    });
  }
  for (const service of SYNC_CAPABLE_SERVICES) {
    const settings = doc.serviceDetails[service as 'teamsOperatorConnect' | 'teamsPhoneMobile'];
    if (settings?.enabled === true && syncEnabled(account, service) && settings.configuration === undefined) {
      details.push({
        code: ErrorCode.InvalidRequestContent,
        message: `${service}.configuration (usage, choosableCapabilities) is required to upload the number to ${service === 'teamsPhoneMobile' ? 'Teams Phone Mobile' : 'Operator Connect'}.`,
        target: at(`serviceDetails.${service}.configuration`),
      });
    }
  }
  return details;
}

/** Status rule until flow-through exists: `pending` when the number is to be uploaded to OC/TPM. */
export function numberDesiredStatus(doc: NumberDoc, account: AccountDoc): ProvisioningStatus {
  return SYNC_CAPABLE_SERVICES.some((s) => doc.serviceDetails[s]?.enabled === true && syncEnabled(account, s)) ? 'pending' : 'synced';
}

/**
 * The uploaded Teams service's read-only fields come from Operator Connect; its assignment status is
 * what Teams reports (D14: the operator's value is pushed, Teams-side changes are reported back).
 */
function withReadBack(details: NumberDoc['serviceDetails'], readBack: TeamsReadBack): NumberDoc['serviceDetails'] {
  const out = { ...details };
  for (const service of SYNC_CAPABLE_SERVICES as readonly ('teamsOperatorConnect' | 'teamsPhoneMobile')[]) {
    const settings = out[service];
    if (settings?.enabled !== true || settings.configuration === undefined) continue;
    const { usage, choosableCapabilities, ...rest } = settings.configuration;
    out[service] = {
      enabled: true,
      assignmentStatus: readBack.assignmentStatus,
      configuration: { usage, choosableCapabilities, acquiredCapabilities: readBack.acquiredCapabilities, availableCapabilities: readBack.availableCapabilities, ...rest },
    };
  }
  return out;
}

/** The NumberResource representation, in a fixed member order. */
export function numberRepresentation(doc: NumberDoc, backend: BackendState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    telephoneNumber: doc.telephoneNumber,
    accountName: doc.accountName,
    serviceDetails: backend.readBack === undefined ? doc.serviceDetails : withReadBack(doc.serviceDetails, backend.readBack),
  };
  if (doc.configuration !== undefined) out.configuration = doc.configuration;
  out.serviceProvisioningStatus = backend.status;
  out.serviceProvisioningErrors = backend.errors;
  return out;
}
