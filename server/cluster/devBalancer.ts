import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * A small TCP load balancer for trying several relay nodes on one machine (README "Run several
 * nodes") — not for production, where any real balancer does this. `round-robin` deals client
 * connections to the backends in turn; `failover` sends them all to the first backend that
 * accepts. Either way a backend that refuses is skipped, so when a node dies its clients
 * reconnect to the others.
 */

export interface Backend {
  host: string;
  port: number;
}

export interface Balancer {
  port: number;
  /** Closes the listener and every proxied connection. */
  close(): Promise<void>;
}

export async function startBalancer(
  { port, host = '127.0.0.1', backends, mode = 'round-robin' }:
  { port: number; host?: string; backends: Backend[]; mode?: 'round-robin' | 'failover' },
): Promise<Balancer> {
  if (backends.length === 0) throw new Error('the balancer needs at least one backend');
  const sockets = new Set<Socket>();
  let next = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    client.pause(); // hold the request bytes until a backend accepted
    const first = mode === 'failover' ? 0 : next++;
    const attempt = (tried: number): void => {
      if (tried === backends.length) return void client.destroy();
      const backend = backends[(first + tried) % backends.length]!;
      const upstream = connect(backend.port, backend.host);
      track(upstream);
      let connected = false;
      const dropUpstream = (): void => void upstream.destroy();
      client.once('close', dropUpstream); // also when the client leaves before the backend answered
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream).pipe(client);
        upstream.once('close', () => client.destroy());
        client.resume();
      });
      upstream.on('error', () => {
        if (connected) return void client.destroy();
        client.off('close', dropUpstream);
        if (!client.destroyed) attempt(tried + 1);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** `npm run balancer -- 8080 8081 8082`: listen on the first port, balance over the others. */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [listen, ...targets] = process.argv.slice(2).map(Number);
  if (!listen || targets.length === 0 || targets.some((p) => !Number.isInteger(p))) {
    process.stderr.write('usage: npm run balancer -- <listen port> <node port> [<node port> …]\n');
    process.exit(2);
  }
  const balancer = await startBalancer({ port: listen, backends: targets.map((port) => ({ host: '127.0.0.1', port })) });
  process.stdout.write(`Balancing http://127.0.0.1:${balancer.port}/ over ports ${targets.join(', ')}\n`);
}
