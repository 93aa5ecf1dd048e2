import { parseDocName, indexDocName } from '../../shared/docNames.ts';
import { INDEX_DOCUMENTS_ROOT, META_ROOT, isIndexEntry, MAX_TITLE_CHARS } from '../../shared/schema/documents.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';

const log = createLogger('projection:index-titles');
const ORIGIN = { kind: 'projection', name: 'index-titles' } as const;

/**
 * Keeps the community index's title for a document equal to the title members edit in the
 * document itself. Members cannot write the index (it is server-written), so this projection is
 * the only way a rename reaches the document list.
 */
/**
 * The title last projected per loaded room. The projection runs after every commit to every
 * shared document (each keystroke); only a changed title may cost an index write.
 */
const projected = new WeakMap<Room, string>();

export function projectIndexTitle(room: Room, relay: Relay): void {
  const name = parseDocName(room.name);
  if (!name || name.accessClass !== 'shared') return;
  const title = room.doc.getMap(META_ROOT).get('title');
  if (typeof title !== 'string') return;
  const clipped = title.slice(0, MAX_TITLE_CHARS);
  if (projected.get(room) === clipped) return;
  projected.set(room, clipped);
  void relay.change(indexDocName(name.community), ORIGIN, (index) => {
    const entries = index.getMap(INDEX_DOCUMENTS_ROOT);
    const entry = entries.get(room.name);
    if (isIndexEntry(entry) && entry.title !== clipped) entries.set(room.name, { ...entry, title: clipped });
  }).catch((error: unknown) => {
    projected.delete(room); // try again with the next commit
    log.warn('index title not updated', { doc: room.name, error });
  });
}
