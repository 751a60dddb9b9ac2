/**
 * An account as the form builds it, checked with the API's own schema (shared/contract/resources.ts)
 * and rules (shared/domain/accounts.ts) before anything is sent.
 */
import { accountInputSchema, type AccountInput } from '../../../shared/contract/resources';
import { parseWith } from '../../../shared/contract/validate';
import { normaliseAccount, subdomainFqdns, validateAccount } from '../../../shared/domain/accounts';
import type { ServiceName } from '../../../shared/domain/services';
import type { AccountDoc } from '../../../shared/domain/types';
import type { ErrorDetail } from '../api/problem';

export interface AccountForm {
  name: string;
  correlationId: string;
  teamsTenantId: string;
  enabled: Record<ServiceName, boolean>;
  /** Flow-through (Operator Connect / Teams Phone Mobile only: D3). */
  syncEnabled: boolean;
  callScreening: boolean;
  subdomain: string;
  region1Token: string;
  region2Token: string;
}

export const SERVICE_LABELS: Readonly<Record<ServiceName, string>> = {
  teamsOperatorConnect: 'Operator Connect',
  teamsDirectRouting: 'Teams Direct Routing',
  teamsPhoneMobile: 'Teams Phone Mobile',
  zoomPhoneCloudPeering: 'Zoom Phone Cloud Peering',
  azureOperatorCallProtection: 'Azure Operator Call Protection',
};

export function emptyAccountForm(): AccountForm {
  return {
    name: '',
    correlationId: '',
    teamsTenantId: '',
    enabled: { teamsOperatorConnect: false, teamsDirectRouting: false, teamsPhoneMobile: false, zoomPhoneCloudPeering: false, azureOperatorCallProtection: false },
    syncEnabled: false,
    callScreening: false,
    subdomain: '',
    region1Token: '',
    region2Token: '',
  };
}

export function accountFormOf(account: AccountInput): AccountForm {
  const sd = account.serviceDetails ?? {};
  const dr = sd.teamsDirectRouting?.configuration;
  return {
    name: account.name,
    correlationId: account.correlationId ?? '',
    teamsTenantId: sd.teamsTenantId ?? '',
    enabled: {
      teamsOperatorConnect: sd.teamsOperatorConnect?.enabled === true,
      teamsDirectRouting: sd.teamsDirectRouting?.enabled === true,
      teamsPhoneMobile: sd.teamsPhoneMobile?.enabled === true,
      zoomPhoneCloudPeering: sd.zoomPhoneCloudPeering?.enabled === true,
      azureOperatorCallProtection: sd.azureOperatorCallProtection?.enabled === true,
    },
    syncEnabled: sd.teamsOperatorConnect?.syncEnabled === true || sd.teamsPhoneMobile?.syncEnabled === true,
    callScreening: dr?.callScreening === true,
    subdomain: dr?.subdomain ?? '',
    region1Token: dr?.subdomainTokens.region1Token ?? '',
    region2Token: dr?.subdomainTokens.region2Token ?? '',
  };
}

/** The request body: only the services switched on are sent (an absent service is a disabled one). */
export function accountBody(form: AccountForm): AccountInput {
  const serviceDetails: NonNullable<AccountInput['serviceDetails']> = {};
  if (form.teamsTenantId.trim() !== '') serviceDetails.teamsTenantId = form.teamsTenantId.trim();
  if (form.enabled.teamsOperatorConnect) serviceDetails.teamsOperatorConnect = { enabled: true, syncEnabled: form.syncEnabled };
  if (form.enabled.teamsPhoneMobile) serviceDetails.teamsPhoneMobile = { enabled: true, syncEnabled: form.syncEnabled };
  if (form.enabled.zoomPhoneCloudPeering) serviceDetails.zoomPhoneCloudPeering = { enabled: true, syncEnabled: false };
  if (form.enabled.azureOperatorCallProtection) serviceDetails.azureOperatorCallProtection = { enabled: true };
  if (form.enabled.teamsDirectRouting) {
    serviceDetails.teamsDirectRouting = {
      enabled: true,
      syncEnabled: false,
      configuration: {
        callScreening: form.callScreening,
        subdomain: form.subdomain.trim(),
        subdomainTokens: { region1Token: form.region1Token.trim(), region2Token: form.region2Token.trim() },
      },
    };
  }
  const body: AccountInput = { name: form.name.trim(), serviceDetails };
  if (form.correlationId.trim() !== '') body.correlationId = form.correlationId.trim();
  return body;
}

/** Schema problems first (as the API reports them); the domain rules only run on a well-formed body. */
export function accountProblems(body: unknown, drBaseDomain: string): ErrorDetail[] {
  const parsed = parseWith(accountInputSchema, body);
  if (!parsed.ok) return parsed.details;
  return validateAccount(normaliseAccount(parsed.value), drBaseDomain);
}

/** The account as the domain rules see it (for checking its numbers), or undefined if it does not parse. */
export function accountDocOf(account: AccountInput): AccountDoc | undefined {
  const parsed = accountInputSchema.safeParse(account);
  return parsed.success ? normaliseAccount(parsed.data) : undefined;
}

export function directRoutingFqdns(subdomain: string, drBaseDomain: string): [string, string] | undefined {
  const label = subdomain.trim().toLowerCase();
  return label === '' ? undefined : subdomainFqdns(label, drBaseDomain);
}
