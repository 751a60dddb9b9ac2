/**
 * Portal build: `vite build --config portal/vite.config.ts` from the repository root writes hashed,
 * self-contained assets to dist/portal (served under /portal/ by functions/portal.ts). Vite 8's
 * built-in oxc transform compiles TSX with the automatic React runtime, so no React plugin is needed.
 */
import path from 'node:path';
import { defineConfig } from 'vite';

const portalRoot = path.resolve(process.cwd(), 'portal');

export default defineConfig({
  root: portalRoot,
  base: '/portal/',
  publicDir: false,
  mode: 'production',
  // development: false even when NODE_ENV says otherwise (jest sets "test"): the bundle uses the production JSX runtime.
  oxc: { jsx: { runtime: 'automatic', development: false } },
  build: {
    outDir: path.resolve(process.cwd(), 'dist/portal'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // Everything is bundled: the CSP allows scripts from 'self' only (no CDN).
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // Fluent UI marks its modules 'use client' (a React Server Components hint): meaningless in a
      // browser-only bundle, so the bundler's notice about it is noise.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  logLevel: 'warn',
});
