import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `npm run cli` as a real child process on `dataDir` (the file secret unless `env` sets AUTH_SECRET). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function runCli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { AUTH_SECRET: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT, env: { ...inherited, DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
