/**
 * Azure.Core paging (shared/contract/paging.ts) at unit level: the query parameters' grammar and
 * bounds, the skip token's round trip and refusals, the next link and the page limit. The HTTP-level
 * behaviour is in the accounts/numbers integration suites; these pin the exact codes and edges.
 */
import { ErrorCode } from '../../shared/contract/errors';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  encodeSkipToken,
  nextLinkFor,
  pageLimit,
  readListQuery,
  singleQueryValue,
  type ListQuery,
} from '../../shared/contract/paging';
import { thrownApiError } from '../support/apiErrors';

const BASE = 'https://api.example.com/accounts?api-version=2024-02-29-preview';
const urlWith = (query: string) => new URL(`${BASE}${query === '' ? '' : `&${query}`}`);
const read = (query: string) => readListQuery(urlWith(query));

/** The single detail of an invalid-query 400. */
function invalidDetail(query: string) {
  const err = thrownApiError(() => read(query));
  expect({ status: err.status, code: err.code, message: err.message, target: err.target }).toEqual({
    status: 400,
    code: ErrorCode.InvalidQueryParameter,
    message: 'One or more query parameters are invalid.',
    target: undefined,
  });
  expect(err.details).toHaveLength(1);
  return err.details?.[0];
}

describe('singleQueryValue', () => {
  it('absent → null, present once → its value (empty included)', () => {
    expect(singleQueryValue(urlWith(''), 'top')).toBeNull();
    expect(singleQueryValue(urlWith('top=5'), 'top')).toBe('5');
    expect(singleQueryValue(urlWith('top='), 'top')).toBe('');
  });

  it('refuses a parameter given more than once, with the count', () => {
    const err = thrownApiError(() => singleQueryValue(urlWith('top=1&top=2&top=3'), 'top'));
    expect({ status: err.status, code: err.code, message: err.message, target: err.target }).toEqual({
      status: 400,
      code: ErrorCode.InvalidQueryParameter,
      message: 'The query parameter top must be given at most once; it was given 3 times.',
      target: 'top',
    });
  });
});

