/**
 * Makes sure dist/portal holds a bundle built from the current sources: `.ci/run` runs `npm test`
 * right after `npm ci`, so nothing else builds it. Rebuilds when any portal source (or the shared
 * rules it bundles, or the lock file) is newer than the built index.html. A lock directory keeps
 * parallel jest workers from building at the same time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const PORTAL_DIST = path.join(REPO_ROOT, 'dist', 'portal');
const SOURCES = ['portal', 'shared/contract', 'shared/domain', 'shared/auth/roles.ts', 'shared/teams/rfiPatchRules.ts', 'package-lock.json'];
const LOCK = path.join(REPO_ROOT, 'dist', '.portal-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stats.mtimeMs);
}

function isFresh(): boolean {
  const index = path.join(PORTAL_DIST, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(...SOURCES.map((s) => path.join(REPO_ROOT, s)).filter(existsSync).map(newestMtime));
  return statSync(index).mtimeMs >= sources;
}

function build(): void {
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'portal/vite.config.ts'], { cwd: REPO_ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } });
}

function tryLock(): boolean {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

/** Builds the portal when dist/portal is missing or stale; returns the assets folder. */
export async function ensurePortalBuilt(timeoutMs = 180_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (isFresh()) return PORTAL_DIST;
    if (tryLock()) {
      try {
        if (!isFresh()) build();
        return PORTAL_DIST;
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error('Timed out waiting for another worker to build the portal (dist/.portal-build.lock).');
    await new Promise((r) => setTimeout(r, 500));
  }
}
