/**
 * CSV text → numbers ready to send, or per-row, per-column problems, entirely in the browser and
 * before anything is sent. Each row is checked with the API's schema and domain rules
 * (rules/numberRules.ts) against the account it is imported into.
 */
import Papa from 'papaparse';
import type { NumberInput } from '../../../shared/contract/resources';
import type { AccountDoc } from '../../../shared/domain/types';
import { numberProblems } from '../rules/numberRules';
import { COLUMNS_BY_NAME, LIST_SEPARATOR, MAX_CSV_ROWS, columnOfTarget, type Column } from './format';

export interface CellProblem {
  readonly column: string;
  readonly message: string;
}

export interface CsvRow {
  /** 1-based line in the file (the header is line 1). */
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
  readonly number?: NumberInput;
  readonly problems: readonly CellProblem[];
}

export type CsvParseResult =
  | { ok: true; columns: string[]; rows: CsvRow[] }
  | { ok: false; fileProblems: string[] };

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function cellValue(column: Column, raw: string): { value?: unknown; problem?: string } {
  const text = raw.trim();
  if (text === '') return {};
  switch (column.kind) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true') return { value: true };
      if (lower === 'false') return { value: false };
      return { problem: `must be true or false, not "${text}"` };
    }
    case 'list':
      return { value: text.split(LIST_SEPARATOR).map((s) => s.trim()).filter((s) => s !== '') };
    case 'text':
      return { value: text };
  }
}

function rowOf(line: number, cells: Record<string, string>, accountName: string, account: AccountDoc | undefined, seen: Map<string, number>): CsvRow {
  const problems: CellProblem[] = [];
  const body: Record<string, unknown> = { serviceDetails: {} };
  for (const [name, raw] of Object.entries(cells)) {
    const column = COLUMNS_BY_NAME.get(name);
    if (column === undefined) continue;
    const { value, problem } = cellValue(column, raw);
    if (problem !== undefined) problems.push({ column: name, message: problem });
    else if (value !== undefined) setPath(body, column.path, value);
  }
  body.accountName ??= accountName;
  if (body.accountName !== accountName) {
    problems.push({ column: 'accountName', message: `must be ${accountName}, the account you are importing into` });
  }
  if (problems.length === 0) {
    for (const detail of numberProblems(body, account)) {
      // The shared validator starts its messages with the JSON path; the column already says where.
      const message = detail.target && detail.message.startsWith(`${detail.target} `) ? detail.message.slice(detail.target.length + 1) : detail.message;
      problems.push({ column: columnOfTarget(detail.target), message });
    }
  }
  const telephoneNumber = typeof body.telephoneNumber === 'string' ? body.telephoneNumber : undefined;
  if (telephoneNumber !== undefined) {
    const earlier = seen.get(telephoneNumber);
    if (earlier !== undefined) problems.push({ column: 'telephoneNumber', message: `is already on line ${earlier}` });
    else seen.set(telephoneNumber, line);
  }
  return { line, cells, problems, ...(problems.length === 0 ? { number: body as NumberInput } : {}) };
}

export function parseNumbersCsv(text: string, accountName: string, account: AccountDoc | undefined): CsvParseResult {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const columns = parsed.meta.fields ?? [];
  const fileProblems: string[] = [];
  const unknown = columns.filter((c) => !COLUMNS_BY_NAME.has(c));
  if (unknown.length > 0) fileProblems.push(`Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. See the column list in the help.`);
  if (!columns.includes('telephoneNumber')) fileProblems.push('The header row must include telephoneNumber.');
  if (parsed.data.length === 0) fileProblems.push('The file has no rows below its header.');
  if (parsed.data.length > MAX_CSV_ROWS) fileProblems.push(`At most ${MAX_CSV_ROWS.toLocaleString('en-US')} rows per file; this one has ${parsed.data.length.toLocaleString('en-US')}.`);
  for (const error of parsed.errors.slice(0, 5)) fileProblems.push(`Line ${(error.row ?? 0) + 2}: ${error.message}`);
  if (fileProblems.length > 0) return { ok: false, fileProblems };
  const seen = new Map<string, number>();
  const rows = parsed.data.map((cells, i) => rowOf(i + 2, cells, accountName, account, seen));
  return { ok: true, columns, rows };
}
