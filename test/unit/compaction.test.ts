import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore, type FaultPoint } from '../../server/storage/sqliteStore.ts';
import type { StoredDocument } from '../../server/storage/store.ts';
import { mulberry32 } from '../helpers/random.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * DESIGN §3: "compaction merges a sequence-bounded prefix into a snapshot in one transaction …
 * A crash at any point leaves the old or the new state, both complete."
 */

const DOC = 'home.shared.compacted';
/** Every point SqliteStore.compact reports to its fault injector, in the order it reports them. */
const FAULT_POINTS: readonly FaultPoint[] = ['compact:after-snapshot', 'compact:after-delete'];

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMPACT_LOOP_SCRIPT = fileURLToPath(new URL('../fixtures/compactLoop.ts', import.meta.url));

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A text edited `count` times, each edit captured as the update a client would send. */
function editedText(count: number): { updates: Uint8Array[]; text: string; snapshotThrough(seq: number): Uint8Array } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 1; i <= count; i++) {
    if (i % 3 === 0) text.delete(0, 2);
    else text.insert(text.length, `edit-${i} `);
  }
  return { updates, text: text.toString(), snapshotThrough: (seq) => Y.mergeUpdates(updates.slice(0, seq)) };
}

function contentOf(stored: StoredDocument): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored.tail) Y.applyUpdate(doc, row.update);
  return doc;
}

function summary(stored: StoredDocument): { snapshot: string | null; snapshotSeq: number; tail: Array<[number, string]> } {
  return {
    snapshot: stored.snapshot && hex(stored.snapshot),
    snapshotSeq: stored.snapshotSeq,
    tail: stored.tail.map((row) => [row.seq, hex(row.update)]),
  };
}

/** The log is gap-free: the rows after the snapshot are snapshotSeq + 1, + 2, … */
function expectGapFree(stored: StoredDocument): void {
  expect(stored.tail.map((row) => row.seq))
    .toEqual(stored.tail.map((_, i) => stored.snapshotSeq + 1 + i));
}

function openStore(path: string): SqliteStore {
  const store = new SqliteStore(path);
  onTestFinished(() => store.close());
  return store;
}

describe('[R20] compaction at every crash point (DESIGN §3)', () => {
  it('SqliteStore reports exactly the fault points tested here, in order, during one compaction', async () => {
    const store = openStore(':memory:');
    const edits = editedText(3);
    await store.append(edits.updates.map((update) => ({ doc: DOC, update })));
    const seen: FaultPoint[] = [];
    store.faultInjector = (point) => { seen.push(point); };
    await store.compact(DOC, 3, edits.snapshotThrough(3));
    expect(seen).toEqual(FAULT_POINTS);
  });

  describe.each([
    ['a first compaction', 0],
    ['a compaction over an earlier snapshot', 3],
  ])('%s', (_label, earlierSnapshotSeq) => {
    const COMMITTED = 8;
    const THROUGH = 6;

    async function prepare(): Promise<{ path: string; store: SqliteStore; edits: ReturnType<typeof editedText> }> {
      const path = join(tempDir(), 'guildhall.sqlite');
      const store = openStore(path);
      const edits = editedText(COMMITTED);
      await store.append(edits.updates.map((update) => ({ doc: DOC, update })));
      if (earlierSnapshotSeq > 0) await store.compact(DOC, earlierSnapshotSeq, edits.snapshotThrough(earlierSnapshotSeq));
      return { path, store, edits };
    }

    it.each(FAULT_POINTS)('a crash at %s leaves the complete old state for a new process', async (point) => {
      const { path, store, edits } = await prepare();
      const before = summary(await store.load(DOC));
      store.faultInjector = (reached) => {
        if (reached === point) throw new Error(`simulated crash at ${reached}`);
      };
      await expect(store.compact(DOC, THROUGH, edits.snapshotThrough(THROUGH))).rejects.toThrow(`simulated crash at ${point}`);

      // The "crashed" store is left open, as a dying process would leave it; a new one reads the file.
      const restarted = openStore(path);
      const after = await restarted.load(DOC);
      expect(summary(after)).toEqual(before);
      expect(after.snapshotSeq).toBe(earlierSnapshotSeq);
      expectGapFree(after);
      expect(after.tail.at(-1)?.seq).toBe(COMMITTED);
      expect(contentOf(after).getText('t').toString()).toBe(edits.text);
      expect(await restarted.headSeq(DOC)).toBe(COMMITTED);
    });

    it.each(FAULT_POINTS)('after a failed compaction at %s the same store keeps appending and can compact again', async (point) => {
      const { store, edits } = await prepare();
      store.faultInjector = (reached) => {
        if (reached === point) throw new Error(`simulated crash at ${reached}`);
      };
      await expect(store.compact(DOC, THROUGH, edits.snapshotThrough(THROUGH))).rejects.toThrow();
      store.faultInjector = null;

      const more = new Y.Doc();
      Y.applyUpdate(more, edits.snapshotThrough(COMMITTED));
      const before = Y.encodeStateVector(more);
      more.getText('t').insert(0, 'after ');
      const extra = Y.encodeStateAsUpdate(more, before);
      expect(await store.append([{ doc: DOC, update: extra }])).toEqual([COMMITTED + 1]);

      await store.compact(DOC, COMMITTED + 1, Y.encodeStateAsUpdate(more));
      const stored = await store.load(DOC);
      expect(stored.snapshotSeq).toBe(COMMITTED + 1);
      expect(stored.tail).toEqual([]);
      expect(contentOf(stored).getText('t').toString()).toBe(`after ${edits.text}`);
    });

    it('without a crash, a new process sees the complete new state', async () => {
      const { path, store, edits } = await prepare();
      const seen: FaultPoint[] = [];
      store.faultInjector = (reached) => { seen.push(reached); };
      await store.compact(DOC, THROUGH, edits.snapshotThrough(THROUGH));
      expect(seen).toEqual(FAULT_POINTS);

      const restarted = openStore(path);
      const after = await restarted.load(DOC);
      expect(after.snapshotSeq).toBe(THROUGH);
      expect(hex(after.snapshot!)).toBe(hex(edits.snapshotThrough(THROUGH)));
      expect(after.tail.map((row) => [row.seq, hex(row.update)]))
        .toEqual(edits.updates.slice(THROUGH).map((update, i) => [THROUGH + 1 + i, hex(update)]));
      expectGapFree(after);
      expect((await restarted.readSince(DOC, 0)).map((row) => row.seq)).toEqual([7, 8]); // rows ≤ 6 deleted
      expect(contentOf(after).getText('t').toString()).toBe(edits.text);
      expect(await restarted.headSeq(DOC)).toBe(COMMITTED);
    });
  });
});

