/**
 * Teams tenant ids (`serviceDetails.teamsTenantId`, RFI `tenantId`) are GUIDs, and a GUID's hex
 * digits carry no case: `ABCD…` and `abcd…` name the same tenant. We keep the id as the client sent
 * it in the account's representation and compare, look up, filter and talk to Operator Connect with
 * one canonical (lower-case) form (docs/api.md "Teams tenant ids").
 */
export function tenantKey(tenantId: string): string {
  return tenantId.toLowerCase();
}

/** Whether two optional tenant ids name the same tenant (both absent counts as the same). */
export function sameTenant(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined ? a === b : tenantKey(a) === tenantKey(b);
}
