import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startGuildhall } from './app.ts';
import { readConfig } from './config.ts';
import { createLogger } from './log.ts';

const log = createLogger('main');

/** Newest modification time under the client sources, to tell whether the build is stale. */
function newestSourceMtime(paths: string[]): number {
  let newest = 0;
  const walk = (path: string): void => {
    const stat = statSync(path);
    if (!stat.isDirectory()) newest = Math.max(newest, stat.mtimeMs);
    else for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  for (const path of paths) if (existsSync(path)) walk(path);
  return newest;
}

async function buildClientIfNeeded(clientDir: string): Promise<void> {
  const index = join(clientDir, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (builtAt > newestSourceMtime(['client', 'shared', 'vite.config.ts'])) return;
  log.info('building the client (first start or sources changed)');
  const { build } = await import('vite');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

async function main(): Promise<void> {
  const config = readConfig();
  if (process.argv.includes('--build-client-if-missing')) await buildClientIfNeeded(config.clientDir);
  const app = await startGuildhall(config);
  // Which engines, never their URLs (they may carry passwords).
  const engines = { documents: config.databaseUrl ? 'postgresql' : 'sqlite', bus: config.redisUrl ? 'redis' : 'none' };
  log.info('listening', { url: app.url, dataDir: config.dataDir, ...engines });
  process.stdout.write(`\nGuildhall is running: open ${app.url}/\n\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    app.stop().then(() => process.exit(0), (error: unknown) => {
      log.error('unclean stop', { error });
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  log.error('failed to start', { error });
  process.exit(1);
});
