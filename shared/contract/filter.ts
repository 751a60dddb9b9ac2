/**
 * $filter for list operations (decision D1): a small OData subset, parsed into a typed AST that can be
 * pushed down to Table Storage (toTableFilter) or evaluated in memory (evaluateFilter) with the same
 * meaning.
 *
 * Grammar (keywords are case-sensitive lowercase, as in OData):
 *   filter     := or
 *   or         := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | primary
 *   primary    := '(' or ')' | startswith | comparison
 *   startswith := 'startswith' '(' field ',' string ')'
 *   comparison := field op literal | literal op field        (op: eq ne gt ge lt le)
 *   literal    := string | 'true' | 'false' | integer
 *   field      := segment ('/' segment)*                    (segment: [A-Za-z_][A-Za-z0-9_]*)
 *   string     := "'" (any char except "'" | "''")* "'"
 *
 * Every invalid input is reported as 400 InvalidFilter naming the offending token and its position
 * (0-based character offset, like JSON.parse). The parser never throws anything else: its input size,
 * nesting depth and number of conditions are bounded.
 */
import { badRequest, ErrorCode, type ApiError } from './errors';

export type FilterFieldType = 'string' | 'boolean';
/** column = Table Storage property name (may be 'PartitionKey' or 'RowKey'). */
export interface FilterField {
  column: string;
  type: FilterFieldType;
  /**
   * The column holds the value lower-cased (Table Storage compares strings ordinally, with case), so
   * string literals are lower-cased too: the field compares without regard to case (Teams tenant ids).
   */
  caseInsensitive?: boolean;
}
/** Key = the public field path, e.g. `serviceDetails/teamsDirectRouting/enabled`. */
export type FilterFields = Readonly<Record<string, FilterField>>;
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; column: string; value: string | boolean }
  | { kind: 'startswith'; column: string; prefix: string };

type CompareOp = Extract<FilterNode, { kind: 'compare' }>['op'];

const MAX_FILTER_LENGTH = 2048;
/** Counts '(' groups and 'not'; bounds the parser's recursion (and so the evaluators'). */
const MAX_NESTING_DEPTH = 32;
/** Comparisons plus startswith calls. */
const MAX_TERMS = 100;
/** Long tokens (a 2 KB string literal) are shortened in error messages. */
const MAX_TOKEN_IN_MESSAGE = 80;

const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const KEYWORDS: readonly string[] = [...COMPARE_OPS, 'and', 'or', 'not', 'true', 'false'];
/** `literal op field` is rewritten as `field flipped(op) literal`. */
const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

// ---------------------------------------------------------------------------------------------------
// Errors

function invalidFilter(message: string): ApiError {
  return badRequest(ErrorCode.InvalidFilter, `Invalid $filter: ${message}`);
}

function quoteForMessage(text: string): string {
  const shown = text.length > MAX_TOKEN_IN_MESSAGE ? `${text.slice(0, MAX_TOKEN_IN_MESSAGE)}...` : text;
  return `'${shown}'`;
}

// ---------------------------------------------------------------------------------------------------
// Lexer

type TokenKind = 'field' | 'keyword' | 'string' | 'number' | '(' | ')' | ',' | 'end';

interface Token {
  kind: TokenKind;
  /** Source text, as written (string literals keep their quotes). */
  text: string;
  /** 0-based offset in the filter. */
  pos: number;
  /** Unescaped content of a string literal. */
  value?: string;
}

function describe(token: Token): string {
  return token.kind === 'end'
    ? `end of filter at position ${token.pos}`
    : `${quoteForMessage(token.text)} at position ${token.pos}`;
}

const WHITESPACE = /[ \t\r\n]+/y;
const FIELD_PATH = /[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/y;
const INTEGER = /-?[0-9]+/y;
/** The run of word-like characters at a position, to name a malformed path or number in a message. */
const WORDISH = /[A-Za-z0-9_./-]+/y;

function matchAt(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_./]/.test(ch);
}

