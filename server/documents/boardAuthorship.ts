import * as Y from 'yjs';
import { cardsOf, commentsOf } from '../../shared/board/model.ts';

/**
 * Authorship on the board, enforced by the server (every member may write the board document,
 * so a modified client could otherwise edit, delete or sign as someone else). The relay binds
 * each Yjs clientID to the member who first wrote with it (relay/clientIdOwners.ts), so every
 * value in the document can be traced to its writer: the Item that holds it names its clientID.
 *
 * After each commit to a board this pass:
 * - names each card and comment after the member who created it (whatever `author` says);
 * - keeps a card's title, body, tags and deletion, and a comment's body, as their author (or the
 *   server) last wrote them: a value written by anyone else is put back;
 * - restores a card or comment that disappeared (deleting is the author's `deleted` flag, never
 *   removing the entry, so removal by anyone is someone else's doing);
 * - drops a reaction recorded under another member's id.
 * What it puts back comes from the last authored copy, kept in the server-only document.
 * Values written by the server itself (moderation, templates) have no member and are trusted.
 */
export interface AuthoredCopy {
  author: string;
  fields: Record<string, unknown>;
}
export type AuthoredCopies = Map<string, AuthoredCopy>;

/** What only an entry's author changes. */
const CARD_FIELDS = ['title', 'body', 'tags', 'createdAt', 'deleted'] as const;
const COMMENT_FIELDS = ['card', 'parent', 'body', 'mentions', 'createdAt', 'deleted'] as const;
/** What anyone may change, kept so a removed card comes back where it was. */
const CARD_SHARED_FIELDS = ['place'] as const;

type Owners = ReadonlyMap<number, string>;

/** The member who wrote a value (null: the server, or a writer the relay never bound). */
function writerOf(item: { id: { client: number } } | null | undefined, owners: Owners): string | null {
  return item ? owners.get(item.id.client) ?? null : null;
}

/**
 * Reviews the board against the authored copies; fixes the board in place and answers the
 * copies as they are now (a new map; unchanged entries are the same objects).
 */
export function enforceAuthorship(board: Y.Doc, copies: ReadonlyMap<string, AuthoredCopy>, owners: Owners, names: ReadonlyMap<string, string>): AuthoredCopies {
  const next: AuthoredCopies = new Map(copies);
  review(cardsOf(board), 'card', CARD_FIELDS, CARD_SHARED_FIELDS, copies, next, owners, names);
  review(commentsOf(board), 'comment', COMMENT_FIELDS, [], copies, next, owners, names);
  cardsOf(board).forEach((card) => { if (card instanceof Y.Map) dropForgedReactions(card, owners); });
  return next;
}

function review(
  entries: Y.Map<Y.Map<unknown>>, kind: 'card' | 'comment', authored: readonly string[], shared: readonly string[],
  copies: ReadonlyMap<string, AuthoredCopy>, next: AuthoredCopies, owners: Owners, names: ReadonlyMap<string, string>,
): void {
  const seen = new Set<string>();
  entries.forEach((entry, id) => {
    if (!(entry instanceof Y.Map)) return;
    const key = `${kind}:${id}`;
    seen.add(key);
    const copy = copies.get(key);
    const creator = copy?.author ?? writerOf(entry._item, owners);
    if (creator === null) return; // made by the server
    const namer = writerOf(entry._map.get('authorName'), owners);
    if (entry.get('author') !== creator || !entry.has('authorName') || (namer !== null && namer !== creator)) {
      entry.set('author', creator);
      entry.set('authorName', names.get(creator) ?? 'A former member');
    }
    const fields: Record<string, unknown> = {};
    for (const field of authored) {
      const writer = writerOf(entry._map.get(field), owners);
      // A removed field is someone else's doing too (a removal names no writer; the app never removes fields).
      if (((writer !== null && writer !== creator) || !entry.has(field)) && copy && field in copy.fields) {
        entry.set(field, copy.fields[field]); // someone else's write: put the author's back
      } else if (writer !== null && writer !== creator) {
        entry.delete(field); // someone else's write and no authored value to return to
      }
      if (entry.has(field)) fields[field] = entry.get(field);
    }
    for (const field of shared) {
      if (!entry.has(field) && copy && field in copy.fields) entry.set(field, copy.fields[field]); // removed: put back
      if (entry.has(field)) fields[field] = entry.get(field);
    }
    const fresh: AuthoredCopy = { author: creator, fields };
    next.set(key, copy && JSON.stringify(copy) === JSON.stringify(fresh) ? copy : fresh);
  });
  // Entries that disappeared were removed by someone (the app never removes them): put them back.
  for (const [key, copy] of copies) {
    if (!key.startsWith(`${kind}:`) || seen.has(key)) continue;
    const restored = new Y.Map<unknown>();
    for (const [field, value] of Object.entries(copy.fields)) restored.set(field, value);
    restored.set('author', copy.author);
    restored.set('authorName', names.get(copy.author) ?? 'A former member');
    if (kind === 'card') restored.set('reactions', new Y.Map<boolean>());
    entries.set(key.slice(kind.length + 1), restored);
  }
}

/**
 * The authored copies of a board as it is now, every entry taken as its author's: after a
 * restore (a moderator's action), so the next review neither undoes it nor brings back entries
 * the restored version did not have.
 */
export function authoredCopiesOf(board: Y.Doc): AuthoredCopies {
  const copies: AuthoredCopies = new Map();
  const take = (entries: Y.Map<Y.Map<unknown>>, kind: 'card' | 'comment', fields: readonly string[]): void => {
    entries.forEach((entry, id) => {
      const author = entry instanceof Y.Map ? entry.get('author') : null;
      if (typeof author !== 'string') return;
      const kept: Record<string, unknown> = {};
      for (const field of fields) if (entry.has(field)) kept[field] = entry.get(field);
      copies.set(`${kind}:${id}`, { author, fields: kept });
    });
  };
  take(cardsOf(board), 'card', [...CARD_FIELDS, ...CARD_SHARED_FIELDS]);
  take(commentsOf(board), 'comment', COMMENT_FIELDS);
  return copies;
}

function dropForgedReactions(card: Y.Map<unknown>, owners: Owners): void {
  const reactions = card.get('reactions');
  if (!(reactions instanceof Y.Map)) return;
  for (const key of [...reactions.keys()]) {
    const member = key.slice(key.indexOf(':') + 1);
    const writer = writerOf(reactions._map.get(key), owners);
    if (writer !== null && writer !== member) reactions.delete(key);
  }
}
