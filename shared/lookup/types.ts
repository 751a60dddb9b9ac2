/**
 * The lookup's vocabulary: the SIP layer's question, the provisioned facts the decision reads, and
 * the answer. Pure data: no SDKs, no I/O (shared/lookup never imports storage).
 */

export type Direction = 'fromOperator' | 'toOperator';

/** Where a call toward the operator network came from. */
export type Origin = 'teamsDirectRouting' | 'teamsOperatorConnect' | 'teamsPhoneMobile' | 'zoomPhoneCloudPeering';

export type Destination = Origin | 'operatorNetwork';

/** The services a deployment can offer (`LOOKUP_SERVICES`): the four destinations and Call Protection. */
export type Service = Origin | 'azureOperatorCallProtection';

/** What a trunk says about unprovisioned called numbers (`LOOKUP_TRUNK_DEFAULTS`); `none` = no default. */
export type TrunkDefault = 'teamsOperatorConnect' | 'teamsPhoneMobile' | 'none';

/**
 * The rule that routed a call without provisioned data for its keyed number (docs/lookup.md):
 * `trunk` (the trunk's default), `mobilePrefix` / `fixedLine` (the number's prefix), `origin` (a call
 * from Operator Connect or Teams Phone Mobile towards the operator network), `zoomVerification` (a
 * Zoom service-verification number, the built-in rule).
 */
export type DefaultRule = 'trunk' | 'mobilePrefix' | 'fixedLine' | 'origin' | 'zoomVerification';

export interface RouteQuestion {
  readonly direction: Direction;
  /** Calling number, E.164. */
  readonly from: string;
  /** Called number, E.164. */
  readonly to: string;
  /** toOperator only: the service the call arrived from. */
  readonly origin?: Origin;
  /** toOperator from Direct Routing: the customer subdomain label the call arrived on (lower case). */
  readonly subdomain?: string;
  /** fromOperator: the trunk / peer group the call arrived on (its default for unprovisioned numbers). */
  readonly trunk?: string;
}

/** What the view holds for one provisioned number (only what the decision needs). */
export interface NumberFacts {
  readonly telephoneNumber: string;
  readonly accountName: string;
  readonly teamsDirectRouting: boolean;
  readonly teamsOperatorConnect: boolean;
  readonly teamsPhoneMobile: boolean;
  readonly zoomPhoneCloudPeering: boolean;
  readonly azureOperatorCallProtection: boolean;
  /** `configuration.customSipHeader`, absent when unset. */
  readonly customSipHeader?: string;
}

/** What the view holds for one account. */
export interface AccountFacts {
  readonly name: string;
  readonly teamsTenantId?: string;
  /** Direct Routing enabled with a configuration: its subdomain label and screening flag. */
  readonly directRouting?: { readonly subdomain: string; readonly callScreening: boolean };
}

/** Read access to the view; `undefined` = known not to be provisioned. */
export interface RoutingFacts {
  number(telephoneNumber: string): NumberFacts | undefined;
  account(accountName: string): AccountFacts | undefined;
  /** The account whose Direct Routing subdomain label this is. */
  accountBySubdomain(label: string): AccountFacts | undefined;
}

export interface RoutingSettings {
  /** Deployment-wide custom header name (default `X-MS-Operator-Content`). */
  readonly headerName: string;
  /** false: answers never carry a custom header (`LOOKUP_CUSTOM_HEADER_ENABLED`). */
  readonly customHeaderEnabled: boolean;
  /** The services this deployment offers: a route or a default never picks another. */
  readonly services: Readonly<Record<Service, boolean>>;
  /** Trunk name → its default for unprovisioned called numbers; trunks not listed use the prefix rule. */
  readonly trunkDefaults: ReadonlyMap<string, TrunkDefault>;
  /** Zoom service-verification numbers: routed to Zoom by a built-in rule, whatever is provisioned. */
  readonly zoomVerificationNumbers: ReadonlySet<string>;
  /** DR base domain: contact hosts are `<subdomain>.1r1.<baseDomain>`, `<subdomain>.1r2.<baseDomain>`. */
  readonly baseDomain: string;
  /** E.164 prefixes (with '+') of mobile numbers: unprovisioned mobile numbers default to Teams Phone Mobile. */
  readonly mobilePrefixes: readonly string[];
  readonly ttlSeconds: number;
}

/**
 * Stable reject reason codes (docs/lookup.md), each with one SIP status: `REJECT_SIP_STATUS` in
 * decide.ts. `DirectRoutingNotConfigured`, `UnknownOrigin` and `UnknownDirection` cannot arise from a
 * question the HTTP layer accepted, nor from data the Provisioning API writes; they keep `decide` total.
 */
export type RejectReason =
  | 'UnknownSubdomain'
  | 'CallerIdScreeningFailed'
  | 'NumberNotProvisioned'
  | 'DirectRoutingNotConfigured'
  /** The keyed number's service, or the call's origin, is not one the deployment offers. */
  | 'ServiceNotOffered'
  | 'UnknownOrigin'
  | 'UnknownDirection'
  /** Set by the view, not decide: storage unreachable and the view does not hold the number. */
  | 'ProvisioningDataUnavailable';

export interface RouteAnswer {
  readonly action: 'route' | 'reject';
  /** Reject only: the SIP status the SBC answers with. */
  readonly sipStatus?: number;
  /** Reject only: a stable reason code (one of `RejectReason`). */
  readonly reason?: string;
  /** Route only. */
  readonly destination?: Destination;
  readonly callProtection: boolean;
  readonly accountName: string | null;
  readonly teamsTenantId: string | null;
  readonly contactHosts: readonly string[];
  readonly customHeader: { readonly name: string; readonly value: string } | null;
  readonly defaulted: boolean;
  /** The rule that routed a defaulted call; null exactly when `defaulted` is false. */
  readonly defaultedBy: DefaultRule | null;
  readonly ttlSeconds: number;
}
