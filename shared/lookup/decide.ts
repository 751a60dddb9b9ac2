/**
 * The lookup's routing decision (docs/lookup.md; R1–R11 below are the rules listed there): where a
 * call goes and which custom SIP header ACG adds. Pure and total: no I/O, never throws; it runs on every call, so it compiles nothing and
 * allocates only the answer (shared frozen constants for the common empty parts).
 */
import type {
  AccountFacts,
  DefaultRule,
  Destination,
  NumberFacts,
  Origin,
  RejectReason,
  RouteAnswer,
  RouteQuestion,
  RoutingFacts,
  RoutingSettings,
} from './types';

type Header = RouteAnswer['customHeader'];

/** Shared by every answer without Contact hosts (all but Direct Routing from the operator network). */
export const NO_CONTACT_HOSTS: readonly string[] = Object.freeze([]);

/** One SIP status per reject reason. */
export const REJECT_SIP_STATUS: Readonly<Record<RejectReason, number>> = Object.freeze({
  UnknownSubdomain: 404,
  CallerIdScreeningFailed: 403,
  NumberNotProvisioned: 404,
  DirectRoutingNotConfigured: 404,
  // Final, like NumberNotProvisioned: another gateway of the same deployment offers no more.
  ServiceNotOffered: 404,
  // A question the HTTP layer would have refused with 400: our defect, not the caller's.
  UnknownOrigin: 500,
  UnknownDirection: 500,
  // Outage mode (view.ts): lets the SBC fail over rather than misroute.
  ProvisioningDataUnavailable: 503,
});

export function decide(question: RouteQuestion, facts: RoutingFacts, settings: RoutingSettings): RouteAnswer {
  if (question.direction === 'fromOperator') return fromOperatorNetwork(question, facts, settings);
  if (question.direction === 'toOperator') return toOperatorNetwork(question, facts, settings);
  return reject(settings, 'UnknownDirection', null, null);
}

/** From the operator network toward Teams/Zoom: the called number decides (R1, R7). */
function fromOperatorNetwork(question: RouteQuestion, facts: RoutingFacts, settings: RoutingSettings): RouteAnswer {
  // Zoom's service-verification numbers go to Zoom by a built-in rule: provisioning them changes nothing (R8).
  if (isZoomVerification(question.to, settings)) return defaulted(settings, 'zoomPhoneCloudPeering', false, 'zoomVerification');

  const number = facts.number(question.to);
  if (number === undefined) return defaultedFromOperator(question, false, settings);

  const destination = destinationOf(number);
  if (destination === undefined) {
    // Call Protection is an add-on, not a destination (R6): such a number routes as an unprovisioned
    // one and its calls are also offered to Call Protection. No service at all (against D7): unprovisioned.
    return defaultedFromOperator(question, forksToCallProtection(number, settings), settings);
  }

  const account = facts.account(number.accountName);
  // A route the deployment cannot take (R9): refuse rather than default a provisioned number elsewhere.
  if (!settings.services[destination]) return reject(settings, 'ServiceNotOffered', number.accountName, tenantOf(account));
  const callProtection = forksToCallProtection(number, settings);
  const header = destination === 'teamsPhoneMobile' ? null : headerOf(number, settings);
  if (destination !== 'teamsDirectRouting') {
    return route(settings, destination, callProtection, number.accountName, tenantOf(account), header, NO_CONTACT_HOSTS);
  }
  // Microsoft Phone System finds the tenant from the Contact host (R11): no subdomain, no route.
  const subdomain = account?.directRouting?.subdomain;
  if (subdomain === undefined) return reject(settings, 'DirectRoutingNotConfigured', number.accountName, tenantOf(account));
  const contactHosts = [`${subdomain}.1r1.${settings.baseDomain}`, `${subdomain}.1r2.${settings.baseDomain}`];
  return route(settings, destination, callProtection, number.accountName, tenantOf(account), header, contactHosts);
}

/**
 * A called number without a destination service: Operator Connect for fixed-line calls, Teams Phone
 * Mobile for mobile ones (R5). The trunk the call arrived on says which, when it is configured;
 * otherwise the number's prefix. A default never picks a service the deployment does not offer (R9):
 * the call's kind is known, so it is refused rather than sent to the other service.
 */
