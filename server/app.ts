import type { AddressInfo } from 'node:net';
import { directoryPath, documentStorePath, type Config } from './config.ts';
import { loadAuthSecret } from './auth/secret.ts';
import { SqliteDirectory } from './directory/sqliteDirectory.ts';
import type { Directory } from './directory/directory.ts';
import { createHttpServer } from './http/server.ts';
import { projectIndexTitle } from './projections/indexTitles.ts';
import { Relay } from './relay/relay.ts';
import { PgStore } from './storage/pgStore.ts';
import { SqliteStore } from './storage/sqliteStore.ts';
import type { DocStore } from './storage/store.ts';

/** How soon a change made by another process (the CLI) reaches live sockets. */
const DIRECTORY_WATCH_MS = 500;

export interface RunningGuildhall {
  url: string;
  port: number;
  relay: Relay;
  store: DocStore;
  directory: Directory;
  /** Graceful stop: refuse new work, flush commits, close clients with "going away". */
  stop(): Promise<void>;
}

/** Wires store, relay and HTTP server together; used by main.ts and by the tests. */
export async function startGuildhall(config: Config, tuning: { idleUnloadMs?: number } = {}): Promise<RunningGuildhall> {
  const store: DocStore = config.databaseUrl
    ? await PgStore.open(config.databaseUrl, { schema: config.databaseSchema })
    : new SqliteStore(documentStorePath(config.dataDir));
  const directory = new SqliteDirectory(directoryPath(config.dataDir));
  directory.watchOtherWriters(DIRECTORY_WATCH_MS);
  const authSecret = loadAuthSecret(config.dataDir, process.env.AUTH_SECRET);
  const auth = {
    directory, authSecret, openCommunities: new Set(config.openCommunities), allowedOrigins: new Set(config.allowedOrigins),
  };
  const relay = new Relay({ store, auth, projections: [projectIndexTitle], ...tuning });
  const server = createHttpServer({ relay, directory, authSecret }, config.clientDir);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    await relay.shutdown();
    await store.close();
    await directory.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    relay,
    store,
    directory,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      await relay.shutdown();
      server.closeAllConnections();
      await closed;
      await store.close();
      await directory.close();
    },
  };
}
