/**
 * The lookup's routing decision (docs/lookup.md): where a call goes and which custom SIP header ACG
 * adds. Pure and total: no I/O, never throws; it runs on every call, so it compiles nothing and
 * allocates only the answer (shared frozen constants for the common empty parts).
 */
import type {
  AccountFacts,
  Destination,
  NumberFacts,
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

/** From the operator network toward Teams/Zoom: the called number decides (§6.1, §3.6). */
function fromOperatorNetwork(question: RouteQuestion, facts: RoutingFacts, settings: RoutingSettings): RouteAnswer {
  const number = facts.number(question.to);
  if (number === undefined) return defaultedFromOperator(question.to, settings);

  const destination = destinationOf(number);
  if (destination === undefined) {
    // Call Protection only: the call stays in the operator network, ACG only forks it (§6.5).
    if (number.azureOperatorCallProtection) {
      const account = facts.account(number.accountName);
      return route(settings, 'operatorNetwork', true, number.accountName, tenantOf(account), null, NO_CONTACT_HOSTS);
    }
    // No service at all (D7 forbids it; only a stale or hand-made view holds one): as unprovisioned.
    return defaultedFromOperator(question.to, settings);
  }

  const account = facts.account(number.accountName);
  const header = destination === 'teamsPhoneMobile' ? null : headerOf(number, settings);
  if (destination !== 'teamsDirectRouting') {
    return route(settings, destination, number.azureOperatorCallProtection, number.accountName, tenantOf(account), header, NO_CONTACT_HOSTS);
  }
  // Microsoft Phone System finds the tenant from the Contact host (§6.2): no subdomain, no route.
  const subdomain = account?.directRouting?.subdomain;
  if (subdomain === undefined) return reject(settings, 'DirectRoutingNotConfigured', number.accountName, tenantOf(account));
  const contactHosts = [`${subdomain}.1r1.${settings.baseDomain}`, `${subdomain}.1r2.${settings.baseDomain}`];
  return route(settings, destination, number.azureOperatorCallProtection, number.accountName, tenantOf(account), header, contactHosts);
}

/** Unprovisioned called number: fixed → Operator Connect, mobile → Teams Phone Mobile (§6.1). */
function defaultedFromOperator(to: string, settings: RoutingSettings): RouteAnswer {
  const destination = isMobile(to, settings.mobilePrefixes) ? 'teamsPhoneMobile' : 'teamsOperatorConnect';
  return defaulted(settings, destination, false);
}

/** From Teams/Zoom toward the operator network: the calling number and the origin decide. */
function toOperatorNetwork(question: RouteQuestion, facts: RoutingFacts, settings: RoutingSettings): RouteAnswer {
  // Read before the subdomain, whatever comes of it: a cold view (view.ts) learns both misses in one round.
  const number = facts.number(question.from);
  const origin = question.origin;
  switch (origin) {
    case 'teamsDirectRouting':
      return fromDirectRouting(question.subdomain, number, facts, settings);
    case 'zoomPhoneCloudPeering':
      // Zoom numbers must be provisioned (§3.10: calls for unprovisioned Zoom numbers fail).
      if (number === undefined || !number.zoomPhoneCloudPeering) return reject(settings, 'NumberNotProvisioned', null, null);
      return toOperatorRoute(number, facts.account(number.accountName), headerOf(number, settings), settings);
    case 'teamsOperatorConnect':
    case 'teamsPhoneMobile':
      if (number === undefined || !number[origin]) return defaulted(settings, 'operatorNetwork', number?.azureOperatorCallProtection === true);
      // The header is supported for Operator Connect, never for Teams Phone Mobile (§3.6, D4).
      return toOperatorRoute(number, facts.account(number.accountName), origin === 'teamsOperatorConnect' ? headerOf(number, settings) : null, settings);
    default:
      return reject(settings, 'UnknownOrigin', null, null);
  }
}

/**
 * Teams Direct Routing: the subdomain the call arrived on names the customer (§6.2); caller-ID
 * screening per that account (D6, §3.7). Answers carry the subdomain's account: the call came from it.
 */
function fromDirectRouting(
  subdomain: string | undefined,
  number: NumberFacts | undefined,
  facts: RoutingFacts,
  settings: RoutingSettings,
): RouteAnswer {
  const account = subdomain === undefined ? undefined : facts.accountBySubdomain(subdomain);
  if (account === undefined) return reject(settings, 'UnknownSubdomain', null, null);

  // Screening is on by default (§3.7): an account without a DR block is screened.
  const screening = account.directRouting?.callScreening ?? true;
  if (screening) {
    if (number === undefined || !number.teamsDirectRouting || number.accountName !== account.name) {
      return reject(settings, 'CallerIdScreeningFailed', account.name, tenantOf(account));
    }
  } else if (number === undefined || !number.teamsDirectRouting) {
    // Direct Routing numbers must be provisioned (§6.1), screening or not.
    return reject(settings, 'NumberNotProvisioned', account.name, tenantOf(account));
  }
  return toOperatorRoute(number, account, headerOf(number, settings), settings);
}

function toOperatorRoute(number: NumberFacts, account: AccountFacts | undefined, header: Header, settings: RoutingSettings): RouteAnswer {
  const accountName = account === undefined ? number.accountName : account.name;
  return route(settings, 'operatorNetwork', number.azureOperatorCallProtection, accountName, tenantOf(account), header, NO_CONTACT_HOSTS);
}

/**
 * The number's call destination. D7 allows at most one; should the view hold several, the services
 * that must be provisioned (DR, Zoom) win over those that also work unprovisioned (OC, TPM).
 */
function destinationOf(number: NumberFacts): Destination | undefined {
  if (number.teamsDirectRouting) return 'teamsDirectRouting';
  if (number.zoomPhoneCloudPeering) return 'zoomPhoneCloudPeering';
  if (number.teamsOperatorConnect) return 'teamsOperatorConnect';
  if (number.teamsPhoneMobile) return 'teamsPhoneMobile';
  return undefined;
}

/** The number's header, for a service that supports it (callers decide that); an empty value is no value. */
function headerOf(number: NumberFacts, settings: RoutingSettings): Header {
  const value = number.customSipHeader;
  return value === undefined || value === '' ? null : { name: settings.headerName, value };
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
  return { action: 'route', destination, callProtection, accountName, teamsTenantId, contactHosts, customHeader, defaulted: false, ttlSeconds: settings.ttlSeconds };
}

/** A route not backed by provisioned data: no account, no header. */
function defaulted(settings: RoutingSettings, destination: Destination, callProtection: boolean): RouteAnswer {
  return {
    action: 'route',
    destination,
    callProtection,
    accountName: null,
    teamsTenantId: null,
    contactHosts: NO_CONTACT_HOSTS,
    customHeader: null,
    defaulted: true,
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
    ttlSeconds: settings.ttlSeconds,
  };
}
