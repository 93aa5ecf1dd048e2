import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_ENTRY, serverBundle } from './serverBundle.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_LINE = /Guildhall is running: open (http:\/\/[^\s/]+)\//;

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * `server/main.ts` as a real child process (what `npm start` runs), for tests that kill, pause or
 * restart it. Framework-free so both vitest and Playwright use it; callers own the teardown.
 *
 * `bundled`: run the same server compiled once per process (serverBundle.ts) instead of under
 * the tsx loader: same environment, working directory and ready line, about half the start-up
 * time, and no loader in the process (its CPU and memory are the server's alone).
 */
export async function startServerProcess(
  { dataDir, port = 0, clientDir = '/nonexistent', env = {}, nodeOptions = [], bundled = false }:
  { dataDir: string; port?: number; clientDir?: string; env?: Record<string, string>; nodeOptions?: string[]; bundled?: boolean },
): Promise<ServerProcess> {
  const entry = bundled ? [await serverBundle()] : ['--import', 'tsx', SERVER_ENTRY];
  const child = spawn(process.execPath, [...nodeOptions, ...entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: clientDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = READY_LINE.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${stderr}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
