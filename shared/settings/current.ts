/**
 * The settings this process started with, once start-up has read them (shared/settings/settings.ts
 * `settings()`). The group accessors (config(), lookupSettings(), flowSettings(), appFunctions())
 * are views over it; before start-up (scripts, unit tests) each reads its own group with the same
 * rules. No imports at run time, so every settings module can read it without a cycle.
 */
import type { Settings } from './settings';

let current: Settings | undefined;

export function currentSettings(): Settings | undefined {
  return current;
}

export function setCurrentSettings(next: Settings | undefined): void {
  current = next;
}
