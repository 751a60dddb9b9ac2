/**
 * The Azure.Core error model (shared/contract/errors.ts) and zod issues → error details
 * (shared/contract/validate.ts) at unit level: the stable codes, the error body's members, the
 * helpers' statuses, and the detail's target (a JSON path) and message per kind of issue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError, ErrorCode, badRequest, conflict, ensureApiError, notFound, preconditionFailed } from '../../shared/contract/errors';
import { issuesToDetails, jsonPath, parseWith } from '../../shared/contract/validate';

describe('ErrorCode', () => {
  it('every code is its own name (the x-ms-error-code values are stable)', () => {
    const entries = Object.entries(ErrorCode);
    expect(entries.length).toBe(45);
    for (const [name, value] of entries) expect(value).toBe(name);
  });

  it('every code is documented in docs/errors.md', () => {
    const doc = readFileSync(join(__dirname, '../../docs/errors.md'), 'utf8');
    const undocumented = Object.values(ErrorCode).filter((code) => !doc.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('ApiError', () => {
  it('carries status, code, message and name; optional members are absent when not given', () => {
    const err = new ApiError(418, 'Teapot', 'short and stout');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ApiError');
    expect(err.status).toBe(418);
    expect(err.code).toBe('Teapot');
    expect(err.message).toBe('short and stout');
    expect(err.target).toBeUndefined();
    expect(err.details).toBeUndefined();
    expect(err.headers).toBeUndefined();
    expect(err.toBody()).toStrictEqual({ error: { code: 'Teapot', message: 'short and stout' } });
  });

  it('keeps target, details and headers when given; an empty details list is no details', () => {
    const details = [{ code: 'A', message: 'a', target: 'x' }];
    const err = new ApiError(400, 'Bad', 'm', { target: 't', details, headers: { 'Retry-After': '5' } });
    expect(err.target).toBe('t');
    expect(err.details).toBe(details);
    expect(err.headers).toEqual({ 'Retry-After': '5' });
    expect(err.toBody()).toStrictEqual({ error: { code: 'Bad', message: 'm', target: 't', details } });
    const empty = new ApiError(400, 'Bad', 'm', { details: [] });
    expect(empty.details).toBeUndefined();
    expect(empty.toBody()).toStrictEqual({ error: { code: 'Bad', message: 'm' } });
    // A target of '' is still a target.
    expect(new ApiError(400, 'Bad', 'm', { target: '' }).toBody()).toStrictEqual({ error: { code: 'Bad', message: 'm', target: '' } });
  });

  it('toBody keeps the member order code, message, target, details', () => {
    const body = new ApiError(400, 'Bad', 'm', { details: [{ code: 'A', message: 'a' }], target: 't' }).toBody();
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'target', 'details']);
  });
});

describe('helpers', () => {
  it('badRequest: 400 with details and an optional target', () => {
    const details = [{ code: 'A', message: 'a' }];
    expect(badRequest('Bad', 'm', details, 'x').toBody()).toStrictEqual({ error: { code: 'Bad', message: 'm', target: 'x', details } });
    const plain = badRequest('Bad', 'm');
    expect(plain.status).toBe(400);
    expect(plain.toBody()).toStrictEqual({ error: { code: 'Bad', message: 'm' } });
    expect(badRequest('Bad', 'm', details).target).toBeUndefined();
  });

  it('notFound: 404, conflict: 409, each with an optional target', () => {
    const nf = notFound(ErrorCode.AccountNotFound, 'no such account', 'accountName');
    expect([nf.status, nf.code, nf.message, nf.target]).toEqual([404, 'AccountNotFound', 'no such account', 'accountName']);
    expect(notFound('X', 'y').toBody()).toStrictEqual({ error: { code: 'X', message: 'y' } });
    const c = conflict(ErrorCode.SubdomainInUse, 'taken', 'subdomain');
    expect([c.status, c.code, c.message, c.target]).toEqual([409, 'SubdomainInUse', 'taken', 'subdomain']);
    expect(conflict('X', 'y').toBody()).toStrictEqual({ error: { code: 'X', message: 'y' } });
  });

  it('preconditionFailed: 412 PreconditionFailed with a default message', () => {
    const d = preconditionFailed();
    expect([d.status, d.code, d.message]).toEqual([412, 'PreconditionFailed', 'The resource does not match the request preconditions.']);
    expect(preconditionFailed('etag differs').message).toBe('etag differs');
  });

  it('ensureApiError: an ApiError passes through, anything else is a 500 without its text', () => {
    const api = new ApiError(409, 'Conflict', 'x');
    expect(ensureApiError(api)).toBe(api);
    for (const other of [new Error('secret connection string'), 'boom', undefined]) {
      const err = ensureApiError(other);
      expect(err.toBody()).toStrictEqual({ error: { code: 'InternalError', message: 'The service failed to process the request.' } });
      expect(err.status).toBe(500);
    }
  });
});

describe('jsonPath', () => {
  it.each([
    ['', [], ''],
    ['', ['a'], 'a'],
    ['', ['a', 'b'], 'a.b'],
    ['', ['a', 0, 'b'], 'a[0].b'],
    ['', [0, 'a'], '[0].a'],
    ['', [2, 3], '[2][3]'],
    ['numbers[1]', [], 'numbers[1]'],
    ['numbers[1]', ['x'], 'numbers[1].x'],
    ['body', ['x', 4], 'body.x[4]'],
  ] as [string, PropertyKey[], string][])('%j + %j → %j', (prefix, path, expected) => {
    expect(jsonPath(prefix, path)).toBe(expected);
  });

  it('a symbol segment is written with String()', () => {
    expect(jsonPath('a', [Symbol('s')])).toBe('a.Symbol(s)');
  });
});

describe('issuesToDetails', () => {
  const detail = (target: string, message: string) => ({ code: ErrorCode.InvalidRequestContent, message, target });

  it('one detail per unrecognized key, each named by its full path', () => {
    const issue = { code: 'unrecognized_keys', keys: ['e', 'f'], path: ['a', 1], message: 'Unrecognized keys' } as z.core.$ZodIssue;
    expect(issuesToDetails([issue], 'numbers[0]')).toEqual([
      detail('numbers[0].a[1].e', 'numbers[0].a[1].e is not a property of this resource'),
      detail('numbers[0].a[1].f', 'numbers[0].a[1].f is not a property of this resource'),
    ]);
  });

  it('a missing member is "is required"; a wrong type names the expected type; other issues keep their message', () => {
    const issues = [
      { code: 'invalid_type', expected: 'string', path: ['name'], message: 'zod text' },
      { code: 'invalid_type', expected: 'number', path: ['n'], input: 'x', message: 'zod text' },
      { code: 'invalid_type', expected: 'string', path: ['s'], input: null, message: 'zod text' },
      { code: 'too_big', maximum: 3, origin: 'string', path: ['t', 0], input: 'abcd', message: 'Too big: expected at most 3' },
    ] as z.core.$ZodIssue[];
    expect(issuesToDetails(issues)).toEqual([
      detail('name', 'name is required'),
      detail('n', 'n must be of type number'),
      detail('s', 's must be of type string'),
      detail('t[0]', 't[0] Too big: expected at most 3'),
    ]);
  });

  it('an issue at the root targets "body"; unrecognized keys at the root are named alone', () => {
    const issues = [
      { code: 'invalid_type', expected: 'object', path: [], input: 5, message: 'zod text' },
      { code: 'custom', path: [], input: {}, message: 'is not right' },
      { code: 'unrecognized_keys', keys: ['x'], path: [], message: 'Unrecognized key' },
    ] as z.core.$ZodIssue[];
    expect(issuesToDetails(issues)).toEqual([
      detail('body', 'body must be of type object'),
      detail('body', 'body is not right'),
      detail('x', 'x is not a property of this resource'),
    ]);
  });

  it('issues parsed without their inputs (plain safeParse) keep their message unless they are a type error', () => {
    const parsed = z.strictObject({ name: z.string().max(3), tags: z.array(z.string()).min(1) }).safeParse({ name: 'abcd', tags: [] });
    expect(parsed.success).toBe(false);
    expect(issuesToDetails(parsed.error?.issues ?? [])).toEqual([
      detail('name', 'name Too big: expected string to have <=3 characters'),
      detail('tags', 'tags Too small: expected array to have >=1 items'),
    ]);
  });

  it('nothing wrong → no details', () => {
    expect(issuesToDetails([])).toEqual([]);
  });
});

describe('parseWith', () => {
  const schema = z.strictObject({ a: z.string(), b: z.number().optional(), c: z.array(z.strictObject({ d: z.boolean() })).optional() });

  it('a valid value → ok with the parsed data', () => {
    expect(parseWith(schema, { a: 'x', c: [{ d: true }] })).toEqual({ ok: true, value: { a: 'x', c: [{ d: true }] } });
  });

  it('tells a missing member from one of the wrong type, under the prefix', () => {
    expect(parseWith(schema, { b: 'x', c: [{ d: 1 }], e: 1 }, 'numbers[3]')).toEqual({
      ok: false,
      details: [
        { code: ErrorCode.InvalidRequestContent, message: 'numbers[3].a is required', target: 'numbers[3].a' },
        { code: ErrorCode.InvalidRequestContent, message: 'numbers[3].b must be of type number', target: 'numbers[3].b' },
        { code: ErrorCode.InvalidRequestContent, message: 'numbers[3].c[0].d must be of type boolean', target: 'numbers[3].c[0].d' },
        { code: ErrorCode.InvalidRequestContent, message: 'numbers[3].e is not a property of this resource', target: 'numbers[3].e' },
      ],
    });
  });

  it('a missing body is required; a body of the wrong type names the type', () => {
    expect(parseWith(schema, undefined)).toEqual({ ok: false, details: [{ code: ErrorCode.InvalidRequestContent, message: 'body is required', target: 'body' }] });
    expect(parseWith(schema, null)).toEqual({ ok: false, details: [{ code: ErrorCode.InvalidRequestContent, message: 'body must be of type object', target: 'body' }] });
  });
});