function defaultedFromOperator(question: RouteQuestion, callProtection: boolean, settings: RoutingSettings): RouteAnswer {
  const byTrunk = question.trunk === undefined ? undefined : settings.trunkDefaults.get(question.trunk);
  let destination: 'teamsOperatorConnect' | 'teamsPhoneMobile';
  let rule: DefaultRule;
  if (byTrunk !== undefined) {
    if (byTrunk === 'none') return reject(settings, 'NumberNotProvisioned', null, null);
    destination = byTrunk;
    rule = 'trunk';
  } else if (isMobile(question.to, settings.mobilePrefixes)) {
    destination = 'teamsPhoneMobile';
    rule = 'mobilePrefix';
  } else {
    destination = 'teamsOperatorConnect';
    rule = 'fixedLine';
  }
  if (!settings.services[destination]) return reject(settings, 'NumberNotProvisioned', null, null);
  return defaulted(settings, destination, callProtection, rule);
}

/** From Teams/Zoom toward the operator network: the calling number and the origin decide. */
function toOperatorNetwork(question: RouteQuestion, facts: RoutingFacts, settings: RoutingSettings): RouteAnswer {
  const origin = question.origin;
  // `=== false`: an unknown origin (a defect) is not a service and gets UnknownOrigin below.
  if (origin !== undefined && settings.services[origin] === false) return reject(settings, 'ServiceNotOffered', null, null);
  switch (origin) {
    case 'teamsDirectRouting':
      return fromDirectRouting(question, facts, settings);
    case 'zoomPhoneCloudPeering': {
      // The built-in rule works both ways: a verification number cannot be provisioned (docs/lookup.md).
      if (isZoomVerification(question.from, settings)) return defaulted(settings, 'operatorNetwork', false, 'zoomVerification');
      const number = facts.number(question.from);
      // Zoom numbers must be provisioned (R2: calls for unprovisioned Zoom numbers fail).
      if (number === undefined || !number.zoomPhoneCloudPeering) return reject(settings, 'NumberNotProvisioned', null, null);
      return toOperatorRoute(number, facts.account(number.accountName), headerOf(number, settings), settings);
    }
    case 'teamsOperatorConnect':
    case 'teamsPhoneMobile': {
      const number = facts.number(question.from);
      if (number === undefined || !number[origin]) return defaulted(settings, 'operatorNetwork', number !== undefined && forksToCallProtection(number, settings), 'origin');
      // The header is supported for Operator Connect, never for Teams Phone Mobile (R7, D4).
      return toOperatorRoute(number, facts.account(number.accountName), origin === 'teamsOperatorConnect' ? headerOf(number, settings) : null, settings);
    }
    default:
      return reject(settings, 'UnknownOrigin', null, null);
  }
}

/**
 * Teams Direct Routing: the subdomain the call arrived on names the customer and the trunk names
 * the service (R3), so the call routes whatever its calling number. Caller-ID screening, when the
 * account has it on, requires a Direct Routing number of that account (R4, D6); off, no check.
 * The calling number's own configuration (header, Call Protection) counts only when the number
 * belongs to that account: a number of another customer must not lend its header value to this
 * customer's call. Answers carry the subdomain's account: the call came from it.
 */
function fromDirectRouting(question: RouteQuestion, facts: RoutingFacts, settings: RoutingSettings): RouteAnswer {
  // Read before the subdomain, whatever comes of it: a cold view (view.ts) learns both misses in one round.
  const number = facts.number(question.from);
  const account = question.subdomain === undefined ? undefined : facts.accountBySubdomain(question.subdomain);
  if (account === undefined) return reject(settings, 'UnknownSubdomain', null, null);

  const own = number !== undefined && number.accountName === account.name ? number : undefined;
  // Screening is on by default (R4): an account without a DR block is screened.
  const screening = account.directRouting?.callScreening ?? true;
  if (screening && (own === undefined || !own.teamsDirectRouting)) {
    return reject(settings, 'CallerIdScreeningFailed', account.name, tenantOf(account));
  }
  const header = own !== undefined && own.teamsDirectRouting ? headerOf(own, settings) : null;
  const callProtection = own !== undefined && forksToCallProtection(own, settings);
  return route(settings, 'operatorNetwork', callProtection, account.name, tenantOf(account), header, NO_CONTACT_HOSTS);
}

