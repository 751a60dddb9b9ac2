/**
 * The storage side of `npm start`: which Table Storage the app uses, who else may be writing to it,
 * and therefore how much the start-up repair may assume.
 * - Default: the app takes `.data/app.pid` (one `npm start` per data folder), then the supervised
 *   storage process (dev/storageSupervisor.ts). Every writer that ever wrote there is a previous app
 *   process, now dead, so the start-up repair finishes every interrupted write, whatever its age.
 * - TABLES_CONNECTION_STRING set: that storage may be shared with other live writers, so the
 *   start-up repair only takes what the sweeper would (writes older than the stale bound).
 */
import path from 'node:path';
import { acquirePidFile, removePidFile } from './storage/pidFile';
import { startStorageProcess } from './storageSupervisor';

export interface LocalStorageOptions {
  readonly dataFolder: string;
  readonly port: number;
  readonly autosaveMs: number;
  readonly host?: string;
  readonly log?: (line: string) => void;
}

export interface LocalStorage {
  /** For the banner: endpoint and where the data lives. */
  readonly bannerValue: string;
  /** Finishes writes left unfinished by a dead writer; call after the app's settings are in place, before serving. */
  repairBeforeServing(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStorage(options: LocalStorageOptions): Promise<LocalStorage> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (process.env.TABLES_CONNECTION_STRING) {
    return {
      bannerValue: 'TABLES_CONNECTION_STRING (external; no local storage process)',
      repairBeforeServing: () => repair(false, log),
      stop: async () => undefined,
    };
  }
  const appPidFile = path.join(options.dataFolder, 'app.pid');
  const lock = acquirePidFile(appPidFile);
  if (!lock.acquired) {
    throw new Error(`Another npm start (pid ${lock.holder.pid}) is using ${options.dataFolder}; stop it first, or give this one its own LOCAL_DATA_DIR.`);
  }
  process.on('exit', () => removePidFile(appPidFile, process.pid));
  const host = options.host ?? '127.0.0.1';
  const storage = await startStorageProcess({
    dataFolder: options.dataFolder,
    host,
    port: options.port,
    autosaveMs: options.autosaveMs,
    log,
    onGiveUp: (reason) => {
      console.error(`storage: giving up (${reason}); the app cannot run without it.`);
      process.exit(1);
    },
    // Its snapshot may be older than tables this app created since (e.g. on a fresh .data/).
    onRestarted: recreateAppTables,
  });
  process.env.TABLES_CONNECTION_STRING = storage.connectionString;
  const shown = path.relative(process.cwd(), storage.tablesFolder) || '.';
  return {
    bannerValue: `http://${host}:${storage.port}/devstoreaccount1  data: ${shown}  (own process; saved every ${options.autosaveMs} ms and on stop)`,
    repairBeforeServing: () => repair(true, log),
    async stop() {
      await storage.stop();
      removePidFile(appPidFile, process.pid);
    },
  };
}

async function recreateAppTables(): Promise<void> {
  const { recreateTables } = await import('../shared/store/tables');
  const { recreateLocalDnsTable } = await import('../shared/store/localDnsRecords');
  await recreateTables();
  await recreateLocalDnsTable();
}

async function repair(exclusive: boolean, log: (line: string) => void): Promise<void> {
  // Loaded here: the store reads the app's settings, which are complete only now.
  const { repairAtStartUp } = await import('../shared/provisioning/repair');
  const report = await repairAtStartUp({ noLiveWriters: exclusive });
  if (report.intents > 0 || report.pendingRows > 0) {
    log(`start-up repair: finished ${report.intents} interrupted number write(s), settled ${report.pendingRows} pending index row(s)`);
  }
}
