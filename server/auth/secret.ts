import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_FILE = 'auth-secret';
const MIN_SECRET_BYTES = 32;

/**
 * The token-signing secret: `AUTH_SECRET` when set (shared by every node of a cluster), else
 * generated once into DATA_DIR (readable by this user only) so tokens survive restarts.
 */
export function loadAuthSecret(dataDir: string, fromEnv: string | undefined): Uint8Array {
  if (fromEnv !== undefined && fromEnv !== '') {
    const bytes = new TextEncoder().encode(fromEnv);
    if (bytes.length < MIN_SECRET_BYTES) throw new Error(`AUTH_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    return bytes;
  }
  const path = join(dataDir, SECRET_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: if two processes race on a fresh DATA_DIR, one writes and the other reads its secret.
    try {
      writeFileSync(path, randomBytes(MIN_SECRET_BYTES).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return new TextEncoder().encode(readFileSync(path, 'utf8').trim());
}
