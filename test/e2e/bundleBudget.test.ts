/**
 * The production bundle stays within its size budget (docs/portal.md "Bundle budget"), measured as
 * gzip (zlib level 9) over the built files in dist/portal:
 *   - first load (index.html, its entry script and every chunk it preloads) ≤ 320 KiB
 *   - everything in dist/portal (the MSAL chunk loaded only with Entra sign-in included) ≤ 450 KiB
 * and index.html loads nothing from another origin (no CDN).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensurePortalBuilt } from './support/portalBuild';

const KIB = 1024;
const FIRST_LOAD_BUDGET = 320 * KIB;
const TOTAL_BUDGET = 450 * KIB;

let dist: string;

beforeAll(async () => {
  dist = await ensurePortalBuilt();
}, 240_000);

function gzipped(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

/** The files index.html makes the browser fetch up front: scripts, preloads, stylesheets. */
function firstLoadFiles(): string[] {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string).filter((url) => url.startsWith('/portal/'));
  return [path.join(dist, 'index.html'), ...referenced.map((url) => path.join(dist, url.slice('/portal/'.length)))];
}

test('index.html loads only same-origin assets under /portal/ (everything is bundled, no CDN)', () => {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.filter((url) => !url.startsWith('/portal/') && !url.startsWith('data:'))).toEqual([]);
});

test(`the first load stays within ${FIRST_LOAD_BUDGET / KIB} KiB gzip`, () => {
  const files = firstLoadFiles();
  expect(files.some((f) => f.endsWith('.js'))).toBe(true);
  const sizes = Object.fromEntries(files.map((f) => [path.relative(dist, f), gzipped(f)]));
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log(`portal first load: ${(total / KIB).toFixed(1)} KiB gzip ${JSON.stringify(sizes)}`);
  expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
});

test(`the whole bundle stays within ${TOTAL_BUDGET / KIB} KiB gzip`, () => {
  const files = allFiles(dist);
  const total = files.reduce((sum, f) => sum + gzipped(f), 0);
  console.log(`portal bundle: ${files.length} files, ${(total / KIB).toFixed(1)} KiB gzip`);
  expect(total).toBeLessThanOrEqual(TOTAL_BUDGET);
});
