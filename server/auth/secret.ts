import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const AUTH_SECRET_FILE = 'auth-secret';
const MIN_SECRET_BYTES = 32;

/**
 * The token-signing secret. `AUTH_SECRET`, when set, wins everywhere (this module is the one
 * place that rule lives); otherwise a secret generated once and kept — in DATA_DIR for one node,
 * or in PostgreSQL (PgDirectory.authSecret) for every node sharing the directory.
 */
function fromEnvironment(fromEnv: string | undefined): Uint8Array | null {
  if (fromEnv === undefined || fromEnv === '') return null;
  const bytes = new TextEncoder().encode(fromEnv);
  if (bytes.length < MIN_SECRET_BYTES) throw new Error(`AUTH_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

/** A new secret as it is kept: random bytes, hex-encoded. */
export const generateSecretText = (): string => randomBytes(MIN_SECRET_BYTES).toString('hex');

/** The signing key from a kept secret (its text, as in the file). */
export const secretBytes = (text: string): Uint8Array => new TextEncoder().encode(text.trim());

/** For one node: generated once into DATA_DIR (readable by this user only) so tokens survive restarts. */
export function loadAuthSecret(dataDir: string, fromEnv: string | undefined): Uint8Array {
  const configured = fromEnvironment(fromEnv);
  if (configured) return configured;
  const path = join(dataDir, AUTH_SECRET_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: if two processes race on a fresh DATA_DIR, one writes and the other reads its secret.
    try {
      writeFileSync(path, generateSecretText(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return secretBytes(readFileSync(path, 'utf8'));
}

/** For a cluster: the secret its shared directory keeps (PgDirectory), unless AUTH_SECRET is set. */
export async function loadSharedAuthSecret(shared: { authSecret(): Promise<Uint8Array> }, fromEnv: string | undefined): Promise<Uint8Array> {
  return fromEnvironment(fromEnv) ?? await shared.authSecret();
}
