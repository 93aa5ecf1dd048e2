import * as Y from 'yjs';
import { normalizeTags } from '../board/model.ts';
import { randomId } from '../ids.ts';
import { markdownToNodes } from '../meeting/markdownImport.ts';
import { isIsoDate } from '../schema/register.ts';
import {
  entryBodyField, ENTRIES_ROOT, ENTRY_STATUSES, ENTRY_TYPES, MAX_ENTRY_TITLE_CHARS, MAX_STORY_PART_CHARS, SOURCE_KIND_NAMES, STATUSES_ROOT, STORIES_ROOT,
  type EntrySourceLink, type EntryStatus, type EntryStatusRecord, type EntryType, type LibraryEntry, type ValueStory,
} from '../schema/library.ts';
import { clip } from '../text.ts';
import { str } from '../ymap.ts';

/**
 * The library model (schema/library.ts). Members create and edit entries in the shared document,
 * offline too; the status comes from the server-written index document only, so a modified
 * client cannot mark its own entry verified.
 */
export const entriesOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(ENTRIES_ROOT);


const isEntryType = (value: unknown): value is EntryType => (ENTRY_TYPES as readonly unknown[]).includes(value);
export const isEntryStatus = (value: unknown): value is EntryStatus => (ENTRY_STATUSES as readonly unknown[]).includes(value);

/**
 * A back-link is a path inside the app: anything else (another site, `javascript:`) is dropped.
 * Control characters too: browsers drop tabs and newlines from a URL, so "/\t/evil.com" is "//evil.com".
 */
export function isAppPath(path: unknown): path is string {
  // eslint-disable-next-line no-control-regex
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') && !/[\u0000-\u001f\u007f]/.test(path);
}

function readSource(value: unknown): EntrySourceLink | null {
  if (typeof value !== 'object' || value === null) return null;
  const { kind, title, path } = value as Record<string, unknown>;
  if (typeof kind !== 'string' || !(kind in SOURCE_KIND_NAMES) || typeof title !== 'string' || !isAppPath(path)) return null;
  return { kind: kind as EntrySourceLink['kind'], title, path };
}

export function readStatuses(statusDoc: Y.Doc): Map<string, EntryStatusRecord> {
  const out = new Map<string, EntryStatusRecord>();
  statusDoc.getMap(STATUSES_ROOT).forEach((value, id) => {
    const v = value as Partial<EntryStatusRecord> | null;
    if (v && isEntryStatus(v.status)) out.set(id, { status: v.status, by: String(v.by ?? ''), at: Number(v.at ?? 0) });
  });
  return out;
}

/** Every entry, newest first; an entry without a status record is a draft. */
export function readEntries(doc: Y.Doc, statuses: ReadonlyMap<string, EntryStatusRecord>): LibraryEntry[] {
  const entries: LibraryEntry[] = [];
  entriesOf(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return;
    const title = str(map, 'title');
    const type = map.get('type');
    if (title === null || !isEntryType(type)) return;
    const reviewBy = str(map, 'reviewBy');
    const tags = map.get('tags');
    entries.push({
      id, type, title,
      tags: Array.isArray(tags) ? normalizeTags(tags.filter((t): t is string => typeof t === 'string')) : [],
      owner: str(map, 'owner'), ownerName: str(map, 'ownerName') ?? '',
      reviewBy: reviewBy && isIsoDate(reviewBy) ? reviewBy : null,
      createdAt: Number(map.get('createdAt')) || 0,
      source: readSource(map.get('source')),
      status: statuses.get(id)?.status ?? 'draft',
    });
  });
  return entries.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}

export interface NewEntry {
  type: EntryType;
  title: string;
  tags: readonly string[];
  owner: string;
  ownerName: string;
  reviewBy: string | null;
  source: EntrySourceLink | null;
  /** The starting body, as Markdown (a promoted card's body, a decision's text). */
  bodyMarkdown: string;
}

export function addEntry(doc: Y.Doc, input: NewEntry, now = Date.now(), id = randomId()): string {
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set('type', input.type);
    entry.set('title', clip(input.title.trim(), MAX_ENTRY_TITLE_CHARS) || 'Untitled entry');
    entry.set('tags', normalizeTags(input.tags));
    entry.set('owner', input.owner);
    entry.set('ownerName', input.ownerName);
    entry.set('reviewBy', input.reviewBy && isIsoDate(input.reviewBy) ? input.reviewBy : null);
    entry.set('createdAt', now);
    if (input.source && isAppPath(input.source.path)) entry.set('source', { ...input.source });
    entriesOf(doc).set(id, entry);
    const nodes = markdownToNodes(input.bodyMarkdown);
    if (nodes.length) doc.getXmlFragment(entryBodyField(id)).insert(0, nodes);
  });
  return id;
}

export type EntryFields = Partial<Pick<NewEntry, 'type' | 'title' | 'tags' | 'reviewBy'>> & { owner?: { id: string; name: string } };

export function updateEntry(doc: Y.Doc, id: string, fields: EntryFields): void {
  const entry = entriesOf(doc).get(id);
  if (!entry) return;
  doc.transact(() => {
    if (fields.type !== undefined && isEntryType(fields.type)) entry.set('type', fields.type);
    if (fields.title !== undefined && fields.title.trim()) entry.set('title', clip(fields.title.trim(), MAX_ENTRY_TITLE_CHARS));
    if (fields.tags !== undefined) entry.set('tags', normalizeTags(fields.tags));
    if (fields.reviewBy !== undefined) entry.set('reviewBy', fields.reviewBy && isIsoDate(fields.reviewBy) ? fields.reviewBy : null);
    if (fields.owner !== undefined) {
      entry.set('owner', fields.owner.id);
      entry.set('ownerName', fields.owner.name);
    }
  });
}

/** Entries whose review date has come (a verified practice that may have gone stale). */
export function isReviewDue(entry: LibraryEntry, today: string): boolean {
  return entry.status !== 'archived' && entry.reviewBy !== null && entry.reviewBy <= today;
}

/** Entries promoted from one source (a card shows "In the library: …"). */
export function entriesFrom(entries: readonly LibraryEntry[], path: string): LibraryEntry[] {
  return entries.filter((e) => e.source?.path === path);
}

// ---- value stories ----

export type NewStory = Omit<ValueStory, 'id' | 'createdAt'>;

export function addStory(doc: Y.Doc, input: NewStory, now = Date.now(), id = randomId()): string {
  const story: ValueStory = {
    id, createdAt: now, author: input.author, authorName: input.authorName,
    happened: clip(input.happened.trim(), MAX_STORY_PART_CHARS), changed: clip(input.changed.trim(), MAX_STORY_PART_CHARS),
    value: clip(input.value.trim(), MAX_STORY_PART_CHARS), practices: [...new Set(input.practices)],
  };
  doc.getMap(STORIES_ROOT).set(id, story);
  return id;
}

export function readStories(doc: Y.Doc): ValueStory[] {
  const out: ValueStory[] = [];
  doc.getMap(STORIES_ROOT).forEach((value, id) => {
    const v = value as Partial<ValueStory> | null;
    if (!v || typeof v.happened !== 'string' || typeof v.changed !== 'string' || typeof v.value !== 'string') return;
    out.push({
      id, happened: v.happened, changed: v.changed, value: v.value,
      practices: Array.isArray(v.practices) ? v.practices.filter((p): p is string => typeof p === 'string') : [],
      author: String(v.author ?? ''), authorName: String(v.authorName ?? ''), createdAt: Number(v.createdAt) || 0,
    });
  });
  return out.sort((a, b) => b.createdAt - a.createdAt);
}
