/** Account rules: D3, D5, D15 and the representation the API returns. Pure: no I/O. */
import { ApiError, ErrorCode, type ErrorDetail } from '../contract/errors';
import type { AccountInput } from '../contract/resources';
import { SERVICES, SYNC_CAPABLE_SERVICES, TEAMS_TENANT_SERVICES, type ServiceCounts, type ServiceName } from './services';
import { sameTenant } from './tenants';
import type { AccountDoc, BackendState, ProvisioningStatus } from './types';

/** Entra limit on a customer subdomain FQDN (D5: docs/api.md, docs/dns.md). */
export const MAX_SUBDOMAIN_FQDN = 48;

/** Drops read-only fields; keeps member order stable so ETags are deterministic. */
export function normaliseAccount(input: AccountInput): AccountDoc {
  const doc: AccountDoc = { name: input.name };
  if (input.correlationId !== undefined) doc.correlationId = input.correlationId;
  const sd = input.serviceDetails;
  if (sd !== undefined) {
    const out: NonNullable<AccountDoc['serviceDetails']> = {};
    // As sent: the representation returns the client's spelling; comparisons use tenantKey (domain/tenants.ts).
    if (sd.teamsTenantId !== undefined) out.teamsTenantId = sd.teamsTenantId;
    if (sd.teamsOperatorConnect) out.teamsOperatorConnect = { syncEnabled: sd.teamsOperatorConnect.syncEnabled, enabled: sd.teamsOperatorConnect.enabled };
    if (sd.teamsDirectRouting) {
      const dr = sd.teamsDirectRouting;
      out.teamsDirectRouting = { syncEnabled: dr.syncEnabled, enabled: dr.enabled };
      if (dr.configuration) {
        const c = dr.configuration;
        out.teamsDirectRouting.configuration = {
          callScreening: c.callScreening,
          subdomain: c.subdomain,
          subdomainTokens: { region1Token: c.subdomainTokens.region1Token, region2Token: c.subdomainTokens.region2Token },
        };
      }
    }
    if (sd.teamsPhoneMobile) out.teamsPhoneMobile = { syncEnabled: sd.teamsPhoneMobile.syncEnabled, enabled: sd.teamsPhoneMobile.enabled };
    if (sd.zoomPhoneCloudPeering) out.zoomPhoneCloudPeering = { syncEnabled: sd.zoomPhoneCloudPeering.syncEnabled, enabled: sd.zoomPhoneCloudPeering.enabled };
    if (sd.azureOperatorCallProtection) out.azureOperatorCallProtection = { enabled: sd.azureOperatorCallProtection.enabled };
    doc.serviceDetails = out;
  }
  return doc;
}

export function serviceEnabled(doc: AccountDoc, service: ServiceName): boolean {
  return doc.serviceDetails?.[service]?.enabled === true;
}

export function syncEnabled(doc: AccountDoc, service: ServiceName): boolean {
  const settings = doc.serviceDetails?.[service];
  return settings !== undefined && 'syncEnabled' in settings && settings.syncEnabled === true;
}

/** Lower-cased: DNS labels are case-insensitive, so uniqueness (D5) is too. */
export function subdomainOf(doc: AccountDoc): string | undefined {
  return doc.serviceDetails?.teamsDirectRouting?.configuration?.subdomain.toLowerCase();
}

export function subdomainFqdns(label: string, baseDomain: string): [string, string] {
  return [`${label}.1r1.${baseDomain}`, `${label}.1r2.${baseDomain}`];
}

