import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppendEntry, DocStore, LogRow, SnapshotSummary, StoredDocument } from './store.ts';
import { StoreError } from './store.ts';

/**
 * Embedded store: one SQLite file in WAL mode with synchronous=FULL, so a committed transaction
 * survives power loss, not only a process crash.
 *
 * better-sqlite3 is synchronous; the async interface exists for the PostgreSQL store. Each
 * call is one SQLite transaction, which is what makes group commit pay: one fsync per batch.
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS updates (
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (doc, seq)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS snapshots (
    doc TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL
  ) WITHOUT ROWID;
`;
/** Columns added after the first release; files written before get them on open. */
const ADDED_SNAPSHOT_COLUMNS = { state_vector: 'BLOB', schema_version: 'INTEGER' } as const;

interface SnapshotRow { seq: number; data: Buffer; state_vector: Buffer | null; schema_version: number | null }

/** Called between the statements of a compaction; tests throw from it to simulate a crash. */
export type FaultPoint = 'compact:after-snapshot' | 'compact:after-delete';

export class SqliteStore implements DocStore {
  private readonly db: Database.Database;
  /** Head sequence per document, read once and then kept in step with our own appends. */
  private readonly heads = new Map<string, number>();
  private readonly statements;
  faultInjector: ((point: FaultPoint) => void) | null = null;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const columns = this.db.pragma('table_info(snapshots)') as Array<{ name: string }>;
    const existing = new Set(columns.map((column) => column.name));
    for (const [column, type] of Object.entries(ADDED_SNAPSHOT_COLUMNS)) {
      if (!existing.has(column)) this.db.exec(`ALTER TABLE snapshots ADD COLUMN ${column} ${type}`);
    }
    this.statements = {
      snapshot: this.db.prepare<[string], SnapshotRow>(
        'SELECT seq, data, state_vector, schema_version FROM snapshots WHERE doc = ?'),
      tail: this.db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq'),
      maxUpdateSeq: this.db.prepare<[string], { seq: number | null }>(
        'SELECT max(seq) AS seq FROM updates WHERE doc = ?'),
      insert: this.db.prepare<[string, number, Uint8Array]>(
        'INSERT INTO updates (doc, seq, data) VALUES (?, ?, ?)'),
      upsertSnapshot: this.db.prepare<[string, number, Uint8Array, Uint8Array | null, number | null]>(
        `INSERT INTO snapshots (doc, seq, data, state_vector, schema_version) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data,
           state_vector = excluded.state_vector, schema_version = excluded.schema_version`),
      deletePrefix: this.db.prepare<[string, number]>('DELETE FROM updates WHERE doc = ? AND seq <= ?'),
      documents: this.db.prepare<[], { doc: string }>(
        'SELECT doc FROM snapshots UNION SELECT DISTINCT doc FROM updates ORDER BY doc'),
    };
  }

  async load(doc: string): Promise<StoredDocument> {
    return this.db.transaction(() => {
      const snap = this.statements.snapshot.get(doc);
      const snapshotSeq = snap?.seq ?? 0;
      return {
        snapshot: snap ? new Uint8Array(snap.data) : null,
        snapshotSeq,
        snapshotSummary: snap?.state_vector ? { stateVector: new Uint8Array(snap.state_vector), schemaVersion: snap.schema_version } : null,
        tail: this.readRows(doc, snapshotSeq),
      };
    }).deferred();
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const next = new Map<string, number>();
    let seqs: number[];
    try {
      seqs = this.db.transaction(() => entries.map(({ doc, update }) => {
        const seq = (next.get(doc) ?? this.head(doc)) + 1;
        next.set(doc, seq);
        this.statements.insert.run(doc, seq, update);
        return seq;
      })).immediate();
    } catch (error) {
      // A cached head can be stale if another process wrote this file (an old process still
      // flushing during its SIGTERM grace): re-read the heads on the next attempt.
      for (const { doc } of entries) this.heads.delete(doc);
      throw error;
    }
    // Only after the commit: a rolled-back batch must not advance the cached heads.
    for (const [doc, seq] of next) this.heads.set(doc, seq);
    return seqs;
  }

  async readSince(doc: string, afterSeq: number): Promise<LogRow[]> {
    return this.readRows(doc, afterSeq);
  }

  async compact(doc: string, throughSeq: number, snapshot: Uint8Array, summary?: SnapshotSummary): Promise<void> {
    this.db.transaction(() => {
      const current = this.statements.snapshot.get(doc);
      if (throughSeq <= 0 || (current && current.seq >= throughSeq)) return; // nothing new to merge
      if (throughSeq > this.head(doc)) throw new StoreError(`compact past head: ${throughSeq}`);
      this.statements.upsertSnapshot.run(doc, throughSeq, snapshot, summary?.stateVector ?? null, summary?.schemaVersion ?? null);
      this.faultInjector?.('compact:after-snapshot');
      this.statements.deletePrefix.run(doc, throughSeq);
      this.faultInjector?.('compact:after-delete');
    }).immediate();
  }

  async headSeq(doc: string): Promise<number> {
    return this.head(doc);
  }

  async headSeqs(docs: readonly string[]): Promise<Map<string, number>> {
    return new Map(docs.map((doc) => [doc, this.head(doc)]));
  }

  /** One process owns a SQLite file, so it always holds the lease. */
  async leaseCompaction(): Promise<boolean> {
    return true;
  }

  async listDocuments(): Promise<string[]> {
    return this.statements.documents.all().map((row) => row.doc);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private head(doc: string): number {
    let head = this.heads.get(doc);
    if (head === undefined) {
      const fromLog = this.statements.maxUpdateSeq.get(doc)?.seq ?? 0;
      head = Math.max(fromLog, this.statements.snapshot.get(doc)?.seq ?? 0);
      this.heads.set(doc, head);
    }
    return head;
  }

  private readRows(doc: string, afterSeq: number): LogRow[] {
    return this.statements.tail.all(doc, afterSeq)
      .map((row) => ({ seq: row.seq, update: new Uint8Array(row.data) }));
  }
}