describe('readListQuery', () => {
  it('defaults: skip 0, page size 100, no count, and no top, filter or position members', () => {
    const q = read('');
    expect(q).toEqual({ skip: 0, maxPageSize: DEFAULT_PAGE_SIZE, countRecords: false });
    expect(Object.keys(q).sort()).toEqual(['countRecords', 'maxPageSize', 'skip']);
    expect(DEFAULT_PAGE_SIZE).toBe(100);
    expect(MAX_PAGE_SIZE).toBe(1000);
  });

  it('reads top, skip, maxpagesize, filter and countRecords', () => {
    expect(read("top=7&skip=3&maxpagesize=20&filter=name eq 'a'&countRecords=true")).toEqual({
      top: 7,
      skip: 3,
      maxPageSize: 20,
      filter: "name eq 'a'",
      countRecords: true,
    });
  });

  it.each([
    ['top=0', { top: 0 }],
    ['top=2147483647', { top: 2147483647 }],
    ['skip=0', { skip: 0 }],
    ['skip=2147483647', { skip: 2147483647 }],
    ['skip=0000000005', { skip: 5 }],
    ['maxpagesize=1', { maxPageSize: 1 }],
    ['maxpagesize=1000', { maxPageSize: 1000 }],
    ['maxpagesize=1001', { maxPageSize: 1000 }],
    ['maxpagesize=2147483647', { maxPageSize: 1000 }],
    ['maxpagesize=999', { maxPageSize: 999 }],
  ])('%s is accepted', (query, expected) => {
    expect(read(query)).toMatchObject(expected);
  });

  it.each([
    ['top', 'top=-1', 0],
    ['top', 'top=2147483648', 0],
    ['top', 'top=', 0],
    ['top', 'top=abc', 0],
    ['top', 'top=1e5', 0],
    ['top', 'top=5e3', 0],
    ['top', 'top=1.5', 0],
    ['top', 'top=00000000005', 0],
    ['top', 'top=9999999999', 0],
    ['top', 'top=x5', 0],
    ['top', 'top=5x', 0],
    ['top', 'top=--5', 0],
    ['top', 'top= 5', 0],
    ['skip', 'skip=-1', 0],
    ['skip', 'skip=', 0],
    ['maxpagesize', 'maxpagesize=0', 1],
    ['maxpagesize', 'maxpagesize=-3', 1],
    ['maxpagesize', 'maxpagesize=many', 1],
  ])('%s: %s is refused', (name, query, min) => {
    expect(invalidDetail(query)).toEqual({
      code: ErrorCode.InvalidQueryParameter,
      message: `${name} must be an integer from ${min} to 2147483647.`,
      target: name,
    });
  });

  it.each([
    ['countRecords=true', true],
    ['countRecords=TRUE', true],
    ['countRecords=True', true],
    ['countRecords=false', false],
    ['countRecords=FALSE', false],
  ])('%s → %s', (query, expected) => {
    expect(read(query).countRecords).toBe(expected);
  });

  it.each(['countRecords=yes', 'countRecords=', 'countRecords=truex', 'countRecords=xtrue', 'countRecords=1'])('%s is refused', (query) => {
    expect(invalidDetail(query)).toEqual({ code: ErrorCode.InvalidQueryParameter, message: 'countRecords must be true or false.', target: 'countRecords' });
  });

  it('reports every invalid parameter at once, in order', () => {
    const err = thrownApiError(() => read('top=-1&skip=x&maxpagesize=0&countRecords=maybe'));
    expect(err.details?.map((d) => d.target)).toEqual(['top', 'skip', 'maxpagesize', 'countRecords']);
  });

  it('an empty filter is no filter', () => {
    expect('filter' in read('filter=')).toBe(false);
  });

  it.each(['top', 'skip', 'maxpagesize', 'countRecords', 'filter', 'skipToken'])('%s given twice is refused', (name) => {
    const err = thrownApiError(() => read(`${name}=1&${name}=1`));
    expect(err.message).toBe(`The query parameter ${name} must be given at most once; it was given 2 times.`);
    expect(err.target).toBe(name);
  });

  it('a skip token round-trips to its key position', () => {
    const token = encodeSkipToken({ pk: 'p|1', rk: 'r é' });
    expect(read(`skipToken=${token}`).after).toEqual({ pk: 'p|1', rk: 'r é' });
    expect(read(`skipToken=${encodeSkipToken({ pk: '', rk: '' })}`).after).toEqual({ pk: '', rk: '' });
  });

  it('the token is base64url of {"v":1,"pk","rk"}', () => {
    const token = encodeSkipToken({ pk: 'a?>', rk: 'b' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual({ v: 1, pk: 'a?>', rk: 'b' });
    expect(token).toBe(Buffer.from('{"v":1,"pk":"a?>","rk":"b"}', 'utf8').toString('base64url'));
  });

  const rawToken = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it('a token of 2048 characters is read; a longer one is refused', () => {
    // 23 bytes of JSON around pk; 1536 bytes in all encode to exactly 2048 base64url characters.
    const token = encodeSkipToken({ pk: 'k'.repeat(1513), rk: '' });
    expect(token).toHaveLength(2048);
    expect(read(`skipToken=${token}`).after).toEqual({ pk: 'k'.repeat(1513), rk: '' });
    // Trailing padding decodes to the same bytes: only the length refuses it.
    expect(Buffer.from(`${token}=`, 'base64url').toString('utf8')).toBe(Buffer.from(token, 'base64url').toString('utf8'));
    const err = thrownApiError(() => read(`skipToken=${token}=`));
    expect(err.code).toBe(ErrorCode.InvalidSkipToken);
  });

  it.each([
    ['not base64 JSON', 'garbage'],
    ['empty', ''],
    ['another version', rawToken({ v: 2, pk: 'a', rk: 'b' })],
    ['a version string', rawToken({ v: '1', pk: 'a', rk: 'b' })],
    ['a numeric pk', rawToken({ v: 1, pk: 1, rk: 'b' })],
    ['a numeric rk', rawToken({ v: 1, pk: 'a', rk: 2 })],
    ['no rk', rawToken({ v: 1, pk: 'a' })],
    ['JSON null', rawToken(null)],
  ])('a skip token that is %s is refused', (_name, token) => {
    const err = thrownApiError(() => read(`skipToken=${token}`));
    expect({ status: err.status, code: err.code, message: err.message, target: err.target }).toEqual({
      status: 400,
      code: ErrorCode.InvalidSkipToken,
      message: 'skipToken is not a continuation token issued by this service.',
      target: 'skipToken',
    });
  });

  it('invalid numbers are reported before the skip token is read', () => {
    expect(thrownApiError(() => read('top=-1&skipToken=garbage')).code).toBe(ErrorCode.InvalidQueryParameter);
  });
});

describe('nextLinkFor', () => {
  const position = { pk: 'P', rk: 'R' };

  it('keeps the other parameters, drops skip, sets the token and the remaining top', () => {
    const url = urlWith("top=10&skip=4&filter=a eq 'b'&maxpagesize=3");
    const link = new URL(nextLinkFor(url, read("top=10&skip=4&filter=a eq 'b'&maxpagesize=3"), position, 3));
    expect(link.origin + link.pathname).toBe('https://api.example.com/accounts');
    expect(link.searchParams.get('api-version')).toBe('2024-02-29-preview');
    expect(link.searchParams.has('skip')).toBe(false);
    expect(link.searchParams.get('top')).toBe('7');
    expect(link.searchParams.get('filter')).toBe("a eq 'b'");
    expect(link.searchParams.get('maxpagesize')).toBe('3');
    expect(link.searchParams.get('skipToken')).toBe(encodeSkipToken(position));
    expect(read(link.search.slice(1).replace('api-version=2024-02-29-preview&', '')).after).toEqual(position);
    // The caller's URL is left alone.
    expect(url.searchParams.get('skip')).toBe('4');
  });

  it('without top, a top in the URL is dropped and the old token is replaced', () => {
    const query: ListQuery = { skip: 0, maxPageSize: 5, countRecords: false };
    const link = new URL(nextLinkFor(urlWith('top=9&skipToken=old'), query, position, 5));
    expect(link.searchParams.has('top')).toBe(false);
    expect(link.searchParams.getAll('skipToken')).toEqual([encodeSkipToken(position)]);
  });
});

describe('pageLimit', () => {
  it('is the page size without top, else the smaller of top and the page size', () => {
    expect(pageLimit({ skip: 0, maxPageSize: 50, countRecords: false })).toBe(50);
    expect(pageLimit({ top: 7, skip: 0, maxPageSize: 50, countRecords: false })).toBe(7);
    expect(pageLimit({ top: 70, skip: 0, maxPageSize: 50, countRecords: false })).toBe(50);
    expect(pageLimit({ top: 0, skip: 0, maxPageSize: 50, countRecords: false })).toBe(0);
  });
});
