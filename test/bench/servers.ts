/**
 * The three servers under test, each in its own child process started with its defaults:
 *
 * - Guildhall: `server/main.ts` (what `npm start` runs) with a fresh DATA_DIR, so SQLite with its
 *   durable write path (commit before broadcast) and auth on. The `home` community is open by
 *   default (OPEN_COMMUNITIES=home), so bench clients need no token; access is still decided
 *   per connection. It runs under the tsx loader like `npm start`, which adds the loader's own
 *   memory to its RSS.
 * - @y/websocket-server: its bin (`src/server.js`), in-memory, no persistence (YPERSISTENCE unset).
 * - @hocuspocus/server: `new Server()` with defaults (hocuspocusServer.mjs), in-memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/freePort.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../helpers/serverProcess.ts';
import type { DialectName } from './dialect.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export type ServerName = 'guildhall' | 'y-websocket-server' | 'hocuspocus';
export const SERVER_NAMES: readonly ServerName[] = ['guildhall', 'y-websocket-server', 'hocuspocus'];

export interface RunningServer {
  name: ServerName;
  pid: number;
  dialect: DialectName;
  /** The websocket URL for one document. */
  urlFor(doc: string): string;
  /** Guildhall's Prometheus endpoint; the references have none. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

export function packageVersion(name: string): string {
  const path = name === 'guildhall' ? join(ROOT, 'package.json') : join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export interface StartOptions {
  /** Guildhall writes a V8 CPU profile there when it stops (`--profile`). */
  profileDir?: string;
  /** Fills Guildhall's fresh DATA_DIR before it starts (the references start empty). */
  prepareDataDir?: (dataDir: string) => Promise<void>;
}

export async function startServer(name: ServerName, options: StartOptions = {}): Promise<RunningServer> {
  switch (name) {
    case 'guildhall': return startGuildhall(options);
    case 'y-websocket-server': return startYWebsocketServer();
    case 'hocuspocus': return startHocuspocus();
    default: {
      const never: never = name;
      throw new Error(`unknown server ${String(never)}`);
    }
  }
}

async function startGuildhall({ profileDir, prepareDataDir }: StartOptions): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-bench-'));
  await prepareDataDir?.(dataDir);
  const nodeOptions = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'error' }, nodeOptions });
  const wsBase = server.url.replace(/^http/, 'ws');
  return {
    name: 'guildhall',
    pid: server.child.pid!,
    dialect: 'y-websocket',
    urlFor: (doc) => `${wsBase}/sync/${doc}`,
    metricsUrl: `${server.url}/metrics`,
    async stop() {
      await server.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startYWebsocketServer(): Promise<RunningServer> {
  // Its bin prints the configured port, not the bound one, so it gets a free port chosen here.
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/@y/websocket-server/src/server.js')], {
    cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /running at/);
  return {
    name: 'y-websocket-server', pid: child.pid!, dialect: 'y-websocket',
    urlFor: (doc) => `ws://127.0.0.1:${port}/${doc}`,
    stop: () => stopChild(child),
  };
}

async function startHocuspocus(): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(ROOT, 'test/bench/hocuspocusServer.mjs')], {
    cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const match = await waitForLine(child, /listening on (\d+)/);
  return {
    name: 'hocuspocus', pid: child.pid!, dialect: 'hocuspocus',
    // Hocuspocus names the document inside each frame; the path is ignored.
    urlFor: () => `ws://127.0.0.1:${match[1]}`,
    stop: () => stopChild(child),
  };
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${READY_TIMEOUT_MS} ms:\n${stderr}`)), READY_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ready:\n${stderr}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
