/**
 * The app settings the code reads: the settings schema's names (shared/settings/table.ts), each
 * with its group. `sourceSettings()` still finds them in the source, so a read that bypasses the
 * schema is caught (test/unit/settings.test.ts). Found in the source (shared/ and functions/, what the package
 * ships): `env.NAME` / `process.env.NAME` / `env['NAME']`, helper calls whose first two arguments
 * are `(env, 'NAME')` (every config module reads this way), and the config modules' own name lists
 * (`*_ENV_NAMES`). Also the connection prefixes of trigger bindings (`connection: 'X'`), whose
 * `X__*` settings the Functions host reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '../../shared/settings/table';

const ROOT = path.join(__dirname, '../..');
const SOURCE_DIRS = ['shared', 'functions'];

const PATTERNS = [
  /\benv\.([A-Z][A-Za-z0-9_]*)/g,
  /\benv\[\s*['"]([A-Z][A-Za-z0-9_]*)['"]\s*\]/g,
  /\(\s*env\s*,\s*'([A-Z][A-Za-z0-9_]*)'/g,
];
const NAME_LIST = /_ENV_NAMES\s*=\s*\[([^\]]*)\]/g;
const CONNECTION = /\bconnection:\s*'([A-Z][A-Za-z0-9_]*)'/g;

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(ROOT, dir, name)),
  );
}

export interface CodeSettings {
  /** Setting name → `file:line` of one place that reads it. */
  readonly read: ReadonlyMap<string, string>;
  /** Trigger connection names (their `<name>__*` settings are read by the host). */
  readonly connections: ReadonlySet<string>;
}

export function codeSettings(): CodeSettings {
  const read = new Map<string, string>(Object.entries(SETTINGS).map(([name, info]) => [name, `shared/settings/table.ts (${info.group})`]));
  return { read, connections: sourceSettings().connections };
}

/** The settings and trigger connections found in the source (shared/, functions/). */
export function sourceSettings(): CodeSettings {
  const read = new Map<string, string>();
  const connections = new Set<string>();
  for (const file of sourceFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const where = (index: number): string => `${path.relative(ROOT, file)}:${text.slice(0, index).split('\n').length}`;
    for (const pattern of PATTERNS) {
      for (const match of text.matchAll(pattern)) if (!read.has(match[1] as string)) read.set(match[1] as string, where(match.index));
    }
    for (const match of text.matchAll(NAME_LIST)) {
      for (const name of (match[1] as string).matchAll(/'([A-Z][A-Za-z0-9_]*)'/g)) if (!read.has(name[1] as string)) read.set(name[1] as string, where(match.index));
    }
    for (const match of text.matchAll(CONNECTION)) connections.add(match[1] as string);
  }
  return { read, connections };
}