/** Rules on the account document alone. One detail per problem. */
export function validateAccount(doc: AccountDoc, drBaseDomain: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const sd = doc.serviceDetails;
  for (const service of ['teamsDirectRouting', 'zoomPhoneCloudPeering'] as const) {
    if (sd?.[service]?.syncEnabled === true) {
      details.push({
        code: ErrorCode.InvalidRequestContent,
        message: `Flow-through provisioning is not supported for ${service}; syncEnabled must be false.`,
        target: `serviceDetails.${service}.syncEnabled`,
      });
    }
  }
  for (const service of TEAMS_TENANT_SERVICES) {
    if (serviceEnabled(doc, service) && syncEnabled(doc, service) && sd?.teamsTenantId === undefined) {
      details.push({
        code: ErrorCode.InvalidRequestContent,
        message: `serviceDetails.teamsTenantId is required when ${service} is enabled with syncEnabled.`,
        target: 'serviceDetails.teamsTenantId',
      });
    }
  }
  const dr = sd?.teamsDirectRouting;
  if (dr?.enabled === true && dr.configuration === undefined) {
    details.push({
      code: ErrorCode.InvalidRequestContent,
      message: 'teamsDirectRouting.configuration (callScreening, subdomain, subdomainTokens) is required when Direct Routing is enabled.',
      target: 'serviceDetails.teamsDirectRouting.configuration',
    });
  }
  const label = subdomainOf(doc);
  if (label !== undefined) {
    const [fqdn] = subdomainFqdns(label, drBaseDomain);
    if (fqdn.length > MAX_SUBDOMAIN_FQDN) {
      details.push({
        code: ErrorCode.InvalidRequestContent,
        message: `The customer subdomain ${fqdn} is ${fqdn.length} characters; at most ${MAX_SUBDOMAIN_FQDN} are allowed.`,
        target: 'serviceDetails.teamsDirectRouting.configuration.subdomain',
      });
    }
  }
  return details;
}

/**
 * Rules that compare the new document with the stored account and its numbers:
 * D15 (tenant locked while OC/TPM numbers exist) and D7 (a service in use by numbers stays enabled).
 */
export function checkAccountChange(previous: AccountDoc, next: AccountDoc, counts: ServiceCounts): void {
  const tenantBefore = previous.serviceDetails?.teamsTenantId;
  const tenantAfter = next.serviceDetails?.teamsTenantId;
  const teamsNumbers = TEAMS_TENANT_SERVICES.reduce((n, s) => n + counts[s], 0);
  if (!sameTenant(tenantBefore, tenantAfter) && teamsNumbers > 0) {
    throw new ApiError(
      409,
      ErrorCode.TenantIdLocked,
      `teamsTenantId cannot change while the account has ${teamsNumbers} Operator Connect or Teams Phone Mobile numbers.`,
      { target: 'serviceDetails.teamsTenantId' },
    );
  }
  const inUse = SERVICES.filter((s) => counts[s] > 0 && !serviceEnabled(next, s));
  if (inUse.length > 0) {
    throw new ApiError(
      409,
      ErrorCode.ServiceInUse,
      `Cannot disable ${inUse.join(', ')}: numbers of this account use it. Disable the service on those numbers or delete them first.`,
      { target: `serviceDetails.${inUse[0]}` },
    );
  }
}

/**
 * Status rule until flow-through exists: `pending` while there is backend work to do (OC/TPM with
 * sync, Direct Routing DNS records to publish), `synced` when there is nothing to push anywhere.
 */
export function accountDesiredStatus(doc: AccountDoc): ProvisioningStatus {
  const syncWanted = SYNC_CAPABLE_SERVICES.some((s) => serviceEnabled(doc, s) && syncEnabled(doc, s));
  const dnsWanted = serviceEnabled(doc, 'teamsDirectRouting') && doc.serviceDetails?.teamsDirectRouting?.configuration !== undefined;
  return syncWanted || dnsWanted ? 'pending' : 'synced';
}

export interface AccountView {
  doc: AccountDoc;
  counts: ServiceCounts;
  backend: BackendState;
  subdomainStatus: 'provisioned' | 'notProvisioned' | 'inconsistent';
}

/** The AccountResource representation: desired state plus server-owned fields, in a fixed order. */
export function accountRepresentation(view: AccountView): Record<string, unknown> {
  const { doc, counts } = view;
  const out: Record<string, unknown> = { name: doc.name };
  if (doc.correlationId !== undefined) out.correlationId = doc.correlationId;
  const sd = doc.serviceDetails;
  if (sd !== undefined) {
    const details: Record<string, unknown> = {};
    if (sd.teamsTenantId !== undefined) details.teamsTenantId = sd.teamsTenantId;
    for (const service of SERVICES) {
      const settings = sd[service];
      if (settings === undefined) continue;
      const rendered: Record<string, unknown> = { ...settings, numberCount: counts[service] };
      if (service === 'teamsDirectRouting') rendered.subdomainStatus = view.subdomainStatus;
      details[service] = rendered;
    }
    out.serviceDetails = details;
  }
  out.serviceProvisioningStatus = view.backend.status;
  out.serviceProvisioningErrors = view.backend.errors;
  return out;
}

