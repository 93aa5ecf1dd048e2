import { parseDocName, indexDocName } from '../../shared/docNames.ts';
import { readMeetingMeta } from '../../shared/meeting/series.ts';
import {
  INDEX_DOCUMENTS_ROOT, META_ROOT, isDocumentKind, isIndexEntry, MAX_TITLE_CHARS, type IndexEntry,
} from '../../shared/schema/documents.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';

const log = createLogger('projection:index-entries');
const ORIGIN = { kind: 'projection', name: 'index-entries' } as const;

/**
 * Keeps a document's entry in the community index equal to what members edit in the document
 * itself: its title, and for meetings the planned start and place in a series. Members cannot
 * write the index (it is server-written), so this projection is the only way a rename reaches
 * the document list — and the way a meeting a member created from its series while offline
 * (a client-made document, series.ts) is listed once it syncs.
 */
function entryFromMeta(room: Room): IndexEntry | null {
  const meta = room.doc.getMap(META_ROOT);
  const kind = meta.get('kind');
  const createdAt = meta.get('createdAt');
  if (!isDocumentKind(kind) || typeof createdAt !== 'number') return null;
  const { title, startsAt, seriesId, occurrence } = readMeetingMeta(meta);
  return {
    kind, createdAt, title: title.slice(0, MAX_TITLE_CHARS),
    ...(startsAt !== undefined ? { startsAt } : {}),
    ...(seriesId !== undefined ? { seriesId: seriesId.slice(0, 64) } : {}),
    ...(occurrence !== undefined ? { occurrence } : {}),
  };
}

function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof IndexEntry>;
  return [...keys].every((key) => a[key] === b[key]);
}

/**
 * The entry last projected per loaded room. The projection runs after every commit to every
 * shared document (each keystroke); only a changed entry may cost an index write.
 */
const projected = new WeakMap<Room, string>();

export function projectIndexTitle(room: Room, relay: Relay): void {
  const name = parseDocName(room.name);
  if (!name || name.accessClass !== 'shared') return;
  const next = entryFromMeta(room);
  if (!next) return;
  const signature = JSON.stringify(next);
  if (projected.get(room) === signature) return;
  projected.set(room, signature);
  void relay.change(indexDocName(name.community), ORIGIN, (index) => {
    const entries = index.getMap(INDEX_DOCUMENTS_ROOT);
    const current = entries.get(room.name);
    // An entry keeps the creation time it was listed with (the API's, for API-made documents).
    const entry = isIndexEntry(current) ? { ...next, createdAt: current.createdAt } : next;
    if (!isIndexEntry(current) || !sameEntry(current, entry)) entries.set(room.name, entry);
  }).catch((error: unknown) => {
    projected.delete(room); // try again with the next commit
    log.warn('index entry not updated', { doc: room.name, error });
  });
}