/** Printable ASCII as is; anything else as U+XXXX so messages stay readable. */
function describeChar(text: string, pos: number): string {
  const code = text.codePointAt(pos) ?? 0;
  if (code >= 0x21 && code <= 0x7e) return `'${String.fromCharCode(code)}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const space = matchAt(WHITESPACE, text, pos);
    if (space !== undefined) {
      pos += space.length;
      continue;
    }
    const token = readToken(text, pos);
    tokens.push(token);
    pos += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

function readToken(text: string, pos: number): Token {
  const ch = text[pos];
  if (ch === '(' || ch === ')' || ch === ',') return { kind: ch, text: ch, pos };
  if (ch === "'") return readStringLiteral(text, pos);
  if (matchAt(INTEGER, text, pos) !== undefined) return readNumber(text, pos);
  if (matchAt(FIELD_PATH, text, pos) !== undefined) return readWord(text, pos);
  throw invalidFilter(`unexpected character ${describeChar(text, pos)} at position ${pos}.`);
}

function readStringLiteral(text: string, start: number): Token {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const close = text.indexOf("'", pos);
    if (close < 0) {
      throw invalidFilter(`unterminated string literal ${quoteForMessage(text.slice(start))} at position ${start}.`);
    }
    value += text.slice(pos, close);
    if (text[close + 1] !== "'") {
      assertWellFormed(value, start);
      return { kind: 'string', text: text.slice(start, close + 1), pos: start, value };
    }
    value += "'"; // '' is an escaped quote
    pos = close + 2;
  }
}

/**
 * An unpaired surrogate cannot be percent-encoded (the Tables SDK throws URIError while building the
 * request URL), and it cannot arrive through a decoded query string anyway: reject it up front.
 */
function assertWellFormed(value: string, start: number): void {
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (isHighSurrogate(unit) && isLowSurrogate(value.charCodeAt(i + 1))) {
      i += 1;
    } else if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
      throw invalidFilter(`string literal at position ${start} contains an unpaired surrogate (U+${unit.toString(16).toUpperCase()}).`);
    }
  }
}

function readNumber(text: string, pos: number): Token {
  const digits = matchAt(INTEGER, text, pos) ?? '';
  if (isWordChar(text[pos + digits.length])) {
    const word = matchAt(WORDISH, text, pos) ?? digits;
    throw invalidFilter(`invalid number ${quoteForMessage(word)} at position ${pos}; only integers are supported.`);
  }
  return { kind: 'number', text: digits, pos };
}

function readWord(text: string, pos: number): Token {
  const path = matchAt(FIELD_PATH, text, pos) ?? '';
  if (isWordChar(text[pos + path.length])) {
    // e.g. `a/`, `a//b`, `a/1b`, `a.b`
    const word = matchAt(WORDISH, text, pos) ?? path;
    throw invalidFilter(`invalid field path ${quoteForMessage(word)} at position ${pos}.`);
  }
  return { kind: KEYWORDS.includes(path) ? 'keyword' : 'field', text: path, pos };
}

// ---------------------------------------------------------------------------------------------------
// Parser

type Operand =
  | { kind: 'field'; token: Token; field: FilterField }
  | { kind: 'literal'; token: Token; value: string | boolean | number };

