import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm start` runs. */
export const SERVER_ENTRY = 'server/main.ts';

/** Inside node_modules, so the bundle's imports resolve to the project's packages. */
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'guildhall-server');
const STALE_AFTER_MS = 24 * 3600_000;

let bundle: Promise<string> | null = null;

/**
 * The path of `server/main.ts` compiled into one ESM file, built once per process (≈ 0.2 s), for
 * tests that start the server hundreds of times: `node <bundle>` is ready in about half the time
 * of `node --import tsx server/main.ts`, which compiles every module again at each start.
 *
 * Same code as the real server: the transform tsx applies (the same esbuild), and every package
 * left external, so Node loads the very modules from node_modules (better-sqlite3's binary
 * included) that `npm start` loads. Run it with the project as the working directory: the
 * server finds its files (data, client build) from there. What would break the likeness is
 * server code that finds files next to its own module (`import.meta.url`): in the bundle that
 * is node_modules/.cache.
 *
 * Named after its content: processes that bundle the same sources share one file and none has to
 * remove it (test workers are killed without an exit event). Bundles unused for a day are pruned.
 * Framework-free: vitest, Playwright and the benchmark use it.
 */
export function serverBundle(): Promise<string> {
  bundle ??= buildServerBundle();
  return bundle;
}

async function buildServerBundle(): Promise<string> {
  const { outputFiles } = await build({
    absWorkingDir: ROOT,
    entryPoints: [SERVER_ENTRY],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Read only with `--enable-source-maps` (startServerProcess's nodeOptions): stack traces then
    // point at the TypeScript sources; without the flag the map costs nothing at start.
    sourcemap: 'inline',
    write: false,
    logLevel: 'warning',
  });
  const code = outputFiles[0]!.contents;
  const path = join(BUNDLE_DIR, `main-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  mkdirSync(BUNDLE_DIR, { recursive: true });
  pruneStaleBundles(path);
  if (existsSync(path)) {
    const now = new Date();
    utimesSync(path, now, now);
  } else {
    // Written whole, then renamed: a process starting it concurrently never reads half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, path);
  }
  return path;
}

function pruneStaleBundles(keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(BUNDLE_DIR)) {
    const path = join(BUNDLE_DIR, name);
    if (path === keep) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}
