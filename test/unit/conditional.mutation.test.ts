/**
 * Conditional requests (shared/contract/conditional.ts) at unit level: the header grammars
 * (entity-tag lists, HTTP and RFC 3339 dates), which preconditions a request carries, and the RFC 9110
 * evaluation order. The HTTP-level behaviour is in conventions/namedBehaviour tests; these pin the
 * edges a mutation run found unasserted (docs/mutation.md).
 */
import { ApiError } from '../../shared/contract/errors';
import { thrownApiError } from '../support/apiErrors';
import {
  etagOf,
  evaluatePreconditions,
  hasPreconditions,
  parseEntityTags,
  parseHttpDate,
  readPreconditions,
  type Preconditions,
} from '../../shared/contract/conditional';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });


describe('etagOf', () => {
  it('is a quoted 27-character base64url digest, stable for equal representations and different otherwise', () => {
    const tag = etagOf({ a: 1 });
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(etagOf({ a: 1 })).toBe(tag);
    expect(etagOf({ a: 2 })).not.toBe(tag);
  });
});

describe('parseEntityTags', () => {
  it('absent header → undefined; "*" (with surrounding spaces or tabs) → "*"', () => {
    expect(parseEntityTags('If-Match', null)).toBeUndefined();
    expect(parseEntityTags('If-Match', '*')).toBe('*');
    expect(parseEntityTags('If-Match', ' \t* \t')).toBe('*');
  });

  it('reads strong and weak tags, empty list elements and commas inside an opaque tag', () => {
    expect(parseEntityTags('If-Match', '"a"')).toEqual([{ weak: false, opaque: '"a"' }]);
    expect(parseEntityTags('If-Match', 'W/"a" , "b,c",,\t"d"')).toEqual([
      { weak: true, opaque: '"a"' },
      { weak: false, opaque: '"b,c"' },
      { weak: false, opaque: '"d"' },
    ]);
    expect(parseEntityTags('If-Match', ', "x" ,')).toEqual([{ weak: false, opaque: '"x"' }]);
    expect(parseEntityTags('If-Match', '""')).toEqual([{ weak: false, opaque: '""' }]);
    expect(parseEntityTags('If-Match', '"!#~\x80\xff"')).toEqual([{ weak: false, opaque: '"!#~\x80\xff"' }]);
  });

  it.each([
    ['an unquoted tag', 'abc'],
    ['a lower-case weak prefix', 'w/"a"'],
    ['a missing closing quote', '"abc'],
    ['a space inside the tag', '"a b"'],
    ['a control character inside the tag', '"a\x01"'],
    ['text after a tag', '"a" b'],
    ['two tags without a comma', '"a" "b"'],
    ['only commas', ' , ,'],
    ['a star inside a list', '"a", *'],
    ['a tag opening without its quote', 'a"'],
  ])('refuses %s with 400 InvalidHeader naming the header', (_, value) => {
    const err = thrownApiError(() => parseEntityTags('If-None-Match', value));
    expect(err.status).toBe(400);
    expect(err.code).toBe('InvalidHeader');
    expect(err.target).toBe('If-None-Match');
    expect(err.message).toBe('If-None-Match must be "*" or a comma-separated list of entity tags such as "abc" or W/"abc".');
  });

  it('takes a header of 1,024 characters and refuses 1,025 as too long', () => {
    const fits = `"${'a'.repeat(1022)}"`;
    expect(parseEntityTags('If-Match', fits)).toEqual([{ weak: false, opaque: fits }]);
    const err = thrownApiError(() => parseEntityTags('If-Match', `"${'a'.repeat(1023)}"`));
    expect([err.status, err.code, err.target, err.message]).toEqual([400, 'InvalidHeader', 'If-Match', 'If-Match is too long.']);
  });
});

