import { join } from 'node:path';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import type { DocStore } from '../../server/storage/store.ts';

/** The document exactly as storage holds it right now: snapshot plus log tail, in one read. */
export async function storedDoc(store: DocStore, docName: string): Promise<Y.Doc> {
  const stored = await store.load(docName);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored.tail) Y.applyUpdate(doc, row.update);
  return doc;
}

/** Opens a stopped server's SQLite file directly, as an operator would after a crash. */
export async function storedDocInDataDir(dataDir: string, docName: string): Promise<Y.Doc> {
  const store = new SqliteStore(join(dataDir, 'guildhall.sqlite'));
  try {
    return await storedDoc(store, docName);
  } finally {
    await store.close();
  }
}
