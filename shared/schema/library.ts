/**
 * The practice library (issue 6): where a community keeps what it has learned. Two documents:
 *
 *   <community>.shared.library   entries (type, title, tags, owner, review date, source) and each
 *                                entry's co-edited Tiptap body (fragment `entry:<id>`)
 *   <community>.index.library    each entry's status — draft, verified, archived — which only
 *                                knowledge editors and librarians set (through the server)
 */
import { formatDocName } from '../docNames.ts';

export function libraryDocNames(community: string) {
  return {
    library: formatDocName({ community, accessClass: 'shared', id: 'library' }),
    statuses: formatDocName({ community, accessClass: 'index', id: 'library' }),
  };
}

/** entryId → Y.Map of the entry's fields */
export const ENTRIES_ROOT = 'entries';
/** entryId → EntryStatusRecord (index document) */
export const STATUSES_ROOT = 'statuses';

export function entryBodyField(entryId: string): string {
  return `entry:${entryId}`;
}

export const ENTRY_TYPES = ['best-practice', 'case-study', 'lesson-learned', 'tool'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export const ENTRY_TYPE_NAMES: Record<EntryType, string> = {
  'best-practice': 'Best practice', 'case-study': 'Case study', 'lesson-learned': 'Lesson learned', tool: 'Tool or template',
};

export const ENTRY_STATUSES = ['draft', 'verified', 'archived'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface EntryStatusRecord { status: EntryStatus; by: string; at: number }

/** Where an entry was promoted from: a link back to it (a client route) and what it was. */
export interface EntrySourceLink {
  kind: 'card' | 'decision' | 'meeting-note' | 'retro-topic';
  title: string;
  path: string;
}
export const SOURCE_KIND_NAMES: Record<EntrySourceLink['kind'], string> = {
  card: 'board card', decision: 'meeting decision', 'meeting-note': 'meeting note', 'retro-topic': 'retrospective topic',
};

export interface LibraryEntry {
  id: string;
  type: EntryType;
  title: string;
  tags: string[];
  owner: string | null;
  ownerName: string;
  /** YYYY-MM-DD, or null */
  reviewBy: string | null;
  createdAt: number;
  source: EntrySourceLink | null;
  status: EntryStatus;
}

export const MAX_ENTRY_TITLE_CHARS = 200;

/**
 * Value stories (Wenger-Trayner's value-creation framework), kept in the library document:
 * storyId → ValueStory. Each links to the practices it is about.
 */
export const STORIES_ROOT = 'stories';
export interface ValueStory {
  id: string;
  /** What happened (the activity: a meeting, a conversation, a use of the library). */
  happened: string;
  /** What changed in practice as a result. */
  changed: string;
  /** What value it created (for the member, the team, the organisation). */
  value: string;
  /** Library entry ids the story is about. */
  practices: string[];
  author: string;
  authorName: string;
  createdAt: number;
}
export const MAX_STORY_PART_CHARS = 2000;
