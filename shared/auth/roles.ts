/**
 * Who may call what (docs/auth.md "Roles"; D11 in docs/api.md). Operations are the swagger operationIds;
 * roles are the Entra app-role values carried in the token's `roles` claim.
 */

/** What an operation needs. `lookup` is the SIP layer's permission, outside the BSS role ladder. */
export type Permission = 'read' | 'write' | 'delete' | 'lookup';

const OPERATION_PERMISSIONS = {
  Accounts_List: 'read',
  Accounts_Get: 'read',
  Accounts_CreateOrReplace: 'write',
  Accounts_Delete: 'delete',
  Accounts_CreateOrUpdateNumbers: 'write',
  Accounts_DeleteNumbers: 'delete',
  // Query actions change nothing, so Read suffices although they are POSTs (D11).
  Accounts_GetTeamsCapabilityPlans: 'read',
  Accounts_GetTeamsAvailableCapabilities: 'read',
  Accounts_ListNumbers: 'read',
  Accounts_GetNumber: 'read',
  Accounts_CreateOrReplaceNumber: 'write',
  Accounts_DeleteNumber: 'delete',
  Accounts_ListTeamsCivicAddresses: 'read',
  Accounts_GetTeamsCivicAddress: 'read',
  ListNumbers: 'read',
  TeamsRequestsForInformation_List: 'read',
  TeamsRequestsForInformation_GetRequestForInformation: 'read',
  TeamsRequestsForInformation_CreateOrUpdateRequestForInformation: 'write',
  Lookup_Route: 'lookup',
} as const satisfies Record<string, Permission>;

export type OperationId = keyof typeof OPERATION_PERMISSIONS;
export const OPERATION_IDS = Object.freeze(Object.keys(OPERATION_PERMISSIONS) as OperationId[]);

const ALL_PROVISIONING: readonly Permission[] = Object.freeze(['read', 'write', 'delete']);

/**
 * Machine roles and portal users' delegated roles (docs/auth.md, "Roles") grant the same permissions.
 * Admin grants the provisioning permissions only: the lookup is not for BSS clients.
 */
const ROLE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = Object.freeze({
  'ProvisioningAPI.Read': ['read'],
  'ProvisioningAPI.Write': ['write'],
  'ProvisioningAPI.Delete': ['delete'],
  'ProvisioningAPI.Admin': ALL_PROVISIONING,
  'ProvisioningAPI.ReadUser': ['read'],
  'ProvisioningAPI.WriteUser': ['write'],
  'ProvisioningAPI.DeleteUser': ['delete'],
  'ProvisioningAPI.AdminUser': ALL_PROVISIONING,
  'Lookup.Query': ['lookup'],
});

/** Every role value this service understands (others in a token are ignored). */
export const KNOWN_ROLES: readonly string[] = Object.freeze(Object.keys(ROLE_PERMISSIONS));

export function isOperationId(operationId: string): operationId is OperationId {
  return Object.prototype.hasOwnProperty.call(OPERATION_PERMISSIONS, operationId);
}

/**
 * Throws on an unknown operationId: that is a wiring defect, and failing loudly beats silently
 * allowing or denying a route nobody classified.
 */
export function requiredPermission(operationId: string): Permission {
  if (!isOperationId(operationId)) {
    throw new Error(`No permission is mapped for operationId "${operationId}"`);
  }
  return OPERATION_PERMISSIONS[operationId];
}

/** Role values are matched exactly (Entra app-role values are case-sensitive); unknown roles grant nothing. */
export function permissionsOf(roles: readonly string[]): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) {
    if (!Object.prototype.hasOwnProperty.call(ROLE_PERMISSIONS, role)) continue;
    for (const permission of ROLE_PERMISSIONS[role] ?? []) granted.add(permission);
  }
  return granted;
}

export function isAllowed(roles: readonly string[], operationId: string): boolean {
  return permissionsOf(roles).has(requiredPermission(operationId));
}

/** The roles that would grant `permission`, for a 403 message that tells the operator what to assign. */
export function rolesGranting(permission: Permission): string[] {
  return KNOWN_ROLES.filter((role) => ROLE_PERMISSIONS[role]?.includes(permission));
}
