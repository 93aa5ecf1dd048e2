import { createLogger } from '../log.ts';
import type { DocStore } from '../storage/store.ts';

const log = createLogger('relay:commit');

/**
 * Group commit (DESIGN §2 step 3): entries queued during one turn of the event loop are appended
 * in one transaction, so one fsync covers every update that arrived together.
 *
 * Entries complete strictly in enqueue order, including `update: null` entries (no-op resends):
 * those are never stored but still wait for everything queued before them, so the ack for a
 * no-op never overtakes the ack for an earlier real update from the same connection.
 */
export interface CommitEntry {
  doc: string;
  update: Uint8Array | null;
  /** `seq` is null for no-op entries. Called only after the transaction committed. */
  committed(seq: number | null): void;
  failed(error: unknown): void;
}

export class CommitQueue {
  private queue: CommitEntry[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly store: DocStore, private readonly onBatch?: (stats: BatchStats) => void) {}

  enqueue(entry: CommitEntry): void {
    this.queue.push(entry);
    this.schedule();
  }

  /** Entries waiting for the next batch (not counting one being written). */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once everything enqueued so far has committed or failed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      this.schedule();
      await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const stored = batch.filter((entry) => entry.update !== null);
    const started = performance.now();
    let seqs: number[];
    try {
      seqs = stored.length === 0 ? [] : await this.store.append(stored.map((e) => ({ doc: e.doc, update: e.update! })));
    } catch (error) {
      for (const entry of batch) settle(() => entry.failed(error));
      return;
    }
    this.onBatch?.({ entries: batch.length, stored: stored.length, millis: performance.now() - started });
    let next = 0;
    for (const entry of batch) {
      const seq = entry.update === null ? null : seqs[next++]!;
      settle(() => entry.committed(seq));
    }
  }
}

/** One entry's callback failing must not cost the rest of the batch its apply, broadcast and ack. */
function settle(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    log.error('commit callback failed', { error });
  }
}

export interface BatchStats {
  entries: number;
  stored: number;
  millis: number;
}
