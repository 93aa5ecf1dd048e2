import {
  COMPACT_AFTER_TAIL_ROWS, COMPACT_MIN_TAIL_ROWS, COMPACTION_LEASE_MS, WARN_DOCUMENT_BYTES,
} from '../../shared/limits.ts';
import { createLogger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { DocStore, SnapshotSummary, StoredDocument } from '../storage/store.ts';

const log = createLogger('relay:compaction');

export interface CompactionDeps {
  store: DocStore;
  /** Who holds this node's compaction leases. */
  nodeId: string;
  metrics: RelayMetrics;
}

/**
 * One room's stored size and its compaction (DESIGN §3): counts the log rows since the snapshot
 * and merges them into it when the tail reaches 500 rows, or its bytes the snapshot's (≥ 16
 * rows). With several nodes, only the lease holder compacts (DESIGN §4).
 */
export class LogTail {
  private rows = 0;
  private bytes = 0;
  private snapshotBytes = 0;
  private compacting = false;

  constructor(private readonly doc: string, private readonly deps: CompactionDeps) {}

  get storedBytes(): number {
    return this.snapshotBytes + this.bytes;
  }

  get isEmpty(): boolean {
    return this.rows === 0;
  }

  get due(): boolean {
    const bytesRuleDue = this.snapshotBytes > 0 && this.bytes >= this.snapshotBytes;
    return this.rows >= COMPACT_AFTER_TAIL_ROWS || (bytesRuleDue && this.rows >= COMPACT_MIN_TAIL_ROWS);
  }

  /** The document was (re)read from storage: exactly this snapshot and tail. */
  loaded(stored: StoredDocument): void {
    this.snapshotBytes = stored.snapshot?.length ?? 0;
    this.rows = stored.tail.length;
    this.bytes = stored.tail.reduce((sum, row) => sum + row.update.length, 0);
  }

  appended(updateBytes: number): void {
    this.rows++;
    this.bytes += updateBytes;
    if (this.storedBytes > WARN_DOCUMENT_BYTES && this.storedBytes - updateBytes <= WARN_DOCUMENT_BYTES) {
      log.warn('document is large', { doc: this.doc, bytes: this.storedBytes });
    }
  }

  /**
   * Replaces the snapshot with `snapshotNow()`, taken once the lease is held: the merged state,
   * the last sequence it holds every row through, and its summary for cold loads.
   */
  async compact(snapshotNow: () => { throughSeq: number; snapshot: Uint8Array; summary: SnapshotSummary }): Promise<void> {
    if (this.compacting) return;
    this.compacting = true;
    const rows = this.rows;
    try {
      if (!await this.deps.store.leaseCompaction(this.doc, this.deps.nodeId, COMPACTION_LEASE_MS)) {
        this.rows = Math.max(0, this.rows - rows); // another node compacts it; ask again later
        this.deps.metrics.compaction('another-node');
        return;
      }
      const { throughSeq, snapshot, summary } = snapshotNow();
      const bytes = this.bytes;
      await this.deps.store.compact(this.doc, throughSeq, snapshot, summary);
      this.snapshotBytes = snapshot.length;
      this.rows = Math.max(0, this.rows - rows);
      this.bytes = Math.max(0, this.bytes - bytes);
      this.deps.metrics.compaction('done');
    } catch (error) {
      this.deps.metrics.compaction('failed');
      log.error('compaction failed; the log stays as it was', { doc: this.doc, error });
    } finally {
      this.compacting = false;
    }
  }
}
