/**
 * Azurite's Table service, in-process. Deep imports because the package main is the VS Code
 * extension and ships no typings: an internal API, hence azurite pinned exactly. The in-process
 * server never initialises Azurite's telemetry client, so nothing is sent anywhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

interface TableServer {
  httpServer: Server;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Internal: the LokiJS store behind the Table service (azurite/dist/src/table/persistence). */
  metadataStore?: { db?: LokiDb };
}
/** The LokiJS database calls used here (lokijs 1.5, bundled with azurite). */
interface LokiDb {
  autosaveInterval: number;
  autosaveDisable(): void;
  autosaveEnable(): void;
  saveDatabase(callback: (err?: unknown) => void): void;
}
type TableServerClass = new (configuration: unknown) => TableServer;
type TableConfigurationClass = new (
  host: string,
  port: number,
  keepAliveTimeout: number | undefined,
  metadataDBPath: string,
  enableDebugLog: boolean,
  enableAccessLog: boolean,
  accessLogWriteStream: undefined,
  debugLogFilePath: undefined,
  loose: boolean,
  skipApiVersionCheck: boolean,
  cert: string,
  key: string,
  pwd: string,
  oauth: undefined,
  disableProductStyleUrl: boolean,
  isMemoryPersistence: boolean,
) => unknown;

/** The well-known, public Azurite development account (not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const DB_FILE = '__azurite_db_table__.json';

export interface AzuriteOptions {
  /** 0 picks a free port; default 10002 (Azurite's table port). */
  port?: number;
  /** Folder to persist tables in; omitted = in memory. */
  location?: string;
  host?: string;
  /**
   * How often a persisted database is written to disk, in ms. Azurite's LokiJS store keeps every
   * table in memory and saves the whole database as one JSON file every 5 s when something changed
   * (LokiTableMetadataStore: `autosave: true, autosaveInterval: 5000`), and once more on close().
   */
  autosaveMs?: number;
}

export interface RunningAzurite {
  port: number;
  /** Explicit http connection string; clients need `allowInsecureConnection: true` with it. */
  connectionString: string;
  stop(): Promise<void>;
}

export function azuriteConnectionString(port: number, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};` +
    `TableEndpoint=http://${host}:${port}/${ACCOUNT};`
  );
}

export async function startAzurite(opts: AzuriteOptions = {}): Promise<RunningAzurite> {
   
  const TableServer = (require('azurite/dist/src/table/TableServer') as { default: TableServerClass }).default;
  const TableConfiguration = (require('azurite/dist/src/table/TableConfiguration') as { default: TableConfigurationClass })
    .default;
   
  const host = opts.host ?? '127.0.0.1';
  const { location } = opts;
  if (location !== undefined) fs.mkdirSync(location, { recursive: true });
  // In memory, Azurite still stat()s the db path (default: relative to the cwd); one that cannot exist
  // keeps it away from any real file.
  const dbPath =
    location === undefined ? path.join(os.tmpdir(), `azurite-in-memory-${randomUUID()}.json`) : path.join(location, DB_FILE);
  // Azurite refuses a location together with in-memory persistence, so it is one or the other.
  const configuration = new TableConfiguration(
    host, opts.port ?? 10002, undefined, dbPath,
    false, false, undefined, undefined, // no debug log, no access log
    false, true, // loose off; skip the api-version check (a newer SDK may send a newer x-ms-version)
    '', '', '', undefined, false, location === undefined,
  );
  const server = new TableServer(configuration);
  await server.start();
  if (location !== undefined && opts.autosaveMs !== undefined) setAutosaveInterval(server, opts.autosaveMs);
  const port = (server.httpServer.address() as AddressInfo).port;
  const clientHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let stopping: Promise<void> | undefined;
  return {
    port,
    connectionString: azuriteConnectionString(port, clientHost),
    stop() {
      stopping ??= (async () => {
        // LokiJS's close() saves only if something changed since the last save *started*, and then
        // reports "closed" at once — while an autosave may still be writing its file. Exiting then
        // would cut that write short and leave the previous snapshot on disk (losing up to one
        // interval of writes). So first one explicit save, which LokiJS queues behind a save in
        // progress and completes; with autosave off, close() then only saves what came after it.
        if (location !== undefined) await saveNow(server);
        // close() does not wait for the socket, so we do. Not clean(): that deletes the db file (for
        // in-memory, a relative default path in the cwd).
        await Promise.all([once(server.httpServer, 'close'), server.close()]);
      })();
      return stopping;
    },
  };
}

function setAutosaveInterval(server: TableServer, ms: number): void {
  const db = server.metadataStore?.db;
  if (db === undefined || typeof db.autosaveEnable !== 'function') {
    throw new Error('azurite: no LokiJS store found on the Table server (internal layout changed?)');
  }
  db.autosaveDisable();
  db.autosaveInterval = ms;
  db.autosaveEnable();
}

function saveNow(server: TableServer): Promise<void> {
  const db = server.metadataStore?.db;
  if (db === undefined || typeof db.saveDatabase !== 'function') {
    return Promise.reject(new Error('azurite: no LokiJS store found on the Table server (internal layout changed?)'));
  }
  db.autosaveDisable();
  return new Promise((resolve, reject) => db.saveDatabase((err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve())));
}
