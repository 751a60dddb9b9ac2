/**
 * Durability of `npm start` under SIGKILL (docs/storage.md "Local storage durability"): the app runs
 * as a child process on one data folder; clients send concurrent :createOrUpdateNumbers batches (some
 * pairs racing for the same numbers in two accounts); the app is killed with SIGKILL at random points
 * mid-load and started again on the same data, several times. After every restart, before anything
 * else and with the timers off (so no sweeper run can hide a problem):
 *   - every batch that got a 2xx (or was seen whole after an earlier restart) is there, in its account;
 *   - every batch is all or nothing; a refused batch left nothing;
 *   - each account's numberCount equals its numbers, on the first read;
 *   - no number is in two accounts; no index row is left `pending`; no intent note is left.
 * CRASH_LOOP_SOURCE=<another checkout> runs the same test against other sources (e.g. the commit
 * before the storage process, where it fails).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { azuriteConnectionString } from '../../dev/azurite';
import { buildApp, type AppBuild } from '../support/appBuild';
import { appEnv, freePort, startApp, type AppProcess } from '../support/appProcess';
import { accountBody, numberBody } from '../support/fixtures';

const API_VERSION = '2024-02-29-preview';
const KILLS = 5;
const CLIENTS = 4;
const BATCH = 25;
const ACCOUNTS = ['crash-a', 'crash-b', 'crash-c'];
/** Every 4th range is also sent to a second account at the same time: at most one may get it. */
const RIVAL_EVERY = 4;
const FIRST_NUMBER = 14_256_000_000;

type Outcome = 'acknowledged' | 'refused' | 'unknown';
interface Job {
  readonly range: number;
  readonly account: string;
  readonly numbers: readonly string[];
  outcome?: Outcome;
  /** Seen whole after a restart: from then on it must stay. */
  seen?: boolean;
}

let build: AppBuild;
let dataFolder: string;
let env: NodeJS.ProcessEnv;
let app: AppProcess | undefined;
const others: AppProcess[] = [];
const stoppedStorage: number[] = [];

beforeAll(async () => {
  build = buildApp(process.env.CRASH_LOOP_SOURCE);
  dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-loop-data-'));
  env = appEnv(build, {
    LOCAL_DATA_DIR: dataFolder,
    DEV_ISSUER_KEY_FILE: path.join(dataFolder, 'dev-issuer-key.json'),
    PORT: String(await freePort()),
    OC_SIMULATOR_PORT: String(await freePort()),
    AZURITE_TABLE_PORT: '0',
    LOCAL_TIMERS: 'off',
  });
});

