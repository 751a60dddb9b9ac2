/** Free UDP ports on loopback for Kamailio's sockets and the SIPp peers. */
import dgram from 'node:dgram';

/**
 * `count` distinct UDP ports that were free a moment ago: all are bound at once (so none repeats),
 * then released for the caller to bind. Another process could take one in between; on loopback in
 * a test run that race is rare and shows as a clear bind error from Kamailio or SIPp.
 */
export async function freeUdpPorts(count: number, address = '127.0.0.1'): Promise<number[]> {
  const sockets: dgram.Socket[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const socket = dgram.createSocket('udp4');
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, address, () => resolve());
      });
    }
    return sockets.map((s) => s.address().port);
  } finally {
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Resolves once something is bound to the UDP port (a bind attempt fails with EADDRINUSE). */
export async function waitUntilUdpBound(port: number, address: string, deadlineMs: number, isAlive: () => boolean): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const bound = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', (err: NodeJS.ErrnoException) => {
        socket.close();
        resolve(err.code === 'EADDRINUSE');
      });
      socket.bind(port, address, () => socket.close(() => resolve(false)));
    });
    if (bound) return;
    if (!isAlive()) throw new Error(`the process meant to listen on udp ${address}:${port} exited`);
    if (Date.now() > end) throw new Error(`nothing listens on udp ${address}:${port} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
