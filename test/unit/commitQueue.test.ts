import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { CommitQueue, type BatchStats, type CommitEntry } from '../../server/relay/commitQueue.ts';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import type { AppendEntry } from '../../server/storage/store.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * Group commit (DESIGN §2 step 3) and "after commit only" (DESIGN §2 step 4, README R4/R5): the
 * queue decides when an update is durable, and in which order acks may go out.
 */

interface Harness {
  store: SqliteStore;
  queue: CommitQueue;
  /** Every store.append call, with the entries it was given. */
  appendCalls: AppendEntry[][];
  /** Completion events in the order they happened, e.g. "a1 committed 1", "n1 failed". */
  completions: string[];
  batches: BatchStats[];
  /** Makes store.append wait until `release()` (for the calls made from now on). */
  hold(): { release: () => void };
  entry(label: string, doc: string, update: Uint8Array | null, extra?: Partial<CommitEntry>): CommitEntry;
}

function harness(): Harness {
  const store = new SqliteStore(join(tempDir(), 'guildhall.sqlite'));
  onTestFinished(() => store.close());
  const appendCalls: AppendEntry[][] = [];
  const completions: string[] = [];
  const batches: BatchStats[] = [];
  let gate: Promise<void> | null = null;
  const original = store.append.bind(store);
  store.append = async (entries) => {
    appendCalls.push([...entries]);
    if (gate) await gate;
    return original(entries);
  };
  const queue = new CommitQueue(store, (stats) => batches.push(stats));
  return {
    store, queue, appendCalls, completions, batches,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => { release = resolve; });
      return { release: () => { gate = null; release(); } };
    },
    entry(label, doc, update, extra = {}) {
      return {
        doc,
        update,
        committed: (seq) => { completions.push(`${label} committed ${seq}`); },
        failed: (error) => { completions.push(`${label} failed ${(error as Error).message}`); },
        ...extra,
      };
    },
  };
}

/** Distinct real Yjs updates, one per call. */
function updates(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => out.push(update));
  for (let i = 0; i < count; i++) doc.getArray('a').push([i]);
  return out;
}

