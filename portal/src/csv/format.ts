/**
 * The number CSV format (docs/portal.md): a header row of NumberResource JSON paths flattened with
 * `_`, one number per row. Booleans are `true`/`false`; list columns (capabilities, additional
 * usages) separate values with `;`; an empty cell means "not set".
 */
import { SERVICES, type ServiceName } from '../../../shared/domain/services';

export const MAX_CSV_ROWS = 10_000;
export const LIST_SEPARATOR = ';';

const TEAMS_NUMBER_SERVICES = ['teamsOperatorConnect', 'teamsPhoneMobile'] as const;
const TEAMS_FIELDS = ['assignmentStatus', 'configuration_usage', 'configuration_choosableCapabilities', 'configuration_additionalUsages', 'configuration_civicAddressId', 'configuration_locationId', 'configuration_allowTenantAddressUpdate', 'configuration_displayedCountryCode'] as const;

export type ColumnKind = 'text' | 'boolean' | 'list';

export interface Column {
  readonly name: string;
  /** Where the value goes in the NumberResource. */
  readonly path: readonly string[];
  readonly kind: ColumnKind;
}

function column(name: string, kind: ColumnKind = 'text'): Column {
  return { name, path: name.split('_'), kind };
}

function kindOf(field: string): ColumnKind {
  if (field.endsWith('allowTenantAddressUpdate')) return 'boolean';
  if (field.endsWith('choosableCapabilities') || field.endsWith('additionalUsages')) return 'list';
  return 'text';
}

/** Every column the format knows, in the order exports write them. */
export const COLUMNS: readonly Column[] = [
  column('telephoneNumber'),
  column('accountName'),
  ...SERVICES.map((service) => column(`serviceDetails_${service}_enabled`, 'boolean')),
  ...TEAMS_NUMBER_SERVICES.flatMap((service) => TEAMS_FIELDS.map((field) => column(`serviceDetails_${service}_${field}`, kindOf(field)))),
  column('configuration_customSipHeader'),
];

export const COLUMNS_BY_NAME: ReadonlyMap<string, Column> = new Map(COLUMNS.map((c) => [c.name, c]));

/** A problem's JSON-path target (`serviceDetails.teamsOperatorConnect.configuration.choosableCapabilities[2]`) → its column. */
export function columnOfTarget(target: string | undefined): string {
  if (target === undefined || target === '' || target === 'body') return 'telephoneNumber';
  const name = target.replace(/\[\d+\]/g, '').replace(/\./g, '_');
  if (COLUMNS_BY_NAME.has(name)) return name;
  // A problem about a whole service block (e.g. "at most one destination") belongs to its enabled column.
  const service = SERVICES.find((s: ServiceName) => name === `serviceDetails_${s}` || name.startsWith(`serviceDetails_${s}_`));
  if (service !== undefined) return `serviceDetails_${service}_enabled`;
  return 'telephoneNumber';
}

export const EXAMPLE_CSV = [
  'telephoneNumber,accountName,serviceDetails_teamsDirectRouting_enabled,configuration_customSipHeader',
  '+14255550100,contoso,true,contoso-main',
  '+14255550101,contoso,true,',
].join('\n');
