/**
 * The one way a setting's text becomes a value: every settings module (shared/config.ts,
 * lookup/config.ts, flowthrough/config.ts, oc/config.ts, dns/dnsConfig.ts, auth/config.ts,
 * appFunctions.ts) reads through these, so "unset", whitespace, integers, booleans and lists mean
 * the same everywhere. A parser returns the value or a Problem (the reason, without the name), so
 * the caller can report every bad setting at once (shared/settings/settings.ts).
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class Problem {
  constructor(readonly reason: string) {}
}

export type Parsed<T> = T | Problem;

/** The setting's text, trimmed; unset and blank are the same: undefined. */
export function readSetting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A whole number from `min` to `max` (digits only: no sign, exponent or hex); `fallback` when unset. */
export function intSetting(env: Env, name: string, fallback: number, min: number, max: number): Parsed<number> {
  const raw = readSetting(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) return new Problem(`must be an integer from ${min} to ${max}`);
  return value;
}

/** `true` or `false`, any case; `fallback` when unset. */
export function boolSetting(env: Env, name: string, fallback: boolean): Parsed<boolean> {
  const raw = readSetting(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return new Problem('must be true or false');
}

/** A comma-separated setting's items, trimmed, empty ones dropped (unset: none). */
export function listSetting(env: Env, name: string): string[] {
  return listItems(env[name] ?? '').filter((item) => item !== '');
}

/** Every comma-separated item, trimmed, empty ones kept (for settings where `a,` is a mistake). */
export function listItems(raw: string): string[] {
  return raw.split(',').map((item) => item.trim());
}

export function isProblem(value: unknown): value is Problem {
  return value instanceof Problem;
}

/** Every bad setting found while reading a group, so one error can name them all. */
export class SettingProblems {
  readonly list: { readonly name: string; readonly message: string }[] = [];

  /** `message` says what is wrong; it names the setting itself. */
  add(name: string, message: string): void {
    this.list.push({ name, message });
  }

  /** The parsed value, or `fallback` after recording the problem as `NAME=raw reason`. */
  take<T>(env: Env, name: string, parsed: Parsed<T>, fallback: T): T {
    if (!isProblem(parsed)) return parsed;
    this.add(name, `Configuration: ${name}=${env[name] ?? ''} ${parsed.reason}.`);
    return fallback;
  }

  /** Runs a check that throws on its first problem (a group whose rules depend on each other). */
  check<T>(names: readonly string[], fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Filed under the settings the message names (the group's names when it names none).
      const named = names.filter((name) => new RegExp(`\\b${name}\\b`).test(message));
      this.add((named.length > 0 ? named : names).join(', '), message);
      return undefined;
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** One line: every problem, in the order found. */
  describe(): string {
    return this.list.map((problem) => problem.message).join(' ');
  }
}
