/**
 * `npm run package`: the deployable zip of the function apps (both apps deploy the same one; see
 * infra/README.md). It holds the compiled app (dist/functions, dist/shared, and the built portal
 * in dist/portal when present), host.json, a package.json trimmed to what the host reads, and the
 * production dependencies only: the closure `npm ls --omit=dev --all --json` lists (extraneous packages left out), copied
 * from node_modules as installed (no network). Development tools (dist/dev, dist/bench) stay out.
 *   node dist/dev/package.js [--out <zip>] [--dist <compiled dir>]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ZipFile } from 'yazl';

/** Compiled folders the app needs at run time (the rest of dist/ is development tooling). */
const RUNTIME_DIST_FOLDERS = ['functions', 'shared', 'portal'];

export interface PackageOptions {
  /** Repository root: package.json, host.json, node_modules. */
  readonly root: string;
  /** Compiled output (tsconfig.build.json outDir, default <root>/dist). */
  readonly distDir?: string;
  readonly out: string;
}

export interface PackageSummary {
  readonly out: string;
  readonly files: number;
  readonly bytes: number;
  /** Production packages included, as node_modules-relative paths. */
  readonly dependencies: readonly string[];
}

function filesUnder(dir: string, skip: (relative: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (skip(path.relative(dir, full))) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** Installed production packages (absolute folders), nested ones included, the root excluded. */
export function productionDependencies(root: string): string[] {
  // JSON rather than --parseable: the parseable listing also prints extraneous packages (installed
  // but required by nothing in package.json), which would hide a dependency missing from it.
  const listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  const folders = new Set<string>();
  const walk = (node: ListedPackage): void => {
    for (const [name, dependency] of Object.entries(node.dependencies ?? {})) {
      if (dependency.extraneous === true) continue;
      if (dependency.path === undefined || dependency.missing === true) throw new Error(`production dependency ${name} is not installed (run npm ci)`);
      folders.add(dependency.path);
      walk(dependency); // npm prints a shared package's own dependencies under one of its places only
    }
  };
  walk(JSON.parse(listing) as ListedPackage);
  for (const folder of folders) {
    if (!fs.existsSync(path.join(folder, 'package.json'))) throw new Error(`production dependency ${folder} is not installed (run npm ci)`);
  }
  return [...folders];
}

/** The part of `npm ls --json --long` this file reads. */
interface ListedPackage {
  readonly path?: string;
  readonly extraneous?: boolean;
  readonly missing?: boolean;
  readonly dependencies?: Readonly<Record<string, ListedPackage>>;
}

/** What the Functions host reads from package.json: the entry point (and the Node engine). */
function trimmedPackageJson(root: string): Buffer {
  const full = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const trimmed = { name: full.name, version: full.version, private: true, main: full.main, engines: full.engines, dependencies: full.dependencies };
  return Buffer.from(`${JSON.stringify(trimmed, null, 2)}\n`);
}

export async function writePackage(options: PackageOptions): Promise<PackageSummary> {
  const root = path.resolve(options.root);
  const distDir = path.resolve(options.distDir ?? path.join(root, 'dist'));
  const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).main as string;
  const entry = path.join(distDir, path.relative('dist', main));
  if (!fs.existsSync(entry)) throw new Error(`${entry} does not exist: build first (npm run build)`);

  const zip = new ZipFile();
  let files = 0;
  const add = (source: string, name: string): void => {
    zip.addFile(source, name.split(path.sep).join('/'));
    files += 1;
  };
  for (const folder of RUNTIME_DIST_FOLDERS) {
    const dir = path.join(distDir, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of filesUnder(dir)) add(file, path.join('dist', folder, path.relative(dir, file)));
  }
  add(path.join(root, 'host.json'), 'host.json');
  zip.addBuffer(trimmedPackageJson(root), 'package.json');
  files += 1;

  const dependencies = productionDependencies(root);
  for (const folder of dependencies) {
    // A nested node_modules holds packages npm lists on their own lines (if they are production ones).
    for (const file of filesUnder(folder, (relative) => relative === 'node_modules')) add(file, path.relative(root, file));
  }

  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  const written = new Promise<void>((resolve, reject) => {
    const stream = fs.createWriteStream(options.out);
    stream.on('close', () => resolve());
    stream.on('error', reject);
    zip.outputStream.on('error', reject).pipe(stream);
  });
  zip.end();
  await written;
  return { out: path.resolve(options.out), files, bytes: fs.statSync(options.out).size, dependencies: dependencies.map((d) => path.relative(path.join(root, 'node_modules'), d)) };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  writePackage({ root, out: argument('--out') ?? path.join(root, 'app.zip'), ...(argument('--dist') !== undefined ? { distDir: argument('--dist') as string } : {}) })
    .then((summary) => console.log(`${path.relative(process.cwd(), summary.out)}: ${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB, ${summary.dependencies.length} production packages`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
