import type { Connection } from './connection.ts';

/**
 * Every transaction on a relay document carries one of these origins; broadcast, persistence
 * and projections decide by origin, so nothing echoes in a loop.
 */
export type Origin =
  | { kind: 'client'; connection: Connection }
  | { kind: 'storage' }
  /** Rows another node committed, from the bus or read back from the database. */
  | { kind: 'peer' }
  | { kind: 'projection'; name: string }
  | { kind: 'api' };

export const STORAGE_ORIGIN: Origin = { kind: 'storage' };
export const PEER_ORIGIN: Origin = { kind: 'peer' };
export const API_ORIGIN: Origin = { kind: 'api' };
