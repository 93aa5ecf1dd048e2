import { onTestFinished } from 'vitest';
import { startServerProcess, type ServerProcess } from './serverProcess.ts';
import { tempDir } from './tempDir.ts';

export interface ChildRelay extends ServerProcess {
  pid: number;
  dataDir: string;
  wsUrl: string;
  /** Whether the process is still running (no exit observed yet). */
  readonly running: boolean;
}

/**
 * `server/main.ts` as a child process on port 0 (see serverProcess.ts), for tests that SIGKILL or
 * SIGTERM it; SIGKILLed when the test finishes if it is still running. `bundled`: see
 * startServerProcess (for tests that restart it many times).
 */
export async function spawnRelay(
  { dataDir = tempDir(), env = {}, bundled = false }: { dataDir?: string; env?: Record<string, string>; bundled?: boolean } = {},
): Promise<ChildRelay> {
  const server = await startServerProcess({ dataDir, env, bundled });
  let running = true;
  void server.exited.then(() => { running = false; });
  onTestFinished(async () => {
    if (running) await server.stop('SIGKILL');
  });
  return {
    ...server,
    pid: server.child.pid!,
    dataDir,
    wsUrl: `${server.url.replace(/^http/, 'ws')}/sync`,
    get running() {
      return running;
    },
  };
}