describe('parseHttpDate', () => {
  it.each([
    ['2026-12-07T10:15:30Z', '2026-12-07T10:15:30.000Z'],
    ['2026-12-07t10:15:30z', '2026-12-07T10:15:30.000Z'],
    ['2026-12-07T10:15:30.5Z', '2026-12-07T10:15:30.500Z'],
    ['2026-12-07T10:15:30.125Z', '2026-12-07T10:15:30.125Z'],
    ['2026-12-07T11:15:30+01:00', '2026-12-07T10:15:30.000Z'],
    ['2026-12-07T09:15:30-01:00', '2026-12-07T10:15:30.000Z'],
    ['  Mon, 07 Dec 2026 10:15:30 GMT ', '2026-12-07T10:15:30.000Z'],
  ])('reads %j', (value, iso) => {
    expect(parseHttpDate('If-Modified-Since', value)?.toISOString()).toBe(iso);
  });

  it('absent header → undefined', () => {
    expect(parseHttpDate('If-Modified-Since', null)).toBeUndefined();
  });

  it.each([
    ['a date without time', '2026-12-07'],
    ['a date-time without zone', '2026-12-07T10:15:30'],
    ['an impossible month', '2026-13-07T10:15:30Z'],
    ['a zone without minutes', '2026-12-07T10:15:30+01'],
    ['text around a date-time', 'x2026-12-07T10:15:30Z'],
    ['a one-digit day', 'Mon, 7 Dec 2026 10:15:30 GMT'],
    ['another zone than GMT', 'Mon, 07 Dec 2026 10:15:30 UTC'],
    ['an upper-case weekday', 'MON, 07 Dec 2026 10:15:30 GMT'],
    ['text after the HTTP date', 'Mon, 07 Dec 2026 10:15:30 GMT x'],
    ['text before the HTTP date', 'On Mon, 07 Dec 2026 10:15:30 GMT'],
  ])('refuses %s with 400 InvalidHeader naming the header', (_, value) => {
    const err = thrownApiError(() => parseHttpDate('If-Unmodified-Since', value));
    expect([err.status, err.code, err.target, err.message]).toEqual([400, 'InvalidHeader', 'If-Unmodified-Since', 'If-Unmodified-Since must be an HTTP date or an RFC 3339 date-time.']);
  });
});

describe('readPreconditions and hasPreconditions', () => {
  it('holds exactly the headers sent', () => {
    expect(readPreconditions(headers({}))).toEqual({});
    expect(Object.keys(readPreconditions(headers({})))).toEqual([]);
    expect(readPreconditions(headers({ 'if-none-match': '*' }))).toStrictEqual({ ifNoneMatch: '*' });
    expect(readPreconditions(headers({ 'if-modified-since': '2026-12-07T10:15:30Z' }))).toStrictEqual({ ifModifiedSince: new Date('2026-12-07T10:15:30Z') });
    expect(readPreconditions(headers({ 'if-unmodified-since': '2026-12-07T10:15:30Z' }))).toStrictEqual({ ifUnmodifiedSince: new Date('2026-12-07T10:15:30Z') });
    expect(readPreconditions(headers({ 'if-match': '"a"' }))).toStrictEqual({ ifMatch: [{ weak: false, opaque: '"a"' }] });
  });

  it.each([
    ['if-match', 'If-Match'],
    ['if-none-match', 'If-None-Match'],
    ['if-modified-since', 'If-Modified-Since'],
    ['if-unmodified-since', 'If-Unmodified-Since'],
  ])('names %s as %s when it is malformed', (header, name) => {
    expect(thrownApiError(() => readPreconditions(headers({ [header]: 'not valid' }))).target).toBe(name);
  });

  it('is true when any one precondition is present, false when none is', () => {
    const date = new Date(0);
    expect(hasPreconditions({})).toBe(false);
    expect(hasPreconditions({ ifMatch: '*' })).toBe(true);
    expect(hasPreconditions({ ifNoneMatch: '*' })).toBe(true);
    expect(hasPreconditions({ ifModifiedSince: date })).toBe(true);
    expect(hasPreconditions({ ifUnmodifiedSince: date })).toBe(true);
  });
});

