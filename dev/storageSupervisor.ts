/**
 * `npm start`'s side of the storage process (dev/storageProcess.ts): waits until no earlier storage
 * process holds the data folder (one still saving after its app was killed), forks one, restarts it
 * on the same port if it dies, and stops it cleanly — with a final save — when the app stops.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { azuriteConnectionString } from './azurite';
import { waitUntilFree } from './storage/pidFile';
import type { FromStorage, StorageProcessOptions, ToStorage } from './storageProcess';

export interface StorageSupervisorOptions {
  /** The local data folder (`.data/`): tables under `azurite/`, the storage process's pid file. */
  readonly dataFolder: string;
  readonly host: string;
  /** 0 picks a free port on the first start; restarts reuse the port the first start got. */
  readonly port: number;
  readonly autosaveMs: number;
  readonly log: (line: string) => void;
  /** The storage process keeps dying: the app cannot go on. */
  readonly onGiveUp: (reason: string) => void;
  /** A restarted storage process is serving (from its last snapshot, which may predate recent writes). */
  readonly onRestarted?: () => Promise<void>;
}

export interface SupervisedStorage {
  readonly port: number;
  readonly connectionString: string;
  readonly pidFile: string;
  readonly tablesFolder: string;
  stop(): Promise<void>;
}

const WAIT_FOR_PREVIOUS_MS = 120_000;
const RESTARTS_ALLOWED = 5;
const RESTART_WINDOW_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;

export function storagePaths(dataFolder: string): { pidFile: string; tablesFolder: string } {
  return { pidFile: path.join(dataFolder, 'storage.pid'), tablesFolder: path.join(dataFolder, 'azurite') };
}

async function launch(options: StorageSupervisorOptions, port: number): Promise<{ child: ChildProcess; port: number }> {
  const { pidFile, tablesFolder } = storagePaths(options.dataFolder);
  await waitUntilFree(pidFile, WAIT_FOR_PREVIOUS_MS, (holder) =>
    options.log(`storage: waiting for the previous storage process (pid ${holder.pid}) to finish saving ${tablesFolder}`),
  );
  const args: StorageProcessOptions = { host: options.host, port, location: tablesFolder, pidFile, autosaveMs: options.autosaveMs };
  // No inherited --inspect and the like: the child would fight the app for the debug port.
  const child = fork(require.resolve('./storageProcess'), [JSON.stringify(args)], { stdio: 'inherit', execArgv: [] });
  const answer = await Promise.race([
    once(child, 'message').then(([message]) => message as FromStorage),
    once(child, 'exit').then(([code, signal]) => ({ type: 'failed', message: `exited (${String(signal ?? code)}) before it was ready` }) as FromStorage),
  ]);
  if (answer.type === 'failed') {
    child.kill('SIGKILL');
    throw new Error(`Storage process did not start: ${answer.message}`);
  }
  return { child, port: answer.port };
}

export async function startStorageProcess(options: StorageSupervisorOptions): Promise<SupervisedStorage> {
  const { pidFile, tablesFolder } = storagePaths(options.dataFolder);
  let current = await launch(options, options.port);
  const port = current.port;
  let stopping = false;
  const restarts: number[] = [];

  const supervise = (child: ChildProcess) => {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && (restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
      options.log(
        `storage: process ${child.pid} exited unexpectedly (${signal ?? `code ${code}`}); writes acknowledged since its last save may be lost; restarting it on port ${port}`,
      );
      if (restarts.length > RESTARTS_ALLOWED) {
        options.onGiveUp(`storage process died ${restarts.length} times within ${RESTART_WINDOW_MS / 1000} s`);
        return;
      }
      launch(options, port).then(
        (next) => {
          current = next;
          options.log(`storage: restarted as process ${next.child.pid}`);
          if (stopping) {
            void stopChild(next.child);
            return;
          }
          supervise(next.child);
          options.onRestarted?.().catch((err: unknown) => options.log(`storage: after the restart: ${err instanceof Error ? err.message : String(err)}`));
        },
        (err: unknown) => options.onGiveUp(err instanceof Error ? err.message : String(err)),
      );
    });
  };
  supervise(current.child);

  return {
    port,
    connectionString: azuriteConnectionString(port, options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host),
    pidFile,
    tablesFolder,
    async stop() {
      stopping = true;
      await stopChild(current.child);
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.send({ type: 'stop' } satisfies ToStorage);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
