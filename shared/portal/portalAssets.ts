/**
 * The built portal on disk (dist/portal by default, PORTAL_ASSETS_DIR to move it) and how a request
 * path maps onto it. Path traversal is refused before the file system is touched; paths without a
 * file extension are client routes and get index.html (the single-page app routes itself).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface PortalAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export type AssetResolution =
  | { kind: 'file'; asset: PortalAsset; hashed: boolean }
  | { kind: 'clientRoute'; asset: PortalAsset }
  | { kind: 'missingFile' }
  | { kind: 'refused' }
  | { kind: 'notBuilt' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names built assets `<name>-<8+ char hash>.<ext>` under assets/: their content never changes. */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]+$/;

function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function portalAssetsDir(env: NodeJS.ProcessEnv): string {
  const configured = env.PORTAL_ASSETS_DIR?.trim();
  return configured ? path.resolve(configured) : path.join(packageRoot(), 'dist', 'portal');
}

/** The relative file path a request names, or undefined when it tries to leave the folder. */
export function safeRelativePath(requested: string): string | undefined {
  if (requested === '') return '';
  const segments = requested.split('/');
  if (segments.at(-1) === '') segments.pop(); // a trailing slash
  for (const segment of segments) {
    if (!SAFE_SEGMENT.test(segment) || segment === '.' || segment === '..') return undefined;
  }
  return segments.join('/');
}

interface CachedAsset {
  mtimeMs: number;
  size: number;
  asset: PortalAsset;
}

const cache = new Map<string, CachedAsset>();

function load(file: string): PortalAsset | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) return undefined;
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.asset;
  const body = readFileSync(file);
  const asset: PortalAsset = {
    body,
    contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
  cache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, asset });
  return asset;
}

export function portalAssets(env: NodeJS.ProcessEnv): { resolve(requested: string): AssetResolution } {
  const root = portalAssetsDir(env);
  return {
    resolve(requested) {
      const relative = safeRelativePath(requested);
      if (relative === undefined) return { kind: 'refused' };
      const index = load(path.join(root, 'index.html'));
      if (index === undefined) return { kind: 'notBuilt' };
      if (relative === '' || relative === 'index.html') return { kind: 'clientRoute', asset: index };
      const file = path.join(root, relative);
      // Belt and braces: the segment check above already keeps the path inside the folder.
      if (!file.startsWith(root + path.sep)) return { kind: 'refused' };
      const asset = load(file);
      if (asset !== undefined) return { kind: 'file', asset, hashed: HASHED_ASSET.test(relative) };
      const last = relative.split('/').at(-1) ?? '';
      return last.includes('.') ? { kind: 'missingFile' } : { kind: 'clientRoute', asset: index };
    },
  };
}
