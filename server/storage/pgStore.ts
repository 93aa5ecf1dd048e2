import pg from 'pg';
import type { AppendEntry, DocStore, LogRow, SnapshotSummary, StoredDocument } from './store.ts';
import { StoreError } from './store.ts';
import { createLogger } from '../log.ts';
import { inTransaction, migrate, searchPath } from '../postgres.ts';

const log = createLogger('storage.pg');

/**
 * PostgreSQL store (issue 8's first piece): the same contract as SqliteStore, for several relay
 * nodes sharing one database.
 *
 * Sequences: `doc_heads` holds each document's head. An append raises it with
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING`, which row-locks that document's head until the
 * transaction ends, so concurrent appenders — on any node — take consecutive, gap-free numbers
 * in commit order, and a rolled-back batch leaves no hole.
 */

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS doc_heads (doc TEXT PRIMARY KEY, head BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS updates (
     doc TEXT NOT NULL, seq BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (doc, seq))`,
  `CREATE TABLE IF NOT EXISTS snapshots (doc TEXT PRIMARY KEY, seq BIGINT NOT NULL, data BYTEA NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS compaction_leases (doc TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
  `ALTER TABLE snapshots ADD COLUMN IF NOT EXISTS state_vector BYTEA, ADD COLUMN IF NOT EXISTS schema_version INTEGER`,
];

const toBytes = (data: Buffer): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export class PgStore implements DocStore {
  private constructor(private readonly pool: pg.Pool) {}

  /**
   * Connects and migrates. `schema`, when given, is created and used for every table (tests run
   * each in a fresh schema).
   */
  static async open(connectionString: string, { schema }: { schema?: string } = {}): Promise<PgStore> {
    const pool = new pg.Pool({ connectionString, max: 8, application_name: 'guildhall-store', ...searchPath(schema) });
    // An idle pooled connection that dies (a database restart) emits here; unhandled, it would end the process.
    pool.on('error', (error) => log.warn('idle store connection lost', { error }));
    try {
      await migrate(pool, { lock: 'guildhall.store.migrations', schema, statements: MIGRATIONS });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgStore(pool);
  }

  async load(doc: string): Promise<StoredDocument> {
    return inTransaction(this.pool, async (client) => {
      const snap = await client.query<{ seq: string; data: Buffer; state_vector: Buffer | null; schema_version: number | null }>(
        'SELECT seq, data, state_vector, schema_version FROM snapshots WHERE doc = $1', [doc]);
      const row = snap.rows[0];
      const snapshotSeq = Number(row?.seq ?? 0);
      return {
        snapshot: row ? toBytes(row.data) : null,
        snapshotSeq,
        snapshotSummary: row?.state_vector ? { stateVector: toBytes(row.state_vector), schemaVersion: row.schema_version } : null,
        tail: await this.rows(client, doc, snapshotSeq),
      };
    }, 'REPEATABLE READ READ ONLY');
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const counts = new Map<string, number>();
    for (const { doc } of entries) counts.set(doc, (counts.get(doc) ?? 0) + 1);
    return inTransaction(this.pool, async (client) => {
      // Heads in a fixed order, so two batches touching the same documents cannot deadlock.
      const next = new Map<string, number>();
      for (const doc of [...counts.keys()].sort()) {
        const count = counts.get(doc)!;
        const { rows } = await client.query<{ head: string }>(
          `INSERT INTO doc_heads (doc, head) VALUES ($1, $2)
           ON CONFLICT (doc) DO UPDATE SET head = doc_heads.head + $2 RETURNING head`, [doc, count]);
        next.set(doc, Number(rows[0]!.head) - count + 1);
      }
      const seqs = entries.map(({ doc }) => {
        const seq = next.get(doc)!;
        next.set(doc, seq + 1);
        return seq;
      });
      await client.query(
        'INSERT INTO updates (doc, seq, data) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])',
        [entries.map((e) => e.doc), seqs, entries.map((e) => Buffer.from(e.update))]);
      return seqs;
    });
  }

  async readSince(doc: string, afterSeq: number): Promise<LogRow[]> {
    const client = await this.pool.connect();
    try {
      return await this.rows(client, doc, afterSeq);
    } finally {
      client.release();
    }
  }

  async compact(doc: string, throughSeq: number, snapshot: Uint8Array, summary?: SnapshotSummary): Promise<void> {
    if (throughSeq <= 0) return;
    await inTransaction(this.pool, async (client) => {
      // Locks the head row: appends to this document wait, and the head check is exact.
      const head = await client.query<{ head: string }>('SELECT head FROM doc_heads WHERE doc = $1 FOR UPDATE', [doc]);
      if (throughSeq > Number(head.rows[0]?.head ?? 0)) throw new StoreError(`compact past head: ${throughSeq}`);
      const current = await client.query<{ seq: string }>('SELECT seq FROM snapshots WHERE doc = $1', [doc]);
      if (current.rows[0] && Number(current.rows[0].seq) >= throughSeq) return; // nothing new to merge
      await client.query(
        `INSERT INTO snapshots (doc, seq, data, state_vector, schema_version) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, data = excluded.data,
           state_vector = excluded.state_vector, schema_version = excluded.schema_version`,
        [doc, throughSeq, Buffer.from(snapshot), summary ? Buffer.from(summary.stateVector) : null, summary?.schemaVersion ?? null]);
      await client.query('DELETE FROM updates WHERE doc = $1 AND seq <= $2', [doc, throughSeq]);
    });
  }

  async headSeq(doc: string): Promise<number> {
    const { rows } = await this.pool.query<{ head: string }>('SELECT head FROM doc_heads WHERE doc = $1', [doc]);
    return Number(rows[0]?.head ?? 0);
  }

  async headSeqs(docs: readonly string[]): Promise<Map<string, number>> {
    const heads = new Map(docs.map((doc) => [doc, 0]));
    if (docs.length === 0) return heads;
    const { rows } = await this.pool.query<{ doc: string; head: string }>(
      'SELECT doc, head FROM doc_heads WHERE doc = ANY($1::text[])', [docs]);
    for (const row of rows) heads.set(row.doc, Number(row.head));
    return heads;
  }

  /** The database's clock decides expiry, so nodes with skewed clocks still agree. */
  async leaseCompaction(doc: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO compaction_leases (doc, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (doc) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE compaction_leases.holder = excluded.holder OR compaction_leases.expires_at < now()`, [doc, holder, ttlMs]);
    return rowCount === 1;
  }

  async listDocuments(): Promise<string[]> {
    const { rows } = await this.pool.query<{ doc: string }>(
      'SELECT doc FROM snapshots UNION SELECT DISTINCT doc FROM updates ORDER BY doc');
    return rows.map((r) => r.doc);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async rows(client: pg.PoolClient, doc: string, afterSeq: number): Promise<LogRow[]> {
    const { rows } = await client.query<{ seq: string; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq', [doc, afterSeq]);
    return rows.map((r) => ({ seq: Number(r.seq), update: toBytes(r.data) }));
  }
}
