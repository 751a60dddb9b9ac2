/** OData filters in the API's subset (docs/api.md "filter"): string literals quote `'` as `''`. */
import type { ServiceName } from '../../../shared/domain/services';

export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function allOf(...conditions: Array<string | undefined | false>): string | undefined {
  const present = conditions.filter((c): c is string => typeof c === 'string' && c !== '');
  return present.length === 0 ? undefined : present.map((c) => (present.length > 1 ? `(${c})` : c)).join(' and ');
}

export const serviceEnabled = (service: ServiceName | '') => (service === '' ? undefined : `serviceDetails/${service}/enabled eq true`);
export const statusIs = (status: string) => (status === '' ? undefined : `serviceProvisioningStatus eq ${literal(status)}`);
export const startsWith = (field: string, prefix: string) => (prefix.trim() === '' ? undefined : `startswith(${field}, ${literal(prefix.trim())})`);
