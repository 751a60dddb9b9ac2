/**
 * $filter (shared/contract/filter.ts) as example tables, fast enough for a mutation run: the lexer
 * (whitespace, field paths, integers, string quoting, surrogates), the grammar (precedence,
 * associativity, startswith, literal-first comparisons), every error with its exact message, the
 * bounds (length, nesting, number of conditions), the Table Storage rendering (prefix ranges at the
 * UTF-16 edges) and the in-memory evaluation. The properties in filter.test.ts state the same
 * meaning in general; these pin the edges one by one (docs/mutation.md).
 */
import { ErrorCode } from '../../shared/contract/errors';
import {
  evaluateFilter,
  parseFilter,
  toTableFilter,
  type FilterFields,
  type FilterNode,
} from '../../shared/contract/filter';
import { thrownApiError } from '../support/apiErrors';
import { and, compare as cmp, not, or, startswith as sw, type Op } from '../support/filterNodes';

const FIELDS: FilterFields = {
  id: { column: 'RowKey', type: 'string' },
  name: { column: 'nameCol', type: 'string' },
  tenant: { column: 'tenantCol', type: 'string', caseInsensitive: true },
  exact: { column: 'exactCol', type: 'string', caseInsensitive: false },
  flag: { column: 'flagCol', type: 'boolean' },
  'a_1/B2/_c9': { column: 'pathCol', type: 'string' },
  _Z: { column: 'underscoreCol', type: 'string' },
  startswith: { column: 'swCol', type: 'string' },
};

type Entity = Readonly<Record<string, unknown>>;

const parse = (text: string): FilterNode => parseFilter(text, FIELDS);
const table = (text: string): string => toTableFilter(parse(text));
const evaluate = (text: string, entity: Entity): boolean => evaluateFilter(parse(text), entity);


const A = cmp('RowKey', 'eq', 'a');
const B = cmp('RowKey', 'eq', 'b');
const C = cmp('RowKey', 'eq', 'c');

/** The whole error: 400, InvalidFilter, the exact message, no target, no details. */
function invalid(text: unknown): object {
  const err = thrownApiError(() => parseFilter(text as string, FIELDS));
  return { status: err.status, code: err.code, message: err.message, target: err.target, details: err.details };
}
const error = (message: string): object => ({
  status: 400,
  code: ErrorCode.InvalidFilter,
  message: `Invalid $filter: ${message}`,
  target: undefined,
  details: undefined,
});

// ---------------------------------------------------------------------------------------------------
// Lexer

