/**
 * Runs Kamailio with the project's configuration (sip/kamailio.cfg) as a child process: settings
 * become `-A` defines, the lookup's token goes in the child's environment (LOOKUP_TOKEN), never on
 * the command line or in a file. Used by the SIP tests, `npm run sip:lab` and `npm run bench:sip`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findAppRoot } from '../host/routes';
import { findSipTools } from './tools';
import { waitUntilUdpBound } from './ports';

/** The gateway's trunks and their UDP ports (defaults: docs/sip-layer.md). */
export interface TrunkPorts {
  /** Calls from the operator network, fixed-line trunk (lookup trunk `operator-fixed`). */
  readonly fromOperatorFixed: number;
  /** Calls from the operator network, mobile trunk (lookup trunk `operator-mobile`). */
  readonly fromOperatorMobile: number;
  readonly fromDirectRouting: number;
  readonly fromOperatorConnect: number;
  readonly fromTeamsPhoneMobile: number;
  readonly fromZoom: number;
  /** Where calls towards the operator network are sent. */
  readonly toOperator: number;
  readonly toDirectRouting: number;
  readonly toOperatorConnect: number;
  readonly toTeamsPhoneMobile: number;
  readonly toZoom: number;
  /** Where Call Protection copies are sent. */
  readonly toCallProtection: number;
}

export const DEFAULT_TRUNK_PORTS: TrunkPorts = {
  fromOperatorFixed: 5060,
  fromOperatorMobile: 5065,
  fromDirectRouting: 5061,
  fromOperatorConnect: 5062,
  fromTeamsPhoneMobile: 5063,
  fromZoom: 5064,
  toOperator: 5070,
  toDirectRouting: 5071,
  toOperatorConnect: 5072,
  toTeamsPhoneMobile: 5073,
  toZoom: 5074,
  toCallProtection: 5075,
};

const PORT_DEFINES: Readonly<Record<keyof TrunkPorts, string>> = {
  fromOperatorFixed: 'PORT_FROM_OPERATOR_FIXED',
  fromOperatorMobile: 'PORT_FROM_OPERATOR_MOBILE',
  fromDirectRouting: 'PORT_FROM_DR',
  fromOperatorConnect: 'PORT_FROM_OC',
  fromTeamsPhoneMobile: 'PORT_FROM_TPM',
  fromZoom: 'PORT_FROM_ZOOM',
  toOperator: 'PORT_TO_OPERATOR',
  toDirectRouting: 'PORT_TO_DR',
  toOperatorConnect: 'PORT_TO_OC',
  toTeamsPhoneMobile: 'PORT_TO_TPM',
  toZoom: 'PORT_TO_ZOOM',
  toCallProtection: 'PORT_TO_CP',
};

/** The twelve ports in a fixed order, e.g. to assign a list of free ports. */
export const TRUNK_PORT_NAMES = Object.keys(PORT_DEFINES) as Array<keyof TrunkPorts>;

export function trunkPortsFrom(ports: readonly number[]): TrunkPorts {
  if (ports.length < TRUNK_PORT_NAMES.length) throw new Error(`need ${TRUNK_PORT_NAMES.length} ports, got ${ports.length}`);
  return Object.fromEntries(TRUNK_PORT_NAMES.map((name, i) => [name, ports[i]])) as unknown as TrunkPorts;
}

/** How initial INVITEs are routed: by the lookup with answer reuse (the product), without reuse, or statically (no lookup). */
export type RoutingMode = 'lookup' | 'lookupNoReuse' | 'static';

export interface KamailioSettings {
  /** Address of Kamailio's sockets (default 127.0.0.1). */
  readonly address?: string;
  /** Address of every trunk peer (default 127.0.0.1). */
  readonly peerAddress?: string;
  readonly ports: TrunkPorts;
  /** `.../lookup/v1/route`. */
  readonly lookupUrl: string;
  /** Bearer token with the role Lookup.Query. */
  readonly lookupToken: string;
  /** Bound on one lookup exchange, whole seconds (default 1). */
  readonly lookupTimeoutSeconds?: number;
  /** Direct Routing base domain (the lookup's DR_BASE_DOMAIN). */
  readonly drBaseDomain: string;
  /** Retry-After of the 503 sent when the lookup fails (default 5). */
  readonly retryAfterSeconds?: number;
  /** Worker processes per socket (default 4). */
  readonly children?: number;
  readonly mode?: RoutingMode;
  /** Kamailio's log level (`debug=`); default 1 (warnings and errors). */
  readonly logLevel?: number;
}

export interface RunningKamailio {
  readonly pid: number;
  readonly settings: KamailioSettings;
  /** Everything Kamailio logged so far (stderr with -E, and stdout). */
  log(): string;
  /** The main process and its workers, for CPU accounting. */
  processIds(): number[];
  stop(): Promise<void>;
}

