import * as Y from 'yjs';
import { addLane, cardsOf, commentsOf, readModeration } from '../../shared/board/model.ts';
import { authoredCopiesOf } from './boardAuthorship.ts';
import { META_ROOT, SCHEMA_VERSION } from '../../shared/schema/documents.ts';
import {
  AUTHORED_ROOT, boardDocNames, DEFAULT_LANES, HIDDEN_CONTENT_ROOT, MODERATION_ROOT, moderationKey,
  type FrozenContent, type HiddenContent, type ModerationAction, type ModerationRecord, type ModerationTarget,
} from '../../shared/schema/board.ts';
import { HttpError } from '../http/router.ts';
import { API_ORIGIN, type Origin } from '../relay/origins.ts';
import type { Relay } from '../relay/relay.ts';

/** Creates the board with its default lanes when the community has none yet (once, on the server: DESIGN §3). */
export async function ensureBoard(relay: Relay, community: string): Promise<void> {
  const now = Date.now();
  const name = boardDocNames(community).board;
  // Read first: a server change copies the whole document (room.ts), which on a 2,000-card
  // board costs ~60 ms of the event loop, and members open the board all the time.
  if (await relay.read(name, (board) => board.getMap(META_ROOT).has('kind'))) return;
  await relay.change(name, API_ORIGIN, (board) => {
    const meta = board.getMap(META_ROOT);
    if (meta.has('kind')) return;
    meta.set('kind', 'board');
    meta.set('title', 'Community board');
    meta.set('createdAt', now);
    meta.set('schemaVersion', SCHEMA_VERSION);
    for (const name of DEFAULT_LANES) addLane(board, name, laneIdOf(name));
  });
}

/** Default lanes have ids derived from their names, so a board seeded twice (two nodes) has them once. */
const laneIdOf = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const entryOf = (board: Y.Doc, target: ModerationTarget): Y.Map<unknown> | undefined =>
  (target.kind === 'card' ? cardsOf(board) : commentsOf(board)).get(target.id);

/** A card's or comment's content as the board holds it now, with a card's comment ids. */
function contentOf(board: Y.Doc, target: ModerationTarget): FrozenContent | null {
  const entry = entryOf(board, target);
  if (!(entry instanceof Y.Map)) return null;
  const body = String(entry.get('body') ?? '');
  if (target.kind === 'comment') return { body };
  const commentBodies: Record<string, string> = {};
  for (const [id, comment] of commentsOfCard(board, target.id)) commentBodies[id] = String(comment.get('body') ?? '');
  const tags = entry.get('tags');
  return { title: String(entry.get('title') ?? ''), body, tags: Array.isArray(tags) ? tags.map(String) : [], comments: Object.keys(commentBodies).sort(), commentBodies };
}

function commentsOfCard(board: Y.Doc, cardId: string): Array<[string, Y.Map<unknown>]> {
  const out: Array<[string, Y.Map<unknown>]> = [];
  commentsOf(board).forEach((comment, id) => { if (comment instanceof Y.Map && comment.get('card') === cardId) out.push([id, comment]); });
  return out;
}

/** Writes only what differs, so enforcing an unchanged board writes nothing. */
function setIfChanged(entry: Y.Map<unknown>, key: string, value: unknown): void {
  if (JSON.stringify(entry.get(key)) !== JSON.stringify(value)) entry.set(key, value);
}

function writeContent(board: Y.Doc, entry: Y.Map<unknown>, content: FrozenContent): void {
  if (content.title !== undefined) setIfChanged(entry, 'title', content.title);
  setIfChanged(entry, 'body', content.body);
  if (content.tags !== undefined) setIfChanged(entry, 'tags', content.tags);
  for (const [id, body] of Object.entries(content.commentBodies ?? {})) {
    const comment = commentsOf(board).get(id);
    if (comment instanceof Y.Map) setIfChanged(comment, 'body', body);
  }
}

/** What a lock freezes: comments keep their own moderation, so it freezes which comments a card has, not their text. */
function lockCopy(content: FrozenContent): FrozenContent {
  const copy = { ...content };
  delete copy.commentBodies;
  return copy;
}

const WIPED: FrozenContent = { title: '', body: '', tags: [] };

/**
 * Makes the board agree with the moderation record again after members wrote to it: a hidden
 * entry's content is wiped (it lives in the server-only document), a locked one is put back to
 * its frozen content, and comments added to a locked card are removed. Readers already apply the
 * record (board/model.ts), so this keeps the board's bytes honest for devices that sync later.
 */
export function enforceModeration(board: Y.Doc, records: ReadonlyMap<string, ModerationRecord>): void {
  for (const [key, record] of records) {
    const [kind, id] = key.split(':') as ['card' | 'comment', string];
    const entry = entryOf(board, { kind, id });
    if (!(entry instanceof Y.Map)) continue;
    if (record.hidden && kind === 'card') {
      writeContent(board, entry, WIPED);
      for (const [, comment] of commentsOfCard(board, id)) setIfChanged(comment, 'body', '');
    } else if (record.hidden) {
      writeContent(board, entry, { body: '' });
    } else if (record.locked && record.frozen) {
      writeContent(board, entry, record.frozen);
    }
    if (kind === 'card' && record.locked && record.frozen?.comments) {
      const allowed = new Set(record.frozen.comments);
      // Marked deleted and emptied, never removed: removal would read as someone else's (boardAuthorship.ts).
      for (const [commentId, comment] of commentsOfCard(board, id)) {
        if (allowed.has(commentId)) continue;
        setIfChanged(comment, 'body', '');
        setIfChanged(comment, 'deleted', true);
      }
    }
  }
}