afterAll(async () => {
  for (const pid of stoppedStorage) tryKill(pid, 'SIGCONT');
  for (const other of others) await other.kill();
  await app?.kill();
  // The storage process saves and exits on its own once its app is gone; wait for that before removing its folder.
  const pidFile = path.join(dataFolder, 'storage.pid');
  for (let i = 0; i < 200 && fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  build?.remove();
  fs.rmSync(dataFolder, { recursive: true, force: true });
});

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

const storagePid = (folder: string) => (JSON.parse(fs.readFileSync(path.join(folder, 'storage.pid'), 'utf8')) as { pid: number }).pid;

async function until(what: string, condition: () => boolean | Promise<boolean>, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(a: AppProcess, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const url = route.includes('api-version=') ? `${a.baseUrl}${route}` : `${a.baseUrl}${route}${route.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${a.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const numbersOfRange = (range: number) => Array.from({ length: BATCH }, (_, i) => `+${FIRST_NUMBER + range * BATCH + i}`);

/** The work queue: ranges in order, each to one account, every RIVAL_EVERY-th to two at once. */
function* jobs(all: Job[]): Generator<Job> {
  for (let range = 0; ; range++) {
    const account = ACCOUNTS[range % ACCOUNTS.length] as string;
    const job: Job = { range, account, numbers: numbersOfRange(range) };
    all.push(job);
    yield job;
    if (range % RIVAL_EVERY === 0) {
      const rival: Job = { range, account: ACCOUNTS[(range + 1) % ACCOUNTS.length] as string, numbers: job.numbers };
      all.push(rival);
      yield rival;
    }
  }
}

/** Clients send batches until the app dies under them; resolves when each has noticed. */
async function load(a: AppProcess, queue: Generator<Job>, running: () => boolean, onAck: () => void): Promise<void> {
  const client = async () => {
    while (running()) {
      const job = queue.next().value as Job;
      job.outcome = 'unknown';
      try {
        const res = await call(a, 'POST', `/accounts/${job.account}:createOrUpdateNumbers`, { numbers: job.numbers.map((n) => numberBody(job.account, n)) });
        if (res.status >= 200 && res.status < 300) {
          job.outcome = 'acknowledged';
          onAck();
        } else if (res.status >= 400 && res.status < 500) job.outcome = 'refused';
      } catch {
        return; // connection reset / refused: the app is gone
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

async function listAll(a: AppProcess, route: string): Promise<any[]> {
  const items: any[] = [];
  let next: string | undefined = `${route}?maxpagesize=1000`;
  while (next !== undefined) {
    const res = await call(a, 'GET', next);
    expect(res.status).toBe(200);
    items.push(...res.body.value);
    next = res.body.nextLink === undefined ? undefined : String(res.body.nextLink).replace(a.baseUrl, '');
  }
  return items;
}

interface Check {
  lost: Job[];
  problems: string[];
}

/** Everything a client could see right after a restart, first read first. */
async function check(a: AppProcess, all: readonly Job[]): Promise<Check> {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const account of ACCOUNTS) {
    const res = await call(a, 'GET', `/accounts/${account}`);
    if (res.status === 200) counts.set(account, res.body.serviceDetails.zoomPhoneCloudPeering.numberCount);
    else problems.push(`GET /accounts/${account}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const owner = new Map<string, string>();
  for (const account of ACCOUNTS) {
    if (!counts.has(account)) continue; // the account itself is gone: reported above
    const numbers = (await listAll(a, `/accounts/${account}/numbers`)).map((n) => String(n.telephoneNumber));
    if (counts.get(account) !== numbers.length) problems.push(`${account}: numberCount ${counts.get(account)} on first read, ${numbers.length} numbers`);
    for (const n of numbers) {
      if (owner.has(n)) problems.push(`${n} is in ${owner.get(n)} and ${account}`);
      owner.set(n, account);
    }
  }
  const listed = await listAll(a, '/accounts');
  for (const body of listed.filter((x) => ACCOUNTS.includes(x.name))) {
    const count = body.serviceDetails.zoomPhoneCloudPeering.numberCount;
    if (count !== counts.get(body.name)) problems.push(`${body.name}: list says numberCount ${count}, GET said ${counts.get(body.name)}`);
  }

  const lost: Job[] = [];
  for (const job of all) {
    if (job.outcome === undefined) continue;
    const here = job.numbers.filter((n) => owner.get(n) === job.account).length;
    if (here !== 0 && here !== job.numbers.length) problems.push(`range ${job.range} in ${job.account}: ${here} of ${job.numbers.length} numbers (partial batch)`);
    if ((job.outcome === 'acknowledged' || job.seen === true) && here !== job.numbers.length) lost.push(job);
    if (job.outcome === 'refused' && here !== 0) problems.push(`range ${job.range} in ${job.account} was refused but is there`);
    if (here === job.numbers.length) job.seen = true;
  }

  // Storage as the lookup and the sweeper see it.
  const port = Number(new URL(a.tableEndpoint).port);
  const connection = azuriteConnectionString(port);
  const index = TableClient.fromConnectionString(connection, 'numberindex', { allowInsecureConnection: true });
  let indexRows = 0;
  for await (const row of index.listEntities<Record<string, unknown>>()) {
    indexRows++;
    if (row.state !== 'active') problems.push(`index row ${row.rowKey} is ${String(row.state)} after the restart`);
    if (owner.get(String(row.rowKey)) !== row.accountName) problems.push(`index row ${row.rowKey} says ${String(row.accountName)}, the accounts say ${owner.get(String(row.rowKey))}`);
  }
  if (indexRows !== owner.size) problems.push(`${indexRows} index rows for ${owner.size} numbers`);
  const accounts = TableClient.fromConnectionString(connection, 'accounts', { allowInsecureConnection: true });
  for await (const row of accounts.listEntities<Record<string, unknown>>()) {
    if (row.rowKey !== '') problems.push(`leftover row ${row.partitionKey}/${row.rowKey} in accounts after the restart`);
  }
  return { lost, problems };
}

it(`keeps every acknowledged batch, whole and exactly once, across ${KILLS} SIGKILLs mid-load, with exact counts on the first read after each restart`, async () => {
  const all: Job[] = [];
  const queue = jobs(all);
  app = await startApp(build, env);
  for (const account of ACCOUNTS) expect((await call(app, 'PUT', `/accounts/${account}`, accountBody(account))).status).toBe(201);

  const lost = new Map<Job, string>();
  const problems: string[] = [];
  const outputs: string[] = [];
  let acknowledged = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    const current = app;
    let alive = true;
    let killAt: NodeJS.Timeout | undefined;
    let firstAck: () => void = () => undefined;
    const firstAckSeen = new Promise<void>((resolve) => (firstAck = resolve));
    const loading = load(
      current,
      queue,
      () => alive,
      () => {
        acknowledged++;
        firstAck();
      },
    );
    // A random point of the load: some time after this round's first acknowledged batch (or after a
    // bound, when nothing can be acknowledged any more: e.g. the accounts themselves were lost).
    await Promise.race([firstAckSeen, new Promise((r) => setTimeout(r, 10_000))]);
    await new Promise<void>((resolve) => (killAt = setTimeout(resolve, 200 + Math.random() * 1500)));
    alive = false;
    await current.kill();
    clearTimeout(killAt);
    await loading;

    outputs.push(current.output());
    app = await startApp(build, env);
    const result = await check(app, all);
    for (const job of result.lost) if (!lost.has(job)) lost.set(job, `range ${job.range} in ${job.account} (${job.outcome}${job.seen === true ? ', seen after an earlier restart' : ''}), missing after kill ${kill}`);
    problems.push(...result.problems.map((p) => `after kill ${kill}: ${p}`));
  }
  const acknowledgedJobs = all.filter((j) => j.outcome === 'acknowledged');
  console.log(
    `crash loop: ${KILLS} kills, ${acknowledgedJobs.length} acknowledged batches (${acknowledgedJobs.length * BATCH} numbers), ` +
      `${all.filter((j) => j.outcome === 'unknown').length} unanswered, ${all.filter((j) => j.outcome === 'refused').length} refused, lost: ${lost.size} batches`,
  );
  if (lost.size > 0 || problems.length > 0) {
    console.log(`app output, run by run:\n${[...outputs, app.output()].map((o, i) => `--- run ${i + 1}\n${o.slice(-4000)}`).join('\n')}`);
    const storageLog = path.join(dataFolder, 'storage.log');
    if (fs.existsSync(storageLog)) console.log(`storage.log:\n${fs.readFileSync(storageLog, 'utf8')}`);
  }
  expect(acknowledged).toBeGreaterThanOrEqual(KILLS);
  expect([...lost.values()]).toEqual([]);
  expect(problems).toEqual([]);

  // A clean stop (SIGTERM) stops the storage process too, after its final save, and frees the folder.
  const code = await app.stop();
  app = undefined;
  expect(code).toBe(0);
  expect(fs.existsSync(path.join(dataFolder, 'storage.pid'))).toBe(false);
  expect(fs.existsSync(path.join(dataFolder, 'app.pid'))).toBe(false);
}, 240_000);

it('one npm start per data folder; a killed storage process is restarted on its port; the next npm start waits for a storage process still saving', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-loop-data-'));
  try {
    const settings = { ...env, LOCAL_DATA_DIR: folder, DEV_ISSUER_KEY_FILE: path.join(folder, 'dev-issuer-key.json'), PORT: String(await freePort()), OC_SIMULATOR_PORT: String(await freePort()) };
    const first = await startApp(build, settings);
    others.push(first);

    // A second app on the same folder refuses, naming the first, and leaves the first alone.
    await expect(startApp(build, { ...settings, PORT: String(await freePort()), OC_SIMULATOR_PORT: String(await freePort()) })).rejects.toThrow(`Another npm start (pid ${first.child.pid}) is using ${folder}`);

    // The storage process dies (before its first save: the tables the app created are not in its snapshot).
    const killed = storagePid(folder);
    process.kill(killed, 'SIGKILL');
    await until('the app restarts its storage process', () => /storage: restarted as process \d+/.test(first.output()));
    expect(first.output()).toContain(`storage: process ${killed} exited unexpectedly (SIGKILL)`);
    expect(first.output()).toContain(`restarting it on port ${new URL(first.tableEndpoint).port}`);
    let created = 0;
    await until('the app writes again', async () => {
      created = (await call(first, 'PUT', '/accounts/after-storage-restart', accountBody('after-storage-restart'))).status;
      return created === 201 || created === 200;
    });

    // The app dies while its storage process cannot save yet (stopped): the next app waits for it.
    const saving = storagePid(folder);
    process.kill(saving, 'SIGSTOP');
    stoppedStorage.push(saving);
    await first.kill();
    const waiting = `storage: waiting for the previous storage process (pid ${saving}) to finish saving`;
    let waited = false;
    const next = startApp(build, settings, { onOutput: (text) => (waited ||= text.includes(waiting)) });
    next.catch(() => undefined);
    await until('the next app waits for the stopped storage process', () => waited);
    expect(fs.existsSync(path.join(folder, 'storage.pid'))).toBe(true);
    process.kill(saving, 'SIGCONT');
    const second = await next;
    others.push(second);
    expect((await call(second, 'GET', '/accounts/after-storage-restart')).status).toBe(200);
    expect(await second.stop()).toBe(0);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}, 180_000);
