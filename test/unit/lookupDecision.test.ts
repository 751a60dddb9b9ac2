import fc from 'fast-check';
import { decide, NO_CONTACT_HOSTS, REJECT_SIP_STATUS } from '../../shared/lookup/decide';
import type {
  AccountFacts,
  DefaultRule,
  Destination,
  Direction,
  NumberFacts,
  Origin,
  RejectReason,
  RouteAnswer,
  RouteQuestion,
  RoutingFacts,
  RoutingSettings,
  Service,
  TrunkDefault,
} from '../../shared/lookup/types';

// ---------------------------------------------------------------------------------------------------
// Fixtures: two accounts with Direct Routing, a fake view, deployment settings.

const ALL_OFFERED: Readonly<Record<Service, boolean>> = {
  teamsDirectRouting: true,
  teamsOperatorConnect: true,
  teamsPhoneMobile: true,
  zoomPhoneCloudPeering: true,
  azureOperatorCallProtection: true,
};
/** A Zoom service-verification number (built-in rule); no row of the main table keys on it. */
const ZOOM_VERIFICATION = '+16465588656';

const SETTINGS: RoutingSettings = {
  headerName: 'X-Test-Operator-Content', // not the default: the name must come from the settings
  customHeaderEnabled: true,
  services: ALL_OFFERED,
  trunkDefaults: new Map<string, TrunkDefault>([
    ['operator-fixed', 'teamsOperatorConnect'],
    ['operator-mobile', 'teamsPhoneMobile'],
    ['operator-none', 'none'],
  ]),
  zoomVerificationNumbers: new Set([ZOOM_VERIFICATION]),
  baseDomain: 'gw.example.net',
  mobilePrefixes: ['+4915', '+4916', '+4917'],
  ttlSeconds: 7,
};

const ACME_TENANT = '11111111-1111-4111-8111-111111111111';
const GLOBEX_TENANT = '22222222-2222-4222-8222-222222222222';

class FakeView implements RoutingFacts {
  private readonly numbers = new Map<string, NumberFacts>();
  private readonly accounts = new Map<string, AccountFacts>();

  constructor(accounts: readonly AccountFacts[], numbers: readonly NumberFacts[]) {
    for (const account of accounts) this.accounts.set(account.name, account);
    for (const number of numbers) this.numbers.set(number.telephoneNumber, number);
  }

  number(telephoneNumber: string): NumberFacts | undefined {
    return this.numbers.get(telephoneNumber);
  }

  account(accountName: string): AccountFacts | undefined {
    return this.accounts.get(accountName);
  }

  accountBySubdomain(label: string): AccountFacts | undefined {
    for (const account of this.accounts.values()) if (account.directRouting?.subdomain === label) return account;
    return undefined;
  }
}

type ServiceFlags = Pick<NumberFacts, 'teamsDirectRouting' | 'teamsOperatorConnect' | 'teamsPhoneMobile' | 'zoomPhoneCloudPeering' | 'azureOperatorCallProtection'>;

const NO_SERVICES: ServiceFlags = {
  teamsDirectRouting: false,
  teamsOperatorConnect: false,
  teamsPhoneMobile: false,
  zoomPhoneCloudPeering: false,
  azureOperatorCallProtection: false,
};

function numberFacts(telephoneNumber: string, accountName: string, services: Partial<ServiceFlags>, customSipHeader?: string): NumberFacts {
  return { telephoneNumber, accountName, ...NO_SERVICES, ...services, ...(customSipHeader === undefined ? {} : { customSipHeader }) };
}

function accountFacts(name: string, teamsTenantId: string | undefined, directRouting?: AccountFacts['directRouting']): AccountFacts {
  return { name, ...(teamsTenantId === undefined ? {} : { teamsTenantId }), ...(directRouting === undefined ? {} : { directRouting }) };
}

const fromOperator = (from: string, to: string, trunk?: string): RouteQuestion => ({ direction: 'fromOperator', from, to, ...(trunk === undefined ? {} : { trunk }) });
const toOperator = (from: string, to: string, origin: Origin, subdomain?: string): RouteQuestion => ({
  direction: 'toOperator',
  from,
  to,
  origin,
  ...(subdomain === undefined ? {} : { subdomain }),
});

// ---------------------------------------------------------------------------------------------------
// The exhaustive decision table. Every dimension of the brief is crossed; the expected answer of each
// row comes from the literal tables below (the oracle), read by lookup, not from rules like decide's.
// The main table runs with every service offered, headers on and no trunk; the deployment tables
// below cross the trunk, the services offered and the header switch with the number cases.

type ServiceCase = 'unprovisioned' | 'DR' | 'OC' | 'TPM' | 'Zoom' | 'CP' | 'DR+CP' | 'OC+CP' | 'TPM+CP' | 'Zoom+CP';
/** Where the keyed number is provisioned: in the account owning the question's subdomain (acme), another (globex), nowhere. */
type Placement = 'subdomainAccount' | 'otherAccount' | 'nowhere';
type Route = 'fromOperator' | `toOperator/${Origin}`;
type SubdomainCase = 'acme' | 'unknown' | 'absent';
/** The trunk a call from the operator network arrives on: absent, one of SETTINGS.trunkDefaults, or one it does not list. */
type TrunkCase = 'absent' | 'operator-fixed' | 'operator-mobile' | 'operator-none' | 'unlisted';
type OfferCase = 'all' | 'no OC' | 'no TPM' | 'neither OC nor TPM' | 'no DR' | 'no Zoom' | 'no CP';

/** The keyed number's service flags per case (undefined: not provisioned). */
const SERVICE_FLAGS: Readonly<Record<ServiceCase, Partial<ServiceFlags> | undefined>> = {
  unprovisioned: undefined,
  DR: { teamsDirectRouting: true },
  OC: { teamsOperatorConnect: true },
  TPM: { teamsPhoneMobile: true },
  Zoom: { zoomPhoneCloudPeering: true },
  CP: { azureOperatorCallProtection: true },
  'DR+CP': { teamsDirectRouting: true, azureOperatorCallProtection: true },
  'OC+CP': { teamsOperatorConnect: true, azureOperatorCallProtection: true },
  'TPM+CP': { teamsPhoneMobile: true, azureOperatorCallProtection: true },
  'Zoom+CP': { zoomPhoneCloudPeering: true, azureOperatorCallProtection: true },
};
const SERVICE_CASES = Object.keys(SERVICE_FLAGS) as ServiceCase[];

