/** Turns zod issues into Azure.Core error details: one entry per problem, `target` as a JSON path. */
import type { z } from 'zod';
import type { ErrorDetail } from './errors';
import { ErrorCode } from './errors';

export function jsonPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type') return `must be of type ${issue.expected}`;
  return issue.message;
}

/** Takes issues parsed with `{ reportInput: true }` (as parseWith does): without inputs every wrong type reads "is required". */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const target = jsonPath(prefix, [...issue.path, key]);
        details.push({ code: ErrorCode.InvalidRequestContent, message: `${target} is not a property of this resource`, target });
      }
      continue;
    }
    const target = jsonPath(prefix, issue.path);
    details.push({ code: ErrorCode.InvalidRequestContent, message: `${target || 'body'} ${describe(issue)}`, target: target || 'body' });
  }
  return details;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

/**
 * Parses with the issues' inputs kept: zod 4 drops `input` from issues unless asked, and without it
 * `describe` cannot tell a missing member ("is required") from one of the wrong type.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): Parsed<z.infer<S>> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, details: issuesToDetails(result.error.issues, prefix) };
}
