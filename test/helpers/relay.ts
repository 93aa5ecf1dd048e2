import { onTestFinished } from 'vitest';
import { startGuildhall, type RunningGuildhall } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';

/** A node of a cluster: a shared database schema, and a Redis URL and key prefix for the bus. */
export type ClusterConfig = Pick<Config, 'databaseUrl' | 'databaseSchema' | 'redisUrl'> & { redisPrefix?: string };
import { tempDir } from './tempDir.ts';

export interface TestRelay extends RunningGuildhall {
  wsUrl: string;
  dataDir: string;
}

/** The relay's configuration in tests: loopback, port 0, `home` open (as `npm start` defaults). */
export function testConfig(config: Partial<Config> & { dataDir: string }): Config {
  return {
    port: 0, host: '127.0.0.1', clientDir: '/nonexistent', openCommunities: ['home'], allowedOrigins: [], redisPrefix: 'guildhall',
    ...config,
  };
}

/** A real relay on port 0 with real SQLite in a temp dir, stopped when the test finishes. */
export async function startTestRelay(
  { dataDir = tempDir(), idleUnloadMs, clientDir = '/nonexistent', cluster = {} }:
  { dataDir?: string; idleUnloadMs?: number; clientDir?: string; cluster?: ClusterConfig } = {},
): Promise<TestRelay> {
  const app = await startGuildhall(testConfig({ dataDir, clientDir, ...cluster }), { idleUnloadMs });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await app.stop();
  };
  onTestFinished(stop);
  return { ...app, stop, dataDir, wsUrl: `ws://127.0.0.1:${app.port}/sync` };
}