describe('CommitQueue: group commit (DESIGN §2 step 3)', () => {
  it('entries enqueued in the same tick are stored by one store.append call, in enqueue order', async () => {
    const h = harness();
    const [u1, u2, u3, u4] = updates(4);
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    h.queue.enqueue(h.entry('b1', 'home.shared.b', u2!));
    h.queue.enqueue(h.entry('a2', 'home.shared.a', u3!));
    h.queue.enqueue(h.entry('b2', 'home.shared.b', u4!));
    await h.queue.drain();

    expect(h.appendCalls).toHaveLength(1);
    expect(h.appendCalls[0]!.map((e) => e.doc)).toEqual(['home.shared.a', 'home.shared.b', 'home.shared.a', 'home.shared.b']);
    expect(h.completions).toEqual(['a1 committed 1', 'b1 committed 1', 'a2 committed 2', 'b2 committed 2']);
    expect(h.batches).toEqual([expect.objectContaining({ entries: 4, stored: 4 })]);
    expect((await h.store.load('home.shared.a')).tail.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('entries enqueued while a batch is being stored form the next batch', async () => {
    const h = harness();
    const [u1, u2, u3, u4] = updates(4);
    const held = h.hold();
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    h.queue.enqueue(h.entry('a2', 'home.shared.a', u2!));
    await waitFor(() => h.appendCalls.length === 1, { message: 'first batch to reach the store' });
    h.queue.enqueue(h.entry('a3', 'home.shared.a', u3!));
    h.queue.enqueue(h.entry('a4', 'home.shared.a', u4!));
    expect(h.completions).toEqual([]);
    held.release();
    await h.queue.drain();

    expect(h.appendCalls.map((call) => call.length)).toEqual([2, 2]);
    expect(h.completions).toEqual(['a1 committed 1', 'a2 committed 2', 'a3 committed 3', 'a4 committed 4']);
  });

  it('[R4] does not call committed() before the transaction returned', async () => {
    const h = harness();
    const [u1] = updates(1);
    const held = h.hold();
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    await waitFor(() => h.appendCalls.length === 1, { message: 'batch to reach the store' });
    expect(h.completions).toEqual([]);
    expect(await h.store.headSeq('home.shared.a')).toBe(0);
    held.release();
    await h.queue.drain();
    expect(h.completions).toEqual(['a1 committed 1']);
  });
});

describe('[R5] CommitQueue: completion order (no-op acks never overtake real ones)', () => {
  it('completes entries in enqueue order, no-op (null) entries included, with null seqs for no-ops', async () => {
    const h = harness();
    const [u1, u2, u3] = updates(3);
    h.queue.enqueue(h.entry('n1', 'home.shared.a', null));
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    h.queue.enqueue(h.entry('n2', 'home.shared.a', null));
    h.queue.enqueue(h.entry('b1', 'home.shared.b', u2!));
    h.queue.enqueue(h.entry('a2', 'home.shared.a', u3!));
    h.queue.enqueue(h.entry('n3', 'home.shared.b', null));
    await h.queue.drain();

    expect(h.completions).toEqual([
      'n1 committed null', 'a1 committed 1', 'n2 committed null', 'b1 committed 1', 'a2 committed 2', 'n3 committed null',
    ]);
    expect(h.appendCalls).toHaveLength(1);
    expect(h.appendCalls[0]).toHaveLength(3); // no-ops are never stored
    expect(h.batches).toEqual([expect.objectContaining({ entries: 6, stored: 3 })]);
  });

  it('a no-op enqueued after a real update waits for that update\'s commit, even in a later batch', async () => {
    const h = harness();
    const [u1] = updates(1);
    const held = h.hold();
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    await waitFor(() => h.appendCalls.length === 1, { message: 'first batch to reach the store' });
    h.queue.enqueue(h.entry('n1', 'home.shared.a', null));
    // Give the queue every chance to complete the no-op early: let several ticks pass.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(h.completions).toEqual([]);
    held.release();
    await h.queue.drain();
    expect(h.completions).toEqual(['a1 committed 1', 'n1 committed null']);
  });

  it('a batch of only no-ops commits them without storing anything', async () => {
    const h = harness();
    h.queue.enqueue(h.entry('n1', 'home.shared.a', null));
    h.queue.enqueue(h.entry('n2', 'home.shared.b', null));
    await h.queue.drain();
    expect(h.completions).toEqual(['n1 committed null', 'n2 committed null']);
    expect(h.appendCalls.flat()).toEqual([]);
    expect(await h.store.listDocuments()).toEqual([]);
  });
});

describe('CommitQueue: storage errors (DESIGN §2 step 5: no ack, no broadcast)', () => {
  it('when append throws, every entry of that batch fails — no-ops too — and none commits', async () => {
    const h = harness();
    const [u1, u2, u3] = updates(3);
    const original = h.store.append;
    h.store.append = async (entries) => {
      h.store.append = original; // fail this one call only
      h.appendCalls.push([...entries]);
      throw new Error('disk full');
    };
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    h.queue.enqueue(h.entry('n1', 'home.shared.a', null));
    h.queue.enqueue(h.entry('b1', 'home.shared.b', u2!));
    await h.queue.drain();
    expect(h.completions).toEqual(['a1 failed disk full', 'n1 failed disk full', 'b1 failed disk full']);
    expect(h.batches).toEqual([]);

    // The failed batch used no sequence numbers: the next batch starts at 1.
    h.queue.enqueue(h.entry('a2', 'home.shared.a', u3!));
    await h.queue.drain();
    expect(h.completions.at(-1)).toBe('a2 committed 1');
  });

  it('a real SQLite error (the database is closed) fails the whole batch', async () => {
    const h = harness();
    const [u1] = updates(1);
    await h.store.close();
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    h.queue.enqueue(h.entry('n1', 'home.shared.a', null));
    await h.queue.drain();
    expect(h.completions).toHaveLength(2);
    expect(h.completions[0]).toMatch(/^a1 failed /);
    expect(h.completions[1]).toMatch(/^n1 failed /);
  });

  it('a completion callback that throws does not keep the rest of its batch from completing', async () => {
    const h = harness();
    const [u1, u2] = updates(2);
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!, {
      committed: () => { h.completions.push('a1 committed (then threw)'); throw new Error('callback bug'); },
    }));
    h.queue.enqueue(h.entry('n1', 'home.shared.a', null));
    h.queue.enqueue(h.entry('a2', 'home.shared.a', u2!));
    await h.queue.drain();
    expect(h.completions).toEqual(['a1 committed (then threw)', 'n1 committed null', 'a2 committed 2']);
  });
});

describe('CommitQueue: drain', () => {
  it('resolves at once when nothing is queued', async () => {
    const h = harness();
    await h.queue.drain();
    expect(h.appendCalls).toEqual([]);
  });

  it('waits for everything enqueued, including a batch still being stored and entries queued behind it', async () => {
    const h = harness();
    const [u1, u2, u3] = updates(3);
    const held = h.hold();
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!));
    await waitFor(() => h.appendCalls.length === 1, { message: 'first batch to reach the store' });
    h.queue.enqueue(h.entry('a2', 'home.shared.a', u2!));
    let drained = false;
    const draining = h.queue.drain().then(() => { drained = true; });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    expect(h.queue.pending).toBe(1);

    held.release();
    h.queue.enqueue(h.entry('a3', 'home.shared.a', u3!));
    await draining;
    expect(h.completions).toEqual(['a1 committed 1', 'a2 committed 2', 'a3 committed 3']);
    expect(h.queue.pending).toBe(0);
  });

  it('waits for entries that completion callbacks enqueue', async () => {
    const h = harness();
    const [u1, u2] = updates(2);
    h.queue.enqueue(h.entry('a1', 'home.shared.a', u1!, {
      committed: (seq) => {
        h.completions.push(`a1 committed ${seq}`);
        h.queue.enqueue(h.entry('a2', 'home.shared.a', u2!));
      },
    }));
    await h.queue.drain();
    expect(h.completions).toEqual(['a1 committed 1', 'a2 committed 2']);
  });
});
