/** Numbers → CSV in the import format (csv/format.ts), with only the columns some number uses. */
import Papa from 'papaparse';
import type { NumberInput } from '../../../shared/contract/resources';
import { COLUMNS, LIST_SEPARATOR } from './format';

function valueAt(number: NumberInput, path: readonly string[]): unknown {
  let node: unknown = number;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(LIST_SEPARATOR);
  return String(value);
}

export function numbersToCsv(numbers: readonly NumberInput[]): string {
  const used = COLUMNS.filter((c) => c.name === 'telephoneNumber' || c.name === 'accountName' || numbers.some((n) => valueAt(n, c.path) !== undefined));
  const rows = numbers.map((n) => used.map((c) => cellText(valueAt(n, c.path))));
  return Papa.unparse({ fields: used.map((c) => c.name), data: rows }, { newline: '\n' });
}

export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