class Parser {
  private index = 0;
  private depth = 0;
  private terms = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fields: FilterFields,
  ) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw invalidFilter(`unexpected ${describe(next)}; expected 'and', 'or' or the end of the filter.`);
    }
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.peekKeyword('or')) {
      this.advance();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.peekKeyword('and')) {
      this.advance();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (!this.peekKeyword('not')) return this.parsePrimary();
    const notToken = this.advance();
    return this.nested(notToken, () => ({ kind: 'not', operand: this.parseUnary() }));
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token.kind === '(') {
      this.advance();
      return this.nested(token, () => {
        const inner = this.parseOr();
        this.expect(')', `to close '(' at position ${token.pos}`);
        return inner;
      });
    }
    if (token.kind === 'field' && this.peek(1).kind === '(') return this.parseFunction();
    if (token.kind === 'field' || isLiteral(token)) return this.parseComparison();
    throw invalidFilter(`expected a condition but found ${describe(token)}.`);
  }

  private parseFunction(): FilterNode {
    const name = this.advance();
    if (name.text !== 'startswith') {
      throw invalidFilter(`unknown function ${describe(name)}; only startswith is supported.`);
    }
    this.countTerm(name);
    this.advance(); // '('
    const fieldToken = this.peek();
    if (fieldToken.kind !== 'field') {
      throw invalidFilter(`startswith expects a field as its first argument but found ${describe(fieldToken)}.`);
    }
    this.advance();
    const field = this.resolveField(fieldToken);
    if (field.type !== 'string') {
      throw invalidFilter(`startswith is not supported on boolean field ${describe(fieldToken)}.`);
    }
    this.expect(',', 'after the first argument of startswith');
    const prefixToken = this.advance();
    if (prefixToken.kind !== 'string') {
      const problem = isLiteral(prefixToken) ? 'type mismatch: ' : '';
      throw invalidFilter(`${problem}startswith expects a string literal as its second argument but found ${describe(prefixToken)}.`);
    }
    this.expect(')', `to close startswith at position ${name.pos}`);
    return { kind: 'startswith', column: field.column, prefix: literalFor(field, prefixToken.value ?? '') };
  }

  private parseComparison(): FilterNode {
    const first = this.parseOperand();
    this.countTerm(first.token);
    const opToken = this.advance();
    if (opToken.kind !== 'keyword' || !isCompareOp(opToken.text)) {
      throw invalidFilter(`expected a comparison operator (eq, ne, gt, ge, lt, le) after ${describe(first.token)} but found ${describe(opToken)}${keywordHint(opToken)}.`);
    }
    const second = this.parseOperand();
    if (first.kind === 'field' && second.kind === 'literal') return checkedComparison(first, opToken.text, second, opToken);
    if (first.kind === 'literal' && second.kind === 'field') return checkedComparison(second, FLIPPED[opToken.text], first, opToken);
    if (first.kind === 'field') {
      throw invalidFilter(`comparing two fields is not supported: ${describe(second.token)} must be a literal.`);
    }
    throw invalidFilter(`a comparison needs a field on one side: ${describe(second.token)} is a literal.`);
  }

  private parseOperand(): Operand {
    const token = this.advance();
    if (token.kind === 'field') {
      if (this.peek().kind === '(') {
        const detail = token.text === 'startswith' ? 'is a condition and cannot be compared' : 'is not a supported function';
        throw invalidFilter(`${describe(token)} ${detail}.`);
      }
      return { kind: 'field', token, field: this.resolveField(token) };
    }
    if (token.kind === 'string') return { kind: 'literal', token, value: token.value ?? '' };
    if (token.kind === 'number') return { kind: 'literal', token, value: Number(token.text) };
    if (token.kind === 'keyword' && (token.text === 'true' || token.text === 'false')) {
      return { kind: 'literal', token, value: token.text === 'true' };
    }
    throw invalidFilter(`expected a field or a literal but found ${describe(token)}.`);
  }

  private resolveField(token: Token): FilterField {
    // hasOwn: a path such as `constructor` or `__proto__` must not resolve to Object.prototype members.
    const field = Object.hasOwn(this.fields, token.text) ? this.fields[token.text] : undefined;
    if (field === undefined) throw invalidFilter(`unknown field ${describe(token)}${keywordHint(token)}.`);
    return field;
  }

  /** Runs `parse` one nesting level deeper, refusing to go past MAX_NESTING_DEPTH. */
  private nested(token: Token, parse: () => FilterNode): FilterNode {
    this.depth += 1;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw invalidFilter(`nesting deeper than ${MAX_NESTING_DEPTH} levels at ${describe(token)}.`);
    }
    const node = parse();
    this.depth -= 1;
    return node;
  }

  private countTerm(token: Token): void {
    this.terms += 1;
    if (this.terms > MAX_TERMS) {
      throw invalidFilter(`more than ${MAX_TERMS} conditions; condition ${this.terms} starts at ${describe(token)}.`);
    }
  }

  private expect(kind: TokenKind, context: string): Token {
    const token = this.advance();
    if (token.kind !== kind) throw invalidFilter(`expected '${kind}' ${context} but found ${describe(token)}.`);
    return token;
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.text === keyword;
  }

  /** The token list always ends with 'end', so reading past it keeps returning 'end'. */
  private peek(ahead = 0): Token {
    const tokens = this.tokens;
    return tokens[Math.min(this.index + ahead, tokens.length - 1)] ?? { kind: 'end', text: '', pos: 0 };
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
}