describe('lexer', () => {
  it.each([
    ['spaces', "id  eq  'a'"],
    ['a tab, CR and LF', "id\teq\r\n'a'"],
    ['leading and trailing whitespace', " \t id eq 'a' \n"],
    ['no space around a string literal', "id eq'a'"],
  ])('skips %s', (_label, text) => {
    expect(parse(text)).toEqual(A);
  });

  it.each([
    ['a form feed', "id eq 'a'\f", "unexpected character U+000C at position 9."],
    ['a vertical tab', "\vid eq 'a'", 'unexpected character U+000B at position 0.'],
    ['a no-break space', "id\u00a0eq 'a'", 'unexpected character U+00A0 at position 2.'],
    ['an astral character (its code point)', "id eq 'a' \u{1F600}", 'unexpected character U+1F600 at position 10.'],
    ['DEL', "id eq 'a'\x7f", 'unexpected character U+007F at position 9.'],
    ['a NUL', "\0", 'unexpected character U+0000 at position 0.'],
    ['! (first printable)', "id eq 'a' !", "unexpected character '!' at position 10."],
    ['~ (last printable)', "~id eq 'a'", "unexpected character '~' at position 0."],
    ['&', "id eq 'a' & id eq 'b'", "unexpected character '&' at position 10."],
    ['a double quote', 'id eq "a"', `unexpected character '"' at position 6.`],
    ['a lone minus', "id eq - 'a'", "unexpected character '-' at position 6."],
    ['a dot', ".id eq 'a'", "unexpected character '.' at position 0."],
    ['a slash', "/id eq 'a'", "unexpected character '/' at position 0."],
  ])('refuses %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it('reads field paths: letters, digits, underscores, several segments, a leading underscore', () => {
    expect(parse("a_1/B2/_c9 eq 'x'")).toEqual(cmp('pathCol', 'eq', 'x'));
    expect(parse("_Z eq 'x'")).toEqual(cmp('underscoreCol', 'eq', 'x'));
    expect(parse("'x' eq a_1/B2/_c9")).toEqual(cmp('pathCol', 'eq', 'x'));
  });

  it.each([
    ['a trailing slash', "a_1/ eq 'x'", "invalid field path 'a_1/' at position 0."],
    ['a double slash', "a//b eq 'x'", "invalid field path 'a//b' at position 0."],
    ['a segment starting with a digit', "a/1b eq 'x'", "invalid field path 'a/1b' at position 0."],
    ['a dot, up to the end of the word-like run', "id eq 'x' or a.b-c/d eq 'y'", "invalid field path 'a.b-c/d' at position 13."],
    ['a slash at the end of the filter', "'x' eq id/", "invalid field path 'id/' at position 7."],
  ])('refuses %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['a decimal', 'name eq 12.5', "invalid number '12.5' at position 8; only integers are supported."],
    ['an exponent, minus included in the word', 'name eq -1.5e3-x', "invalid number '-1.5e3-x' at position 8; only integers are supported."],
    ['a letter after the digits', 'name eq 12a', "invalid number '12a' at position 8; only integers are supported."],
    ['an underscore after the digits', 'name eq 1_0', "invalid number '1_0' at position 8; only integers are supported."],
    ['a slash after the digits', 'name eq 1/2', "invalid number '1/2' at position 8; only integers are supported."],
    ['a capital after the digits', 'name eq 7Z', "invalid number '7Z' at position 8; only integers are supported."],
  ])('refuses %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it('reads integers (several digits, a minus sign, at the end of the filter) as number literals', () => {
    expect(invalid('name eq 123')).toEqual(
      error("type mismatch: string field 'name' at position 0 is compared with a number '123' at position 8."),
    );
    expect(invalid('-42 eq name')).toEqual(
      error("type mismatch: string field 'name' at position 7 is compared with a number '-42' at position 0."),
    );
    expect(invalid('name eq 1-2')).toEqual(
      error("type mismatch: string field 'name' at position 0 is compared with a number '1' at position 8."),
    );
    expect(invalid('flag eq 0')).toEqual(
      error("type mismatch: boolean field 'flag' at position 0 is compared with a number '0' at position 8."),
    );
  });

  it.each([
    ['an empty string', "id eq ''", ''],
    ['an escaped quote', "id eq 'it''s'", "it's"],
    ['only an escaped quote', "id eq ''''", "'"],
    ['two escaped quotes in a row', "id eq 'a''''b'", "a''b"],
    ['an escaped quote at the end', "id eq 'a'''", "a'"],
    ['keywords and punctuation kept as text', "id eq 'x eq y and (z), not'", 'x eq y and (z), not'],
    ['whitespace kept as is', "id eq ' a\tb '", ' a\tb '],
    ['a surrogate pair', "id eq '\uD83D\uDE00'", '\uD83D\uDE00'],
    ['the first pair', "id eq '\uD800\uDC00'", '\uD800\uDC00'],
    ['the last pair', "id eq '\uDBFF\uDFFF'", '\uDBFF\uDFFF'],
    ['units next to the surrogate range', "id eq '\uD7FF\uE000'", '\uD7FF\uE000'],
  ])('reads string literals: %s', (_label, text, value) => {
    expect(parse(text)).toEqual(cmp('RowKey', 'eq', value));
  });

  it('reads a string literal directly followed by more input', () => {
    expect(parse("id eq 'a'or id eq 'b'")).toEqual(or(A, B));
    expect(parse("('a'eq id)")).toEqual(A);
  });

  it.each([
    ['a lone high surrogate', "id eq '\uD800'", 'U+D800'],
    ['the last high surrogate alone', "id eq 'x\uDBFF'", 'U+DBFF'],
    ['a lone low surrogate', "id eq '\uDC00x'", 'U+DC00'],
    ['the last low surrogate alone', "id eq '\uDFFF'", 'U+DFFF'],
    ['a high surrogate before a non-surrogate', "id eq '\uDABCa'", 'U+DABC'],
    ['two high surrogates', "id eq '\uD800\uDBFF'", 'U+D800'],
    ['a high surrogate before U+E000', "id eq '\uDBFF\uE000'", 'U+DBFF'],
    ['a low surrogate after U+D7FF', "id eq '\uD7FF\uDC00'", 'U+DC00'],
    ['a low surrogate after a pair', "id eq '\uD83D\uDE00\uDC01'", 'U+DC01'],
    ['a pair split by an escaped quote', "id eq '\uD83D''\uDE00'", 'U+D83D'],
  ])('refuses %s in a string literal', (_label, text, unit) => {
    expect(invalid(text)).toEqual(error(`string literal at position 6 contains an unpaired surrogate (${unit}).`));
  });

  it.each([
    ['no closing quote', "id eq 'abc", "unterminated string literal ''abc' at position 6."],
    ['only an opening quote', "id eq '", "unterminated string literal ''' at position 6."],
    ['an escaped quote and no closing one', "id eq 'a''", "unterminated string literal ''a''' at position 6."],
    ['a quote pair then an opening quote', "id eq 'a''b''", "unterminated string literal ''a''b''' at position 6."],
  ])('refuses an unterminated string: %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it('shortens tokens longer than 80 characters in messages, and only those', () => {
    const seventyNine = 'x'.repeat(79);
    // the token text includes the opening quote: 80 characters are shown as is …
    expect(invalid(`id eq '${seventyNine}`)).toEqual(error(`unterminated string literal ''${seventyNine}' at position 6.`));
    // … 81 are cut to their first 80 and '...'
    expect(invalid(`id eq '${seventyNine}y`)).toEqual(error(`unterminated string literal ''${seventyNine}...' at position 6.`));
    expect(invalid(`'${'a'.repeat(78)}' eq 'b'`)).toEqual(
      error(`a comparison needs a field on one side: ''b'' at position 84 is a literal.`),
    );
    expect(invalid(`id eq '${'a'.repeat(78)}' '${'b'.repeat(79)}'`)).toEqual(
      error(`unexpected ''${'b'.repeat(79)}...' at position 87; expected 'and', 'or' or the end of the filter.`),
    );
    expect(invalid(`id eq '${'a'.repeat(78)}' '${'b'.repeat(78)}'`)).toEqual(
      error(`unexpected ''${'b'.repeat(78)}'' at position 87; expected 'and', 'or' or the end of the filter.`),
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Grammar

describe('grammar', () => {
  it.each<[Op]>([['eq'], ['ne'], ['gt'], ['ge'], ['lt'], ['le']])('field %s literal', (op) => {
    expect(parse(`name ${op} 'm'`)).toEqual(cmp('nameCol', op, 'm'));
  });

  it.each<[Op, Op]>([
    ['eq', 'eq'],
    ['ne', 'ne'],
    ['gt', 'lt'],
    ['ge', 'le'],
    ['lt', 'gt'],
    ['le', 'ge'],
  ])('literal %s field is field %s literal', (op, flipped) => {
    expect(parse(`'m' ${op} name`)).toEqual(cmp('nameCol', flipped, 'm'));
  });

  it('booleans: eq and ne with true or false, either side', () => {
    expect(parse('flag eq true')).toEqual(cmp('flagCol', 'eq', true));
    expect(parse('flag ne false')).toEqual(cmp('flagCol', 'ne', false));
    expect(parse('false eq flag')).toEqual(cmp('flagCol', 'eq', false));
    expect(parse('true ne flag')).toEqual(cmp('flagCol', 'ne', true));
  });

  it('lower-cases string literals of a case-insensitive field only', () => {
    expect(parse("tenant eq 'AbC'")).toEqual(cmp('tenantCol', 'eq', 'abc'));
    expect(parse("'AbC' lt tenant")).toEqual(cmp('tenantCol', 'gt', 'abc'));
    expect(parse("startswith(tenant, 'AbC')")).toEqual(sw('tenantCol', 'abc'));
    expect(parse("exact eq 'AbC'")).toEqual(cmp('exactCol', 'eq', 'AbC'));
    expect(parse("startswith(exact, 'AbC')")).toEqual(sw('exactCol', 'AbC'));
    expect(parse("name eq 'AbC'")).toEqual(cmp('nameCol', 'eq', 'AbC'));
    expect(parse("startswith(name, 'AbC')")).toEqual(sw('nameCol', 'AbC'));
  });

  it('startswith(field, string), including an empty prefix and a field named startswith', () => {
    expect(parse("startswith(name, 'ab')")).toEqual(sw('nameCol', 'ab'));
    expect(parse("startswith( name ,'')")).toEqual(sw('nameCol', ''));
    expect(parse("startswith(startswith, 'x')")).toEqual(sw('swCol', 'x'));
    expect(parse("startswith eq 'x'")).toEqual(cmp('swCol', 'eq', 'x'));
    expect(parse("'x' eq startswith")).toEqual(cmp('swCol', 'eq', 'x'));
  });

  it('and binds tighter than or; both associate to the left; not binds tightest', () => {
    expect(parse("id eq 'a' or id eq 'b' and id eq 'c'")).toEqual(or(A, and(B, C)));
    expect(parse("id eq 'a' and id eq 'b' or id eq 'c'")).toEqual(or(and(A, B), C));
    expect(parse("id eq 'a' or id eq 'b' or id eq 'c'")).toEqual(or(or(A, B), C));
    expect(parse("id eq 'a' and id eq 'b' and id eq 'c'")).toEqual(and(and(A, B), C));
    expect(parse("not id eq 'a' and id eq 'b'")).toEqual(and(not(A), B));
    expect(parse("id eq 'a' or not id eq 'b'")).toEqual(or(A, not(B)));
    expect(parse("not not id eq 'a'")).toEqual(not(not(A)));
  });

  it('parentheses group', () => {
    expect(parse("(id eq 'a' or id eq 'b') and id eq 'c'")).toEqual(and(or(A, B), C));
    expect(parse("id eq 'a' and (id eq 'b' or id eq 'c')")).toEqual(and(A, or(B, C)));
    expect(parse("not (id eq 'a' or id eq 'b')")).toEqual(not(or(A, B)));
    expect(parse("((id eq 'a'))")).toEqual(A);
    expect(parse("(startswith(name,'x'))")).toEqual(sw('nameCol', 'x'));
    expect(parse("not startswith(name,'x') or (not (id eq 'a'))")).toEqual(or(not(sw('nameCol', 'x')), not(A)));
  });
});

describe('grammar errors', () => {
  it.each([
    ['a non-string filter', 42, 'the filter must be a string.'],
    ['an empty filter', '', 'expected a condition but found end of filter at position 0.'],
    ['only whitespace', '  ', 'expected a condition but found end of filter at position 2.'],
    ['a leading and', "and id eq 'a'", "expected a condition but found 'and' at position 0."],
    ['a closing parenthesis', ")", "expected a condition but found ')' at position 0."],
    ['a comma', ", id eq 'a'", "expected a condition but found ',' at position 0."],
    ['an operator', "eq 'a'", "expected a condition but found 'eq' at position 0."],
    ['a dangling or', "id eq 'a' or", 'expected a condition but found end of filter at position 12.'],
    ['a dangling and', "id eq 'a' and ", 'expected a condition but found end of filter at position 14.'],
    ['a dangling not', "not", 'expected a condition but found end of filter at position 3.'],
    ['not before an operator', "not or id eq 'a'", "expected a condition but found 'or' at position 4."],
    ['a trailing word', "id eq 'a' id", "unexpected 'id' at position 10; expected 'and', 'or' or the end of the filter."],
    ['a trailing parenthesis', "id eq 'a')", "unexpected ')' at position 9; expected 'and', 'or' or the end of the filter."],
    ['a trailing comma', "id eq 'a',", "unexpected ',' at position 9; expected 'and', 'or' or the end of the filter."],
    ['a trailing not', "id eq 'a' not id eq 'b'", "unexpected 'not' at position 10; expected 'and', 'or' or the end of the filter."],
    ['an unclosed parenthesis', "(id eq 'a'", "expected ')' to close '(' at position 0 but found end of filter at position 10."],
    ['an unclosed inner parenthesis', "id eq 'a' and ((id eq 'b') or id eq 'c'", "expected ')' to close '(' at position 14 but found end of filter at position 39."],
    ['something else instead of )', "(id eq 'a' 'b')", "expected ')' to close '(' at position 0 but found ''b'' at position 11."],
    ['empty parentheses', '()', "expected a condition but found ')' at position 1."],
    // only a field before '(' is a function call
    ['a string before (', "'a' (id eq 'b')", "expected a comparison operator (eq, ne, gt, ge, lt, le) after ''a'' at position 0 but found '(' at position 4."],
    ['true before (', 'true(flag)', "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'true' at position 0 but found '(' at position 4."],
    ['and before (', "and (id eq 'a')", "expected a condition but found 'and' at position 0."],
    [') before (', ")(id eq 'a')", "expected a condition but found ')' at position 0."],
  ])('refuses %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['no operator', "id 'a'", "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found ''a'' at position 3."],
    ['a logical keyword', "id and 'a'", "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found 'and' at position 3."],
    ['the end', 'id', "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found end of filter at position 2."],
    ['after a literal', "'a' id", "expected a comparison operator (eq, ne, gt, ge, lt, le) after ''a'' at position 0 but found 'id' at position 4."],
    ['an upper-case operator', "id EQ 'a'", "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found 'EQ' at position 3 (keywords are lowercase: did you mean 'eq'?)."],
    ['a mixed-case operator', "id Le 'a'", "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found 'Le' at position 3 (keywords are lowercase: did you mean 'le'?)."],
    ['an unknown word', "id like 'a'", "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found 'like' at position 3."],
    ['an unknown capitalised word', "id Like 'a'", "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'id' at position 0 but found 'Like' at position 3."],
    ['a boolean literal', 'flag true', "expected a comparison operator (eq, ne, gt, ge, lt, le) after 'flag' at position 0 but found 'true' at position 5."],
  ])('refuses a comparison with %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['an unknown field', "nope eq 'a'", "unknown field 'nope' at position 0."],
    ['an unknown field on the right', "'a' eq nope", "unknown field 'nope' at position 7."],
    ['a capitalised field that is no keyword', "Id eq 'a'", "unknown field 'Id' at position 0."],
    ['a capitalised keyword', 'True eq flag', "unknown field 'True' at position 0 (keywords are lowercase: did you mean 'true'?)."],
    ['an upper-case keyword on the right', 'flag eq FALSE', "unknown field 'FALSE' at position 8 (keywords are lowercase: did you mean 'false'?)."],
    ['NOT', "NOT id eq 'a'", "unknown field 'NOT' at position 0 (keywords are lowercase: did you mean 'not'?)."],
    ['a field path case-changed', "ID eq 'a'", "unknown field 'ID' at position 0."],
    ['an Object.prototype member', "constructor eq 'a'", "unknown field 'constructor' at position 0."],
    ['__proto__', "__proto__ eq 'a'", "unknown field '__proto__' at position 0."],
    ['toString on the right', "'a' eq toString", "unknown field 'toString' at position 7."],
    ['hasOwnProperty in startswith', "startswith(hasOwnProperty, 'a')", "unknown field 'hasOwnProperty' at position 11."],
  ])('refuses %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['two fields', 'name eq id', "comparing two fields is not supported: 'id' at position 8 must be a literal."],
    ['two literals', "'a' eq 'b'", "a comparison needs a field on one side: ''b'' at position 7 is a literal."],
    ['two booleans', 'true eq false', "a comparison needs a field on one side: 'false' at position 8 is a literal."],
    ['a number and a string', "1 eq 'b'", "a comparison needs a field on one side: ''b'' at position 5 is a literal."],
    ['a keyword on the right', 'name eq and', "expected a field or a literal but found 'and' at position 8."],
    ['nothing on the right', 'name eq', 'expected a field or a literal but found end of filter at position 7.'],
    ['a parenthesis on the right', "name eq ('a')", "expected a field or a literal but found '(' at position 8."],
    ['a comma on the right', 'name eq ,', "expected a field or a literal but found ',' at position 8."],
    ['startswith on the right', "name eq startswith(name, 'a')", "'startswith' at position 8 is a condition and cannot be compared."],
    ['a function on the right', 'name eq lower(name)', "'lower' at position 8 is not a supported function."],
    ['a function on the right of a literal', "'a' eq tolower(name)", "'tolower' at position 7 is not a supported function."],
  ])('refuses a comparison of %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['gt', "operator 'gt' at position 5 is not supported on boolean field 'flag' at position 0; use eq or ne.", 'flag gt true'],
    ['ge', "operator 'ge' at position 5 is not supported on boolean field 'flag' at position 0; use eq or ne.", 'flag ge false'],
    ['lt', "operator 'lt' at position 5 is not supported on boolean field 'flag' at position 0; use eq or ne.", 'flag lt true'],
    ['le', "operator 'le' at position 5 is not supported on boolean field 'flag' at position 0; use eq or ne.", 'flag le true'],
    ['gt, literal first', "operator 'gt' at position 5 is not supported on boolean field 'flag' at position 8; use eq or ne.", 'true gt flag'],
  ])('refuses %s on a boolean field', (_label, message, text) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['a boolean field with a string', "flag eq 'true'", "type mismatch: boolean field 'flag' at position 0 is compared with a string ''true'' at position 8."],
    ['a boolean field with a string, gt', "flag gt 'x'", "type mismatch: boolean field 'flag' at position 0 is compared with a string ''x'' at position 8."],
    ['a string field with a boolean', 'name eq true', "type mismatch: string field 'name' at position 0 is compared with a boolean 'true' at position 8."],
    ['a string field with a boolean, literal first', 'false lt name', "type mismatch: string field 'name' at position 9 is compared with a boolean 'false' at position 0."],
  ])('refuses %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });

  it.each([
    ['an unknown function', "endswith(name, 'a')", "unknown function 'endswith' at position 0; only startswith is supported."],
    ['a capitalised startswith', "StartsWith(name, 'a')", "unknown function 'StartsWith' at position 0; only startswith is supported."],
    ['a literal as first argument', "startswith('a', name)", "startswith expects a field as its first argument but found ''a'' at position 11."],
    ['no arguments', 'startswith()', "startswith expects a field as its first argument but found ')' at position 11."],
    ['an unknown field', "startswith(nope, 'a')", "unknown field 'nope' at position 11."],
    ['a boolean field', "startswith(flag, 'a')", "startswith is not supported on boolean field 'flag' at position 11."],
    ['no comma', "startswith(name 'a')", "expected ',' after the first argument of startswith but found ''a'' at position 16."],
    ['one argument', 'startswith(name)', "expected ',' after the first argument of startswith but found ')' at position 15."],
    ['a number prefix', 'startswith(name, 1)', "type mismatch: startswith expects a string literal as its second argument but found '1' at position 17."],
    ['a boolean prefix', 'startswith(name, true)', "type mismatch: startswith expects a string literal as its second argument but found 'true' at position 17."],
    ['a false prefix', 'startswith(name, false)', "type mismatch: startswith expects a string literal as its second argument but found 'false' at position 17."],
    ['a field prefix', 'startswith(name, id)', "startswith expects a string literal as its second argument but found 'id' at position 17."],
    ['no prefix', 'startswith(name,)', "startswith expects a string literal as its second argument but found ')' at position 16."],
    ['no closing parenthesis', "startswith(name, 'a'", "expected ')' to close startswith at position 0 but found end of filter at position 20."],
    ['a third argument', "id eq 'x' or startswith(name, 'a', 'b')", "expected ')' to close startswith at position 13 but found ',' at position 33."],
    ['compared', "startswith(name, 'a') eq true", "unexpected 'eq' at position 22; expected 'and', 'or' or the end of the filter."],
  ])('refuses startswith with %s', (_label, text, message) => {
    expect(invalid(text)).toEqual(error(message));
  });
});

