import * as Y from 'yjs';

/**
 * Decodes an update fully (structs, content and delete set) so that poison is rejected before it
 * is stored, and tells whether it would change `doc` at all: reconnecting clients resend what the
 * server already has (a sync step 2 always carries the sender's whole delete set), and such
 * no-ops are acknowledged without being appended.
 *
 * Throws on malformed input. `docOf` is called only when the update holds something to compare.
 */
export function inspectUpdate(docOf: () => Y.Doc, update: Uint8Array): { changesDoc: boolean; authors: Set<number> } {
  const { structs, ds } = Y.decodeUpdate(update);
  // An empty update (what a client holding nothing answers a sync step 1 with) changes nothing,
  // whatever the document holds: it is not asked for (a room may not have decoded it yet).
  if (structs.length === 0 && ds.clients.size === 0) return { changesDoc: false, authors: new Set() };
  const stateVector = docOf().store.clients;
  const known = (client: number): number => {
    const list = stateVector.get(client);
    if (!list || list.length === 0) return 0;
    const last = list[list.length - 1]!;
    return last.id.clock + last.length;
  };
  // Validate everything first: an early "it changes the doc" must not skip a malformed part.
  let changesDoc = false;
  // The clientIDs whose operations this update carries (deletions of others' items do not count).
  const authors = new Set<number>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    authors.add(struct.id.client);
    if (struct instanceof Y.Item) assertCausal(struct);
    if (struct.id.clock + struct.length > known(struct.id.client)) changesDoc = true;
  }
  for (const [client, ranges] of ds.clients) {
    const list = stateVector.get(client);
    for (const { clock, len } of ranges) {
      // Yjs writes a zero-length range into the transaction's delete set and then throws
      // while encoding it (writeDsLen), after the update would have been stored.
      if (len <= 0) throw new Error(`empty delete range at ${client}:${clock}`);
      if (changesDoc) continue;
      if (!list || clock + len > known(client) || !rangeDeleted(list, clock, len)) changesDoc = true;
    }
  }
  return { changesDoc, authors };
}

/**
 * Yjs assumes an item refers to its own client's earlier operations only (it cannot have seen
 * later ones) and does not check it: `Y.applyUpdate` throws on an update that breaks this, after
 * we would have stored it. So such an update is rejected here as malformed.
 */
function assertCausal(item: Y.Item): void {
  const { client, clock } = item.id;
  const parent = item.parent instanceof Y.ID ? item.parent : null;
  for (const ref of [item.origin, item.rightOrigin, parent]) {
    if (ref && ref.client === client && ref.clock >= clock) {
      throw new Error(`item ${client}:${clock} refers to its own client's later clock ${ref.clock}`);
    }
  }
}

function rangeDeleted(list: Array<Y.Item | Y.GC>, clock: number, len: number): boolean {
  let index = Y.findIndexSS(list, clock);
  while (index < list.length) {
    const struct = list[index]!;
    if (struct.id.clock >= clock + len) return true;
    if (!struct.deleted) return false;
    index++;
  }
  return true;
}
