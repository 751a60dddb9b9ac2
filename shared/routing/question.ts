/**
 * The lookup's input: query parameters of `GET /lookup/v1/route` and items of the batch body, turned
 * into a RouteQuestion or a 400 `InvalidLookupParameter` naming the bad parameter (`target`). A
 * question that gets past here is one `decide` can answer without a defect reject.
 */
import { ApiError, type ErrorDetail } from '../contract/errors';
import type { Direction, Origin, RouteQuestion } from './types';

export const INVALID_LOOKUP_PARAMETER = 'InvalidLookupParameter';
export const MAX_BATCH_QUESTIONS = 100;

// The brief's E.164: '+', a non-zero digit, then 1-15 digits.
const E164 = /^\+[1-9]\d{1,15}$/;
// A Direct Routing label as accounts accept it (letters, digits, '_' and '-'), within a DNS label's 63.
const LABEL = /^[A-Za-z0-9_-]{1,63}$/;
const DIRECTIONS: ReadonlySet<string> = new Set<Direction>(['fromOperator', 'toOperator']);
const ORIGINS: ReadonlySet<string> = new Set<Origin>(['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering']);
const FIELDS = ['direction', 'from', 'to', 'origin', 'subdomain'] as const;
type Field = (typeof FIELDS)[number];

export function lookupParameterError(message: string, target: string, details: ErrorDetail[] = []): ApiError {
  return new ApiError(400, INVALID_LOOKUP_PARAMETER, message, { target, details });
}

const problem = (target: string, message: string): ErrorDetail => ({ code: INVALID_LOOKUP_PARAMETER, message, target });

/** A question, or the first problem with it. `read` returns undefined for an absent field. */
function questionFrom(read: (field: Field) => unknown, prefix: string): RouteQuestion | ErrorDetail {
  const values: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const value = read(field);
    if (value === undefined) continue;
    if (typeof value !== 'string') return problem(prefix + field, `${field} must be a string.`);
    values[field] = value;
  }
  const { direction, from, to, origin } = values;
  if (direction === undefined || !DIRECTIONS.has(direction)) {
    return problem(prefix + 'direction', "direction must be 'fromOperator' or 'toOperator'.");
  }
  if (from === undefined || !E164.test(from)) return problem(prefix + 'from', 'from must be an E.164 number: "+", a non-zero digit, then 1-15 digits.');
  if (to === undefined || !E164.test(to)) return problem(prefix + 'to', 'to must be an E.164 number: "+", a non-zero digit, then 1-15 digits.');
  if (origin === undefined ? direction === 'toOperator' : !ORIGINS.has(origin)) {
    return problem(prefix + 'origin', `origin is required for toOperator and must be one of ${[...ORIGINS].join(', ')}.`);
  }
  let subdomain = values.subdomain;
  if (subdomain === undefined ? origin === 'teamsDirectRouting' : !LABEL.test(subdomain)) {
    return problem(prefix + 'subdomain', 'subdomain is required for origin teamsDirectRouting and must be a label of letters, digits, "_" or "-" (at most 63).');
  }
  if (subdomain !== undefined) subdomain = subdomain.toLowerCase(); // labels are stored lower case
  return {
    direction: direction as Direction,
    from,
    to,
    ...(origin !== undefined ? { origin: origin as Origin } : {}),
    ...(subdomain !== undefined ? { subdomain } : {}),
  };
}

const isProblem = (value: RouteQuestion | ErrorDetail): value is ErrorDetail => 'code' in value;

/** `GET /lookup/v1/route?...`. Other parameters are ignored; a repeated one is ambiguous (400). */
export function questionFromQuery(query: URLSearchParams): RouteQuestion {
  let present = 0;
  for (const field of FIELDS) if (query.has(field)) present++;
  if (query.size > present) {
    // Rare: something besides our single-valued fields; only then look for repeats.
    for (const field of FIELDS) {
      if (query.getAll(field).length > 1) throw lookupParameterError(`${field} is given more than once.`, field);
    }
  }
  const parsed = questionFrom((field) => query.get(field) ?? undefined, '');
  if (isProblem(parsed)) throw lookupParameterError(parsed.message, parsed.target ?? '');
  return parsed;
}

/** `POST /lookup/v1/route:batch` body `{ questions: [...] }`: 1–100 questions, every bad item listed. */
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
    const result = questionFrom((field) => (Object.prototype.hasOwnProperty.call(item, field) ? (item as Record<string, unknown>)[field] : undefined), prefix);
    if (isProblem(result)) problems.push(result);
    else parsed.push(result);
  });
  const first = problems[0];
  if (first !== undefined) {
    throw lookupParameterError(
      problems.length === 1 ? first.message : `${problems.length} questions are invalid; the first: ${first.message}`,
      first.target ?? 'questions',
      problems.length > 1 ? problems : [],
    );
  }
  return parsed;
}
