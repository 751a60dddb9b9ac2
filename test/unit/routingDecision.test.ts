import fc from 'fast-check';
import { decide, NO_CONTACT_HOSTS, REJECT_SIP_STATUS } from '../../shared/routing/decide';
import type {
  AccountFacts,
  Destination,
  Direction,
  NumberFacts,
  Origin,
  RejectReason,
  RouteAnswer,
  RouteQuestion,
  RoutingFacts,
  RoutingSettings,
} from '../../shared/routing/types';

// ---------------------------------------------------------------------------------------------------
// Fixtures: two accounts with Direct Routing, a fake view, deployment settings.

const SETTINGS: RoutingSettings = {
  headerName: 'X-Test-Operator-Content', // not the default: the name must come from the settings
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

const fromOperator = (from: string, to: string): RouteQuestion => ({ direction: 'fromOperator', from, to });
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

type ServiceCase = 'unprovisioned' | 'DR' | 'OC' | 'TPM' | 'Zoom' | 'CP' | 'DR+CP' | 'OC+CP' | 'TPM+CP' | 'Zoom+CP';
/** Where the keyed number is provisioned: in the account owning the question's subdomain (acme), another (globex), nowhere. */
type Placement = 'subdomainAccount' | 'otherAccount' | 'nowhere';
type Route = 'fromOperator' | `toOperator/${Origin}`;
type SubdomainCase = 'acme' | 'unknown' | 'absent';

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

/** Does the keyed number fork to Call Protection (read by routed answers only). */
const FORKS: Readonly<Record<ServiceCase, boolean>> = {
  unprovisioned: false, DR: false, OC: false, TPM: false, Zoom: false,
  CP: true, 'DR+CP': true, 'OC+CP': true, 'TPM+CP': true, 'Zoom+CP': true,
};

/**
 * fromOperator, by the called number's case. `to`: the destination ('byPrefix' = fixed → OC, mobile
 * → TPM); `owned`: the answer names the number's account; `header`: its value is sent when set;
 * `hosts`: the account's two Contact hosts.
 */
interface FromOperatorRow {
  readonly to: Destination | 'byPrefix';
  readonly owned: boolean;
  readonly header: boolean;
  readonly hosts: boolean;
  readonly defaulted: boolean;
}
const FROM_OPERATOR: Readonly<Record<ServiceCase, FromOperatorRow>> = {
  unprovisioned: { to: 'byPrefix', owned: false, header: false, hosts: false, defaulted: true },
  DR: { to: 'teamsDirectRouting', owned: true, header: true, hosts: true, defaulted: false },
  OC: { to: 'teamsOperatorConnect', owned: true, header: true, hosts: false, defaulted: false },
  TPM: { to: 'teamsPhoneMobile', owned: true, header: false, hosts: false, defaulted: false },
  Zoom: { to: 'zoomPhoneCloudPeering', owned: true, header: true, hosts: false, defaulted: false },
  CP: { to: 'operatorNetwork', owned: true, header: false, hosts: false, defaulted: false },
  'DR+CP': { to: 'teamsDirectRouting', owned: true, header: true, hosts: true, defaulted: false },
  'OC+CP': { to: 'teamsOperatorConnect', owned: true, header: true, hosts: false, defaulted: false },
  'TPM+CP': { to: 'teamsPhoneMobile', owned: true, header: false, hosts: false, defaulted: false },
  'Zoom+CP': { to: 'zoomPhoneCloudPeering', owned: true, header: true, hosts: false, defaulted: false },
};
const BY_PREFIX: Readonly<Record<'mobile' | 'fixed', Destination>> = { mobile: 'teamsPhoneMobile', fixed: 'teamsOperatorConnect' };

/** toOperator outcomes. `route+header`: routed, header when the number has a value. */
type Outcome = 'route' | 'route+header' | 'defaulted' | 'reject403' | 'reject404' | 'unknownSubdomain';

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

/** toOperator from Direct Routing on the known subdomain (acme), by acme's screening (D6, §3.7, §6.1). */
const TO_OPERATOR_FROM_DR: Readonly<Record<'on' | 'off', Readonly<Record<Placement, Readonly<Partial<Record<'dr' | 'noDr', Outcome>>>>>>> = {
  on: {
    subdomainAccount: { dr: 'route+header', noDr: 'reject403' },
    otherAccount: { dr: 'reject403', noDr: 'reject403' },
    nowhere: { noDr: 'reject403' },
  },
  off: {
    subdomainAccount: { dr: 'route+header', noDr: 'reject404' },
    otherAccount: { dr: 'route+header', noDr: 'reject404' },
    nowhere: { noDr: 'reject404' },
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
  if (d.route === 'fromOperator') return { ...fromOperator(DECOY, keyed), ...(subdomain === undefined ? {} : { subdomain }) };
  const origin = d.route.slice('toOperator/'.length) as Origin;
  return toOperator(keyed, DECOY, origin, subdomain);
}

function expectedHeader(d: Dimensions, sendsHeader: boolean): RouteAnswer['customHeader'] {
  const value = HEADER_VALUE[d.placement];
  return sendsHeader && d.header === 'set' && value !== undefined ? { name: SETTINGS.headerName, value } : null;
}

function routed(destination: Destination, callProtection: boolean, accountName: string | null, customHeader: RouteAnswer['customHeader'], contactHosts: readonly string[], defaulted: boolean): RouteAnswer {
  return {
    action: 'route',
    destination,
    callProtection,
    accountName,
    teamsTenantId: accountName === null ? null : (TENANT_OF[accountName] ?? null),
    contactHosts,
    customHeader,
    defaulted,
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
    ttlSeconds: SETTINGS.ttlSeconds,
  };
}

function expectedFromOperator(d: Dimensions): RouteAnswer {
  const row = FROM_OPERATOR[d.service];
  const destination = row.to === 'byPrefix' ? BY_PREFIX[d.kind] : row.to;
  const owner = row.owned ? ACCOUNT_NAME[d.placement] : null;
  const hosts = row.hosts && owner !== null ? [`${owner}.1r1.gw.example.net`, `${owner}.1r2.gw.example.net`] : [];
  return routed(destination, FORKS[d.service], owner, expectedHeader(d, row.header), hosts, row.defaulted);
}

function expectedToOperator(d: Dimensions, origin: Origin): RouteAnswer {
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
      return routed('operatorNetwork', FORKS[d.service], account, null, [], false);
    case 'route+header':
      return routed('operatorNetwork', FORKS[d.service], account, expectedHeader(d, true), [], false);
    case 'defaulted':
      return routed('operatorNetwork', FORKS[d.service], null, null, [], true);
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

function decisionTable(): Row[] {
  const rows: Row[] = [];
  for (const service of SERVICE_CASES) {
    const placements: readonly Placement[] = service === 'unprovisioned' ? ['nowhere'] : ['subdomainAccount', 'otherAccount'];
    for (const placement of placements)
      for (const screening of ['on', 'off'] as const)
        for (const header of ['set', 'unset'] as const)
          for (const kind of ['mobile', 'fixed'] as const)
            for (const route of ROUTES)
              for (const subdomain of ['acme', 'unknown', 'absent'] as const) {
                const d: Dimensions = { service, placement, screening, header, kind, route, subdomain };
                const keyed = KEYED[kind];
                const expected = route === 'fromOperator' ? expectedFromOperator(d) : expectedToOperator(d, route.slice('toOperator/'.length) as Origin);
                rows.push({
                  name: `${route} | ${service} in ${placement} | screening ${screening} | header ${header} | ${kind} | subdomain ${subdomain}`,
                  question: rowQuestion(d, keyed),
                  facts: rowFacts(d, keyed),
                  expected,
                });
              }
  }
  return rows;
}

const TABLE = decisionTable();

describe('decision table', () => {
  test('covers every combination of the brief (19 number setups × 2 × 2 × 2 × 5 routes × 3 subdomains)', () => {
    expect(TABLE).toHaveLength(19 * 2 * 2 * 2 * 5 * 3);
    expect(new Set(TABLE.map((row) => row.name)).size).toBe(TABLE.length);
  });

  test.each(TABLE)('$name', ({ question, facts, expected }) => {
    expect(decide(question, facts, SETTINGS)).toStrictEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// Scenarios mirroring the spec sentences.

const CONTOSO_TENANT = '33333333-3333-4333-8333-333333333333';
const contoso = accountFacts('contoso', CONTOSO_TENANT, { subdomain: 'contoso', callScreening: true });
const fabrikam = accountFacts('fabrikam', undefined, { subdomain: 'fabrikam', callScreening: false });

describe('calls from the operator network (keyed on the called number)', () => {
  test('routes a Direct Routing number to Teams with the two Contact hosts of its account and its header (§6.2, §3.6)', () => {
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
      ttlSeconds: 7,
    });
  });

  test('defaults an unprovisioned fixed number to Operator Connect and a mobile one to Teams Phone Mobile (§6.1)', () => {
    const view = new FakeView([], []);
    expect(decide(fromOperator('+4915100000001', '+4930200000'), view, SETTINGS)).toMatchObject({ action: 'route', destination: 'teamsOperatorConnect', defaulted: true, customHeader: null, accountName: null });
    expect(decide(fromOperator('+4930200000', '+4917100000001'), view, SETTINGS)).toMatchObject({ action: 'route', destination: 'teamsPhoneMobile', defaulted: true, customHeader: null, accountName: null });
  });

  test('keeps a Call-Protection-only number in the operator network, forking to Call Protection, without a header (§6.5, §3.6)', () => {
    const view = new FakeView([contoso], [numberFacts('+4915100000002', 'contoso', { azureOperatorCallProtection: true }, 'ignored')]);
    expect(decide(fromOperator('+4930200000', '+4915100000002'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'operatorNetwork',
      callProtection: true,
      accountName: 'contoso',
      teamsTenantId: CONTOSO_TENANT,
      contactHosts: [],
      customHeader: null,
      defaulted: false,
      ttlSeconds: 7,
    });
  });

  test('never adds the header for a Teams Phone Mobile number, even with a stored value (§3.6, D4)', () => {
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
      ttlSeconds: 7,
    });
  });

  test('decision: a Direct Routing number whose account has no subdomain is rejected 404 DirectRoutingNotConfigured (no Contact host, §6.2)', () => {
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

  test('decision: an empty header value counts as no value (§3.6)', () => {
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

  test('screening on: a Direct Routing caller of that account routes with its header and Call Protection (D6, §3.7)', () => {
    expect(decide(toOperator('+441632960101', '+441632969999', 'teamsDirectRouting', 'contoso'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'operatorNetwork',
      callProtection: true,
      accountName: 'contoso',
      teamsTenantId: CONTOSO_TENANT,
      contactHosts: [],
      customHeader: { name: SETTINGS.headerName, value: 'c101' },
      defaulted: false,
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
      ttlSeconds: 7,
    });
  });

  test('screening on: a caller of that account without Direct Routing is rejected with SIP 403 (D6)', () => {
    expect(decide(toOperator('+441632960102', '+441632969999', 'teamsDirectRouting', 'contoso'), view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 403, reason: 'CallerIdScreeningFailed' });
  });

  test('screening off: a DR caller of another account routes, header from the calling number (§3.7 "when off, no check")', () => {
    expect(decide(toOperator('+441632960101', '+441632969999', 'teamsDirectRouting', 'fabrikam'), view, SETTINGS)).toStrictEqual({
      action: 'route',
      destination: 'operatorNetwork',
      callProtection: true,
      accountName: 'fabrikam',
      teamsTenantId: null,
      contactHosts: [],
      customHeader: { name: SETTINGS.headerName, value: 'c101' },
      defaulted: false,
      ttlSeconds: 7,
    });
  });

  test('screening off: a caller not enabled for Direct Routing is rejected 404 NumberNotProvisioned (§6.1)', () => {
    for (const caller of ['+441632960202', '+441632960999']) {
      expect(decide(toOperator(caller, '+441632969999', 'teamsDirectRouting', 'fabrikam'), view, SETTINGS)).toMatchObject({
        action: 'reject',
        sipStatus: 404,
        reason: 'NumberNotProvisioned',
        accountName: 'fabrikam',
      });
    }
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

  test('decision: an account found by subdomain without a Direct Routing block is screened (on by default, §3.7)', () => {
    const odd: RoutingFacts = {
      number: () => numberFacts('+441632960401', 'other', { teamsDirectRouting: true }),
      account: () => undefined,
      accountBySubdomain: () => accountFacts('odd', undefined),
    };
    expect(decide(toOperator('+441632960401', '+441632969999', 'teamsDirectRouting', 'odd'), odd, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 403 });
  });

  test('Zoom: a caller enabled for Zoom routes with its header; any other is rejected 404 (§3.10, §6.4)', () => {
    expect(decide(toOperator('+441632960202', '+441632969999', 'zoomPhoneCloudPeering'), view, SETTINGS)).toMatchObject({
      action: 'route',
      destination: 'operatorNetwork',
      accountName: 'fabrikam',
      customHeader: { name: SETTINGS.headerName, value: 'f202' },
    });
    expect(decide(toOperator('+441632960201', '+441632969999', 'zoomPhoneCloudPeering'), view, SETTINGS)).toMatchObject({ action: 'reject', sipStatus: 404, reason: 'NumberNotProvisioned', accountName: null });
  });

  test('Operator Connect: a provisioned OC caller routes with its header; an unprovisioned one routes defaulted (§6.1)', () => {
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
      UnknownOrigin: 500,
      UnknownDirection: 500,
      ProvisioningDataUnavailable: 503,
    });
  });

  const ROUTE_KEYS = ['accountName', 'action', 'callProtection', 'contactHosts', 'customHeader', 'defaulted', 'destination', 'teamsTenantId', 'ttlSeconds'];
  const REJECT_KEYS = ['accountName', 'action', 'callProtection', 'contactHosts', 'customHeader', 'defaulted', 'reason', 'sipStatus', 'teamsTenantId', 'ttlSeconds'];
  const ORIGINS: readonly Origin[] = ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering'];
  const PHONES = ['+4930100', '+4915100', '+4930200', '+4917999', ''];
  const LABELS = ['s1', 's2', 'S1'];
  const ACCOUNTS = ['a', 'b', 'c'];

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
  }, { requiredKeys: ['direction', 'from', 'to'] });
  const settingsArb = fc.record({
    headerName: fc.string({ minLength: 1 }),
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
        if (answer.destination === 'teamsPhoneMobile') expect(answer.customHeader).toBeNull();
        if (answer.contactHosts.length > 0) {
          expect(answer.destination).toBe('teamsDirectRouting');
          expect(answer.contactHosts).toHaveLength(2);
        }
        if (question.direction === 'toOperator') expect(answer.destination).toBe('operatorNetwork');
        if (question.direction === 'fromOperator' && answer.destination === 'operatorNetwork') expect(answer.callProtection).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