// ---------------------------------------------------------------------------------------------------
// Bounds

describe('bounds', () => {
  it('accepts 2048 characters and refuses 2049', () => {
    const at = (length: number): string => `id eq '${'x'.repeat(length - 8)}'`;
    expect(at(2048)).toHaveLength(2048);
    expect(parse(at(2048))).toEqual(cmp('RowKey', 'eq', 'x'.repeat(2040)));
    expect(invalid(at(2049))).toEqual(
      error('the filter is 2049 characters long; the limit of 2048 is exceeded at position 2048.'),
    );
    expect(invalid(' '.repeat(5000))).toEqual(
      error('the filter is 5000 characters long; the limit of 2048 is exceeded at position 2048.'),
    );
  });

  it('accepts 32 nested parentheses and refuses 33, naming the 33rd', () => {
    const nest = (n: number): string => `${'('.repeat(n)}id eq 'a'${')'.repeat(n)}`;
    expect(parse(nest(32))).toEqual(A);
    expect(invalid(nest(33))).toEqual(error("nesting deeper than 32 levels at '(' at position 32."));
  });

  it('accepts 32 nested nots and refuses 33, naming the 33rd', () => {
    const nots = (n: number): string => `${'not '.repeat(n)}id eq 'a'`;
    let expected: FilterNode = A;
    for (let i = 0; i < 32; i += 1) expected = not(expected);
    expect(parse(nots(32))).toEqual(expected);
    expect(invalid(nots(33))).toEqual(error("nesting deeper than 32 levels at 'not' at position 128."));
  });

  it('counts parentheses and nots together', () => {
    expect(parse(`${'not ('.repeat(16)}id eq 'a'${')'.repeat(16)}`)).toBeDefined();
    expect(invalid(`not ${'not ('.repeat(16)}id eq 'a'${')'.repeat(16)}`)).toEqual(
      error("nesting deeper than 32 levels at '(' at position 83."),
    );
  });

  it('a group closed gives its level back: 40 groups one after the other', () => {
    const groups = Array.from({ length: 40 }, () => "(id eq 'a')").join(' and ');
    const nots = Array.from({ length: 40 }, () => "not id eq 'a'").join(' or ');
    expect(parse(groups)).toBeDefined();
    expect(parse(nots)).toBeDefined();
    expect(parse(`${'('.repeat(31)}(id eq 'a') and (id eq 'a')${')'.repeat(31)}`)).toEqual(and(A, A));
  });

  it('accepts 100 conditions and refuses 101, naming where the 101st starts', () => {
    const conditions = (n: number): string => Array.from({ length: n }, () => "id eq 'x'").join(' or ');
    expect(parse(conditions(100))).toBeDefined();
    expect(invalid(conditions(101))).toEqual(error("more than 100 conditions; condition 101 starts at 'id' at position 1300."));
    const literalFirst = Array.from({ length: 101 }, () => "'x' eq id").join(' or ');
    expect(invalid(literalFirst)).toEqual(error("more than 100 conditions; condition 101 starts at ''x'' at position 1300."));
  });

  it('counts startswith calls as conditions', () => {
    // `startswith(id,'')or ` is 20 characters: 101 of them fit in the length limit
    const calls = (n: number): string => Array.from({ length: n }, () => "startswith(id,'')").join('or ');
    expect(parse(calls(100))).toBeDefined();
    expect(invalid(calls(101))).toEqual(error("more than 100 conditions; condition 101 starts at 'startswith' at position 2000."));
    const mixed = `${Array.from({ length: 100 }, () => "id eq 'x'").join(' or ')} or startswith(id,'x')`;
    expect(invalid(mixed)).toEqual(error("more than 100 conditions; condition 101 starts at 'startswith' at position 1300."));
  });
});

