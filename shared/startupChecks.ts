/**
 * Start-up validation: every setting of the groups this process runs (storage, AUTH_*, APP_FUNCTIONS,
 * and the lookup's and worker's own), read through the settings schema (shared/settings/settings.ts),
 * so a wrong deployment fails when the app starts, with one error naming every bad setting, rather
 * than on the first request or kick.
 */
import type { Env } from './settings/parse';
import { loadSettings, settings, type Settings } from './settings/settings';

/** The groups are this environment's APP_FUNCTIONS (a bad value is one of the problems listed). */
export function validateGroupSettings(env: Env): Settings {
  // The process's own environment becomes its settings (the group accessors then read these).
  return env === process.env ? settings() : loadSettings(env);
}
