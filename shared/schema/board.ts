/**
 * The community board (issue 6): where knowledge arrives before it is curated into the library.
 * One board per community, three documents:
 *
 *   <community>.shared.board          lanes, cards, reactions and comments (members write)
 *   <community>.index.board           moderation: what is hidden or locked, and a locked card's
 *                                     frozen content (only the server writes, on a moderator's
 *                                     request), so a modified client can neither unhide nor edit
 *   <community>.personal.server-board the content of hidden cards and comments, kept for
 *                                     moderators, and each entry as its author last wrote it
 *                                     (no client may open it: access.ts)
 *
 * Cards and comments are single-author values written from a Lexical composer (DESIGN §5), so
 * each is a Y.Map of plain fields; a card's place is one `{lane, order}` value, so two members
 * moving one card at once end with it in exactly one lane.
 */
import { formatDocName } from '../docNames.ts';

export function boardDocNames(community: string) {
  return {
    board: formatDocName({ community, accessClass: 'shared', id: 'board' }),
    moderation: formatDocName({ community, accessClass: 'index', id: 'board' }),
    hiddenContent: formatDocName({ community, accessClass: 'personal', id: 'server-board' }),
  };
}

// Board roots besides `meta`.
/** laneId → Y.Map { name, order } */
export const LANES_ROOT = 'lanes';
/** cardId → Y.Map { title, body, tags, author, authorName, createdAt, place, reactions } */
export const CARDS_ROOT = 'cards';
/** commentId → Y.Map { card, parent, body, mentions, author, authorName, createdAt } */
export const COMMENTS_ROOT = 'comments';

// Moderation (index) root.
/** moderationKey → ModerationRecord */
export const MODERATION_ROOT = 'moderation';
// Server-only roots: moderationKey → HiddenContent; `card:<id>` / `comment:<id>` → the
// entry as its author last wrote it (server/documents/boardAuthorship.ts).
export const HIDDEN_CONTENT_ROOT = 'hidden';
export const AUTHORED_ROOT = 'authored';

export const DEFAULT_LANES = ['Best practices', 'Questions', 'Case studies', 'Lessons learned'] as const;

export const REACTIONS = ['👍', '💡', '❤️', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];
export const REACTION_NAMES: Record<Reaction, string> = { '👍': '+1', '💡': 'insightful', '❤️': 'love', '🎉': 'celebrate' };

export const MAX_CARD_TITLE_CHARS = 200;
export const MAX_CARD_BODY_CHARS = 20_000;
export const MAX_COMMENT_CHARS = 5_000;
export const MAX_TAGS = 12;
export const MAX_TAG_CHARS = 32;
export const MAX_LANE_NAME_CHARS = 60;

export interface Place { lane: string; order: string }

export interface Lane { id: string; name: string; order: string }

export interface Card {
  id: string;
  title: string;
  /** Markdown from the Lexical composer. */
  body: string;
  tags: string[];
  author: string;
  authorName: string;
  createdAt: number;
  place: Place;
  /** reaction → member ids */
  reactions: Partial<Record<Reaction, string[]>>;
  moderation: Moderation;
}

export interface BoardComment {
  id: string;
  card: string;
  /** The comment this one answers, or null for a top-level comment. */
  parent: string | null;
  body: string;
  mentions: string[];
  author: string;
  authorName: string;
  createdAt: number;
  moderation: Moderation;
}

/** The board as every member sees it (board/model.ts readBoard). */
export interface BoardView {
  lanes: Array<Lane & { cards: Card[] }>;
  /** cardId → its comments, oldest first */
  comments: Map<string, BoardComment[]>;
}

export type ModerationTarget = { kind: 'card' | 'comment'; id: string };

export function moderationKey(target: ModerationTarget): string {
  return `${target.kind}:${target.id}`;
}

/** What members see of moderation on a card or comment. */
export interface Moderation {
  hidden: boolean;
  locked: boolean;
  /** The moderator's display name, for "hidden by a moderator" and "locked by …". */
  by: string | null;
}

export const NOT_MODERATED: Moderation = { hidden: false, locked: false, by: null };

/** The frozen content of a locked card or comment, shown in place of whatever the board holds. */
export interface FrozenContent {
  title?: string;
  body: string;
  tags?: string[];
  /** A locked card takes no new comments: the ones it had when it was locked. */
  comments?: string[];
  /** A hidden card's comments go with it (they may quote it): commentId → body. */
  commentBodies?: Record<string, string>;
}

export interface ModerationRecord {
  hidden: boolean;
  locked: boolean;
  by: string;
  at: number;
  frozen: FrozenContent | null;
}

export interface HiddenContent extends FrozenContent {
  hiddenAt: number;
}

export const MODERATION_ACTIONS = ['hide', 'unhide', 'lock', 'unlock'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
