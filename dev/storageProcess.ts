/**
 * The local Table Storage (Azurite) in its own process, forked by `npm start` (dev/storageSupervisor.ts).
 * Azurite keeps the tables in memory and writes them to disk every few seconds (dev/azurite.ts), so
 * it must not die with the app: when the app process goes away, even by SIGKILL, this process
 * notices (the IPC channel closes; the parent pid is also polled), closes Azurite — which saves the
 * database one last time — releases .data/storage.pid and exits. Ctrl+C in a terminal reaches the
 * whole process group: this process ignores SIGINT and waits for the app to tell it to stop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAlive, acquirePidFile, removePidFile } from './storage/pidFile';
import { startAzurite, type RunningAzurite } from './azurite';

export interface StorageProcessOptions {
  readonly host: string;
  readonly port: number;
  readonly location: string;
  readonly pidFile: string;
  readonly autosaveMs: number;
}

/** Messages between the app (parent) and this process. */
export type ToStorage = { type: 'stop' };
export type FromStorage = { type: 'ready'; port: number } | { type: 'failed'; message: string };

let logFile: string | undefined;
/** To the app's terminal, and to .data/storage.log: once the app is gone, its terminal may be too. */
const log = (line: string) => {
  const text = `[storage ${process.pid}] ${line}`;
  try {
    if (logFile !== undefined) fs.appendFileSync(logFile, `${new Date().toISOString()} ${text}\n`);
  } catch {
    // a full disk must not stop the shutdown
  }
  try {
    console.log(text);
  } catch {
    // stdout gone with the app
  }
};
// A write to the dead app's pipe fails asynchronously (EPIPE); unhandled, that error would end this
// process before its final save.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

function send(message: FromStorage): void {
  if (process.connected) process.send?.(message);
}

async function run(options: StorageProcessOptions): Promise<void> {
  const parentPid = process.ppid;
  logFile = path.join(path.dirname(options.pidFile), 'storage.log');
  const lock = acquirePidFile(options.pidFile, { parentPid, port: options.port });
  if (!lock.acquired) {
    send({ type: 'failed', message: `${options.pidFile} is held by running process ${lock.holder.pid}` });
    process.exit(3);
  }
  let azurite: RunningAzurite;
  try {
    azurite = await startAzurite({ host: options.host, port: options.port, location: options.location, autosaveMs: options.autosaveMs });
  } catch (err) {
    removePidFile(options.pidFile, process.pid);
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      log(`${reason}: saving and stopping`);
      try {
        await azurite.stop(); // close() writes the database if anything changed since the last save
        log('saved, stopped');
        removePidFile(options.pidFile, process.pid);
        process.exit(0);
      } catch (err) {
        log(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
        removePidFile(options.pidFile, process.pid);
        process.exit(1);
      }
    })();
  };
  process.on('uncaughtException', (err) => {
    log(`uncaught: ${err.stack ?? err.message}`);
    stop('uncaught exception');
  });
  process.on('exit', (code) => log(`exit ${code}`));
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('message', (message: ToStorage) => {
    if (message.type === 'stop') stop('app asked');
  });
  process.on('disconnect', () => stop('app process gone (IPC closed)'));
  // The IPC channel is the primary signal; the parent pid is the fallback (e.g. spawned without IPC).
  setInterval(() => {
    if (process.ppid !== parentPid || !isAlive(parentPid)) stop(`app process ${parentPid} gone`);
  }, 500).unref();
  log(`serving ${options.location} on port ${azurite.port} for app ${parentPid}`);
  send({ type: 'ready', port: azurite.port });
}

if (require.main === module) {
  const options = JSON.parse(process.argv[2] ?? '{}') as StorageProcessOptions;
  run(options).catch((err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
