/**
 * `npm start`'s entry point (dev/start.js of a test build, test/support/appBuild.ts) run as a child
 * process on a given data folder: started, waited for until its banner says it serves, killed or
 * stopped. Its output is kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import type { AppBuild } from './appBuild';

export interface AppProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** The banner's token with every role. */
  readonly token: string;
  /** The banner's Table Storage endpoint, as a connection string. */
  readonly tableEndpoint: string;
  output(): string;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Settings a developer's shell or another test may have set that would point the app elsewhere. */
const FOREIGN = /^(AUTH_|TABLES_|TABLE_PREFIX|OC_|FLOWTHROUGH_|LOOKUP_|DNS_|PORTAL_|ServiceBus)/;

export function appEnv(build: AppBuild, settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!FOREIGN.test(name)) env[name] = value;
  return { ...env, ...build.env, ...settings };
}

const READY_LINE = 'Ctrl+C to stop.';

export interface StartOptions {
  readonly readyWithinMs?: number;
  /** Sees the output so far whenever more arrives, also before the app is ready. */
  readonly onOutput?: (text: string) => void;
}

export async function startApp(build: AppBuild, env: NodeJS.ProcessEnv, options: StartOptions = {}): Promise<AppProcess> {
  const readyWithinMs = options.readyWithinMs ?? 60_000;
  const child = spawn(process.execPath, [path.join(build.root, 'dev', 'start.js')], { cwd: build.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const more = (chunk: string) => {
    text += chunk;
    options.onOutput?.(text);
  };
  child.stdout?.setEncoding('utf8').on('data', more);
  child.stderr?.setEncoding('utf8').on('data', more);
  const exited = once(child, 'exit');
  const deadline = Date.now() + readyWithinMs;
  while (!text.includes(READY_LINE)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app exited before it was ready:\n${text}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app not ready within ${readyWithinMs} ms:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const field = (label: string) => {
    const match = new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm').exec(text);
    if (match === null) throw new Error(`banner has no "${label}" line:\n${text}`);
    return match[1] as string;
  };
  return {
    child,
    baseUrl: field('API base URL'),
    token: field('Token, every role'),
    tableEndpoint: field('Table Storage \\(Azurite\\)'),
    output: () => text,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}