/** Does the keyed number have Call Protection (it forks where the deployment offers Call Protection). */
const FORKS: Readonly<Record<ServiceCase, boolean>> = {
  unprovisioned: false, DR: false, OC: false, TPM: false, Zoom: false,
  CP: true, 'DR+CP': true, 'OC+CP': true, 'TPM+CP': true, 'Zoom+CP': true,
};

/** The services each deployment case offers (LOOKUP_SERVICES). */
const OFFERS: Readonly<Record<OfferCase, readonly Service[]>> = {
  all: ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'],
  'no OC': ['teamsDirectRouting', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'],
  'no TPM': ['teamsDirectRouting', 'teamsOperatorConnect', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'],
  'neither OC nor TPM': ['teamsDirectRouting', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'],
  'no DR': ['teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'],
  'no Zoom': ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'azureOperatorCallProtection'],
  'no CP': ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering'],
};
const OFFER_CASES = Object.keys(OFFERS) as OfferCase[];

/**
 * fromOperator, by the called number's case. `to`: the destination ('default' = no destination
 * service: the trunk or prefix default, R5 — Call Protection alone is not a destination);
 * `owned`: the answer names the number's account; `header`: its value is sent when set; `hosts`:
 * the account's two Contact hosts.
 */
interface FromOperatorRow {
  readonly to: Destination | 'default';
  readonly owned: boolean;
  readonly header: boolean;
  readonly hosts: boolean;
}
const FROM_OPERATOR: Readonly<Record<ServiceCase, FromOperatorRow>> = {
  unprovisioned: { to: 'default', owned: false, header: false, hosts: false },
  DR: { to: 'teamsDirectRouting', owned: true, header: true, hosts: true },
  OC: { to: 'teamsOperatorConnect', owned: true, header: true, hosts: false },
  TPM: { to: 'teamsPhoneMobile', owned: true, header: false, hosts: false },
  Zoom: { to: 'zoomPhoneCloudPeering', owned: true, header: true, hosts: false },
  CP: { to: 'default', owned: false, header: false, hosts: false },
  'DR+CP': { to: 'teamsDirectRouting', owned: true, header: true, hosts: true },
  'OC+CP': { to: 'teamsOperatorConnect', owned: true, header: true, hosts: false },
  'TPM+CP': { to: 'teamsPhoneMobile', owned: true, header: false, hosts: false },
  'Zoom+CP': { to: 'zoomPhoneCloudPeering', owned: true, header: true, hosts: false },
};

/** The default for a called number without destination: by trunk when SETTINGS lists it, else by prefix. */
const TRUNK_DEFAULT: Readonly<Record<TrunkCase, TrunkDefault | 'byPrefix'>> = {
  absent: 'byPrefix',
  'operator-fixed': 'teamsOperatorConnect',
  'operator-mobile': 'teamsPhoneMobile',
  'operator-none': 'none',
  unlisted: 'byPrefix',
};
const TRUNK_NAME: Readonly<Record<TrunkCase, string | undefined>> = {
  absent: undefined,
  'operator-fixed': 'operator-fixed',
  'operator-mobile': 'operator-mobile',
  'operator-none': 'operator-none',
  unlisted: 'sbc-east-7',
};
const BY_PREFIX: Readonly<Record<'mobile' | 'fixed', { readonly to: Destination; readonly rule: DefaultRule }>> = {
  mobile: { to: 'teamsPhoneMobile', rule: 'mobilePrefix' },
  fixed: { to: 'teamsOperatorConnect', rule: 'fixedLine' },
};

/**
 * toOperator outcomes. `route+header`: routed with the number's account, Call Protection and header
 * (when set); `route`: the same without header; `routeForeign`: routed for the subdomain's account
 * with nothing of the calling number (it belongs to another customer); `defaulted`: routed by the
 * origin's default.
 */
type Outcome = 'route' | 'route+header' | 'routeForeign' | 'defaulted' | 'reject403' | 'reject404' | 'unknownSubdomain';

/** toOperator from Operator Connect, Teams Phone Mobile and Zoom, by the calling number's case. */
const TO_OPERATOR_BY_ORIGIN: Readonly<Record<Exclude<Origin, 'teamsDirectRouting'>, Readonly<Record<ServiceCase, Outcome>>>> = {
  teamsOperatorConnect: {
    unprovisioned: 'defaulted', DR: 'defaulted', OC: 'route+header', TPM: 'defaulted', Zoom: 'defaulted',
    CP: 'defaulted', 'DR+CP': 'defaulted', 'OC+CP': 'route+header', 'TPM+CP': 'defaulted', 'Zoom+CP': 'defaulted',
  },
  teamsPhoneMobile: {
    unprovisioned: 'defaulted', DR: 'defaulted', OC: 'defaulted', TPM: 'route', Zoom: 'defaulted',
    CP: 'defaulted', 'DR+CP': 'defaulted', 'OC+CP': 'defaulted', 'TPM+CP': 'route', 'Zoom+CP': 'defaulted',
  },
  zoomPhoneCloudPeering: {
    unprovisioned: 'reject404', DR: 'reject404', OC: 'reject404', TPM: 'reject404', Zoom: 'route+header',
    CP: 'reject404', 'DR+CP': 'reject404', 'OC+CP': 'reject404', 'TPM+CP': 'reject404', 'Zoom+CP': 'route+header',
  },
};

const DR_ENABLED: Readonly<Record<ServiceCase, 'dr' | 'noDr'>> = {
  unprovisioned: 'noDr', DR: 'dr', OC: 'noDr', TPM: 'noDr', Zoom: 'noDr',
  CP: 'noDr', 'DR+CP': 'dr', 'OC+CP': 'noDr', 'TPM+CP': 'noDr', 'Zoom+CP': 'noDr',
};

/**
 * toOperator from Direct Routing on the known subdomain (acme), by acme's screening (R4, D6):
 * screening on requires a DR number of acme; off, every call routes ("when off, no check") and only
 * acme's own numbers lend it their header (DR numbers) and Call Protection.
 */
const TO_OPERATOR_FROM_DR: Readonly<Record<'on' | 'off', Readonly<Record<Placement, Readonly<Partial<Record<'dr' | 'noDr', Outcome>>>>>>> = {
  on: {
    subdomainAccount: { dr: 'route+header', noDr: 'reject403' },
    otherAccount: { dr: 'reject403', noDr: 'reject403' },
    nowhere: { noDr: 'reject403' },
  },
  off: {
    subdomainAccount: { dr: 'route+header', noDr: 'route' },
    otherAccount: { dr: 'routeForeign', noDr: 'routeForeign' },
    nowhere: { noDr: 'route' },
  },
};

/** The account an answer names, per outcome and origin: DR answers name the subdomain's account. */
const ACCOUNT_NAME: Readonly<Record<Placement, string | null>> = { subdomainAccount: 'acme', otherAccount: 'globex', nowhere: null };
const TENANT_OF: Readonly<Record<string, string>> = { acme: ACME_TENANT, globex: GLOBEX_TENANT };
const HEADER_VALUE: Readonly<Record<Placement, string | undefined>> = { subdomainAccount: 'acme_value', otherAccount: 'globex_value', nowhere: undefined };

const KEYED = { mobile: '+4915112345678', fixed: '+4930123456' } as const;
/** The other party of every call: a provisioned DR + Call Protection number with a header, so keying on the wrong number shows. */
const DECOY = '+4940555000';

interface Row {
  readonly name: string;
  readonly question: RouteQuestion;
  readonly facts: RoutingFacts;
  readonly settings: RoutingSettings;
  readonly expected: RouteAnswer;
}

interface Dimensions {
  readonly service: ServiceCase;
  readonly placement: Placement;
  readonly screening: 'on' | 'off';
  readonly header: 'set' | 'unset';
  readonly kind: 'mobile' | 'fixed';
  readonly route: Route;
  readonly subdomain: SubdomainCase;
  readonly trunk: TrunkCase;
  readonly offer: OfferCase;
  readonly headers: 'on' | 'off';
}

const BASELINE = { trunk: 'absent', offer: 'all', headers: 'on' } as const;

function settingsFor(d: Dimensions): RoutingSettings {
  const offered = OFFERS[d.offer];
  const services = Object.fromEntries(Object.keys(ALL_OFFERED).map((s) => [s, offered.includes(s as Service)])) as Record<Service, boolean>;
  return { ...SETTINGS, services, customHeaderEnabled: d.headers === 'on' };
}

function rowFacts(d: Dimensions, keyed: string): RoutingFacts {
  const accounts = [
    accountFacts('acme', ACME_TENANT, { subdomain: 'acme', callScreening: d.screening === 'on' }),
    // The other account screens the opposite way: only the subdomain's account's flag may matter.
    accountFacts('globex', GLOBEX_TENANT, { subdomain: 'globex', callScreening: d.screening === 'off' }),
  ];
  const numbers = [numberFacts(DECOY, 'globex', { teamsDirectRouting: true, azureOperatorCallProtection: true }, 'decoy_value')];
  const flags = SERVICE_FLAGS[d.service];
  const owner = ACCOUNT_NAME[d.placement];
  if (flags !== undefined && owner !== null) {
    numbers.push(numberFacts(keyed, owner, flags, d.header === 'set' ? HEADER_VALUE[d.placement] : undefined));
  }
  return new FakeView(accounts, numbers);
}

function rowQuestion(d: Dimensions, keyed: string): RouteQuestion {
  const subdomain = { acme: 'acme', unknown: 'nosuchlabel', absent: undefined }[d.subdomain];
  if (d.route === 'fromOperator') return { ...fromOperator(DECOY, keyed, TRUNK_NAME[d.trunk]), ...(subdomain === undefined ? {} : { subdomain }) };
  const origin = d.route.slice('toOperator/'.length) as Origin;
  return toOperator(keyed, DECOY, origin, subdomain);
}

function expectedHeader(d: Dimensions, sendsHeader: boolean): RouteAnswer['customHeader'] {
  const value = HEADER_VALUE[d.placement];
  return sendsHeader && d.headers === 'on' && d.header === 'set' && value !== undefined ? { name: SETTINGS.headerName, value } : null;
}

const offers = (d: Dimensions, service: Service | Destination): boolean => (OFFERS[d.offer] as readonly string[]).includes(service);
const forks = (d: Dimensions): boolean => FORKS[d.service] && offers(d, 'azureOperatorCallProtection');

function routed(
  destination: Destination,
  callProtection: boolean,
  accountName: string | null,
  customHeader: RouteAnswer['customHeader'],
  contactHosts: readonly string[],
  defaultedBy: DefaultRule | null,
): RouteAnswer {
  return {
    action: 'route',
    destination,
    callProtection,
    accountName,
    teamsTenantId: accountName === null ? null : (TENANT_OF[accountName] ?? null),
    contactHosts,
    customHeader,
    defaulted: defaultedBy !== null,
    defaultedBy,
    ttlSeconds: SETTINGS.ttlSeconds,
  };
}

function rejected(sipStatus: number, reason: RejectReason, accountName: string | null): RouteAnswer {
  return {
    action: 'reject',
    sipStatus,
    reason,
    callProtection: false,
    accountName,
    teamsTenantId: accountName === null ? null : (TENANT_OF[accountName] ?? null),
    contactHosts: [],
    customHeader: null,
    defaulted: false,
    defaultedBy: null,
    ttlSeconds: SETTINGS.ttlSeconds,
  };
}

function expectedFromOperator(d: Dimensions): RouteAnswer {
  const row = FROM_OPERATOR[d.service];
  if (row.to === 'default') {
    const byTrunk = TRUNK_DEFAULT[d.trunk];
    if (byTrunk === 'none') return rejected(404, 'NumberNotProvisioned', null);
    const { to, rule } = byTrunk === 'byPrefix' ? BY_PREFIX[d.kind] : { to: byTrunk, rule: 'trunk' as const };
    // The call's kind is known: a service the deployment does not offer is not replaced by another.
    if (!offers(d, to)) return rejected(404, 'NumberNotProvisioned', null);
    return routed(to, forks(d), null, null, [], rule);
  }
  const owner = row.owned ? ACCOUNT_NAME[d.placement] : null;
  if (!offers(d, row.to)) return rejected(404, 'ServiceNotOffered', owner);
  const hosts = row.hosts && owner !== null ? [`${owner}.1r1.gw.example.net`, `${owner}.1r2.gw.example.net`] : [];
  return routed(row.to, forks(d), owner, expectedHeader(d, row.header), hosts, null);
}

function expectedToOperator(d: Dimensions, origin: Origin): RouteAnswer {
  if (!offers(d, origin)) return rejected(404, 'ServiceNotOffered', null);
  let outcome: Outcome | undefined;
  let attributedTo: Placement;
  if (origin === 'teamsDirectRouting') {
    outcome = d.subdomain === 'acme' ? TO_OPERATOR_FROM_DR[d.screening][d.placement][DR_ENABLED[d.service]] : 'unknownSubdomain';
    attributedTo = 'subdomainAccount';
  } else {
    outcome = TO_OPERATOR_BY_ORIGIN[origin][d.service];
    attributedTo = origin === 'zoomPhoneCloudPeering' && outcome === 'reject404' ? 'nowhere' : d.placement;
  }
  if (outcome === undefined) throw new Error(`test bug: no outcome for ${JSON.stringify(d)}`);
  const account = ACCOUNT_NAME[attributedTo];
  switch (outcome) {
    case 'route':
      return routed('operatorNetwork', forks(d), account, null, [], null);
    case 'route+header':
      return routed('operatorNetwork', forks(d), account, expectedHeader(d, true), [], null);
    case 'routeForeign':
      return routed('operatorNetwork', false, account, null, [], null);
    case 'defaulted':
      return routed('operatorNetwork', forks(d), null, null, [], 'origin');
    case 'reject403':
      return rejected(403, 'CallerIdScreeningFailed', account);
    case 'reject404':
      return rejected(404, 'NumberNotProvisioned', account);
    case 'unknownSubdomain':
      return rejected(404, 'UnknownSubdomain', null);
  }
}

const ROUTES: readonly Route[] = [
  'fromOperator',
  'toOperator/teamsDirectRouting',
  'toOperator/teamsOperatorConnect',
  'toOperator/teamsPhoneMobile',
  'toOperator/zoomPhoneCloudPeering',
];

function row(d: Dimensions, name: string, keyed: string = KEYED[d.kind]): Row {
  const expected = d.route === 'fromOperator' ? expectedFromOperator(d) : expectedToOperator(d, d.route.slice('toOperator/'.length) as Origin);
  return { name, question: rowQuestion(d, keyed), facts: rowFacts(d, keyed), settings: settingsFor(d), expected };
}

const placementsOf = (service: ServiceCase): readonly Placement[] => (service === 'unprovisioned' ? ['nowhere'] : ['subdomainAccount', 'otherAccount']);

/** Every number case × placement × screening × header value × kind × route × subdomain, baseline deployment. */
function decisionTable(): Row[] {
  const rows: Row[] = [];
  for (const service of SERVICE_CASES)
    for (const placement of placementsOf(service))
      for (const screening of ['on', 'off'] as const)
        for (const header of ['set', 'unset'] as const)
          for (const kind of ['mobile', 'fixed'] as const)
            for (const route of ROUTES)
              for (const subdomain of ['acme', 'unknown', 'absent'] as const) {
                const d: Dimensions = { service, placement, screening, header, kind, route, subdomain, ...BASELINE };
                rows.push(row(d, `${route} | ${service} in ${placement} | screening ${screening} | header ${header} | ${kind} | subdomain ${subdomain}`));
              }
  return rows;
}

/** Calls from the operator network: every number case × kind × trunk × services offered (header set, headers on). */
function trunkTable(): Row[] {
  const rows: Row[] = [];
  for (const offer of OFFER_CASES)
    for (const trunk of Object.keys(TRUNK_DEFAULT) as TrunkCase[])
      for (const service of SERVICE_CASES)
        for (const kind of ['mobile', 'fixed'] as const) {
          const placement = placementsOf(service)[0] as Placement;
          const d: Dimensions = { service, placement, screening: 'on', header: 'set', kind, route: 'fromOperator', subdomain: 'absent', trunk, offer, headers: 'on' };
          rows.push(row(d, `offered ${offer} | trunk ${trunk} | fromOperator | ${service} in ${placement} | ${kind}`));
        }
  return rows;
}

/** Calls toward the operator network: services offered × origin × number case × placement × screening (subdomain acme). */
function offerTable(): Row[] {
  const rows: Row[] = [];
  for (const offer of OFFER_CASES)
    for (const route of ROUTES.filter((r) => r !== 'fromOperator'))
      for (const service of SERVICE_CASES)
        for (const placement of placementsOf(service))
          for (const screening of ['on', 'off'] as const) {
            const d: Dimensions = { service, placement, screening, header: 'set', kind: 'fixed', route, subdomain: 'acme', trunk: 'absent', offer, headers: 'on' };
            rows.push(row(d, `offered ${offer} | ${route} | ${service} in ${placement} | screening ${screening}`));
          }
  return rows;
}

/** The main table's rows with a header value, with custom headers switched off (LOOKUP_CUSTOM_HEADER_ENABLED=false). */
function headersOffTable(): Row[] {
  const rows: Row[] = [];
  for (const service of SERVICE_CASES)
    for (const placement of placementsOf(service))
      for (const screening of ['on', 'off'] as const)
        for (const kind of ['mobile', 'fixed'] as const)
          for (const route of ROUTES) {
            const d: Dimensions = { service, placement, screening, header: 'set', kind, route, subdomain: 'acme', trunk: 'absent', offer: 'all', headers: 'off' };
            rows.push(row(d, `headers off | ${route} | ${service} in ${placement} | screening ${screening} | ${kind}`));
          }
  return rows;
}

/** A Zoom verification number's route: the built-in rule, nothing of what is provisioned for it. */
const BY_ZOOM_VERIFICATION: Readonly<Record<'fromOperator' | 'toOperator', RouteAnswer>> = {
  fromOperator: routed('zoomPhoneCloudPeering', false, null, null, [], 'zoomVerification'),
  toOperator: routed('operatorNetwork', false, null, null, [], 'zoomVerification'),
};

/**
 * The keyed number is a Zoom service-verification number (fixed-line: no mobile prefix), provisioned
 * or not, with Zoom offered or not, on every trunk case and route. With Zoom offered, calls to it go
 * to Zoom and calls from Zoom with it go out, by the built-in rule; other origins, and a deployment
 * without Zoom, use the ordinary rules (the main oracle).
 */
function zoomVerificationTable(): Row[] {
  const rows: Row[] = [];
  for (const offer of ['all', 'no Zoom'] as const)
    for (const service of ['unprovisioned', 'OC', 'DR', 'Zoom+CP', 'CP'] as const)
      for (const trunk of ['absent', 'operator-none', 'operator-mobile'] as const)
        for (const route of ROUTES) {
          if (route !== 'fromOperator' && trunk !== 'absent') continue;
          const placement = placementsOf(service)[0] as Placement;
          const d: Dimensions = { service, placement, screening: 'off', header: 'set', kind: 'fixed', route, subdomain: 'acme', trunk, offer, headers: 'on' };
          const name = `Zoom verification number | offered ${offer} | ${route} | ${service} in ${placement} | trunk ${trunk}`;
          const built = offer === 'all' ? (route === 'fromOperator' ? 'fromOperator' : route === 'toOperator/zoomPhoneCloudPeering' ? 'toOperator' : undefined) : undefined;
          const ordinary = row(d, name, ZOOM_VERIFICATION);
          rows.push(built === undefined ? ordinary : { ...ordinary, expected: BY_ZOOM_VERIFICATION[built] });
        }
  return rows;
}

const TABLE = decisionTable();
const TRUNK_TABLE = trunkTable();
const OFFER_TABLE = offerTable();
const HEADERS_OFF_TABLE = headersOffTable();
const ZOOM_VERIFICATION_TABLE = zoomVerificationTable();

describe('decision table', () => {
  test('covers every combination (19 number setups × 2 × 2 × 2 × 5 routes × 3 subdomains, and the deployment tables)', () => {
    expect(TABLE).toHaveLength(19 * 2 * 2 * 2 * 5 * 3);
    expect(TRUNK_TABLE).toHaveLength(7 * 5 * 10 * 2);
    expect(OFFER_TABLE).toHaveLength(7 * 4 * 19 * 2);
    expect(HEADERS_OFF_TABLE).toHaveLength(19 * 2 * 2 * 5);
    expect(ZOOM_VERIFICATION_TABLE).toHaveLength(2 * 5 * (3 + 4));
    const names = [...TABLE, ...TRUNK_TABLE, ...OFFER_TABLE, ...HEADERS_OFF_TABLE, ...ZOOM_VERIFICATION_TABLE].map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('the headers-off table has header values to suppress: with headers on, the same rows send some', () => {
    const sent = HEADERS_OFF_TABLE.filter((r) => decide(r.question, r.facts, { ...r.settings, customHeaderEnabled: true }).customHeader !== null);
    expect(sent.length).toBeGreaterThan(20);
  });

  test.each(TABLE)('$name', ({ question, facts, settings, expected }) => {
    expect(decide(question, facts, settings)).toStrictEqual(expected);
  });

  test.each(TRUNK_TABLE)('$name', ({ question, facts, settings, expected }) => {
    expect(decide(question, facts, settings)).toStrictEqual(expected);
  });

  test.each(OFFER_TABLE)('$name', ({ question, facts, settings, expected }) => {
    expect(decide(question, facts, settings)).toStrictEqual(expected);
  });

  test.each(HEADERS_OFF_TABLE)('$name', ({ question, facts, settings, expected }) => {
    expect(decide(question, facts, settings)).toStrictEqual(expected);
  });

  test.each(ZOOM_VERIFICATION_TABLE)('$name', ({ question, facts, settings, expected }) => {
    expect(decide(question, facts, settings)).toStrictEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// Scenarios mirroring the rules R1–R11 of docs/lookup.md.

const CONTOSO_TENANT = '33333333-3333-4333-8333-333333333333';
const contoso = accountFacts('contoso', CONTOSO_TENANT, { subdomain: 'contoso', callScreening: true });
const fabrikam = accountFacts('fabrikam', undefined, { subdomain: 'fabrikam', callScreening: false });

describe('calls from the operator network (keyed on the called number)', () => {
  test('routes a Direct Routing number to Teams with the two Contact hosts of its account and its header (R11, R7)', () => {
    const view = new FakeView([contoso], [numberFacts('+441632960001', 'contoso', { teamsDirectRouting: true }, 'contoso_7')]);
    expect(decide(fromOperator('+441632960999', '+441632960001'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'teamsDirectRouting',
      callProtection: false,
      accountName: 'contoso',
      teamsTenantId: CONTOSO_TENANT,
      contactHosts: ['contoso.1r1.gw.example.net', 'contoso.1r2.gw.example.net'],
      customHeader: { name: 'X-Test-Operator-Content', value: 'contoso_7' },
      defaulted: false,
      defaultedBy: null,
      ttlSeconds: 7,
    });
  });

  test('defaults an unprovisioned fixed number to Operator Connect and a mobile one to Teams Phone Mobile (R5)', () => {
    const view = new FakeView([], []);
    expect(decide(fromOperator('+4915100000001', '+4930200000'), view, SETTINGS)).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaulted: true, customHeader: null, accountName: null });
    expect(decide(fromOperator('+4930200000', '+4917100000001'), view, SETTINGS)).toMatchObject({ action: 'route', destination: 'teamsPhoneMobile', defaulted: true, customHeader: null, accountName: null });
  });

  test('routes a Call-Protection-only number by the fixed/mobile default and forks it to Call Protection, without a header (R5, R6, R7)', () => {
    const view = new FakeView([contoso], [numberFacts('+4915100000002', 'contoso', { azureOperatorCallProtection: true }, 'ignored'), numberFacts('+4930100000002', 'contoso', { azureOperatorCallProtection: true })]);
    expect(decide(fromOperator('+4930200000', '+4915100000002'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'teamsPhoneMobile',
      callProtection: true,
      accountName: null,
      teamsTenantId: null,
      contactHosts: [],
      customHeader: null,
      defaulted: true,
      defaultedBy: 'mobilePrefix',
      ttlSeconds: 7,
    });
    expect(decide(fromOperator('+4930200000', '+4930100000002'), view, SETTINGS)).toMatchObject({ destination: 'teamsOperatorConnect', callProtection: true, defaultedBy: 'fixedLine' });
    // The trunk rule applies to it as to an unprovisioned number.
    expect(decide(fromOperator('+4930200000', '+4930100000002', 'operator-mobile'), view, SETTINGS)).toMatchObject({ destination: 'teamsPhoneMobile', callProtection: true, defaultedBy: 'trunk' });
    expect(decide(fromOperator('+4930200000', '+4930100000002', 'operator-none'), view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', callProtection: false });
    // Calling out through Operator Connect or Teams Phone Mobile: the same number forks too (both directions agree).
    for (const origin of ['teamsOperatorConnect', 'teamsPhoneMobile'] as const) {
      expect(decide(toOperator('+4930100000002', '+4930200000', origin), view, SETTINGS)).toMatchObject({ destination: 'operatorNetwork', callProtection: true, defaulted: true, defaultedBy: 'origin' });
    }
  });

  test('never adds the header for a Teams Phone Mobile number, even with a stored value (R7, D4)', () => {
    const view = new FakeView([contoso], [numberFacts('+4915100000003', 'contoso', { teamsPhoneMobile: true }, 'stale')]);
    expect(decide(fromOperator('+4930200000', '+4915100000003'), view, SETTINGS).customHeader).toBeNull();
    expect(decide(toOperator('+4915100000003', '+4930200000', 'teamsPhoneMobile'), view, SETTINGS).customHeader).toBeNull();
  });

  test('decision: a number with no service enabled routes as unprovisioned (D7 forbids it; a stale view may hold it)', () => {
    const view = new FakeView([contoso], [numberFacts('+4930200001', 'contoso', {}, 'x')]);
    expect(decide(fromOperator('+4930200000', '+4930200001'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'teamsOperatorConnect',
      callProtection: false,
      accountName: null,
      teamsTenantId: null,
      contactHosts: [],
      customHeader: null,
      defaulted: true,
      defaultedBy: 'fixedLine',
      ttlSeconds: 7,
    });
  });

  test('decision: a Direct Routing number whose account has no subdomain is rejected 404 DirectRoutingNotConfigured (no Contact host, R11)', () => {
    const bare = accountFacts('bare', CONTOSO_TENANT);
    const view = new FakeView([bare], [numberFacts('+4930200002', 'bare', { teamsDirectRouting: true })]);
    expect(decide(fromOperator('+4930200000', '+4930200002'), view, SETTINGS)).toStrictEqual({
      action: 'reject',
      sipStatus: 404,
      reason: 'DirectRoutingNotConfigured',
      callProtection: false,
      accountName: 'bare',
      teamsTenantId: CONTOSO_TENANT,
      contactHosts: [],
      customHeader: null,
      defaulted: false,
      defaultedBy: null,
      ttlSeconds: 7,
    });
    const orphan = new FakeView([], [numberFacts('+4930200002', 'gone', { teamsDirectRouting: true })]);
    expect(decide(fromOperator('+4930200000', '+4930200002'), orphan, SETTINGS)).toMatchObject({ action: 'reject', reason: 'DirectRoutingNotConfigured', accountName: 'gone', teamsTenantId: null });
  });

  test('decision: an Operator Connect number whose account is missing from the view still routes, without tenant', () => {
    const view = new FakeView([], [numberFacts('+4930200003', 'gone', { teamsOperatorConnect: true }, 'v')]);
    expect(decide(fromOperator('+4930200000', '+4930200003'), view, SETTINGS)).toMatchObject({
      action: 'route',
      destination: 'teamsOperatorConnect',
      accountName: 'gone',
      teamsTenantId: null,
      customHeader: { name: SETTINGS.headerName, value: 'v' },
    });
  });

  test('decision: an empty header value counts as no value (R7)', () => {
    const view = new FakeView([contoso], [numberFacts('+4930200004', 'contoso', { teamsOperatorConnect: true }, '')]);
    expect(decide(fromOperator('+4930200000', '+4930200004'), view, SETTINGS).customHeader).toBeNull();
    expect(decide(toOperator('+4930200004', '+4930200000', 'teamsOperatorConnect'), view, SETTINGS).customHeader).toBeNull();
  });

  test('decision: when the view holds several destinations (against D7), DR wins over Zoom over OC over TPM', () => {
    const cases: Array<[Partial<ServiceFlags>, Destination]> = [
      [{ teamsDirectRouting: true, zoomPhoneCloudPeering: true, teamsOperatorConnect: true, teamsPhoneMobile: true }, 'teamsDirectRouting'],
      [{ zoomPhoneCloudPeering: true, teamsOperatorConnect: true, teamsPhoneMobile: true }, 'zoomPhoneCloudPeering'],
      [{ teamsOperatorConnect: true, teamsPhoneMobile: true }, 'teamsOperatorConnect'],
    ];
    for (const [services, destination] of cases) {
      const view = new FakeView([contoso], [numberFacts('+4930200005', 'contoso', services)]);
      expect(decide(fromOperator('+4930200000', '+4930200005'), view, SETTINGS).destination).toBe(destination);
    }
  });

  test('a Zoom verification number goes to Zoom without the number being read (R8)', () => {
    const unread: RoutingFacts = {
      number: () => {
        throw new Error('the number of a verification call must not be read');
      },
      account: () => undefined,
      accountBySubdomain: () => undefined,
    };
    expect(decide(fromOperator('+4930200000', ZOOM_VERIFICATION, 'operator-none'), unread, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'zoomPhoneCloudPeering',
      callProtection: false,
      accountName: null,
      teamsTenantId: null,
      contactHosts: [],
      customHeader: null,
      defaulted: true,
      defaultedBy: 'zoomVerification',
      ttlSeconds: 7,
    });
  });

  test('decision: a trunk whose service the deployment does not offer refuses the call; the prefix is not consulted (R5, R9)', () => {
    const noMobile = { ...SETTINGS, services: { ...ALL_OFFERED, teamsPhoneMobile: false } };
    const view = new FakeView([], []);
    expect(decide(fromOperator('+4930200000', '+4930200009', 'operator-mobile'), view, noMobile)).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned' });
    expect(decide(fromOperator('+4930200000', '+4930200009', 'operator-fixed'), view, noMobile)).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaultedBy: 'trunk' });
    expect(decide(fromOperator('+4930200000', '+4915100000009'), view, noMobile)).toMatchObject({ action: 'reject', reason: 'NumberNotProvisioned' });
  });

  test('ignores origin and subdomain on calls from the operator network', () => {
    const view = new FakeView([contoso], [numberFacts('+4930200006', 'contoso', { teamsOperatorConnect: true })]);
    const plain = decide(fromOperator('+4930200000', '+4930200006'), view, SETTINGS);
    expect(decide({ ...fromOperator('+4930200000', '+4930200006'), origin: 'zoomPhoneCloudPeering', subdomain: 'nosuch' }, view, SETTINGS)).toStrictEqual(plain);
  });
});

describe('calls toward the operator network (keyed on the calling number)', () => {
  const view = new FakeView(
    [contoso, fabrikam],
    [
      numberFacts('+441632960101', 'contoso', { teamsDirectRouting: true, azureOperatorCallProtection: true }, 'c101'),
      numberFacts('+441632960102', 'contoso', { teamsOperatorConnect: true }, 'c102'),
      numberFacts('+441632960201', 'fabrikam', { teamsDirectRouting: true }, 'f201'),
      numberFacts('+441632960202', 'fabrikam', { zoomPhoneCloudPeering: true }, 'f202'),
      numberFacts('+4915100000301', 'fabrikam', { azureOperatorCallProtection: true }),
    ],
  );

  test('screening on: a Direct Routing caller of that account routes with its header and Call Protection (R4, D6)', () => {
    expect(decide(toOperator('+441632960101', '+441632969999', 'teamsDirectRouting', 'contoso'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'operatorNetwork',
      callProtection: true,
      accountName: 'contoso',
      teamsTenantId: CONTOSO_TENANT,
      contactHosts: [],
      customHeader: { name: SETTINGS.headerName, value: 'c101' },
      defaulted: false,
      defaultedBy: null,
      ttlSeconds: 7,
    });
  });

  test('screening on: a DR caller of another account is rejected with SIP 403 (D6)', () => {
    expect(decide(toOperator('+441632960201', '+441632969999', 'teamsDirectRouting', 'contoso'), view, SETTINGS)).toStrictEqual({
      action: 'reject',
      sipStatus: 403,
      reason: 'CallerIdScreeningFailed',
      callProtection: false,
      accountName: 'contoso',
      teamsTenantId: CONTOSO_TENANT,
      contactHosts: [],
      customHeader: null,
      defaulted: false,
      defaultedBy: null,
      ttlSeconds: 7,
    });
  });

  test('screening on: a caller of that account without Direct Routing is rejected with SIP 403 (D6)', () => {
    expect(decide(toOperator('+441632960102', '+441632969999', 'teamsDirectRouting', 'contoso'), view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 403, reason: 'CallerIdScreeningFailed' });
  });

  test('screening off: a DR caller of another account routes without that account\'s header or Call Protection (R4 "when off, no check")', () => {
    expect(decide(toOperator('+441632960101', '+441632969999', 'teamsDirectRouting', 'fabrikam'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'operatorNetwork',
      callProtection: false,
      accountName: 'fabrikam',
      teamsTenantId: null,
      contactHosts: [],
      customHeader: null,
      defaulted: false,
      defaultedBy: null,
      ttlSeconds: 7,
    });
  });

  test('screening off: any calling number routes, unprovisioned or of another service (R3, R4: the trunk names the service)', () => {
    for (const caller of ['+441632960202', '+441632960999', '+4915100000301']) {
      expect(decide(toOperator(caller, '+441632969999', 'teamsDirectRouting', 'fabrikam'), view, SETTINGS)).toStrictEqual({
        action: 'route',
        destination: 'operatorNetwork',
        // +4915100000301 is fabrikam's own Call Protection number: it forks.
        callProtection: caller === '+4915100000301',
        accountName: 'fabrikam',
        teamsTenantId: null,
        contactHosts: [],
        customHeader: null,
        defaulted: false,
        defaultedBy: null,
        ttlSeconds: 7,
      });
    }
  });

  test('screening off: a DR number of that account brings its header', () => {
    const open = accountFacts('open', CONTOSO_TENANT, { subdomain: 'open', callScreening: false });
    const own = new FakeView([open], [numberFacts('+441632960501', 'open', { teamsDirectRouting: true }, 'open_501')]);
    expect(decide(toOperator('+441632960501', '+441632969999', 'teamsDirectRouting', 'open'), own, SETTINGS)).toMatchObject({
      action: 'route',
      accountName: 'open',
      customHeader: { name: SETTINGS.headerName, value: 'open_501' },
    });
  });

  test('an unknown or absent subdomain is rejected 404 UnknownSubdomain', () => {
    for (const subdomain of ['nosuch', undefined]) {
      expect(decide(toOperator('+441632960101', '+441632969999', 'teamsDirectRouting', subdomain), view, SETTINGS)).toMatchObject({
        action: 'reject',
        sipStatus: 404,
        reason: 'UnknownSubdomain',
        accountName: null,
      });
    }
  });

  test('decision: an account found by subdomain without a Direct Routing block is screened (on by default, R4)', () => {
    const odd: RoutingFacts = {
      number: () => numberFacts('+441632960401', 'other', { teamsDirectRouting: true }),
      account: () => undefined,
      accountBySubdomain: () => accountFacts('odd', undefined),
    };
    expect(decide(toOperator('+441632960401', '+441632969999', 'teamsDirectRouting', 'odd'), odd, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 403 });
  });

  test('Zoom: a caller enabled for Zoom routes with its header; any other is rejected 404 (R2)', () => {
    expect(decide(toOperator('+441632960202', '+441632969999', 'zoomPhoneCloudPeering'), view, SETTINGS)).toMatchObject({
      action: 'route',
      destination: 'operatorNetwork',
      accountName: 'fabrikam',
      customHeader: { name: SETTINGS.headerName, value: 'f202' },
    });
    expect(decide(toOperator('+441632960201', '+441632969999', 'zoomPhoneCloudPeering'), view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', accountName: null });
  });

  test('Operator Connect: a provisioned OC caller routes with its header; an unprovisioned one routes defaulted (R5)', () => {
    expect(decide(toOperator('+441632960102', '+441632969999', 'teamsOperatorConnect'), view, SETTINGS)).toMatchObject({
      defaulted: false,
      accountName: 'contoso',
      teamsTenantId: CONTOSO_TENANT,
      customHeader: { name: SETTINGS.headerName, value: 'c102' },
    });
    expect(decide(toOperator('+441632960999', '+441632969999', 'teamsOperatorConnect'), view, SETTINGS)).toMatchObject({
      action: 'route',
      destination: 'operatorNetwork',
      defaulted: true,
      accountName: null,
      customHeader: null,
      callProtection: false,
    });
  });

  test('Teams Phone Mobile: a Call-Protection-only caller routes defaulted and still forks to Call Protection', () => {
    expect(decide(toOperator('+4915100000301', '+441632969999', 'teamsPhoneMobile'), view, SETTINGS)).toMatchObject({
      action: 'route',
      defaulted: true,
      callProtection: true,
      accountName: null,
      customHeader: null,
    });
  });

  test('decision: a question the HTTP layer would refuse is answered, not thrown: unknown origin or direction → 500', () => {
    const noOrigin = { direction: 'toOperator', from: '+441632960102', to: '+441632969999' } as RouteQuestion;
    const badOrigin = { ...noOrigin, origin: 'skype' } as unknown as RouteQuestion;
    const badDirection = { direction: 'sideways', from: '+441632960102', to: '+441632969999' } as unknown as RouteQuestion;
    expect(decide(noOrigin, view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 500, reason: 'UnknownOrigin' });
    expect(decide(badOrigin, view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 500, reason: 'UnknownOrigin' });
    expect(decide(badDirection, view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 500, reason: 'UnknownDirection' });
  });
});

describe('answer shape', () => {
  test('answers without Contact hosts share one frozen empty array', () => {
    const view = new FakeView([], []);
    const first = decide(fromOperator('+4930200000', '+4930200007'), view, SETTINGS);
    const second = decide(toOperator('+4930200007', '+4930200000', 'teamsDirectRouting', 'nosuch'), view, SETTINGS);
    expect(first.contactHosts).toBe(NO_CONTACT_HOSTS);
    expect(second.contactHosts).toBe(NO_CONTACT_HOSTS);
    expect(Object.isFrozen(NO_CONTACT_HOSTS)).toBe(true);
  });

  test('each reject reason has one SIP status', () => {
    expect(REJECT_SIP_STATUS).toStrictEqual({
      UnknownSubdomain: 404,
      CallerIdScreeningFailed: 403,
      NumberNotProvisioned: 404,
      DirectRoutingNotConfigured: 404,
      ServiceNotOffered: 404,
      UnknownOrigin: 500,
      UnknownDirection: 500,
      ProvisioningDataUnavailable: 503,
    });
  });

  const ROUTE_KEYS = ['accountName', 'action', 'callProtection', 'contactHosts', 'customHeader', 'defaulted', 'defaultedBy', 'destination', 'teamsTenantId', 'ttlSeconds'];
  const REJECT_KEYS = ['accountName', 'action', 'callProtection', 'contactHosts', 'customHeader', 'defaulted', 'defaultedBy', 'reason', 'sipStatus', 'teamsTenantId', 'ttlSeconds'];
  const ORIGINS: readonly Origin[] = ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering'];
  const PHONES = ['+4930100', '+4915100', '+4930200', '+4917999', ''];
  const LABELS = ['s1', 's2', 'S1'];
  const ACCOUNTS = ['a', 'b', 'c'];
  const TRUNKS = ['operator-fixed', 'operator-mobile', 'other'];

  const numberArb = fc.record({
    telephoneNumber: fc.constantFrom(...PHONES),
    accountName: fc.constantFrom(...ACCOUNTS),
    teamsDirectRouting: fc.boolean(),
    teamsOperatorConnect: fc.boolean(),
    teamsPhoneMobile: fc.boolean(),
    zoomPhoneCloudPeering: fc.boolean(),
    azureOperatorCallProtection: fc.boolean(),
    customSipHeader: fc.constantFrom('', 'v1', 'v_2'),
  }, { requiredKeys: ['telephoneNumber', 'accountName', 'teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'] });
  const accountArb = fc.record({
    name: fc.constantFrom(...ACCOUNTS),
    teamsTenantId: fc.uuid(),
    directRouting: fc.record({ subdomain: fc.constantFrom(...LABELS), callScreening: fc.boolean() }),
  }, { requiredKeys: ['name'] });
  const questionArb = fc.record({
    direction: fc.constantFrom<Direction | 'sideways'>('fromOperator', 'toOperator', 'sideways'),
    from: fc.oneof(fc.constantFrom(...PHONES), fc.string()),
    to: fc.oneof(fc.constantFrom(...PHONES), fc.string()),
    origin: fc.constantFrom<Origin | 'skype'>(...ORIGINS, 'skype'),
    subdomain: fc.oneof(fc.constantFrom(...LABELS), fc.string()),
    trunk: fc.oneof(fc.constantFrom(...TRUNKS), fc.string()),
  }, { requiredKeys: ['direction', 'from', 'to'] });
  const settingsArb = fc.record({
    headerName: fc.string({ minLength: 1 }),
    customHeaderEnabled: fc.boolean(),
    services: fc.record({
      teamsDirectRouting: fc.boolean(),
      teamsOperatorConnect: fc.boolean(),
      teamsPhoneMobile: fc.boolean(),
      zoomPhoneCloudPeering: fc.boolean(),
      azureOperatorCallProtection: fc.boolean(),
    }),
    trunkDefaults: fc.array(fc.tuple(fc.constantFrom(...TRUNKS), fc.constantFrom<TrunkDefault>('teamsOperatorConnect', 'teamsPhoneMobile', 'none'))).map((entries) => new Map(entries)),
    zoomVerificationNumbers: fc.subarray(PHONES).map((numbers) => new Set(numbers)),
    baseDomain: fc.domain(),
    mobilePrefixes: fc.array(fc.constantFrom('+4915', '+4917', '+', ''), { maxLength: 3 }),
    ttlSeconds: fc.nat(),
  });

  test('property: decide never throws and answers a consistent shape with the settings ttl', () => {
    fc.assert(
      fc.property(fc.array(numberArb, { maxLength: 6 }), fc.array(accountArb, { maxLength: 4 }), questionArb, settingsArb, (numbers, accounts, question, settings) => {
        const view = new FakeView(accounts, numbers);
        const answer = decide(question as RouteQuestion, view, settings);
        expect(answer.ttlSeconds).toBe(settings.ttlSeconds);
        expect(typeof answer.callProtection).toBe('boolean');
        expect(typeof answer.defaulted).toBe('boolean');
        if (answer.action === 'reject') {
          expect(Object.keys(answer).sort()).toEqual(REJECT_KEYS);
          expect(answer.sipStatus).toBe(REJECT_SIP_STATUS[answer.reason as RejectReason]);
          expect(answer).toMatchObject({ callProtection: false, customHeader: null, contactHosts: [], defaulted: false });
          return;
        }
        expect(answer.action).toBe('route');
        expect(Object.keys(answer).sort()).toEqual(ROUTE_KEYS);
        if (answer.customHeader !== null) {
          expect(answer.customHeader.name).toBe(settings.headerName);
          expect(answer.customHeader.value).not.toBe('');
        }
        if (answer.defaulted) expect(answer).toMatchObject({ accountName: null, teamsTenantId: null, customHeader: null });
        expect(answer.defaultedBy === null).toBe(!answer.defaulted);
        if (answer.destination === 'teamsPhoneMobile') expect(answer.customHeader).toBeNull();
        if (answer.customHeader !== null) expect(settings.customHeaderEnabled).toBe(true);
        if (answer.callProtection) expect(settings.services.azureOperatorCallProtection).toBe(true);
        if (answer.contactHosts.length > 0) {
          expect(answer.destination).toBe('teamsDirectRouting');
          expect(answer.contactHosts).toHaveLength(2);
        }
        if (question.direction === 'toOperator') {
          expect(answer.destination).toBe('operatorNetwork');
          expect(settings.services[question.origin as Service]).toBe(true);
        } else {
          // Never to a service the deployment does not offer; Call Protection alone is not a destination.
          expect(answer.destination).not.toBe('operatorNetwork');
          expect(settings.services[answer.destination as Service]).toBe(true);
        }
        if (answer.defaultedBy === 'trunk') expect(settings.trunkDefaults.get(question.trunk as string)).toBe(answer.destination);
      }),
      { numRuns: 2000 },
    );
  });
});