interface ChildExit { code: number | null; signal: NodeJS.Signals | null }

interface ChildRun {
  committed: Array<{ token: string; seq: number }>;
  compactions: number;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts compactLoop.ts, kills it with SIGKILL `delayMs` after it printed "ready". */
async function runAndKill(path: string, run: string, delayMs: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', COMPACT_LOOP_SCRIPT, path, run], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => { child.kill('SIGKILL'); });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const state: { exit: ChildExit | null } = { exit: null };
  const closed = new Promise<void>((resolve) => child.on('close', (code, signal) => {
    state.exit = { code, signal };
    resolve();
  }));

  await waitFor(() => stdout.startsWith('ready\n') || state.exit !== null, {
    timeoutMs: 30_000, message: `child ${run} to print ready`,
  });
  if (state.exit) throw new Error(`child ${run} exited before ready: ${JSON.stringify(state.exit)}\n${stderr}`);
  await new Promise((resolve) => setTimeout(resolve, delayMs)); // the random kill moment
  child.kill('SIGKILL');
  await closed;

  const lines = stdout.split('\n').slice(0, -1); // drop a last line cut short by the kill
  const committed = lines.flatMap((line) => {
    const match = /^committed (\S+) (\d+)$/.exec(line);
    return match ? [{ token: match[1]!, seq: Number(match[2]) }] : [];
  });
  const compactions = lines.filter((line) => line.startsWith('compacted ')).length;
  // `as`: the compiler narrowed `state.exit` to null above and cannot see the 'close' handler set it.
  const exit = state.exit as ChildExit | null;
  return { committed, compactions, signal: exit?.signal ?? null, stderr };
}

describe('compaction under real crashes (DESIGN §3, §7 chaos)', () => {
  it('[R9] [R20] SIGKILL at random moments of an append/compact loop never loses an acknowledged append', async () => {
    const TRIALS = 20;
    const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = mulberry32(seed);
    const path = join(tempDir(), 'chaos.sqlite');
    let survivors: string[] = []; // the log as loaded after the previous kill
    let head = 0;
    let totalCommitted = 0;
    let totalCompactions = 0;

    for (let trial = 0; trial < TRIALS; trial++) {
      const run = `r${trial}`;
      const delayMs = 5 + Math.floor(random() * 56);
      const context = `seed ${seed} (CHAOS_SEED to rerun), trial ${trial}, kill after ${delayMs} ms`;
      const child = await runAndKill(path, run, delayMs);
      expect(child.signal, `${context}: child died on its own\n${child.stderr}`).toBe('SIGKILL');
      totalCommitted += child.committed.length;
      totalCompactions += child.compactions;

      // Printed sequences continue the log without gaps.
      expect(child.committed.map((c) => c.seq), context)
        .toEqual(child.committed.map((_, i) => head + 1 + i));

      const store = new SqliteStore(path);
      try {
        const stored = await store.load('home.shared.crash');
        expectGapFree(stored);
        const loaded = contentOf(stored).getArray<string>('log').toArray();
        // Everything that survived earlier kills is still there, in order …
        expect(loaded.slice(0, survivors.length), context).toEqual(survivors);
        // … then this run's tokens: every printed one, plus at most the one in flight at the kill.
        const fromThisRun = loaded.slice(survivors.length);
        const printed = child.committed.map((c) => c.token);
        expect(fromThisRun.slice(0, printed.length), context).toEqual(printed);
        expect(fromThisRun.length - printed.length, context).toBeLessThanOrEqual(1);
        expect(fromThisRun, context).toEqual(fromThisRun.map((_, i) => `${run}:${i}`));

        const newHead = await store.headSeq('home.shared.crash');
        expect(newHead - (child.committed.at(-1)?.seq ?? head), context).toBeGreaterThanOrEqual(0);
        expect(newHead - (child.committed.at(-1)?.seq ?? head), context).toBeLessThanOrEqual(1);
        survivors = loaded;
        head = newHead;
      } finally {
        await store.close();
      }
    }
    // The kills must have landed among real work, or this test proves nothing.
    expect(totalCommitted, `seed ${seed}`).toBeGreaterThan(TRIALS);
    expect(totalCompactions, `seed ${seed}`).toBeGreaterThan(0);
  }, 180_000);
});
