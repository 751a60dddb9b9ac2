/**
 * `npm start`: the function app without Core Tools. Azurite (tables, persisted under .data/azurite)
 * in its own process (dev/storageProcess.ts) so acknowledged writes survive the app being killed,
 * the crash repair run before the first request, every registered function served on HTTP, timers
 * on their schedules, and a banner of it all.
 * Settings: PORT (7071), HOST (127.0.0.1), AZURITE_TABLE_PORT (10002), AZURITE_AUTOSAVE_MS (5000),
 * LOCAL_DATA_DIR (.data), LOCAL_TIMERS (`off` runs no timer), TABLES_CONNECTION_STRING (defaults to
 * the local Azurite; when set, no storage process is started).
 */
import './host/install'; // first: before anything calls app.*
import path from 'node:path';
import { startLocalStorage } from './localStorage';
import { allRolesToken, setUpDevAuth } from './devAuth';
import { closeHttpServer, serveHttp } from './host/httpServer';
import { listRegistrations } from './host/invoke';
import { findAppRoot } from './host/routes';
import { startTimers } from './host/timers';
import { installFlowthroughQueue } from './host/queue';
import { startOcSimulator } from './ocSimulator';
import { simulatorClientEnv } from './ocSimulator/clientEnv';
import { stopOnSignals } from './stopOnSignals';
import { lookupStartupSummary } from '../shared/lookup/config';

const bannerLines: Array<[label: string, value: string]> = [];

/**
 * Adds a line to the start-up banner (e.g. a dev token issuer, the Operator Connect simulator, the
 * portal). Call it while starting up, before the banner prints; lines keep their call order.
 */
export function registerBannerLine(label: string, value: string): void {
  bannerLines.push([label, value]);
}

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${raw} is not a port number.`);
  return port;
}

function envMilliseconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100) throw new Error(`${name}=${raw} is not a whole number of milliseconds (at least 100).`);
  return ms;
}

function printBanner(apiBaseUrl: string, storage: string): void {
  const registrations = listRegistrations();
  const width = 24;
  const row = (label: string, value: string) => `  ${label.padEnd(width)} ${value}`;
  const routeBase = apiBaseUrl.replace(/^https?:\/\/[^/]+/, '');
  const lines = ['', 'Local function host ready', row('API base URL', apiBaseUrl)];
  const http = registrations.filter((r) => r.route !== undefined);
  lines.push(`  HTTP routes (${http.length})`);
  for (const r of http) {
    lines.push(row(`    ${(r.methods ?? []).join(',') || '*'}`, `${routeBase}/${r.route ?? ''}  [${r.name}]`));
  }
  const timers = registrations.filter((r) => r.triggerType === 'timerTrigger');
  if (timers.length > 0) lines.push(`  Timers (UTC)${process.env.LOCAL_TIMERS === 'off' ? ' — not running (LOCAL_TIMERS=off)' : ''}`);
  for (const r of timers) lines.push(row(`    ${r.name}`, r.schedule ?? ''));
  for (const r of registrations.filter((x) => x.triggerType !== 'httpTrigger' && x.triggerType !== 'timerTrigger')) {
    lines.push(row(`  ${r.triggerType}`, `${r.name}${r.queueName ? ` (queue ${r.queueName})` : ''}`));
  }
  lines.push(row('Table Storage (Azurite)', storage));
  for (const [label, value] of bannerLines) lines.push(row(label, value));
  lines.push('', 'Ctrl+C to stop.', '');
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const appRoot = findAppRoot();
  const dataFolder = path.resolve(process.env.LOCAL_DATA_DIR || path.join(appRoot, '.data')); // git-ignored
  const storage = await startLocalStorage({ dataFolder, port: envPort('AZURITE_TABLE_PORT', 10002), autosaveMs: envMilliseconds('AZURITE_AUTOSAVE_MS', 5000) });

  const issuer = setUpDevAuth(process.env);
  // Flow-through end to end on a laptop: the Operator Connect simulator (real clock, orders finish
  // in seconds) and the OC client pointed at it, unless OC_API_BASE_URL points elsewhere.
  const sim = process.env.OC_API_BASE_URL
    ? undefined
    : await startOcSimulator({ port: envPort('OC_SIMULATOR_PORT', 7072), clock: 'real', orderTimes: { pendingMs: 1_000, completeMs: 3_000 }, seed: true });
  if (sim !== undefined) {
    Object.assign(process.env, simulatorClientEnv(sim));
    process.env.FLOWTHROUGH_FOLLOW_UP_MS ||= '2000';
  }
  // The SIP layer's trunks (docs/sip-layer.md): unprovisioned numbers on the fixed trunk default to
  // Operator Connect, on the mobile trunk to Teams Phone Mobile, unless the environment says otherwise.
  process.env.LOOKUP_TRUNK_DEFAULTS ??= 'operator-fixed=teamsOperatorConnect,operator-mobile=teamsPhoneMobile';
  await import('../functions/index');
  await storage.repairBeforeServing();
  const queue = installFlowthroughQueue({ log: (line) => console.warn(line) });
  const { server, url } = await serveHttp(envPort('PORT', 7071), process.env.HOST || '127.0.0.1');
  const timers = process.env.LOCAL_TIMERS === 'off' ? { stop: () => undefined } : startTimers();
  registerBannerLine('Token issuer (dev)', `${issuer.issuer}  (JWKS ${issuer.issuer}/keys, audience ${issuer.audience})`);
  registerBannerLine('Token, every role', await allRolesToken(issuer));
  registerBannerLine('Token for scripts', 'npm run -s token -- --roles Read,Write');
  if (sim !== undefined) registerBannerLine('Operator Connect (sim)', `${sim.apiBaseUrl}  (customer-side controls ${sim.url}/_sim, docs/oc-simulator.md)`);
  registerBannerLine('Flow-through queue', 'in-process, in front of the flowthroughWorker function; DNS records in the local store (table dnsrecords)');
  registerBannerLine('Portal', `${url}/portal/  (sign in locally with the development issuer; docs/portal.md)`);
  // How this deployment routes calls (header name and switch, services, trunk defaults): issue-level settings an operator checks first.
  for (const line of lookupStartupSummary()) {
    const colon = line.indexOf(': ');
    registerBannerLine(line.slice(0, colon), line.slice(colon + 2));
  }
  registerBannerLine('Example', `curl -H "Authorization: Bearer $TOKEN" '${url}/accounts?api-version=2024-02-29-preview'`);
  printBanner(url, storage.bannerValue);

  stopOnSignals(() => {
    timers.stop();
    queue.stop();
    // Storage last: in-flight requests finish their writes first; its stop saves the tables.
    return Promise.all([closeHttpServer(server), sim?.close()]).then(() => storage.stop());
  }, 'stopping...');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('Local host failed to start:', err);
    process.exit(1);
  });
}