function isLiteral(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'number' || (token.kind === 'keyword' && (token.text === 'true' || token.text === 'false'));
}

function isCompareOp(text: string): text is CompareOp {
  return (COMPARE_OPS as readonly string[]).includes(text);
}

/** `Eq`, `AND`, `True`: OData keywords are lowercase, say so rather than just "unknown field". */
function keywordHint(token: Token): string {
  const lower = token.text.toLowerCase();
  return token.kind === 'field' && lower !== token.text && KEYWORDS.includes(lower)
    ? ` (keywords are lowercase: did you mean '${lower}'?)`
    : '';
}

/** Applies the type rules of D1: booleans take eq/ne with true/false, strings take any operator with a string. */
function checkedComparison(
  field: Extract<Operand, { kind: 'field' }>,
  op: CompareOp,
  literal: Extract<Operand, { kind: 'literal' }>,
  opToken: Token,
): FilterNode {
  const { column, type } = field.field;
  const value = literal.value;
  if (type === 'boolean' && typeof value === 'boolean') {
    if (op !== 'eq' && op !== 'ne') {
      throw invalidFilter(`operator ${describe(opToken)} is not supported on boolean field ${describe(field.token)}; use eq or ne.`);
    }
    return { kind: 'compare', op, column, value };
  }
  if (type === 'string' && typeof value === 'string') return { kind: 'compare', op, column, value: literalFor(field.field, value) };
  throw invalidFilter(`type mismatch: ${type} field ${describe(field.token)} is compared with a ${typeof value} ${describe(literal.token)}.`);
}

function literalFor(field: FilterField, value: string): string {
  return field.caseInsensitive === true ? value.toLowerCase() : value;
}

export function parseFilter(text: string, fields: FilterFields): FilterNode {
  if (typeof text !== 'string') throw invalidFilter('the filter must be a string.');
  if (text.length > MAX_FILTER_LENGTH) {
    throw invalidFilter(`the filter is ${text.length} characters long; the limit of ${MAX_FILTER_LENGTH} is exceeded at position ${MAX_FILTER_LENGTH}.`);
  }
  return new Parser(tokenize(text), fields).parse();
}

// ---------------------------------------------------------------------------------------------------
// Table Storage output

