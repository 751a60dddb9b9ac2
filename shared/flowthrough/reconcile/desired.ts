/**
 * What Operator Connect / Teams Phone Mobile should hold for an account's numbers: pure functions
 * from the desired documents. Two keys per number separate what an update can change in place
 * (emergency address) from what only a new upload can (usage, capabilities, service, tenant).
 */
import { syncEnabled } from '../../domain/accounts';
import { tenantKey } from '../../domain/tenants';
import type { AccountDoc, NumberDoc, TeamsNumberSettings } from '../../domain/types';

export type SyncService = 'teamsOperatorConnect' | 'teamsPhoneMobile';

export interface DesiredUpload {
  readonly telephoneNumber: string;
  readonly service: SyncService;
  readonly tenantId: string;
  readonly usage: string;
  readonly choosableCapabilities: readonly string[];
  readonly additionalUsages: readonly string[];
  readonly displayedCountryCode?: string;
  readonly civicAddressId?: string;
  readonly locationId?: string;
  readonly allowTenantAddressUpdate: boolean;
  readonly assignmentStatus?: 'assigned' | 'unassigned';
  /** Fields fixed at upload. */
  readonly uploadKey: string;
  /** Fields an in-place update can change. */
  readonly addressKey: string;
}

export function pushedKeyOf(d: Pick<DesiredUpload, 'uploadKey' | 'addressKey'>): string {
  return `${d.uploadKey}#${d.addressKey}`;
}

/**
 * Both halves are JSON, and a '#' may sit inside either one's strings (an address id may hold one):
 * the separator is the first '#' before which the upload half is whole JSON.
 */
export function splitPushedKey(key: string): { uploadKey: string; addressKey: string } {
  for (let at = key.indexOf('#'); at >= 0; at = key.indexOf('#', at + 1)) {
    if (isJson(key.slice(0, at))) return { uploadKey: key.slice(0, at), addressKey: key.slice(at + 1) };
  }
  return { uploadKey: key, addressKey: '' };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function syncedService(doc: NumberDoc, account: AccountDoc): { service: SyncService; settings: TeamsNumberSettings } | undefined {
  for (const service of ['teamsOperatorConnect', 'teamsPhoneMobile'] as const) {
    const settings = doc.serviceDetails[service];
    if (settings?.enabled === true && settings.configuration !== undefined && syncEnabled(account, service)) return { service, settings };
  }
  return undefined;
}

/** The upload this number needs, or undefined when it is not flow-through managed. */
export function desiredUpload(doc: NumberDoc, account: AccountDoc | undefined): DesiredUpload | undefined {
  const sentTenantId = account?.serviceDetails?.teamsTenantId;
  if (account === undefined || sentTenantId === undefined) return undefined;
  // Canonical form: a change of case alone is the same tenant, not a new upload (domain/tenants.ts).
  const tenantId = tenantKey(sentTenantId);
  const found = syncedService(doc, account);
  if (found === undefined) return undefined;
  const c = found.settings.configuration;
  if (c === undefined) return undefined;
  const fixed = {
    service: found.service,
    tenantId,
    usage: c.usage,
    choosableCapabilities: [...c.choosableCapabilities].sort(),
    additionalUsages: [...(c.additionalUsages ?? [])].sort(),
    displayedCountryCode: c.displayedCountryCode ?? null,
  };
  const address = { civicAddressId: c.civicAddressId ?? null, locationId: c.locationId ?? null, allowTenantAddressUpdate: c.allowTenantAddressUpdate ?? false };
  return {
    telephoneNumber: doc.telephoneNumber,
    service: found.service,
    tenantId,
    usage: c.usage,
    choosableCapabilities: fixed.choosableCapabilities,
    additionalUsages: fixed.additionalUsages,
    ...(c.displayedCountryCode !== undefined ? { displayedCountryCode: c.displayedCountryCode } : {}),
    ...(c.civicAddressId !== undefined ? { civicAddressId: c.civicAddressId } : {}),
    ...(c.locationId !== undefined ? { locationId: c.locationId } : {}),
    allowTenantAddressUpdate: address.allowTenantAddressUpdate,
    ...(found.settings.assignmentStatus !== undefined ? { assignmentStatus: found.settings.assignmentStatus } : {}),
    uploadKey: JSON.stringify(fixed),
    addressKey: JSON.stringify(address),
  };
}

/**
 * The emergency address as Operator Connect takes it. Our contract names the civic address and,
 * optionally, a location under it; Operator Connect wants one of the two and refuses both together
 * (CivicAddressAndLocationConflict, docs/flowthrough.md), since a location implies its address. So a
 * location goes alone and the civic address only when no location is named.
 */
export function ocEmergencyAddress(d: Pick<DesiredUpload, 'civicAddressId' | 'locationId'>): { civicAddressId?: string; locationId?: string } {
  if (d.locationId !== undefined) return { locationId: d.locationId };
  return d.civicAddressId !== undefined ? { civicAddressId: d.civicAddressId } : {};
}

/** Numbers with identical upload settings go into one order (chunked by the order size limit). */
export function groupUploads(uploads: readonly DesiredUpload[], maxOrderSize: number): DesiredUpload[][] {
  const groups = new Map<string, DesiredUpload[]>();
  for (const u of uploads) {
    const key = pushedKeyOf(u);
    const group = groups.get(key);
    if (group) group.push(u);
    else groups.set(key, [u]);
  }
  const orders: DesiredUpload[][] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => (a.telephoneNumber < b.telephoneNumber ? -1 : 1));
    for (let i = 0; i < group.length; i += maxOrderSize) orders.push(group.slice(i, i + maxOrderSize));
  }
  return orders;
}
