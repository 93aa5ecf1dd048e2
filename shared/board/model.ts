import * as Y from 'yjs';
import { randomId } from '../ids.ts';
import { compareOrdered, keysAppending, keysForMove, NEW_ENTRY, sortOrdered } from '../meeting/order.ts';
import {
  CARDS_ROOT, COMMENTS_ROOT, LANES_ROOT, MAX_CARD_BODY_CHARS, MAX_CARD_TITLE_CHARS, MAX_COMMENT_CHARS, MAX_LANE_NAME_CHARS,
  MAX_TAG_CHARS, MAX_TAGS, MODERATION_ROOT, moderationKey, NOT_MODERATED, REACTIONS,
  type BoardComment, type BoardView, type Card, type Lane, type Moderation, type ModerationRecord, type Place, type Reaction,
} from '../schema/board.ts';
import { clip } from '../text.ts';
import { num, str } from '../ymap.ts';

/**
 * The board model (schema/board.ts): writers members' clients call, and readers that every
 * device applies alike — entries with missing or mistyped fields are skipped, a card whose lane
 * was removed (perhaps concurrently, offline) shows in the first lane, and moderation comes
 * from the server-only record, never from the board members write.
 */
type Entries = Y.Map<Y.Map<unknown>>;

export const lanesOf = (doc: Y.Doc): Entries => doc.getMap(LANES_ROOT);
export const cardsOf = (doc: Y.Doc): Entries => doc.getMap(CARDS_ROOT);
export const commentsOf = (doc: Y.Doc): Entries => doc.getMap(COMMENTS_ROOT);

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Tags as members type them ("Onboarding, #remote"): trimmed, lower case, no '#', unique. */
export function normalizeTags(input: string | readonly string[]): string[] {
  const parts = typeof input === 'string' ? input.split(/[,\n]/) : input;
  const tags: string[] = [];
  for (const part of parts) {
    const tag = clip(part.trim().replace(/^#+/, '').trim().toLowerCase().replace(/\s+/g, '-'), MAX_TAG_CHARS);
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags.slice(0, MAX_TAGS);
}

// ---- lanes ----

/**
 * The lanes in order. A removed lane stays as a tombstone (`removed: true`): two members offline
 * can each remove one of the last two lanes, and then the first removed lane is shown again
 * instead of a board with no lane for its cards.
 */
export function readLanes(doc: Y.Doc): Lane[] {
  const lanes: Lane[] = [];
  const removed: Lane[] = [];
  lanesOf(doc).forEach((lane, id) => {
    if (!(lane instanceof Y.Map)) return;
    const name = str(lane, 'name');
    const order = str(lane, 'order');
    if (name !== null && order !== null) (lane.get('removed') === true ? removed : lanes).push({ id, name, order });
  });
  return lanes.length ? sortOrdered(lanes) : sortOrdered(removed).slice(0, 1);
}

export function addLane(doc: Y.Doc, name: string, id = randomId()): string {
  const lanes = readLanes(doc);
  const keys = keysForMove(lanes, null, lanes.length);
  doc.transact(() => {
    writeOrders(lanesOf(doc), keys);
    const lane = new Y.Map<unknown>();
    lane.set('name', clip(name.trim(), MAX_LANE_NAME_CHARS) || 'Untitled lane');
    lane.set('order', keys.get(NEW_ENTRY)!);
    lanesOf(doc).set(id, lane);
  });
  return id;
}

export function renameLane(doc: Y.Doc, laneId: string, name: string): void {
  const trimmed = clip(name.trim(), MAX_LANE_NAME_CHARS);
  if (trimmed) lanesOf(doc).get(laneId)?.set('name', trimmed);
}

export function moveLane(doc: Y.Doc, laneId: string, toIndex: number): void {
  const keys = keysForMove(readLanes(doc), laneId, toIndex);
  doc.transact(() => writeOrders(lanesOf(doc), keys));
}

/** Removes a lane; its cards go to the first remaining lane (the last lane cannot be removed). */
export function removeLane(doc: Y.Doc, laneId: string): void {
  const lanes = readLanes(doc);
  const target = lanes.find((lane) => lane.id !== laneId);
  if (!target || !lanes.some((lane) => lane.id === laneId)) return;
  doc.transact(() => {
    const places = readCardPlaces(doc, lanes).map((c) => ({ id: c.id, lane: c.place.lane, order: c.place.order }));
    const moving = sortOrdered(places.filter((c) => c.lane === laneId)).map((c) => c.id);
    const inTarget = places.filter((c) => c.lane === target.id);
    writePlaces(doc, target.id, keysAppending(inTarget, moving));
    lanesOf(doc).get(laneId)?.set('removed', true);
  });
}

function writeOrders(entries: Entries, keys: Map<string, string>): void {
  for (const [id, order] of keys) if (id !== NEW_ENTRY) entries.get(id)?.set('order', order);
}

// ---- cards ----

function readPlace(value: unknown): Place | null {
  if (typeof value !== 'object' || value === null) return null;
  const { lane, order } = value as Record<string, unknown>;
  return typeof lane === 'string' && typeof order === 'string' ? { lane, order } : null;
}

/** Every card's id and place, with cards of a missing lane placed in the first lane. */
function readCardPlaces(doc: Y.Doc, lanes: readonly Lane[]): Array<{ id: string; place: Place }> {
  const laneIds = new Set(lanes.map((lane) => lane.id));
  const first = lanes[0]?.id ?? null;
  const places: Array<{ id: string; place: Place }> = [];
  cardsOf(doc).forEach((card, id) => {
    // Only the cards readBoard shows (readCard), so a move's index counts the cards the member sees.
    if (!(card instanceof Y.Map) || str(card, 'title') === null || str(card, 'author') === null || isDeleted(card)) return;
    const place = readPlace(card.get('place'));
    if (!place || first === null) return;
    places.push({ id, place: laneIds.has(place.lane) ? place : { lane: first, order: place.order } });
  });
  return places;
}

export interface NewCard { title: string; body: string; tags: readonly string[]; author: string; authorName: string }

export function addCard(doc: Y.Doc, laneId: string, input: NewCard, now = Date.now(), id = randomId()): string {
  const inLane = cardsInLane(doc, laneId);
  const keys = keysForMove(inLane, null, inLane.length);
  doc.transact(() => {
    writePlaces(doc, laneId, keys);
    const card = new Y.Map<unknown>();
    card.set('title', clip(input.title.trim(), MAX_CARD_TITLE_CHARS));
    card.set('body', clip(input.body, MAX_CARD_BODY_CHARS));
    card.set('tags', normalizeTags(input.tags));
    card.set('author', input.author);
    card.set('authorName', input.authorName);
    card.set('createdAt', now);
    card.set('place', { lane: laneId, order: keys.get(NEW_ENTRY)! });
    card.set('reactions', new Y.Map<boolean>());
    cardsOf(doc).set(id, card);
  });
  return id;
}

export function editCard(doc: Y.Doc, cardId: string, fields: Partial<Pick<NewCard, 'title' | 'body' | 'tags'>>): void {
  const card = cardsOf(doc).get(cardId);
  if (!card) return;
  doc.transact(() => {
    if (fields.title !== undefined) card.set('title', clip(fields.title.trim(), MAX_CARD_TITLE_CHARS));
    if (fields.body !== undefined) card.set('body', clip(fields.body, MAX_CARD_BODY_CHARS));
    if (fields.tags !== undefined) card.set('tags', normalizeTags(fields.tags));
  });
}

/**
 * Deletes a card: its author marks it deleted and empties it. Entries are never removed, so the
 * server can tell an author's deletion from anyone else's (server/documents/boardAuthorship.ts).
 */
export function deleteCard(doc: Y.Doc, cardId: string): void {
  const card = cardsOf(doc).get(cardId);
  if (!card) return;
  doc.transact(() => {
    card.set('title', '');
    card.set('body', '');
    card.set('tags', []);
    card.set('deleted', true);
  });
}

/** Whether an entry was deleted (by its author, or a late comment on a locked card by the server). */
export const isDeleted = (entry: Y.Map<unknown>): boolean => entry.get('deleted') === true;

function cardsInLane(doc: Y.Doc, laneId: string) {
  return readCardPlaces(doc, readLanes(doc)).filter((c) => c.place.lane === laneId).map((c) => ({ id: c.id, order: c.place.order }));
}

/**
 * Moves a card to `toIndex` of a lane. The place is one value, so concurrent moves of one card
 * resolve to one of them whole (lane and order together) for everyone.
 */
export function moveCard(doc: Y.Doc, cardId: string, laneId: string, toIndex: number): void {
  if (!cardsOf(doc).has(cardId) || !readLanes(doc).some((lane) => lane.id === laneId)) return;
  const keys = keysForMove(cardsInLane(doc, laneId), cardId, toIndex);
  doc.transact(() => writePlaces(doc, laneId, keys));
}

function writePlaces(doc: Y.Doc, laneId: string, keys: Map<string, string>): void {
  for (const [id, order] of keys) if (id !== NEW_ENTRY) cardsOf(doc).get(id)?.set('place', { lane: laneId, order });
}

/** Adds or takes back one member's reaction: one key per member and reaction, so it is per member by construction. */
export function toggleReaction(doc: Y.Doc, cardId: string, reaction: Reaction, memberId: string): void {
  const card = cardsOf(doc).get(cardId);
  if (!card) return;
  doc.transact(() => {
    let reactions = card.get('reactions');
    if (!(reactions instanceof Y.Map)) card.set('reactions', reactions = new Y.Map<boolean>());
    const key = `${reaction}:${memberId}`;
    if ((reactions as Y.Map<boolean>).has(key)) (reactions as Y.Map<boolean>).delete(key);
    else (reactions as Y.Map<boolean>).set(key, true);
  });
}

function readReactions(value: unknown): Card['reactions'] {
  const out: Card['reactions'] = {};
  if (!(value instanceof Y.Map)) return out;
  for (const key of [...value.keys()].sort()) {
    const at = key.indexOf(':');
    const reaction = key.slice(0, at) as Reaction;
    if (at < 0 || !REACTIONS.includes(reaction)) continue;
    (out[reaction] ??= []).push(key.slice(at + 1));
  }
  return out;
}

// ---- comments ----

export interface NewComment { card: string; parent: string | null; body: string; mentions: readonly string[]; author: string; authorName: string }

export function addComment(doc: Y.Doc, input: NewComment, now = Date.now(), id = randomId()): string {
  const comment = new Y.Map<unknown>();
  comment.set('card', input.card);
  comment.set('parent', input.parent);
  comment.set('body', clip(input.body, MAX_COMMENT_CHARS));
  comment.set('mentions', [...new Set(input.mentions)]);
  comment.set('author', input.author);
  comment.set('authorName', input.authorName);
  comment.set('createdAt', now);
  commentsOf(doc).set(id, comment);
  return id;
}

// ---- reading the whole board ----

export type ModerationRecords = ReadonlyMap<string, ModerationRecord>;

export function readModeration(moderationDoc: Y.Doc): Map<string, ModerationRecord> {
  const records = new Map<string, ModerationRecord>();
  moderationDoc.getMap(MODERATION_ROOT).forEach((value, key) => {
    const v = value as Partial<ModerationRecord> | null;
    if (typeof v !== 'object' || v === null) return;
    records.set(key, {
      hidden: v.hidden === true, locked: v.locked === true, by: typeof v.by === 'string' ? v.by : 'a moderator',
      at: typeof v.at === 'number' ? v.at : 0, frozen: typeof v.frozen === 'object' && v.frozen !== null ? v.frozen : null,
    });
  });
  return records;
}

function moderationOf(record: ModerationRecord | undefined): Moderation {
  if (!record || (!record.hidden && !record.locked)) return NOT_MODERATED;
  return { hidden: record.hidden, locked: record.locked, by: record.by };
}

/**
 * The board as every member sees it: lanes in order with their cards in order, and each card's
 * comments. Moderation overrides what the board holds: a hidden card or comment shows no
 * content at all, a locked one shows its frozen content and, for a card, only the comments it
 * had when it was locked.
 */
export function readBoard(doc: Y.Doc, moderation: ModerationRecords): BoardView {
  const lanes = readLanes(doc);
  const byLane = new Map(lanes.map((lane) => [lane.id, [] as Card[]]));
  const shown = new Set<string>();
  for (const { id, place } of readCardPlaces(doc, lanes)) {
    const card = readCard(cardsOf(doc).get(id)!, id, place, moderation.get(moderationKey({ kind: 'card', id })));
    if (card) {
      byLane.get(place.lane)!.push(card);
      shown.add(id);
    }
  }
  const comments = new Map<string, BoardComment[]>();
  commentsOf(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const comment = readComment(map, id, moderation.get(moderationKey({ kind: 'comment', id })));
    if (!comment || !shown.has(comment.card)) return; // a deleted card's thread goes with it
    const cardRecord = moderation.get(moderationKey({ kind: 'card', id: comment.card }));
    if (cardRecord?.hidden) return; // a hidden card's thread goes with it
    if (cardRecord?.locked && cardRecord.frozen?.comments && !cardRecord.frozen.comments.includes(id)) return;
    const list = comments.get(comment.card);
    if (list) list.push(comment);
    else comments.set(comment.card, [comment]);
  });
  for (const list of comments.values()) list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return {
    lanes: lanes.map((lane) => ({ ...lane, cards: byLane.get(lane.id)!.sort((a, b) => compareOrdered({ id: a.id, order: a.place.order }, { id: b.id, order: b.place.order })) })),
    comments,
  };
}

function readCard(map: Y.Map<unknown>, id: string, place: Place, record: ModerationRecord | undefined): Card | null {
  const title = str(map, 'title');
  const author = str(map, 'author');
  if (title === null || author === null) return null;
  const moderation = moderationOf(record);
  const frozen = record?.locked ? record.frozen : null;
  return {
    id, place, author, moderation,
    title: moderation.hidden ? '' : frozen?.title ?? title,
    body: moderation.hidden ? '' : frozen?.body ?? str(map, 'body') ?? '',
    tags: moderation.hidden ? [] : frozen?.tags ?? strings(map.get('tags')),
    authorName: str(map, 'authorName') ?? '',
    createdAt: num(map, 'createdAt'),
    reactions: readReactions(map.get('reactions')),
  };
}

function readComment(map: Y.Map<unknown>, id: string, record: ModerationRecord | undefined): BoardComment | null {
  const card = str(map, 'card');
  const author = str(map, 'author');
  if (card === null || author === null || isDeleted(map)) return null;
  const moderation = moderationOf(record);
  const frozen = record?.locked ? record.frozen : null;
  return {
    id, card, author, moderation,
    parent: str(map, 'parent'),
    body: moderation.hidden ? '' : frozen?.body ?? str(map, 'body') ?? '',
    mentions: strings(map.get('mentions')),
    authorName: str(map, 'authorName') ?? '',
    createdAt: num(map, 'createdAt'),
  };
}

/** Comments of one card as a thread: top-level comments in time order, each with its answers (any depth, flattened). */
export function threadOf(comments: readonly BoardComment[]): Array<{ comment: BoardComment; depth: number }> {
  const children = new Map<string | null, BoardComment[]>();
  const ids = new Set(comments.map((c) => c.id));
  for (const comment of comments) {
    const parent = comment.parent !== null && ids.has(comment.parent) ? comment.parent : null;
    const list = children.get(parent);
    if (list) list.push(comment);
    else children.set(parent, [comment]);
  }
  const out: Array<{ comment: BoardComment; depth: number }> = [];
  const visit = (parent: string | null, depth: number): void => {
    for (const comment of children.get(parent) ?? []) {
      out.push({ comment, depth });
      visit(comment.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}
