/** JSON columns: documents are stored as one string property (well below the 64 KiB property limit). */
export function readJson<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string' || value === '') return fallback;
  return JSON.parse(value) as T;
}
