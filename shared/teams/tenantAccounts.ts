/** Which accounts name which Teams tenant (`serviceDetails.teamsTenantId`, the accounts table's `teamsTenantId` column). */
import { tables } from '../store/tables';

/** tenant id (lower case) → account names in key order. One keys-only scan for the whole pull. */
export async function accountsByTenant(): Promise<Map<string, string[]>> {
  const t = await tables();
  const byTenant = new Map<string, string[]>();
  const rows = t.accounts.listEntities<Record<string, unknown>>({ queryOptions: { filter: `teamsTenantId ne ''`, select: ['PartitionKey', 'teamsTenantId'] } });
  for await (const row of rows) {
    const tenantId = String(row.teamsTenantId ?? '').toLowerCase();
    if (tenantId === '') continue;
    const names = byTenant.get(tenantId) ?? [];
    names.push(String(row.partitionKey));
    byTenant.set(tenantId, names);
  }
  return byTenant;
}
