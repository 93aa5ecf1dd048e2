/**
 * The storage seam (DESIGN §3): an append-only update log with a per-document gap-free
 * sequence, plus one snapshot per document that compaction replaces atomically.
 *
 * Invariants every implementation keeps (checked by test/contract/store.contract.ts):
 * - `append` is all-or-nothing for the whole batch and returns sequences in batch order;
 *   a document's sequences are 1, 2, 3, … with no gaps, also across compactions.
 * - `load` is one consistent read: the snapshot and exactly the rows after it.
 * - `compact` replaces the snapshot and deletes rows ≤ `throughSeq` in one transaction; a crash
 *   at any point leaves either the old or the new state, both complete.
 */

export interface AppendEntry {
  doc: string;
  update: Uint8Array;
}

export interface LogRow {
  seq: number;
  update: Uint8Array;
}

/**
 * What a room needs to serve a document it has not decoded yet (a cold load): the snapshot's
 * state vector (the relay's sync step 1) and the schema version it declares (who may write).
 * Stored beside the snapshot by the compaction that wrote it.
 */
export interface SnapshotSummary {
  stateVector: Uint8Array;
  /** The document's `meta.schemaVersion`, or null when it has none. */
  schemaVersion: number | null;
}

export interface StoredDocument {
  /** Merged state through `snapshotSeq`, or null when the document was never compacted. */
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  /** Null for a snapshot written without one (before summaries existed). */
  snapshotSummary: SnapshotSummary | null;
  /** Rows after the snapshot, ascending by seq, gap-free. */
  tail: LogRow[];
}

export interface DocStore {
  load(doc: string): Promise<StoredDocument>;
  append(entries: readonly AppendEntry[]): Promise<number[]>;
  /**
   * Rows with seq > afterSeq that still exist, ascending. Rows at or below the snapshot's seq
   * are gone after compaction: a reader that is that far behind must `load()` instead.
   */
  readSince(doc: string, afterSeq: number): Promise<LogRow[]>;
  compact(doc: string, throughSeq: number, snapshot: Uint8Array, summary?: SnapshotSummary): Promise<void>;
  headSeq(doc: string): Promise<number>;
  /** Heads of several documents in one read (anti-entropy between nodes); unknown ones are 0. */
  headSeqs(docs: readonly string[]): Promise<Map<string, number>>;
  /**
   * Takes or renews the right to compact `doc` for `ttlMs` (DESIGN §4: one node compacts a
   * document). False while another holder's lease is unexpired. Compaction is safe without it;
   * the lease only keeps nodes from doing the same work and overwriting each other's snapshots.
   */
  leaseCompaction(doc: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Every document that has content, for operators and exports. */
  listDocuments(): Promise<string[]>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  override name = 'StoreError';
}
