import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import type { DocStore, StoredDocument } from '../../server/storage/store.ts';

/**
 * The DocStore contract (DESIGN §3, server/storage/store.ts): every store — SQLite today,
 * PostgreSQL next — runs this one suite.
 *
 * `makeStore` is called once per test and must hand back an empty store; its own resources
 * (temp dirs, schemas) it registers for teardown itself. The suite closes the store it gets and
 * any store `reopen` returns. `reopen`, when given, closes the current store and opens the same
 * data again, as a restarted process would.
 */
export interface StoreUnderTest {
  store: DocStore;
  reopen?: () => Promise<DocStore>;
}

/** A Y.Doc whose every edit is captured as the update a client would send. */
class TextWriter {
  readonly doc = new Y.Doc();
  readonly updates: Uint8Array[] = [];
  /** texts[k] is the text after the first k updates. */
  readonly texts: string[] = [''];

  insert(value: string, index = this.text.length): Uint8Array {
    return this.edit((t) => t.insert(index, value));
  }

  delete(index: number, length: number): Uint8Array {
    return this.edit((t) => t.delete(index, length));
  }

  get text(): string {
    return this.doc.getText('t').toString();
  }

  /** The merged state through the first `count` updates: what a compaction would store. */
  snapshotThrough(count: number): Uint8Array {
    return Y.mergeUpdates(this.updates.slice(0, count));
  }

  private edit(change: (text: Y.Text) => void): Uint8Array {
    let captured: Uint8Array | null = null;
    const capture = (update: Uint8Array): void => { captured = update; };
    this.doc.on('update', capture);
    change(this.doc.getText('t'));
    this.doc.off('update', capture);
    if (!captured) throw new Error('edit produced no update');
    this.updates.push(captured);
    this.texts.push(this.text);
    return captured;
  }
}

/** A writer with `count` single-word insertions, plus a deletion every fourth edit. */
function writerWithEdits(count: number, label = 'w'): TextWriter {
  const writer = new TextWriter();
  for (let i = 1; i <= count; i++) {
    if (i % 4 === 0) writer.delete(0, 1);
    else writer.insert(`${label}${i} `);
  }
  return writer;
}

/** Applies snapshot + tail to a fresh Y.Doc, as the relay does on load, and returns the text. */
function textOf(stored: StoredDocument): string {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored.tail) Y.applyUpdate(doc, row.update);
  return doc.getText('t').toString();
}

function tailSeqs(stored: StoredDocument): number[] {
  return stored.tail.map((row) => row.seq);
}

