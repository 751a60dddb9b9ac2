/**
 * The deployable zip starts: built with the same code path as `npm run package` (dev/package.ts,
 * compiled into a temporary folder), unpacked into an empty folder, and loaded by a plain Node
 * child process outside the repository (so only what the zip holds can be required), with the
 * Functions core module stubbed by this test and the environment set to exactly the app settings
 * main.bicep writes for each app (evaluated from the template and main.bicepparam, placeholders
 * for what only Azure knows). A missing runtime dependency or setting, or a start-up validation
 * failure, fails here. Every function in functions/ must register in one of the two apps.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { writePackage, type PackageSummary } from '../../dev/package';
import { evaluateVariable, parameterFileValues, parseBicep } from './bicep';
import { functionNameOf } from '../../functions/registrar';
import { resourceRoutes } from '../../shared/operations/dispatch';
import { OPERATIONS } from '../../shared/operations/table';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '../..');

/** Values only a real deployment knows, by the expression text main.bicep uses. */
const PLACEHOLDERS = {
  'apiIdentity.properties.clientId': '11111111-1111-4111-8111-111111111111',
  'lookupIdentity.properties.clientId': '22222222-2222-4222-8222-222222222222',
  'tenant().tenantId': '33333333-3333-4333-8333-333333333333',
  'subscription().subscriptionId': '44444444-4444-4444-8444-444444444444',
  'resourceGroup().name': 'rg-voiceprov',
  'storage.outputs.tableEndpoint': 'https://stvoiceprovplaceholder.table.core.windows.net',
  'serviceBus.outputs.fullyQualifiedNamespace': 'sb-voiceprov-placeholder.servicebus.windows.net',
  'monitoring.outputs.connectionString': 'InstrumentationKey=55555555-5555-4555-8555-555555555555;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
};

/** Stand-in for the module the Functions worker injects; records registrations. Written by this test. */
const STUB_CORE = `
const registered = [];
module.exports = {
  registered,
  registerFunction(metadata) { registered.push(metadata.name); return { dispose() {} }; },
  setProgrammingModel() {},
  registerHook() { return { dispose() {} }; },
  log() {},
};
`;

/** Loads the app entry with the stub in place of @azure/functions-core, prints what registered. */
const STARTER = `
const Module = require('node:module');
const stubPath = require.resolve('./functionsCore.js');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return load.call(this, request === '@azure/functions-core' ? stubPath : request, parent, isMain);
};
try {
  require(process.argv[2]);
  console.log(JSON.stringify({ registered: require(stubPath).registered }));
  process.exit(0);
} catch (err) {
  console.log(JSON.stringify({ error: String(err && err.stack || err) }));
  process.exit(1);
}
`;

let work: string;
let unpacked: string;
let summary: PackageSummary;