/** OData filter string for @azure/data-tables listEntities({ queryOptions: { filter } }) over the columns. */
export function toTableFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${toTableFilter(node.left)} ${node.kind} ${toTableFilter(node.right)})`;
    case 'not':
      // Always `not (...)`: Azurite rejects `not not (...)`, and a bare `not a eq 'x'` would read as `(not a) eq 'x'` in OData.
      return `not ${parenthesised(node.operand)}`;
    case 'compare':
      return `${node.column} ${node.op} ${odataLiteral(node.value)}`;
    case 'startswith':
      return prefixRange(node.column, node.prefix);
  }
}

/** and/or/startswith render with their own parentheses; only comparisons and `not` need wrapping. */
function parenthesised(node: FilterNode): string {
  const text = toTableFilter(node);
  return node.kind === 'compare' || node.kind === 'not' ? `(${text})` : text;
}

function odataLiteral(value: string | boolean): string {
  return typeof value === 'boolean' ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

/** Table Storage has no startswith: a prefix is the half-open range [prefix, upper bound). */
function prefixRange(column: string, prefix: string): string {
  const lower = `${column} ge ${odataLiteral(prefix)}`;
  const upper = prefix === '' ? undefined : prefixUpperBound(prefix);
  return upper === undefined ? `(${lower})` : `(${lower} and ${column} lt ${odataLiteral(upper)})`;
}

/**
 * The smallest string above every string that starts with `prefix`, in code-unit order; undefined
 * when there is none. Trailing U+FFFF units cannot be incremented, so they are dropped first; a
 * prefix made only of U+FFFF has no upper bound, and `column ge prefix` alone is then exact
 * (every string >= '\uFFFF...' starts with it).
 */
function prefixUpperBound(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end -= 1;
  if (end === 0) return undefined;
  return withIncrementedUnit(prefix.slice(0, end - 1), prefix.charCodeAt(end - 1) + 1);
}

/**
 * head + unit, kept well-formed UTF-16 (a lone surrogate cannot be sent, see assertWellFormed).
 * Stored values are well-formed, so moving the bound up to the next well-formed string selects the
 * same rows:
 * - U+D7FF + 1 is a lone high surrogate; nothing well-formed lies between head+'\uD800' and
 *   head+'\uD800\uDC00' (U+10000).
 * - a low surrogate U+DFFF + 1 after high surrogate H gives H + '\uE000'; the next well-formed
 *   string is the next code point's pair H+1 + '\uDC00', or head + '\uE000' past the last pair.
 */
function withIncrementedUnit(head: string, unit: number): string {
  if (unit === 0xd800) return `${head}\uD800\uDC00`;
  const high = head.charCodeAt(head.length - 1);
  if (unit === 0xe000 && isHighSurrogate(high)) {
    const rest = head.slice(0, -1);
    return high === 0xdbff ? `${rest}\uE000` : rest + String.fromCharCode(high + 1, 0xdc00);
  }
  return head + String.fromCharCode(unit);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

// ---------------------------------------------------------------------------------------------------
// In-memory evaluation

/** The same semantics in memory, over an entity whose properties are keyed by column. */
export function evaluateFilter(node: FilterNode, entity: Readonly<Record<string, unknown>>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, entity) && evaluateFilter(node.right, entity);
    case 'or':
      return evaluateFilter(node.left, entity) || evaluateFilter(node.right, entity);
    case 'not':
      return !evaluateFilter(node.operand, entity);
    case 'compare': {
      const { op, column, value } = node;
      return typeof value === 'boolean'
        ? matches(op, order(readBoolean(entity, column), value))
        : matches(op, order(readString(entity, column), value));
    }
    case 'startswith':
      return readString(entity, node.column).startsWith(node.prefix);
  }
}

/*
 * A missing (or mistyped) value reads as '' for string columns and false for boolean columns. The
 * store always writes every filterable column, so this only matters for robustness. Table Storage
 * differs here: there a comparison on a missing property is false whatever the operator (Azurite:
 * `col ne 'x'` and `col ge ''` skip rows without `col`, while `not (col eq 'x')` keeps them).
 */
function readString(entity: Readonly<Record<string, unknown>>, column: string): string {
  const value = Object.hasOwn(entity, column) ? entity[column] : undefined;
  return typeof value === 'string' ? value : '';
}

function readBoolean(entity: Readonly<Record<string, unknown>>, column: string): boolean {
  return Object.hasOwn(entity, column) && entity[column] === true;
}

/** JavaScript's `<` on strings is code-unit order, the same ordinal order Table Storage uses; false < true. */
function order<T extends string | boolean>(actual: T, expected: T): number {
  if (actual === expected) return 0;
  return actual < expected ? -1 : 1;
}

function matches(op: CompareOp, ordering: number): boolean {
  switch (op) {
    case 'eq':
      return ordering === 0;
    case 'ne':
      return ordering !== 0;
    case 'gt':
      return ordering > 0;
    case 'ge':
      return ordering >= 0;
    case 'lt':
      return ordering < 0;
    case 'le':
      return ordering <= 0;
  }
}
