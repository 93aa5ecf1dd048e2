import { onTestFinished } from 'vitest';
import { startGuildhall, type RunningGuildhall } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import { tempDir } from './tempDir.ts';

export interface TestRelay extends RunningGuildhall {
  wsUrl: string;
  dataDir: string;
}

/** The relay's configuration in tests: loopback, port 0, `home` open (as `npm start` defaults). */
export function testConfig(config: Partial<Config> & { dataDir: string }): Config {
  return { port: 0, host: '127.0.0.1', clientDir: '/nonexistent', openCommunities: ['home'], allowedOrigins: [], ...config };
}

/** A real relay on port 0 with real SQLite in a temp dir, stopped when the test finishes. */
export async function startTestRelay(
  { dataDir = tempDir(), idleUnloadMs, clientDir = '/nonexistent', databaseUrl, databaseSchema }:
  { dataDir?: string; idleUnloadMs?: number; clientDir?: string; databaseUrl?: string; databaseSchema?: string } = {},
): Promise<TestRelay> {
  const database = databaseUrl ? { databaseUrl, databaseSchema } : {};
  const app = await startGuildhall(testConfig({ dataDir, clientDir, ...database }), { idleUnloadMs });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await app.stop();
  };
  onTestFinished(stop);
  return { ...app, stop, dataDir, wsUrl: `ws://127.0.0.1:${app.port}/sync` };
}
