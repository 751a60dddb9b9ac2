/**
 * The network path from Kamailio to the lookup, under the test's control: a TCP relay in front of
 * the local host. `stop()` closes it (Kamailio's connections are cut and new ones refused, as when
 * the lookup is down), `start()` opens it again on the same port, `hang()` accepts connections and
 * never answers (a lookup that stalls). It also counts the lookups that go through.
 */
import net from 'node:net';

export interface LookupRelay {
  readonly port: number;
  /** `GET /.../lookup/v1/route` requests relayed so far. */
  lookups(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
  hang(): Promise<void>;
  close(): Promise<void>;
}

export async function startLookupRelay(target: { host: string; port: number }): Promise<LookupRelay> {
  const sockets = new Set<net.Socket>();
  let lookups = 0;
  let mode: 'relay' | 'hang' = 'relay';
  let server: net.Server | undefined;
  let port = 0;

  const onConnection = (client: net.Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'hang') return; // read nothing, answer nothing
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk: Buffer) => {
      lookups += chunk.toString('latin1').match(/^GET \S*\/lookup\/v1\/route\?/gm)?.length ?? 0;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = async () => {
    server = net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as net.AddressInfo).port;
  };

  const stop = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (closing !== undefined) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    lookups: () => lookups,
    stop,
    async start() {
      await stop();
      mode = 'relay';
      await listen();
    },
    async hang() {
      await stop();
      mode = 'hang';
      await listen();
    },
    close: stop,
  };
}
