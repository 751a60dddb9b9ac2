/** What changed between the version a user opened and the server's current one (412 explanations). */

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) flatten(child, prefix === '' ? key : `${prefix}.${key}`, out);
    return;
  }
  out.set(prefix, JSON.stringify(value));
}

/** Server-owned fields change on their own (status, counts); they are not what the user conflicts with. */
const IGNORED = /(^|\.)(serviceProvisioningStatus|serviceProvisioningErrors|numberCount|subdomainStatus|acquiredCapabilities|availableCapabilities|assignmentStatus)(\.|$)/;

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

export function changedFields(opened: unknown, current: unknown): FieldChange[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(opened, '', a);
  flatten(current, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => !IGNORED.test(f)).sort();
  return fields
    .filter((f) => a.get(f) !== b.get(f))
    .map((field) => ({ field, before: a.get(field) ?? '(not set)', after: b.get(field) ?? '(not set)' }));
}
