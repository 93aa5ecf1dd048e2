import type { AddressInfo } from 'node:net';
import { randomId } from '../shared/ids.ts';
import { RedisBus } from './cluster/redisBus.ts';
import { Metrics } from './metrics.ts';
import { directoryPath, documentStorePath, type Config } from './config.ts';
import { loadAuthSecret, loadSharedAuthSecret } from './auth/secret.ts';
import { PgDirectory } from './directory/pgDirectory.ts';
import { SqliteDirectory } from './directory/sqliteDirectory.ts';
import type { Directory } from './directory/directory.ts';
import { createHttpServer } from './http/server.ts';
import { projectIndexTitle } from './projections/indexTitles.ts';
import { retroProjection } from './projections/retro.ts';
import { charterProjection } from './projections/charter.ts';
import { boardProjection } from './projections/board.ts';
import { closingVersions } from './projections/history.ts';
import { recordSessionEnd } from './documents/history.ts';
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
  /** The token-signing secret this node loaded (tests mint tokens with it). */
  authSecret: Uint8Array;
  /** Graceful stop: refuse new work, flush commits, close clients with "going away". */
  stop(): Promise<void>;
}

/** Wires store, relay and HTTP server together; used by main.ts and by the tests. */
export async function startGuildhall(config: Config, tuning: { idleUnloadMs?: number } = {}): Promise<RunningGuildhall> {
  const store: DocStore = config.databaseUrl
    ? await PgStore.open(config.databaseUrl, { schema: config.databaseSchema })
    : new SqliteStore(documentStorePath(config.dataDir));
  // With PostgreSQL, the directory and the token secret are shared by every node (README "Configuration").
  const directory = config.databaseUrl
    ? await PgDirectory.open(config.databaseUrl, { schema: config.databaseSchema })
    : new SqliteDirectory(directoryPath(config.dataDir));
  if (directory instanceof SqliteDirectory) directory.watchOtherWriters(DIRECTORY_WATCH_MS);
  const authSecret = directory instanceof PgDirectory
    ? await loadSharedAuthSecret(directory, process.env.AUTH_SECRET)
    : loadAuthSecret(config.dataDir, process.env.AUTH_SECRET);
  const auth = {
    directory, authSecret, openCommunities: new Set(config.openCommunities), allowedOrigins: new Set(config.allowedOrigins),
  };
  // A shared database makes this process one node of a cluster (README "Run several nodes").
  const metrics: Metrics = new Metrics(() => relay.stats);
  const bus = config.databaseUrl && config.redisUrl ? new RedisBus(config.redisUrl, config.redisPrefix, metrics.bus) : null;
  const cluster = config.databaseUrl ? { nodeId: bus?.nodeId ?? randomId(10), bus } : undefined;
  const charter = charterProjection(directory);
  const projections = [projectIndexTitle, retroProjection(directory, authSecret), charter.project, boardProjection(directory), closingVersions(auth.openCommunities)];
  const relay = new Relay({ store, auth, projections, onSessionEnd: (room, r) => recordSessionEnd(room, r, auth.openCommunities), cluster, metrics, ...tuning });
  const refreshCharter = (community: string): Promise<void> => charter.refresh(relay, community);
  const server = createHttpServer({ relay, directory, authSecret, metrics: metrics.registry, refreshCharter }, config.clientDir);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    await relay.shutdown();
    await bus?.close();
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
    authSecret,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      await relay.shutdown();
      server.closeAllConnections();
      await closed;
      await bus?.close();
      await store.close();
      await directory.close();
    },
  };
}
