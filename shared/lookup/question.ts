/**
 * The lookup's input: query parameters of `GET /lookup/v1/route` and items of the batch body, turned
 * into a RouteQuestion or a 400 `InvalidLookupParameter` naming the bad parameter (`target`). A
 * question that gets past here is one `decide` can answer without a defect reject.
 */
import { ApiError, type ErrorDetail } from '../contract/errors';
import type { Direction, Origin, RouteQuestion } from './types';

export const INVALID_LOOKUP_PARAMETER = 'InvalidLookupParameter';
export const MAX_BATCH_QUESTIONS = 100;

// E.164 as the Provisioning API accepts it: '+', a non-zero digit, at most 15 digits in all.
export const E164 = /^\+[1-9]\d{1,14}$/;
/** A trunk / peer group name as the SIP layer passes it and `LOOKUP_TRUNK_DEFAULTS` names it. */
export const TRUNK_NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** A Direct Routing label as accounts accept it (letters, digits, '_' and '-'), within a DNS label's 63. */
export const LABEL = /^[A-Za-z0-9_-]{1,63}$/;
const DIRECTIONS: ReadonlySet<string> = new Set<Direction>(['fromOperator', 'toOperator']);
const ORIGINS: ReadonlySet<string> = new Set<Origin>(['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering']);
const FIELDS = ['direction', 'from', 'to', 'origin', 'subdomain', 'trunk'] as const;
type Field = (typeof FIELDS)[number];
const KNOWN_FIELDS: ReadonlySet<string> = new Set(FIELDS);
const E164_MESSAGE = 'must be an E.164 number: "+", a non-zero digit, at most 15 digits in all.';

export function lookupParameterError(message: string, target: string, details: ErrorDetail[] = []): ApiError {
  return new ApiError(400, INVALID_LOOKUP_PARAMETER, message, { target, details });
}

const problem = (target: string, message: string): ErrorDetail => ({ code: INVALID_LOOKUP_PARAMETER, message, target });

/**
 * A question, or the first problem with it. `read` returns undefined for an absent field. `origin`,
 * `subdomain` and `trunk` only matter where docs/lookup.md uses them; elsewhere they are ignored unread.
 */
function questionFrom(read: (field: Field) => unknown, prefix: string): RouteQuestion | ErrorDetail {
  const text = (field: Field): string | undefined | ErrorDetail => {
    const value = read(field);
    return value === undefined || typeof value === 'string' ? value : problem(prefix + field, `${field} must be a string.`);
  };
  const direction = text('direction');
  if (typeof direction === 'object') return direction;
  if (direction === undefined || !DIRECTIONS.has(direction)) {
    return problem(prefix + 'direction', "direction must be 'fromOperator' or 'toOperator'.");
  }
  const from = text('from');
  if (typeof from === 'object') return from;
  if (from === undefined || !E164.test(from)) return problem(prefix + 'from', `from ${E164_MESSAGE}`);
  const to = text('to');
  if (typeof to === 'object') return to;
  if (to === undefined || !E164.test(to)) return problem(prefix + 'to', `to ${E164_MESSAGE}`);
  if (direction === 'fromOperator') {
    const trunk = text('trunk');
    if (typeof trunk === 'object') return trunk;
    if (trunk === undefined) return { direction, from, to };
    // Compared exactly with the configured names: a trunk the settings do not list uses the prefix rule.
    if (!TRUNK_NAME.test(trunk)) return problem(prefix + 'trunk', 'trunk must be a trunk name: 1 to 64 letters, digits, ".", "_" or "-".');
    return { direction, from, to, trunk };
  }

  const origin = text('origin');
  if (typeof origin === 'object') return origin;
  if (origin === undefined || !ORIGINS.has(origin)) {
    return problem(prefix + 'origin', `origin is required for toOperator: one of ${[...ORIGINS].join(', ')}.`);
  }
  if (origin !== 'teamsDirectRouting') return { direction: 'toOperator', from, to, origin: origin as Origin };
  const subdomain = text('subdomain');
  if (typeof subdomain === 'object') return subdomain;
  if (subdomain === undefined || !LABEL.test(subdomain)) {
    return problem(prefix + 'subdomain', 'subdomain is required for origin teamsDirectRouting: a label of letters, digits, "_" or "-" (at most 63).');
  }
  // Labels are stored lower case (the account's subdomain is compared case-insensitively, like DNS).
  return { direction: 'toOperator', from, to, origin: 'teamsDirectRouting', subdomain: subdomain.toLowerCase() };
}

const isProblem = (value: RouteQuestion | ErrorDetail): value is ErrorDetail => 'code' in value;

/** `GET /lookup/v1/route?...`. An unknown or repeated parameter is refused: it would be ignored or ambiguous. */
export function questionFromQuery(query: URLSearchParams): RouteQuestion {
  let present = 0;
  for (const field of FIELDS) if (query.has(field)) present++;
  if (query.size > present) {
    // Rare, so only then find the culprit.
    for (const name of query.keys()) {
      if (!KNOWN_FIELDS.has(name)) throw lookupParameterError(`Unknown parameter '${name.slice(0, 64)}'.`, name.slice(0, 64));
      if (query.getAll(name).length > 1) throw lookupParameterError(`${name} is given more than once.`, name);
    }
  }
  const parsed = questionFrom((field) => query.get(field) ?? undefined, '');
  if (isProblem(parsed)) throw lookupParameterError(parsed.message, parsed.target ?? '');
  return parsed;
}

/** `POST /lookup/v1/route:batch` body `{ questions: [...] }`: 1–100 questions; every problem is a `details[]` entry. */
export function questionsFromBatch(body: unknown): RouteQuestion[] {
  const questions = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { questions?: unknown }).questions : undefined;
  if (!Array.isArray(questions)) throw lookupParameterError('The body must be an object with a questions array.', 'questions');
  if (questions.length < 1 || questions.length > MAX_BATCH_QUESTIONS) {
    throw lookupParameterError(`questions must hold 1 to ${MAX_BATCH_QUESTIONS} questions; it holds ${questions.length}.`, 'questions');
  }
  const parsed: RouteQuestion[] = [];
  const problems: ErrorDetail[] = [];
  questions.forEach((item: unknown, i) => {
    const prefix = `questions[${i}].`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(problem(`questions[${i}]`, `questions[${i}] must be an object.`));
      return;
    }
    const unknown = Object.keys(item).find((key) => !KNOWN_FIELDS.has(key));
    if (unknown !== undefined) {
      problems.push(problem(prefix + unknown.slice(0, 64), `Unknown field '${unknown.slice(0, 64)}'.`));
      return;
    }
    const result = questionFrom((field) => (Object.prototype.hasOwnProperty.call(item, field) ? (item as Record<string, unknown>)[field] : undefined), prefix);
    if (isProblem(result)) problems.push(result);
    else parsed.push(result);
  });
  const first = problems[0];
  if (first !== undefined) {
    throw lookupParameterError(
      problems.length === 1 ? first.message : `${problems.length} questions are invalid; the first: ${first.message}`,
      first.target ?? 'questions',
      problems,
    );
  }
  return parsed;
}
