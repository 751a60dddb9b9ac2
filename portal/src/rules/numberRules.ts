/**
 * Numbers checked in the browser with the API's schema (numberInputSchema) and domain rules
 * (validateNumber: D4, D7, upload prerequisites), so the portal and the API agree on what is valid.
 */
import { numberInputSchema, telephoneNumberSchema, type NumberInput } from '../../../shared/contract/resources';
import { parseWith } from '../../../shared/contract/validate';
import { normaliseNumber, validateNumber } from '../../../shared/domain/numbers';
import type { AccountDoc } from '../../../shared/domain/types';
import type { ErrorDetail } from '../api/problem';

export function numberProblems(body: unknown, account: AccountDoc | undefined, target = ''): ErrorDetail[] {
  const parsed = parseWith(numberInputSchema, body, target);
  if (!parsed.ok) return parsed.details;
  return account === undefined ? [] : validateNumber(normaliseNumber(parsed.value), account, target);
}

export type { NumberInput };

/** Most numbers one range or pasted list may hold: the CSV import's bound. */
export const MAX_NUMBERS_AT_ONCE = 10_000;

export type NumberListResult = { ok: true; numbers: string[] } | { ok: false; problems: string[] };

function checkNumber(text: string): string | undefined {
  const parsed = telephoneNumberSchema.safeParse(text);
  return parsed.success ? undefined : `${text}: ${parsed.error.issues[0]?.message ?? 'is not a valid number'}`;
}

/** `+14255550100`–`+14255550199` (inclusive), same length, first ≤ last. */
export function expandRange(first: string, last: string): NumberListResult {
  const problems = [first, last].map((n) => checkNumber(n.trim())).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return { ok: false, problems };
  const a = first.trim();
  const b = last.trim();
  if (a.length !== b.length) return { ok: false, problems: ['The first and last number of a range must have the same number of digits.'] };
  const start = BigInt(a.slice(1));
  const end = BigInt(b.slice(1));
  if (end < start) return { ok: false, problems: ['The last number must not be smaller than the first.'] };
  const count = end - start + 1n;
  if (count > BigInt(MAX_NUMBERS_AT_ONCE)) return { ok: false, problems: [`A range holds at most ${MAX_NUMBERS_AT_ONCE} numbers; this one has ${count}.`] };
  const numbers: string[] = [];
  for (let n = start; n <= end; n++) numbers.push(`+${n.toString()}`);
  return { ok: true, numbers };
}

/** Numbers separated by commas, semicolons, spaces or new lines; duplicates are reported. */
export function parseNumberList(text: string): NumberListResult {
  const items = text.split(/[\s,;]+/).filter((s) => s !== '');
  if (items.length === 0) return { ok: false, problems: ['Enter at least one number.'] };
  if (items.length > MAX_NUMBERS_AT_ONCE) return { ok: false, problems: [`At most ${MAX_NUMBERS_AT_ONCE} numbers at once; this list has ${items.length}.`] };
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const problem = checkNumber(item);
    if (problem !== undefined) problems.push(problem);
    else if (seen.has(item)) problems.push(`${item}: listed twice`);
    seen.add(item);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, numbers: [...seen] };
}
