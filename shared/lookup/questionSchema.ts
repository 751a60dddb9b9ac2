/**
 * The lookup's question as zod schemas, for the OpenAPI document (shared/operations/openapi.ts)
 * only: question.ts parses every call by hand (its messages and targets are the contract of the
 * 400) and this file states what it accepts, with its patterns. The enums are checked against
 * types.ts at compile time; test/contract/openapiLookup.test.ts checks that the served schemas and
 * the running lookup accept and refuse the same questions.
 */
import { z } from 'zod';
import { E164, LABEL, MAX_BATCH_QUESTIONS, TRUNK_NAME } from './question';
import type { Direction, Origin, RouteQuestion } from './types';

const DIRECTIONS = ['fromOperator', 'toOperator'] as const;
const ORIGINS = ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering'] as const;
const OTHER_ORIGINS = ORIGINS.filter((origin): origin is Exclude<Origin, 'teamsDirectRouting'> => origin !== 'teamsDirectRouting');

const e164 = (meaning: string) => z.string().regex(E164).describe(`${meaning}, E.164: "+", a non-zero digit, at most 15 digits in all.`);

/** Each field of the question, as the query parameter of `GET /lookup/v1/route` and the batch field. */
export const QUESTION_FIELDS = {
  direction: z
    .enum(DIRECTIONS)
    .describe('fromOperator: a call from the operator network, keyed on the called number; toOperator: a call towards it, keyed on the calling number.'),
  from: e164('Calling number'),
  to: e164('Called number'),
  origin: z.enum(ORIGINS).describe('Required for toOperator: the service the call arrived from. Ignored (unread) for fromOperator.'),
  subdomain: z
    .string()
    .regex(LABEL)
    .describe('Required for toOperator with origin teamsDirectRouting: the subdomain label the call arrived on, compared in lower case. Ignored (unread) otherwise.'),
  trunk: z
    .string()
    .regex(TRUNK_NAME)
    .describe('Optional for fromOperator: the trunk the call arrived on; its default (LOOKUP_TRUNK_DEFAULTS) routes unprovisioned numbers. Ignored (unread) for toOperator.'),
} as const;

/** Needed by every question; the others depend on the direction (and origin). */
export const ALWAYS_REQUIRED: ReadonlySet<string> = new Set<keyof RouteQuestion>(['direction', 'from', 'to']);

/** A field the question's direction (or origin) does not use: never read, so any value passes. */
const ignored = z.unknown().optional().describe('Ignored (unread) for this direction and origin.');

const fromOperatorQuestion = z.strictObject({
  direction: z.literal('fromOperator'),
  from: QUESTION_FIELDS.from,
  to: QUESTION_FIELDS.to,
  trunk: QUESTION_FIELDS.trunk.optional(),
  origin: ignored,
  subdomain: ignored,
});

const fromDirectRoutingQuestion = z.strictObject({
  direction: z.literal('toOperator'),
  from: QUESTION_FIELDS.from,
  to: QUESTION_FIELDS.to,
  origin: z.literal('teamsDirectRouting'),
  subdomain: QUESTION_FIELDS.subdomain,
  trunk: ignored,
});

const fromOtherServiceQuestion = z.strictObject({
  direction: z.literal('toOperator'),
  from: QUESTION_FIELDS.from,
  to: QUESTION_FIELDS.to,
  origin: z.enum(OTHER_ORIGINS),
  subdomain: ignored,
  trunk: ignored,
});

/** The body of `POST /lookup/v1/route:batch`; other top-level members are not read. */
export const routeBatchBodySchema = z.object({
  questions: z
    .array(z.discriminatedUnion('direction', [fromOperatorQuestion, z.discriminatedUnion('origin', [fromDirectRoutingQuestion, fromOtherServiceQuestion])]))
    .min(1)
    .max(MAX_BATCH_QUESTIONS),
});

// ---- compile-time agreement with types.ts ------------------------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type QuestionSchemaAgreesWithTypes = [
  Assert<Same<keyof typeof QUESTION_FIELDS, keyof RouteQuestion>>,
  Assert<Same<z.output<typeof QUESTION_FIELDS.direction>, Direction>>,
  Assert<Same<z.output<typeof QUESTION_FIELDS.origin>, Origin>>,
];