function unzip(zipFile: string, into: string): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true }, (err, zip) => {
      if (err || zip === undefined) return reject(err ?? new Error('no zip'));
      let count = 0;
      zip.on('error', reject);
      zip.on('end', () => resolve(count));
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = path.join(into, entry.fileName);
        if (!target.startsWith(into + path.sep)) return reject(new Error(`entry outside the folder: ${entry.fileName}`));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        fs.mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (error, stream) => {
          if (error || stream === undefined) return reject(error ?? new Error('no stream'));
          stream.pipe(fs.createWriteStream(target)).on('close', () => {
            count += 1;
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Function names registered anywhere in functions/ (app.http('name', ...), app.timer(...), ...). */
/** Every function the sources declare: literal `app.*('name'` calls, plus one per resource route of the operations table (the registrar's). */
function declaredFunctions(): string[] {
  const dir = path.join(ROOT, 'functions');
  const literal = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\bapp\.\w+\(\s*'([^']+)'/g)].map((m) => m[1] as string));
  const fromTable = resourceRoutes(OPERATIONS).map((route) => functionNameOf(route.resource));
  return [...literal, ...fromTable].sort();
}

async function appSettings(variable: string): Promise<Record<string, string>> {
  const main = await parseBicep(path.join(ROOT, 'infra/main.bicep'));
  const parameters = parameterFileValues(await parseBicep(path.join(ROOT, 'infra/main.bicepparam')));
  const value = evaluateVariable(main, variable, { parameters, placeholders: PLACEHOLDERS }) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

async function start(settings: Record<string, string>): Promise<{ registered?: string[]; error?: string }> {
  const env = { ...settings, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const entry = path.join(unpacked, JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8')).main as string);
  try {
    const { stdout } = await run(process.execPath, [path.join(work, 'stub', 'start.js'), entry], { cwd: unpacked, env, timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop() as string);
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout ?? '';
    const line = stdout.trim().split('\n').pop();
    return line ? JSON.parse(line) : { error: String(err) };
  }
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-test-'));
  // The app compiled as `npm run build` compiles it (the portal's assets are optional for start-up),
  // without the type check (--noCheck; the typecheck step does that): only the emitted JavaScript
  // matters here, and emitting alone is several times faster.
  await run(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', path.join(work, 'dist')], { cwd: ROOT, timeout: 240_000 }).catch(
    (err: { stdout?: string }) => {
      if (!fs.existsSync(path.join(work, 'dist/functions/index.js'))) throw new Error(`tsc emitted nothing: ${err.stdout ?? err}`);
    },
  );
  summary = await writePackage({ root: ROOT, distDir: path.join(work, 'dist'), out: path.join(work, 'app.zip') });
  unpacked = path.join(work, 'unpacked');
  fs.mkdirSync(unpacked);
  await unzip(summary.out, unpacked);
  fs.mkdirSync(path.join(work, 'stub'));
  fs.writeFileSync(path.join(work, 'stub', 'functionsCore.js'), STUB_CORE);
  fs.writeFileSync(path.join(work, 'stub', 'start.js'), STARTER);
}, 300_000);

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

it('holds the compiled app, host.json and production dependencies only', () => {
  expect(summary.files).toBeGreaterThan(100);
  for (const file of ['host.json', 'package.json', 'dist/functions/index.js', 'node_modules/@azure/functions/package.json', 'node_modules/@azure/data-tables/package.json']) {
    expect(fs.existsSync(path.join(unpacked, file))).toBe(true);
  }
  const devDependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies as Record<string, string>);
  expect(devDependencies.filter((name) => fs.existsSync(path.join(unpacked, 'node_modules', name)) && !summary.dependencies.includes(name))).toEqual([]);
  for (const name of ['jest', 'typescript', 'yazl', 'azurite', 'vite', 'react']) expect(fs.existsSync(path.join(unpacked, 'node_modules', name))).toBe(false);
  expect(fs.existsSync(path.join(unpacked, 'dist/dev'))).toBe(false);
  expect(fs.existsSync(path.join(unpacked, 'dist/bench'))).toBe(false);
  expect(JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'))).not.toHaveProperty('devDependencies');
});

it('starts as the lookup app with the settings main.bicep writes: lookup and health register', async () => {
  const settings = await appSettings('lookupAppSettings');
  expect(settings.APP_FUNCTIONS).toBe('lookup');
  const started = await start(settings);
  expect(started.error).toBeUndefined();
  expect(started.registered?.sort()).toEqual(['health', 'lookup']);
}, 90_000);

it('starts as the API app with the settings main.bicep writes: every other function registers', async () => {
  const settings = await appSettings('apiAppSettings');
  expect(settings.APP_FUNCTIONS).toBe('api,worker');
  expect(settings.DNS_BACKEND).toBe('azure');
  const started = await start(settings);
  expect(started.error).toBeUndefined();
  const all = declaredFunctions();
  expect(all.length).toBeGreaterThan(5);
  expect(started.registered?.sort()).toEqual(all.filter((name) => name !== 'lookup'));
}, 90_000);

it('refuses to start when a setting the app validates at start-up is wrong', async () => {
  const settings = await appSettings('apiAppSettings');
  const started = await start({ ...settings, DNS_ZONE_NAME: 'elsewhere.example.org' });
  expect(started.error).toMatch(/DNS_ZONE_NAME=elsewhere\.example\.org must equal DR_BASE_DOMAIN/);
}, 90_000);
