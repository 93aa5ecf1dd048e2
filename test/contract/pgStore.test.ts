import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import type { StoredDocument } from '../../server/storage/store.ts';
import { PgStore } from '../../server/storage/pgStore.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { storeContract } from './store.contract.ts';

storeContract('PgStore (real PostgreSQL, fresh schema)', async () => {
  const schema = freshSchema();
  let current = await PgStore.open(TEST_DATABASE_URL, { schema });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await PgStore.open(TEST_DATABASE_URL, { schema });
      return current;
    },
  };
});

/** Two PgStore pools on one schema stand for two relay nodes sharing the database. */
async function twoNodes(): Promise<[PgStore, PgStore]> {
  const schema = freshSchema();
  const a = await PgStore.open(TEST_DATABASE_URL, { schema });
  const b = await PgStore.open(TEST_DATABASE_URL, { schema });
  onTestFinished(async () => { await a.close(); await b.close(); });
  return [a, b];
}

/** One-character insertions by distinct writers: the text holds every update that was stored. */
function insertion(clientId: number, char: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  let update: Uint8Array | null = null;
  doc.on('update', (u: Uint8Array) => { update = u; });
  doc.getText('t').insert(0, char);
  return update!;
}

function loadedText(stored: StoredDocument): string {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored.tail) Y.applyUpdate(doc, row.update);
  return doc.getText('t').toString();
}

describe('PgStore shared by several nodes', () => {
  it('[K7] grants the compaction lease to one holder until it expires', async () => {
    const [a, b] = await twoNodes();
    expect(await a.leaseCompaction('home.shared.x', 'node-a', 300)).toBe(true);
    expect(await b.leaseCompaction('home.shared.x', 'node-b', 300)).toBe(false);
    expect(await b.leaseCompaction('home.shared.y', 'node-b', 300)).toBe(true); // per document
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await b.leaseCompaction('home.shared.x', 'node-b', 300)).toBe(true);
    expect(await a.leaseCompaction('home.shared.x', 'node-a', 300)).toBe(false);
  });

  it('numbers concurrent appends from two nodes gap-free, each seq once', async () => {
    const [a, b] = await twoNodes();
    const batches = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b)
      .append([{ doc: 'home.shared.x', update: insertion(i + 1, 'a') }, { doc: 'home.shared.x', update: insertion(i + 1000, 'b') }]));
    const seqs = (await Promise.all(batches)).flat().sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it('[K7] never loses content when compaction races appends and loads on other nodes', async () => {
    const [writer, compactor] = await twoNodes();
    const doc = 'home.shared.race';
    let written = 0;
    let writing = true;
    const writes = (async () => {
      while (writing) {
        await writer.append([{ doc, update: insertion(++written, 'x') }]);
      }
    })();
    const checks: Promise<void>[] = [];
    for (let round = 0; round < 30; round++) {
      // Compact from what this node has loaded: snapshot + tail merged, through its last row.
      const stored = await compactor.load(doc);
      const through = stored.tail.at(-1)?.seq ?? stored.snapshotSeq;
      const merged = Y.mergeUpdates([...(stored.snapshot ? [stored.snapshot] : []), ...stored.tail.map((r) => r.update)]);
      const floor = written;
      checks.push(writer.load(doc).then((seen) => { expect(loadedText(seen).length).toBeGreaterThanOrEqual(floor - 1); }));
      await compactor.compact(doc, through, merged);
    }
    writing = false;
    await writes;
    await Promise.all(checks);
    const final = await compactor.load(doc);
    expect(loadedText(final).length).toBe(written);
    expect(await compactor.headSeq(doc)).toBe(written);
  });
});