const MODERATION_ORIGIN: Origin = { kind: 'projection', name: 'board-moderation' };

/** After a member's commit to a board: puts moderated entries back (enforceModeration). */
export async function reapplyModeration(relay: Relay, community: string): Promise<void> {
  const names = boardDocNames(community);
  const records = await relay.read(names.moderation, readModeration);
  if (records.size === 0) return;
  await relay.change(names.board, MODERATION_ORIGIN, (board) => enforceModeration(board, records));
}

/** After a board was restored to a version: moderation applies to it, and its authored copies describe it. */
export async function afterBoardRestore(relay: Relay, community: string): Promise<void> {
  const names = boardDocNames(community);
  await reapplyModeration(relay, community);
  const copies = await relay.read(names.board, authoredCopiesOf);
  await relay.change(names.hiddenContent, API_ORIGIN, (doc) => {
    const map = doc.getMap(AUTHORED_ROOT);
    for (const key of [...map.keys()]) if (!copies.has(key)) map.delete(key);
    for (const [key, copy] of copies) map.set(key, copy);
  });
}

/**
 * A moderator's action. Each step is durable before the next, in an order that never loses
 * content: hiding stores the content in the server-only document before wiping it from the
 * board; unhiding writes it back to the board before forgetting it.
 */
export function moderate(relay: Relay, community: string, target: ModerationTarget, action: ModerationAction, by: string): Promise<ModerationRecord | null> {
  return oneAtATime(community, () => moderateNow(relay, community, target, action, by));
}

/**
 * Moderation of one community runs one action at a time: a hide and an unhide of the same card
 * at once would otherwise interleave their steps and could forget the hidden content.
 */
const queues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => { if (queues.get(key) === settled) queues.delete(key); });
  return run;
}

async function moderateNow(relay: Relay, community: string, target: ModerationTarget, action: ModerationAction, by: string): Promise<ModerationRecord | null> {
  const names = boardDocNames(community);
  const key = moderationKey(target);
  const records = await relay.read(names.moderation, readModeration);
  const current = records.get(key) ?? { hidden: false, locked: false, by, at: 0, frozen: null };
  const exists = await relay.read(names.board, (board) => entryOf(board, target) instanceof Y.Map);
  if (!exists && !records.has(key)) throw new HttpError(404, `there is no ${target.kind} ${target.id} on the board`);
  const now = Date.now();
  let next: ModerationRecord;
  switch (action) {
    case 'hide': {
      if (current.hidden) return current;
      // A locked card's content is its frozen copy; its comments are as the board has them.
      const onBoard = await relay.read(names.board, (board) => contentOf(board, target));
      const content = onBoard && current.frozen ? { ...onBoard, ...current.frozen } : onBoard ?? current.frozen;
      if (!content) throw new HttpError(404, `there is no ${target.kind} ${target.id} on the board`);
      await relay.change(names.hiddenContent, API_ORIGIN, (doc) => doc.getMap(HIDDEN_CONTENT_ROOT).set(key, { ...content, hiddenAt: now }));
      next = { ...current, hidden: true, frozen: null, by, at: now };
      break;
    }
    case 'unhide': {
      if (!current.hidden) return current;
      const content = await hiddenContent(relay, community, target);
      const restored: FrozenContent | null = content ? { ...content } : null;
      if (restored) delete (restored as Partial<HiddenContent>).hiddenAt;
      next = { ...current, hidden: false, frozen: restored && current.locked ? lockCopy(restored) : null, by, at: now };
      // The record first: while it still says hidden, a member's commit would wipe the restored content again.
      await writeRecord(relay, names.moderation, key, next);
      if (restored) await relay.change(names.board, API_ORIGIN, (board) => { const entry = entryOf(board, target); if (entry instanceof Y.Map) writeContent(board, entry, restored); });
      await relay.change(names.hiddenContent, API_ORIGIN, (doc) => doc.getMap(HIDDEN_CONTENT_ROOT).delete(key));
      return next;
    }
    case 'lock': {
      if (current.locked) return current;
      if (current.hidden) throw new HttpError(409, `the ${target.kind} is hidden; unhide it before locking it`);
      const content = await relay.read(names.board, (board) => contentOf(board, target));
      if (!content) throw new HttpError(404, `there is no ${target.kind} ${target.id} on the board`);
      next = { ...current, locked: true, frozen: lockCopy(content), by, at: now };
      break;
    }
    case 'unlock': {
      if (!current.locked) return current;
      next = { ...current, locked: false, frozen: null, by, at: now };
      break;
    }
  }
  await writeRecord(relay, names.moderation, key, next);
  await reapplyModeration(relay, community);
  return next;
}

function writeRecord(relay: Relay, moderationDoc: string, key: string, record: ModerationRecord): Promise<void> {
  return relay.change(moderationDoc, API_ORIGIN, (doc) => {
    const map = doc.getMap(MODERATION_ROOT);
    if (record.hidden || record.locked) map.set(key, record);
    else map.delete(key);
  });
}

/** What a moderator hid, for review before unhiding. */
export async function hiddenContent(relay: Relay, community: string, target: ModerationTarget): Promise<HiddenContent | null> {
  const names = boardDocNames(community);
  return relay.read(names.hiddenContent, (doc) => (doc.getMap(HIDDEN_CONTENT_ROOT).get(moderationKey(target)) as HiddenContent | undefined) ?? null);
}
