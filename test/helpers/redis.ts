import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './freePort.ts';
import { onTestFinished } from 'vitest';
import { randomId } from '../../shared/ids.ts';

/** The machine's Redis (TEST_REDIS_URL, else 127.0.0.1:6379, as on every machine of this kind and in CI). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A channel prefix unique to this test: nodes sharing it form one cluster and hear no other
 * test's nodes. The bus stores no keys (pub/sub only), so nothing is left to drop afterwards.
 */
export function freshPrefix(): string {
  return `guildhall-test-${randomId(10)}`;
}

export interface PrivateRedis {
  url: string;
  /** SIGKILLs the server (nothing is persisted) and starts a fresh one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Redis server of the test's own (the machine's redis-server binary on a free port), for tests
 * that kill or restart Redis without disturbing other suites using the shared one.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server = await startRedisServer(port);
  const stop = async (): Promise<void> => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  };
  onTestFinished(stop);
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await stop();
      server = await startRedisServer(port);
    },
    stop,
  };
}

async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
  });
  return child;
}
