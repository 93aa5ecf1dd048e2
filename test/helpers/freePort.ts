import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for servers that cannot report the port they
 * bound (redis-server, @y/websocket-server). Another process may take it in between: rare.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