describe('evaluatePreconditions (RFC 9110 §13.2.2 order)', () => {
  const etag = '"current"';
  const lastModified = new Date('2026-12-07T10:15:30.900Z');
  const current = { etag, lastModified };
  const strong = [{ weak: false, opaque: etag }];
  const weak = [{ weak: true, opaque: etag }];
  const other = [{ weak: false, opaque: '"other"' }];
  const at = (iso: string) => new Date(iso);

  const outcome = (p: Preconditions, state: typeof current | undefined, safe: boolean): string => {
    try {
      return evaluatePreconditions(p, state, safe);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return `${err.status} ${err.message}`;
    }
  };

  it.each<[string, Preconditions, typeof current | undefined, boolean, string]>([
    ['no preconditions', {}, current, false, 'proceed'],
    ['no preconditions on a safe request', {}, current, true, 'proceed'],
    ['If-Match list with the current tag among others', { ifMatch: [...other, ...strong] }, current, false, 'proceed'],
    ['If-None-Match list with the current tag among others', { ifNoneMatch: [...other, ...weak] }, current, true, 'notModified'],
    ['If-Match strong tag that matches', { ifMatch: strong }, current, false, 'proceed'],
    ['If-Match weak tag (strong comparison)', { ifMatch: weak }, current, false, '412 If-Match does not match the current ETag of the resource.'],
    ['If-Match other tag', { ifMatch: other }, current, false, '412 If-Match does not match the current ETag of the resource.'],
    ['If-Match * on an existing resource', { ifMatch: '*' }, current, false, 'proceed'],
    ['If-Match * on a missing resource', { ifMatch: '*' }, undefined, false, '412 If-Match does not match the current ETag of the resource.'],
    ['If-Unmodified-Since the same second (fraction ignored)', { ifUnmodifiedSince: at('2026-12-07T10:15:30Z') }, current, false, 'proceed'],
    ['If-Unmodified-Since one second earlier', { ifUnmodifiedSince: at('2026-12-07T10:15:29.999Z') }, current, false, '412 The resource was modified after If-Unmodified-Since.'],
    ['If-Unmodified-Since on a missing resource', { ifUnmodifiedSince: at('2000-01-01T00:00:00Z') }, undefined, false, 'proceed'],
    ['If-Match wins over If-Unmodified-Since', { ifMatch: strong, ifUnmodifiedSince: at('2000-01-01T00:00:00Z') }, current, false, 'proceed'],
    ['If-None-Match weak tag on a safe request', { ifNoneMatch: weak }, current, true, 'notModified'],
    ['If-None-Match matching on an unsafe request', { ifNoneMatch: strong }, current, false, '412 If-None-Match matches the current ETag of the resource.'],
    ['If-None-Match * on an existing resource, unsafe', { ifNoneMatch: '*' }, current, false, '412 The resource already exists (If-None-Match: *).'],
    ['If-None-Match * on a missing resource', { ifNoneMatch: '*' }, undefined, false, 'proceed'],
    ['If-None-Match other tag', { ifNoneMatch: other }, current, true, 'proceed'],
    ['If-Modified-Since the same second, safe', { ifModifiedSince: at('2026-12-07T10:15:30Z') }, current, true, 'notModified'],
    ['If-Modified-Since one second earlier, safe', { ifModifiedSince: at('2026-12-07T10:15:29Z') }, current, true, 'proceed'],
    ['If-Modified-Since on an unsafe request', { ifModifiedSince: at('2026-12-07T10:15:30Z') }, current, false, 'proceed'],
    ['If-Modified-Since on a missing resource', { ifModifiedSince: at('2026-12-07T10:15:30Z') }, undefined, true, 'proceed'],
    ['If-None-Match wins over If-Modified-Since', { ifNoneMatch: other, ifModifiedSince: at('2030-01-01T00:00:00Z') }, current, true, 'proceed'],
  ])('%s', (_, p, state, safe, expected) => {
    expect(outcome(p, state, safe)).toBe(expected);
  });
});
