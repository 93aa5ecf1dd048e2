import { join, resolve } from 'node:path';
import { DEFAULT_COMMUNITY } from '../shared/docNames.ts';

/** Process configuration, read once from the environment (README "Configuration"). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Directory of the built client; served when present. */
  clientDir: string;
  /** Communities usable without a token (README "Access"); `home` by default. */
  openCommunities: string[];
  /** Browser origins allowed to open websockets; empty means the relay's own host only. */
  allowedOrigins: string[];
  /** PostgreSQL for documents instead of the embedded SQLite file (README "Configuration"). */
  databaseUrl?: string;
  /** A schema inside that database (created when missing); default the connection's search path. */
  databaseSchema?: string;
  /** Redis as the fan-out bus between relay nodes (README "Run several nodes"); needs DATABASE_URL. */
  redisUrl?: string;
  /** Channel prefix: nodes with the same prefix form one cluster. */
  redisPrefix: string;
}

/** Files in DATA_DIR; the server and the operator CLI open the same ones. */
export const documentStorePath = (dataDir: string): string => join(dataDir, 'guildhall.sqlite');
export const directoryPath = (dataDir: string): string => join(dataDir, 'directory.sqlite');

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer 0–65535, got "${env.PORT}"`);
  }
  if (env.REDIS_URL && !env.DATABASE_URL) {
    throw new Error('REDIS_URL connects relay nodes that share one database: set DATABASE_URL too');
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    clientDir: resolve(env.CLIENT_DIR ?? './dist/client'),
    openCommunities: env.OPEN_COMMUNITIES === undefined ? [DEFAULT_COMMUNITY] : list(env.OPEN_COMMUNITIES),
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.DATABASE_SCHEMA ? { databaseSchema: env.DATABASE_SCHEMA } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    redisPrefix: env.REDIS_PREFIX ?? 'guildhall',
  };
}
