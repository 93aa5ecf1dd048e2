import * as Y from 'yjs';

/**
 * Replicas of one document for the meeting-model tests: members whose devices edit offline and
 * later exchange state, the way the relay would forward it. Client ids are fixed so that Yjs'
 * last-writer-wins tie-breaks (by client id) are the same on every run and a failing seed replays.
 */
export function replica(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  // Must be set before the first write: every struct the doc creates carries this id.
  doc.clientID = clientID;
  return doc;
}

export function replicas(count: number, firstClientID = 1): Y.Doc[] {
  return Array.from({ length: count }, (_, i) => replica(firstClientID + i));
}

/** One member's copy of a document, made from its full state (as a fresh device would sync it). */
export function copyOf(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = replica(clientID);
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** Two replicas exchange what the other is missing (a reconnect's sync step 1 and 2). */
export function syncPair(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Every replica receives every other's full state: afterwards all hold the same updates. */
export function syncAll(docs: readonly Y.Doc[]): void {
  const updates = docs.map((doc) => Y.encodeStateAsUpdate(doc));
  for (const doc of docs) for (const update of updates) Y.applyUpdate(doc, update);
}
