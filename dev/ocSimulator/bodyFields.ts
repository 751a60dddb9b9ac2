/**
 * Readers for JSON request bodies: each checks one field's type and throws a 400 InvalidRequestBody
 * naming the field, so handlers state what they need in one line per field.
 */
import { SimError } from './errors';

export type JsonObject = Readonly<Record<string, unknown>>;

function invalid(target: string, message: string): SimError {
  return new SimError(400, 'InvalidRequestBody', message, [{ code: 'InvalidField', message, target }]);
}

export function asObject(value: unknown, target = 'body'): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(target, `${target} must be a JSON object.`);
  return value as JsonObject;
}

export function optionalString(body: JsonObject, field: string, maxLength = 1000): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, `${field} must be a string.`);
  if (value.length > maxLength) throw invalid(field, `${field} must be at most ${maxLength} characters.`);
  return value;
}

export function requiredString(body: JsonObject, field: string, maxLength?: number): string {
  const value = optionalString(body, field, maxLength);
  if (value === undefined || value === '') throw invalid(field, `${field} is required.`);
  return value;
}

/** Distinguishes "absent" (undefined) from "explicitly cleared" (null). */
export function nullableString(body: JsonObject, field: string): string | null | undefined {
  if (body[field] === null) return null;
  return optionalString(body, field);
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(field, `${field} must be true or false.`);
  return value;
}

export function optionalNumber(body: JsonObject, field: string, range: { min: number; max?: number; integer?: boolean }): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > max || (range.integer === true && !Number.isInteger(value))) {
    throw invalid(field, `${field} must be a${range.integer ? 'n integer' : ' number'} from ${range.min} to ${max}.`);
  }
  return value;
}

export function optionalStringArray(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalid(field, `${field} must be an array of strings.`);
  return value as string[];
}

export function requiredStringArray(body: JsonObject, field: string): string[] {
  const value = optionalStringArray(body, field);
  if (value === undefined) throw invalid(field, `${field} is required (an array of strings).`);
  return value;
}

export function optionalEnum<T extends string>(body: JsonObject, field: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw invalid(field, `${field} must be one of ${allowed.join(', ')}.`);
  return match;
}

export function invalidField(target: string, message: string): SimError {
  return invalid(target, message);
}
