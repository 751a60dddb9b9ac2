/**
 * The lookup's answer as zod schemas, for the OpenAPI document (shared/operations/openapi.ts) only:
 * the handler sends what `decide` returns and never parses it. The TypeScript vocabulary (types.ts)
 * stays the decision's own (decide.ts imports nothing else, .dependency-cruiser.cjs); the checks at
 * the end of this file fail to compile when the two disagree on a field, a field's type or an enum.
 *
 * Three shapes, as docs/lookup.md "The answer" states them: a route from provisioned data, a
 * defaulted route (no account, no header, the rule that chose it) and a reject (no destination, no
 * fork, no header). test/contract/openapiLookup.test.ts validates real answers against the served
 * document.
 */
import { z } from 'zod';
import { REJECT_SIP_STATUS } from './decide';
import type { DefaultRule, Destination, RejectReason, RouteAnswer } from './types';

/** Every named answer schema: the document gives each one entry under components/schemas. */
export const LOOKUP_ANSWERS = z.registry<{ id: string }>();

function named<S extends z.ZodType>(id: string, schema: S): S {
  LOOKUP_ANSWERS.add(schema, { id });
  return schema;
}

const DESTINATIONS = ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'operatorNetwork'] as const;
const DEFAULT_RULES = ['trunk', 'mobilePrefix', 'fixedLine', 'origin', 'zoomVerification'] as const;
const REJECT_REASONS = [
  'UnknownSubdomain',
  'CallerIdScreeningFailed',
  'NumberNotProvisioned',
  'DirectRoutingNotConfigured',
  'ServiceNotOffered',
  'UnknownOrigin',
  'UnknownDirection',
  'ProvisioningDataUnavailable',
] as const;
/** The statuses decide.ts gives its reasons (ProvisioningDataUnavailable's 503 among them). */
const SIP_STATUSES = [...new Set(Object.values(REJECT_SIP_STATUS))].sort((a, b) => a - b);

const destination = z.enum(DESTINATIONS).describe('Where the call goes.');
const ttlSeconds = z.number().int().min(0).describe('How long the SIP layer may reuse this answer for the same question (LOOKUP_TTL_SECONDS; 0 in outage mode).');
const callProtection = z.boolean().describe('Fork the call to Azure Operator Call Protection.');
const teamsTenantId = z.string().nullable().describe("The account's Teams tenant, when it has one.");
const contactHosts = z.array(z.string()).describe('Direct Routing towards Teams only: <subdomain>.1r1.<baseDomain> and <subdomain>.1r2.<baseDomain>; empty otherwise.');
const noContactHosts = z.array(z.string()).max(0).describe('Always empty here.');
const customHeader = z
  .object({ name: z.string(), value: z.string() })
  .nullable()
  .describe('The custom SIP header to add on messages towards the operator network; null for none.');

const provisionedRouteSchema = named(
  'RouteAnswerProvisioned',
  z.object({
    action: z.literal('route'),
    destination,
    callProtection,
    accountName: z.string().describe('The customer account the call is attributed to.'),
    teamsTenantId,
    contactHosts,
    customHeader,
    defaulted: z.literal(false),
    defaultedBy: z.null(),
    ttlSeconds,
  }),
);

const defaultedRouteSchema = named(
  'RouteAnswerDefaulted',
  z.object({
    action: z.literal('route'),
    destination,
    callProtection,
    accountName: z.null(),
    teamsTenantId: z.null(),
    contactHosts: noContactHosts,
    customHeader: z.null(),
    defaulted: z.literal(true),
    defaultedBy: z.enum(DEFAULT_RULES).describe('The rule that routed a call without provisioned data for its keyed number (docs/lookup.md).'),
    ttlSeconds,
  }),
);

const rejectSchema = named(
  'RouteAnswerReject',
  z.object({
    action: z.literal('reject'),
    sipStatus: z.literal(SIP_STATUSES).describe('The SIP status the SBC answers the INVITE with.'),
    reason: z.enum(REJECT_REASONS).describe('A stable reason code, one SIP status each.'),
    callProtection: z.literal(false),
    accountName: z.string().nullable().describe("The subdomain's or the number's account, when known."),
    teamsTenantId,
    contactHosts: noContactHosts,
    customHeader: z.null(),
    defaulted: z.literal(false),
    defaultedBy: z.null(),
    ttlSeconds,
  }),
);

/** One answer of `GET /lookup/v1/route`: routed from provisioned data, routed by a default, or rejected. */
export const routeAnswerSchema = named(
  'RouteAnswer',
  z.discriminatedUnion('action', [z.discriminatedUnion('defaulted', [provisionedRouteSchema, defaultedRouteSchema]), rejectSchema]),
);

/** `POST /lookup/v1/route:batch`: one answer per question, in question order. */
export const routeAnswersSchema = named('RouteAnswers', z.object({ answers: z.array(routeAnswerSchema) }));

// ---- compile-time agreement with types.ts ------------------------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** readonly arrays compare as arrays: the schema's output is mutable, the vocabulary's is not. */
type Plain<T> = T extends readonly (infer E)[] ? E[] : T;
type Answer = z.output<typeof routeAnswerSchema>;
/** A field over every shape of the answer (absent in a shape = not part of that shape's type). */
type FieldOf<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? Plain<U[K]> : never) : never;
type AllKeys<U> = U extends unknown ? keyof U : never;
/** types.ts types `reason` as string and names RejectReason in a comment; the schema enumerates it. */
type Vocabulary = Omit<RouteAnswer, 'reason'> & { readonly reason?: RejectReason };
type FieldMismatches = { [K in keyof Vocabulary]-?: Same<Plain<Exclude<Vocabulary[K], undefined>>, FieldOf<Answer, K>> extends true ? never : K }[keyof Vocabulary];

export type AnswerSchemaAgreesWithTypes = [
  Assert<Same<AllKeys<Answer>, keyof RouteAnswer>>,
  Assert<Same<FieldMismatches, never>>,
  Assert<Answer extends RouteAnswer ? true : false>,
  Assert<Same<(typeof DESTINATIONS)[number], Destination>>,
  Assert<Same<(typeof DEFAULT_RULES)[number], DefaultRule>>,
  Assert<Same<(typeof REJECT_REASONS)[number], RejectReason>>,
];