// ---------------------------------------------------------------------------------------------------
// Table Storage output

describe('toTableFilter', () => {
  it.each([
    ["name eq 'a'", "nameCol eq 'a'"],
    ["'a' ge name", "nameCol le 'a'"],
    ["name ne 'it''s'", "nameCol ne 'it''s'"],
    ["name eq ''''''", "nameCol eq ''''''"],
    ['flag eq true', 'flagCol eq true'],
    ['flag ne false', 'flagCol ne false'],
    ["id eq 'a' and id eq 'b'", "(RowKey eq 'a' and RowKey eq 'b')"],
    ["id eq 'a' or id eq 'b' and id eq 'c'", "(RowKey eq 'a' or (RowKey eq 'b' and RowKey eq 'c'))"],
    ["not id eq 'a'", "not (RowKey eq 'a')"],
    ["not not id eq 'a'", "not (not (RowKey eq 'a'))"],
    ["not (id eq 'a' or id eq 'b')", "not (RowKey eq 'a' or RowKey eq 'b')"],
    ["not startswith(name, 'ab')", "not (nameCol ge 'ab' and nameCol lt 'ac')"],
  ])('%s → %s', (text, expected) => {
    expect(table(text)).toBe(expected);
  });

  it.each([
    ['an empty prefix: no upper bound', '', "(nameCol ge '')"],
    ['a plain prefix', 'ab', "(nameCol ge 'ab' and nameCol lt 'ac')"],
    ['a quote in the prefix', "a''", "(nameCol ge 'a''' and nameCol lt 'a(')"],
    ['a quote as the bound', '&', "(nameCol ge '&' and nameCol lt '''')"],
    ['only U+FFFF: no upper bound', '\uFFFF\uFFFF', "(nameCol ge '\uFFFF\uFFFF')"],
    ['trailing U+FFFF dropped', 'a\uFFFF\uFFFF', "(nameCol ge 'a\uFFFF\uFFFF' and nameCol lt 'b')"],
    ['U+FFFF inside kept', '\uFFFFa', "(nameCol ge '\uFFFFa' and nameCol lt '\uFFFFb')"],
    ['U+FFFE', 'x\uFFFE', "(nameCol ge 'x\uFFFE' and nameCol lt 'x\uFFFF')"],
    ['U+D7FF: the bound is U+10000', 'a\uD7FF', "(nameCol ge 'a\uD7FF' and nameCol lt 'a\uD800\uDC00')"],
    ['a pair ending in U+DFFF: the next pair', '\uD83D\uDFFF', "(nameCol ge '\uD83D\uDFFF' and nameCol lt '\uD83E\uDC00')"],
    ['the last pair: U+E000', 'a\uDBFF\uDFFF', "(nameCol ge 'a\uDBFF\uDFFF' and nameCol lt 'a\uE000')"],
    ['a pair not ending in U+DFFF', '\uD83D\uDE00', "(nameCol ge '\uD83D\uDE00' and nameCol lt '\uD83D\uDE01')"],
    ['U+E000 itself', '\uE000', "(nameCol ge '\uE000' and nameCol lt '\uE001')"],
    ['U+DBFF + U+DC00 … ending below U+DFFF', '\uDBFF\uDFFE', "(nameCol ge '\uDBFF\uDFFE' and nameCol lt '\uDBFF\uDFFF')"],
  ])('startswith with %s', (_label, prefix, expected) => {
    expect(table(`startswith(name, '${prefix}')`)).toBe(expected);
  });

  it('renders a node built by hand: the U+DFFF step only moves a preceding high surrogate', () => {
    expect(toTableFilter(sw('c', 'a\uDFFF'))).toBe("(c ge 'a\uDFFF' and c lt 'a\uE000')");
    expect(toTableFilter(sw('c', '\uDFFF'))).toBe("(c ge '\uDFFF' and c lt '\uE000')");
    expect(toTableFilter(sw('c', '\uDC00\uDFFF'))).toBe("(c ge '\uDC00\uDFFF' and c lt '\uDC00\uE000')");
    expect(toTableFilter(sw('c', '\uD800\uDFFF'))).toBe("(c ge '\uD800\uDFFF' and c lt '\uD801\uDC00')");
    expect(toTableFilter(sw('c', '\uDBFF\uDFFF'))).toBe("(c ge '\uDBFF\uDFFF' and c lt '\uE000')");
  });
});

