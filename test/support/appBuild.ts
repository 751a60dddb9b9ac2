/**
 * Builds the app (functions/, shared/, dev/) for tests that run `npm start`'s entry point in a child
 * process: each .ts file compiled to CommonJS with swc — the compiler jest already uses here, a few
 * hundred ms instead of tsc's half minute — into a temporary folder with host.json beside it (the
 * local host looks for it). Packages resolve from this repository's node_modules via NODE_PATH.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformFileSync } from '@swc/core';

export interface AppBuild {
  /** Root of the build: `dev/start.js`, `dev/storageProcess.js`, host.json. */
  readonly root: string;
  /** Environment the built app needs to find its packages. */
  readonly env: Record<string, string>;
  remove(): void;
}

const REPO = path.resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['functions', 'shared', 'dev'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `sourceRoot` defaults to this repository; another checkout of it (e.g. an older commit) works too. */
export function buildApp(sourceRoot: string = REPO): AppBuild {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'app-build-'));
  try {
    compile(sourceRoot, root);
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return {
    root,
    env: { NODE_PATH: path.join(REPO, 'node_modules') },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

function compile(sourceRoot: string, root: string): void {
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(path.join(sourceRoot, dir))) {
      const out = path.join(root, path.relative(sourceRoot, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const { code } = transformFileSync(file, {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: false,
        swcrc: false,
      });
      fs.writeFileSync(out, code);
    }
  }
  fs.copyFileSync(path.join(sourceRoot, 'host.json'), path.join(root, 'host.json'));
}