function toOperatorRoute(number: NumberFacts, account: AccountFacts | undefined, header: Header, settings: RoutingSettings): RouteAnswer {
  const accountName = account === undefined ? number.accountName : account.name;
  return route(settings, 'operatorNetwork', forksToCallProtection(number, settings), accountName, tenantOf(account), header, NO_CONTACT_HOSTS);
}

/**
 * The number's call destination. D7 allows at most one (R10); should the view hold several, the services
 * that must be provisioned (DR, Zoom) win over those that also work unprovisioned (OC, TPM).
 */
function destinationOf(number: NumberFacts): Origin | undefined {
  if (number.teamsDirectRouting) return 'teamsDirectRouting';
  if (number.zoomPhoneCloudPeering) return 'zoomPhoneCloudPeering';
  if (number.teamsOperatorConnect) return 'teamsOperatorConnect';
  if (number.teamsPhoneMobile) return 'teamsPhoneMobile';
  return undefined;
}

/** Call Protection for a number that has it, where the deployment offers it (R6, R9). */
function forksToCallProtection(number: NumberFacts, settings: RoutingSettings): boolean {
  return number.azureOperatorCallProtection && settings.services.azureOperatorCallProtection;
}

function isZoomVerification(telephoneNumber: string, settings: RoutingSettings): boolean {
  return settings.services.zoomPhoneCloudPeering && settings.zoomVerificationNumbers.has(telephoneNumber);
}

/**
 * The number's header, for a service that supports it (callers decide that); an empty value is no
 * value. The value was checked when the number entered the view (storageFacts.ts), not here.
 */
function headerOf(number: NumberFacts, settings: RoutingSettings): Header {
  const value = number.customSipHeader;
  return !settings.customHeaderEnabled || value === undefined || value === '' ? null : { name: settings.headerName, value };
}

function isMobile(telephoneNumber: string, mobilePrefixes: readonly string[]): boolean {
  for (const prefix of mobilePrefixes) {
    if (telephoneNumber.startsWith(prefix)) return true;
  }
  return false;
}

function tenantOf(account: AccountFacts | undefined): string | null {
  return account?.teamsTenantId ?? null;
}

function route(
  settings: RoutingSettings,
  destination: Destination,
  callProtection: boolean,
  accountName: string,
  teamsTenantId: string | null,
  customHeader: Header,
  contactHosts: readonly string[],
): RouteAnswer {
  return {
    action: 'route',
    destination,
    callProtection,
    accountName,
    teamsTenantId,
    contactHosts,
    customHeader,
    defaulted: false,
    defaultedBy: null,
    ttlSeconds: settings.ttlSeconds,
  };
}

/** A route not backed by provisioned data: no account, no header, and the rule that chose it. */
function defaulted(settings: RoutingSettings, destination: Destination, callProtection: boolean, rule: DefaultRule): RouteAnswer {
  return {
    action: 'route',
    destination,
    callProtection,
    accountName: null,
    teamsTenantId: null,
    contactHosts: NO_CONTACT_HOSTS,
    customHeader: null,
    defaulted: true,
    defaultedBy: rule,
    ttlSeconds: settings.ttlSeconds,
  };
}

function reject(settings: RoutingSettings, reason: RejectReason, accountName: string | null, teamsTenantId: string | null): RouteAnswer {
  return {
    action: 'reject',
    sipStatus: REJECT_SIP_STATUS[reason],
    reason,
    callProtection: false,
    accountName,
    teamsTenantId,
    contactHosts: NO_CONTACT_HOSTS,
    customHeader: null,
    defaulted: false,
    defaultedBy: null,
    ttlSeconds: settings.ttlSeconds,
  };
}
