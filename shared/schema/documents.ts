/**
 * Root names and field types of every document kind, shared by client, server and tests so a
 * root is never spelled twice.
 */

/** Bumped when a document kind gains a structure an older client would mangle. */
export const SCHEMA_VERSION = 1;

export const DOCUMENT_KINDS = ['meeting', 'retro'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Every content document has a `meta` map. */
export const META_ROOT = 'meta';
export interface DocumentMeta {
  kind: DocumentKind;
  title: string;
  createdAt: number;
  schemaVersion: number;
}

/** Meeting notes: the Tiptap body lives in this XML fragment. */
export const MEETING_NOTES_ROOT = 'notes';

/** Whether a root holds Tiptap content: the notes, and every `<kind>:<id>` field (item notes, charter sections, library entries). */
export const isFragmentRoot = (key: string): boolean => key === MEETING_NOTES_ROOT || key.includes(':');

/** The community index: `documents` maps a document name to its entry. */
export const INDEX_DOCUMENTS_ROOT = 'documents';
export interface IndexEntry {
  kind: DocumentKind;
  title: string;
  createdAt: number;
  /** Meetings: planned start, and for a recurring one its series and place in it. */
  startsAt?: number;
  seriesId?: string;
  occurrence?: number;
}

export const MAX_TITLE_CHARS = 200;
export const UNTITLED = 'Untitled meeting';

export function isDocumentKind(value: unknown): value is DocumentKind {
  return (DOCUMENT_KINDS as readonly unknown[]).includes(value);
}

export function isIndexEntry(value: unknown): value is IndexEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.createdAt === 'number' && isDocumentKind(v.kind);
}