function range(from: number, through: number): number[] {
  return Array.from({ length: Math.max(0, through - from + 1) }, (_, i) => from + i);
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

async function appendAll(store: DocStore, doc: string, updates: readonly Uint8Array[]): Promise<number[]> {
  return store.append(updates.map((update) => ({ doc, update })));
}

export function storeContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  async function setUp(): Promise<{ store: DocStore; reopen: (() => Promise<DocStore>) | undefined }> {
    const made = await makeStore();
    let current = made.store;
    onTestFinished(() => current.close());
    const reopen = made.reopen;
    return {
      store: made.store,
      reopen: reopen && (async () => { current = await reopen(); return current; }),
    };
  }

  describe(`DocStore contract (DESIGN §3): ${name}`, () => {
    describe('append', () => {
      it('numbers a document\'s updates 1, 2, 3, … in batch order, continuing across batches', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(5);
        expect(await appendAll(store, 'home.shared.a', w.updates.slice(0, 3))).toEqual([1, 2, 3]);
        expect(await appendAll(store, 'home.shared.a', w.updates.slice(3))).toEqual([4, 5]);
        expect(await store.headSeq('home.shared.a')).toBe(5);
      });

      it('gives each document its own gap-free sequence when documents interleave in one batch', async () => {
        const { store } = await setUp();
        const a = writerWithEdits(3, 'a');
        const b = writerWithEdits(2, 'b');
        const c = writerWithEdits(1, 'c');
        const seqs = await store.append([
          { doc: 'home.shared.a', update: a.updates[0]! },
          { doc: 'home.shared.b', update: b.updates[0]! },
          { doc: 'home.shared.a', update: a.updates[1]! },
          { doc: 'home.shared.c', update: c.updates[0]! },
          { doc: 'home.shared.b', update: b.updates[1]! },
          { doc: 'home.shared.a', update: a.updates[2]! },
        ]);
        expect(seqs).toEqual([1, 1, 2, 1, 2, 3]);
        for (const [doc, writer] of [['home.shared.a', a], ['home.shared.b', b], ['home.shared.c', c]] as const) {
          const stored = await store.load(doc);
          expect(tailSeqs(stored)).toEqual(range(1, writer.updates.length));
          expect(stored.tail.map((row) => hex(row.update))).toEqual(writer.updates.map(hex));
          expect(textOf(stored)).toBe(writer.text);
        }
      });

      it('stores nothing for an empty batch', async () => {
        const { store } = await setUp();
        expect(await store.append([])).toEqual([]);
        expect(await store.listDocuments()).toEqual([]);
      });

      it('is all-or-nothing: a batch with an unstorable entry stores none of it and uses no sequence', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(3);
        await appendAll(store, 'home.shared.a', w.updates.slice(0, 1));
        const poisoned = [
          { doc: 'home.shared.a', update: w.updates[1]! },
          { doc: 'home.shared.b', update: w.updates[0]! },
          { doc: 'home.shared.a', update: null as unknown as Uint8Array },
        ];
        await expect(store.append(poisoned)).rejects.toThrow();
        expect(await store.headSeq('home.shared.a')).toBe(1);
        expect(await store.headSeq('home.shared.b')).toBe(0);
        expect(await store.listDocuments()).toEqual(['home.shared.a']);
        expect(await appendAll(store, 'home.shared.a', w.updates.slice(1))).toEqual([2, 3]);
        expect(await appendAll(store, 'home.shared.b', w.updates.slice(0, 1))).toEqual([1]);
        const stored = await store.load('home.shared.a');
        expect(tailSeqs(stored)).toEqual([1, 2, 3]);
        expect(textOf(stored)).toBe(w.text);
      });

      it('stores the bytes as they were at the call, not a view the caller may reuse', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(1);
        const buffer = new Uint8Array(w.updates[0]!);
        await store.append([{ doc: 'home.shared.a', update: buffer }]);
        buffer.fill(0);
        const stored = await store.load('home.shared.a');
        expect(hex(stored.tail[0]!.update)).toBe(hex(w.updates[0]!));
        expect(textOf(stored)).toBe(w.text);
      });
    });

    describe('load and readSince', () => {
      it('loads an unknown document as empty: no snapshot, snapshotSeq 0, no rows', async () => {
        const { store } = await setUp();
        expect(await store.load('home.shared.never')).toEqual({ snapshot: null, snapshotSeq: 0, snapshotSummary: null, tail: [] });
        expect(await store.headSeq('home.shared.never')).toBe(0);
        expect(await store.readSince('home.shared.never', 0)).toEqual([]);
      });

      it('loads every appended update in order, and applying them reproduces the document', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(9);
        for (const update of w.updates) await appendAll(store, 'home.shared.a', [update]);
        const stored = await store.load('home.shared.a');
        expect(stored.snapshot).toBeNull();
        expect(stored.snapshotSeq).toBe(0);
        expect(tailSeqs(stored)).toEqual(range(1, 9));
        expect(stored.tail.map((row) => hex(row.update))).toEqual(w.updates.map(hex));
        expect(textOf(stored)).toBe(w.text);
      });

      it('returns loaded rows as independent copies: changing them does not change the store', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(2);
        await appendAll(store, 'home.shared.a', w.updates);
        const first = await store.load('home.shared.a');
        for (const row of first.tail) row.update.fill(0);
        expect(textOf(await store.load('home.shared.a'))).toBe(w.text);
      });

      it('readSince returns exactly the rows after the given seq, ascending, for that document only', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(6);
        const other = writerWithEdits(2, 'o');
        await store.append(w.updates.flatMap((update, i) => [
          { doc: 'home.shared.a', update },
          ...(other.updates[i] ? [{ doc: 'home.shared.b', update: other.updates[i] }] : []),
        ]));
        const rows = async (after: number): Promise<Array<[number, string]>> =>
          (await store.readSince('home.shared.a', after)).map((row) => [row.seq, hex(row.update)]);
        const expected = w.updates.map((update, i): [number, string] => [i + 1, hex(update)]);
        expect(await rows(0)).toEqual(expected);
        expect(await rows(2)).toEqual(expected.slice(2));
        expect(await rows(5)).toEqual(expected.slice(5));
        expect(await rows(6)).toEqual([]);
        expect(await rows(100)).toEqual([]);
      });
    });

    describe('compact', () => {
      it('replaces the snapshot and deletes rows ≤ throughSeq; load gives the snapshot and exactly the later rows', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(8);
        await appendAll(store, 'home.shared.a', w.updates);
        await store.compact('home.shared.a', 5, w.snapshotThrough(5));

        const stored = await store.load('home.shared.a');
        expect(stored.snapshotSeq).toBe(5);
        expect(hex(stored.snapshot!)).toBe(hex(w.snapshotThrough(5)));
        expect(tailSeqs(stored)).toEqual([6, 7, 8]);
        expect(textOf(stored)).toBe(w.text);
        expect(textOf({ ...stored, tail: [] })).toBe(w.texts[5]);
        expect((await store.readSince('home.shared.a', 5)).map((r) => r.seq)).toEqual([6, 7, 8]);
        // The compacted rows are gone, not just hidden behind the snapshot.
        expect((await store.readSince('home.shared.a', 0)).map((r) => r.seq)).toEqual([6, 7, 8]);
      });

      it('keeps the summary written with a snapshot (state vector, schema version) and replaces it with the next one', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(6);
        await appendAll(store, 'home.shared.a', w.updates);
        await store.compact('home.shared.a', 2, w.snapshotThrough(2));
        expect((await store.load('home.shared.a')).snapshotSummary).toBeNull(); // written without one

        const summary = { stateVector: Y.encodeStateVectorFromUpdate(w.snapshotThrough(4)), schemaVersion: 3 };
        await store.compact('home.shared.a', 4, w.snapshotThrough(4), summary);
        const stored = await store.load('home.shared.a');
        expect(hex(stored.snapshotSummary!.stateVector)).toBe(hex(summary.stateVector));
        expect(stored.snapshotSummary!.schemaVersion).toBe(3);

        await store.compact('home.shared.a', 6, w.snapshotThrough(6), { stateVector: Y.encodeStateVectorFromUpdate(w.snapshotThrough(6)), schemaVersion: null });
        expect((await store.load('home.shared.a')).snapshotSummary!.schemaVersion).toBeNull();
      });

      it('keeps sequences going after compaction: the next append gets head + 1', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(6);
        await appendAll(store, 'home.shared.a', w.updates.slice(0, 4));
        await store.compact('home.shared.a', 4, w.snapshotThrough(4)); // everything: no rows left
        expect(await store.headSeq('home.shared.a')).toBe(4);
        expect(tailSeqs(await store.load('home.shared.a'))).toEqual([]);

        expect(await appendAll(store, 'home.shared.a', w.updates.slice(4))).toEqual([5, 6]);
        const stored = await store.load('home.shared.a');
        expect(stored.snapshotSeq).toBe(4);
        expect(tailSeqs(stored)).toEqual([5, 6]);
        expect(textOf(stored)).toBe(w.text);
      });

      it('a later compaction supersedes an earlier one', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(10);
        await appendAll(store, 'home.shared.a', w.updates.slice(0, 6));
        await store.compact('home.shared.a', 3, w.snapshotThrough(3));
        await appendAll(store, 'home.shared.a', w.updates.slice(6));
        await store.compact('home.shared.a', 8, w.snapshotThrough(8));
        const stored = await store.load('home.shared.a');
        expect(stored.snapshotSeq).toBe(8);
        expect(hex(stored.snapshot!)).toBe(hex(w.snapshotThrough(8)));
        expect(tailSeqs(stored)).toEqual([9, 10]);
        expect(textOf(stored)).toBe(w.text);
      });

      it.each([
        ['older than', 2],
        ['equal to', 5],
      ])('is a no-op when throughSeq is %s the current snapshot\'s', async (_label, olderSeq) => {
        const { store } = await setUp();
        const w = writerWithEdits(7);
        await appendAll(store, 'home.shared.a', w.updates);
        await store.compact('home.shared.a', 5, w.snapshotThrough(5));
        const before = await store.load('home.shared.a');

        const stale = new TextWriter();
        stale.insert('stale snapshot that must not win');
        await store.compact('home.shared.a', olderSeq, stale.snapshotThrough(1));

        const after = await store.load('home.shared.a');
        expect(after.snapshotSeq).toBe(5);
        expect(hex(after.snapshot!)).toBe(hex(before.snapshot!));
        expect(tailSeqs(after)).toEqual([6, 7]);
        expect(textOf(after)).toBe(w.text);
        expect(await store.headSeq('home.shared.a')).toBe(7);
      });

      it('throws when asked to compact past the head, and changes nothing', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(3);
        await appendAll(store, 'home.shared.a', w.updates);
        await expect(store.compact('home.shared.a', 4, w.snapshotThrough(3))).rejects.toThrow();
        await expect(store.compact('home.shared.never', 1, w.snapshotThrough(1))).rejects.toThrow();

        const stored = await store.load('home.shared.a');
        expect(stored.snapshot).toBeNull();
        expect(tailSeqs(stored)).toEqual([1, 2, 3]);
        expect(await appendAll(store, 'home.shared.a', [new TextWriter().insert('x')])).toEqual([4]);
        expect(await store.listDocuments()).toEqual(['home.shared.a']);
      });

      it('leaves other documents untouched', async () => {
        const { store } = await setUp();
        const a = writerWithEdits(4, 'a');
        const b = writerWithEdits(4, 'b');
        await store.append(a.updates.flatMap((update, i) => [
          { doc: 'home.shared.a', update }, { doc: 'home.shared.b', update: b.updates[i]! },
        ]));
        await store.compact('home.shared.a', 4, a.snapshotThrough(4));
        const other = await store.load('home.shared.b');
        expect(other.snapshot).toBeNull();
        expect(tailSeqs(other)).toEqual([1, 2, 3, 4]);
        expect(textOf(other)).toBe(b.text);
      });

      it('keeps deletions: a snapshot of deleted text loads without it', async () => {
        const { store } = await setUp();
        const w = new TextWriter();
        w.insert('keep this, drop that');
        w.delete(10, 10);
        w.insert(' and more');
        await appendAll(store, 'home.shared.a', w.updates);
        await store.compact('home.shared.a', 2, w.snapshotThrough(2));
        const stored = await store.load('home.shared.a');
        expect(textOf(stored)).toBe('keep this, and more');
      });
    });

    describe('headSeq and listDocuments', () => {
      it('headSeq is 0 for an unknown document and the last seq otherwise, also after compacting everything', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(3);
        expect(await store.headSeq('home.shared.a')).toBe(0);
        await appendAll(store, 'home.shared.a', w.updates);
        expect(await store.headSeq('home.shared.a')).toBe(3);
        await store.compact('home.shared.a', 3, w.snapshotThrough(3));
        expect(await store.headSeq('home.shared.a')).toBe(3);
        expect(await store.headSeq('home.shared.b')).toBe(0);
      });

      it('headSeqs reads several heads at once: 0 for unknown documents, the last seq otherwise', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(3);
        await appendAll(store, 'home.shared.a', w.updates);
        await store.append([{ doc: 'home.shared.b', update: w.updates[0]! }]);
        await store.compact('home.shared.a', 2, w.snapshotThrough(2));
        const heads = await store.headSeqs(['home.shared.a', 'home.shared.b', 'home.shared.none']);
        expect([...heads].sort()).toEqual([['home.shared.a', 3], ['home.shared.b', 1], ['home.shared.none', 0]]);
        expect((await store.headSeqs([])).size).toBe(0);
      });

      it('lists every document with content, including fully compacted ones, each once', async () => {
        const { store } = await setUp();
        const w = writerWithEdits(3);
        await store.append([
          { doc: 'home.shared.z', update: w.updates[0]! },
          { doc: 'home.control.a', update: w.updates[0]! },
          { doc: 'home.shared.z', update: w.updates[1]! },
          { doc: 'other.index.main', update: w.updates[0]! },
        ]);
        await store.compact('home.control.a', 1, w.snapshotThrough(1));
        await store.compact('home.shared.z', 1, w.snapshotThrough(1));
        expect([...await store.listDocuments()].sort())
          .toEqual(['home.control.a', 'home.shared.z', 'other.index.main']);
      });
    });

    describe('compaction lease', () => {
      it('lets a holder take and then renew the lease on a document', async () => {
        const { store } = await setUp();
        expect(await store.leaseCompaction('home.shared.a', 'node-a', 60_000)).toBe(true);
        expect(await store.leaseCompaction('home.shared.a', 'node-a', 60_000)).toBe(true);
      });
    });

    describe('durability across reopen', () => {
      it('keeps snapshots, rows, sequences and the document list after reopen', async (context) => {
        const { store, reopen } = await setUp();
        if (!reopen) return context.skip('this store cannot be reopened');
        const a = writerWithEdits(7, 'a');
        const b = writerWithEdits(3, 'b');
        await appendAll(store, 'home.shared.a', a.updates.slice(0, 5));
        await appendAll(store, 'home.shared.b', b.updates);
        await store.compact('home.shared.a', 3, a.snapshotThrough(3));
        await store.compact('home.shared.b', 3, b.snapshotThrough(3));

        const reopened = await reopen();
        const storedA = await reopened.load('home.shared.a');
        expect(storedA.snapshotSeq).toBe(3);
        expect(tailSeqs(storedA)).toEqual([4, 5]);
        expect(textOf(storedA)).toBe(a.texts[5]);
        expect(await reopened.headSeq('home.shared.a')).toBe(5);
        expect(await reopened.headSeq('home.shared.b')).toBe(3);
        expect([...await reopened.listDocuments()].sort()).toEqual(['home.shared.a', 'home.shared.b']);

        // Sequences continue from the persisted head, also for a document with no rows left.
        expect(await appendAll(reopened, 'home.shared.a', a.updates.slice(5))).toEqual([6, 7]);
        expect(await appendAll(reopened, 'home.shared.b', [new TextWriter().insert('x')])).toEqual([4]);
        expect(textOf(await reopened.load('home.shared.a'))).toBe(a.text);
      });

      it('keeps a compaction\'s no-op rule after reopen', async (context) => {
        const { store, reopen } = await setUp();
        if (!reopen) return context.skip('this store cannot be reopened');
        const w = writerWithEdits(4);
        await appendAll(store, 'home.shared.a', w.updates);
        await store.compact('home.shared.a', 4, w.snapshotThrough(4));
        const reopened = await reopen();
        await reopened.compact('home.shared.a', 2, w.snapshotThrough(2));
        const stored = await reopened.load('home.shared.a');
        expect(stored.snapshotSeq).toBe(4);
        expect(textOf(stored)).toBe(w.text);
      });
    });
  });
}