// ---------------------------------------------------------------------------------------------------
// In-memory evaluation

describe('evaluateFilter', () => {
  it.each<[Op, boolean, boolean, boolean]>([
    // op, actual below, equal, above the literal 'm'
    ['eq', false, true, false],
    ['ne', true, false, true],
    ['gt', false, false, true],
    ['ge', false, true, true],
    ['lt', true, false, false],
    ['le', true, true, false],
  ])('string %s', (op, below, equal, above) => {
    expect(evaluate(`name ${op} 'm'`, { nameCol: 'l' })).toBe(below);
    expect(evaluate(`name ${op} 'm'`, { nameCol: 'm' })).toBe(equal);
    expect(evaluate(`name ${op} 'm'`, { nameCol: 'mm' })).toBe(above);
    expect(evaluate(`name ${op} 'm'`, { nameCol: 'n' })).toBe(above);
  });

  it('orders strings by code unit (upper case before lower case, a prefix first)', () => {
    expect(evaluate("name lt 'a'", { nameCol: 'Z' })).toBe(true);
    expect(evaluate("name gt 'ab'", { nameCol: 'a' })).toBe(false);
    expect(evaluate("name lt '\uFF61'", { nameCol: '\uD83D\uDE00' })).toBe(true);
  });

  it.each([
    ['eq true', 'flag eq true', [false, true, false, false, false]],
    ['ne true', 'flag ne true', [true, false, true, true, true]],
    ['eq false', 'flag eq false', [true, false, true, true, true]],
    ['ne false', 'flag ne false', [false, true, false, false, false]],
    ['true eq (literal first)', 'true eq flag', [false, true, false, false, false]],
  ])('boolean %s: false, true, missing, the string "true", 1', (_label, text, results) => {
    const entities: Entity[] = [{ flagCol: false }, { flagCol: true }, {}, { flagCol: 'true' }, { flagCol: 1 }];
    expect(entities.map((entity) => evaluate(text, entity))).toEqual(results);
  });

  it('reads a missing or non-string value as the empty string', () => {
    expect(evaluate("name eq ''", {})).toBe(true);
    expect(evaluate("name eq ''", { nameCol: 5 })).toBe(true);
    expect(evaluate("name eq ''", { nameCol: null })).toBe(true);
    expect(evaluate("name ge ''", {})).toBe(true);
    expect(evaluate("name gt ''", {})).toBe(false);
    expect(evaluate("name lt 'a'", { nameCol: true })).toBe(true);
    expect(evaluate("name eq 'undefined'", {})).toBe(false);
    expect(evaluate("startswith(name, '')", {})).toBe(true);
    expect(evaluate("startswith(name, 'u')", {})).toBe(false);
  });

  it('ignores inherited properties', () => {
    const inherited = Object.create({ nameCol: 'x', flagCol: true }) as Entity;
    expect(evaluate("name eq 'x'", inherited)).toBe(false);
    expect(evaluate("name eq ''", inherited)).toBe(true);
    expect(evaluate('flag eq true', inherited)).toBe(false);
    expect(evaluate('flag eq false', inherited)).toBe(true);
  });

  it('startswith', () => {
    expect(evaluate("startswith(name, 'ab')", { nameCol: 'abc' })).toBe(true);
    expect(evaluate("startswith(name, 'ab')", { nameCol: 'ab' })).toBe(true);
    expect(evaluate("startswith(name, 'ab')", { nameCol: 'a' })).toBe(false);
    expect(evaluate("startswith(name, 'ab')", { nameCol: 'xab' })).toBe(false);
    expect(evaluate("startswith(tenant, 'AB')", { tenantCol: 'abc' })).toBe(true);
  });

  it.each<[string, boolean, boolean, boolean, boolean]>([
    // filter, (a,b) = (F,F), (F,T), (T,F), (T,T)
    ["name eq 'a' and exact eq 'b'", false, false, false, true],
    ["name eq 'a' or exact eq 'b'", false, true, true, true],
    ["not name eq 'a'", true, true, false, false],
    ["not (name eq 'a' and exact eq 'b')", true, true, true, false],
    ["not not name eq 'a'", false, false, true, true],
  ])('%s', (text, ff, ft, tf, tt) => {
    const entity = (a: boolean, b: boolean): Entity => ({ nameCol: a ? 'a' : 'x', exactCol: b ? 'b' : 'x' });
    expect([entity(false, false), entity(false, true), entity(true, false), entity(true, true)].map((e) => evaluate(text, e))).toEqual([
      ff,
      ft,
      tf,
      tt,
    ]);
  });
});
