import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/docNames.ts';

/**
 * The documents of a community this device holds, read straight from IndexedDB (each document
 * is one database named after it, as DocSession stores it) without connecting — so what reads
 * them (search, the health view, the activity feed) works offline alike.
 */
export async function localDocumentNames(communityId: string): Promise<string[]> {
  const databases = await indexedDB.databases();
  return databases.map((d) => d.name ?? '').filter((name) => parseDocName(name)?.community === communityId).sort();
}

export async function loadLocal(name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  await persistence.destroy();
  return doc;
}

/** Every local document of the community, loaded (the caller destroys them). */
export async function loadLocalCommunity(communityId: string): Promise<Map<string, Y.Doc>> {
  const docs = new Map<string, Y.Doc>();
  for (const name of await localDocumentNames(communityId)) docs.set(name, await loadLocal(name));
  return docs;
}
