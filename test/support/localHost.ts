/**
 * The whole app behind a real HTTP port for integration tests: in-memory Azurite on a free port, a
 * fresh table prefix, every function group registered (jest.config.js maps @azure/functions-core to
 * the fake core) and served. Jest gives each test file its own module registry, so each file gets
 * its own registry and host; start it once per file (beforeAll) and stop it in afterAll.
 */
import { randomInt } from 'node:crypto';
import { startAzurite } from '../../dev/azurite';
import { closeHttpServer, serveHttp } from '../../dev/host/httpServer';
import { startTestAuth, type TestAuth } from './devAuth';

export interface LocalHost {
  /** API base URL (origin + host.json routePrefix), no trailing slash. */
  baseUrl: string;
  /** Connection string of this host's Azurite, for tests that inspect the tables directly. */
  connectionString: string;
  /** Table name prefix of this host (tables are `<prefix>accounts`, `<prefix>numbers`, ...). */
  tablePrefix: string;
  /** A bearer token from this host's development issuer with the given roles ('Admin', 'Read', ...). */
  token(roles: readonly string[]): Promise<string>;
  /** Authorization headers with an Admin token: what most tests send. */
  adminHeaders(): Promise<Record<string, string>>;
  auth: TestAuth;
  stop(): Promise<void>;
}

let started: { env: string; host: Promise<LocalHost> } | undefined;
let stopped = false;

function randomTablePrefix(): string {
  return 't' + Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join('');
}

async function start(env: Record<string, string>): Promise<LocalHost> {
  const azurite = await startAzurite({ port: 0 });
  const auth = await startTestAuth();
  const settings: Record<string, string> = {
    TABLES_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: randomTablePrefix(),
    ...auth.env,
    ...env,
  };
  const previous = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    require('../../functions/index');  
    const { server, url } = await serveHttp(0);
    return {
      baseUrl: url,
      connectionString: azurite.connectionString,
      tablePrefix: settings.TABLE_PREFIX as string,
      token: (roles) => auth.token(roles),
      adminHeaders: async () => ({ authorization: `Bearer ${await auth.token(['Admin'])}` }),
      auth,
      async stop() {
        stopped = true;
        // The lookup's change-feed follower polls storage on a timer: stop it before storage goes.
        (require('../../shared/lookup/lookupService') as typeof import('../../shared/lookup/lookupService')).stopLookupService();
        await closeHttpServer(server);
        await azurite.stop();
        await auth.close();
        for (const [name, value] of Object.entries(previous)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      },
    };
  } catch (err) {
    await azurite.stop();
    await auth.close();
    throw err;
  }
}

/**
 * Starts the host for this test file; a second call returns the same host (the functions are
 * registered once per module registry). `env` adds or overrides settings before the app loads.
 */
export function startLocalHost(env: Record<string, string> = {}): Promise<LocalHost> {
  if (stopped) {
    return Promise.reject(
      new Error('startLocalHost: the host of this test file was stopped; start it once per file (beforeAll/afterAll).'),
    );
  }
  const key = JSON.stringify(env);
  if (started && started.env !== key) {
    return Promise.reject(new Error('startLocalHost: already started in this test file with a different env.'));
  }
  started ??= { env: key, host: start(env) };
  return started.host;
}