const HOSTNAME = /^[A-Za-z0-9.-]{1,253}$/;
const HTTP_URL = /^https?:\/\/[A-Za-z0-9.:[\]-]+(?::\d+)?\/[A-Za-z0-9._~/%-]*$/;

/** The `-A` defines for these settings (pure; the token is not among them). */
export function kamailioDefines(settings: KamailioSettings): string[] {
  const address = settings.address ?? '127.0.0.1';
  const peer = settings.peerAddress ?? '127.0.0.1';
  if (!/^[0-9.]+$/.test(address) || !/^[0-9.]+$/.test(peer)) throw new Error('Kamailio addresses must be IPv4 literals');
  if (!HTTP_URL.test(settings.lookupUrl)) throw new Error(`lookup URL ${settings.lookupUrl} is not a plain http(s) URL with a path`);
  if (!HOSTNAME.test(settings.drBaseDomain)) throw new Error(`DR base domain ${settings.drBaseDomain} is not a host name`);
  const defines = [
    `SIP_ADDR=${address}`,
    `PEER_ADDR="${peer}"`,
    `LOOKUP_URL="${settings.lookupUrl}"`,
    `LOOKUP_TIMEOUT_S=${wholeNumber(settings.lookupTimeoutSeconds ?? 1, 1, 60, 'lookup timeout')}`,
    `RETRY_AFTER_S=${wholeNumber(settings.retryAfterSeconds ?? 5, 0, 3600, 'Retry-After')}`,
    `DR_BASE_DOMAIN="${settings.drBaseDomain}"`,
    `SIP_CHILDREN=${wholeNumber(settings.children ?? 4, 1, 64, 'children')}`,
  ];
  for (const name of TRUNK_PORT_NAMES) defines.push(`${PORT_DEFINES[name]}=${wholeNumber(settings.ports[name], 1, 65535, name)}`);
  if (settings.mode === 'lookupNoReuse') defines.push('NO_ANSWER_REUSE');
  if (settings.mode === 'static') defines.push('STATIC_ROUTE');
  return defines;
}

function wholeNumber(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${what} must be a whole number from ${min} to ${max}, not ${value}`);
  return value;
}

export function kamailioConfigPath(): string {
  return path.join(findAppRoot(), 'sip', 'kamailio.cfg');
}

/** The worker pids of a process: /proc entries whose parent is `pid`. */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts Kamailio and resolves once every socket is bound and the workers are up. `-DD`: Kamailio
 * stays our child (no daemon), `-E`: logs on stderr (captured), `-P`/`-w`/`-Y`: pid file, working
 * and runtime directory in a fresh temp directory.
 */
export async function startKamailio(settings: KamailioSettings): Promise<RunningKamailio> {
  const tools = findSipTools();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kamailio-'));
  const pidFile = path.join(workDir, 'kamailio.pid');
  const args = ['-f', kamailioConfigPath(), '-L', tools.modulesDir, '-P', pidFile, '-w', workDir, '-Y', workDir, '-E', '-DD'];
  if (settings.logLevel !== undefined) args.push('-A', `LOG_LEVEL=${settings.logLevel}`);
  for (const define of kamailioDefines(settings)) args.push('-A', define);
  const child = spawn(tools.kamailio, args, {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOOKUP_TOKEN: settings.lookupToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 4_000_000) output = output.slice(-2_000_000); // long benchmark runs
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process ends without stop() (a crash, process.exit), Kamailio must not outlive it.
  const killOnExit = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!exited(child)) {
      child.kill('SIGTERM'); // the main process stops its workers
      const killed = await Promise.race([exit.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref())]);
      if (!killed) {
        for (const pid of childPids(child.pid as number)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        child.kill('SIGKILL');
        await exit;
      }
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const address = settings.address ?? '127.0.0.1';
    for (const name of ['fromOperatorFixed', 'fromOperatorMobile', 'fromDirectRouting', 'fromOperatorConnect', 'fromTeamsPhoneMobile', 'fromZoom'] as const) {
      await waitUntilUdpBound(settings.ports[name], address, 10_000, () => !exited(child));
    }
    // Sockets are bound before the workers fork; the pid file is written once they run.
    const end = Date.now() + 10_000;
    while (!fs.existsSync(pidFile) || childPids(child.pid as number).length === 0) {
      if (exited(child)) throw new Error('Kamailio exited while starting');
      if (Date.now() > end) throw new Error('Kamailio did not finish starting within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- Kamailio output ---\n${output.slice(-4000)}`);
  }

  return {
    pid: child.pid as number,
    settings,
    log: () => output,
    processIds: () => [child.pid as number, ...childPids(child.pid as number)],
    stop,
  };
}
