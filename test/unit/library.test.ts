import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addEntry, entriesFrom, entriesOf, isAppPath, isReviewDue, readEntries, readStatuses, updateEntry, type NewEntry,
} from '../../shared/library/model.ts';
import {
  entryBodyField, MAX_ENTRY_TITLE_CHARS, STATUSES_ROOT, type EntryStatusRecord, type LibraryEntry,
} from '../../shared/schema/library.ts';

/**
 * [L1] The practice library (shared/library/model.ts): members write entries (offline too), the
 * status comes only from the server-written index document, and a source link is followed only
 * when it is a path inside the app.
 */

const NO_STATUSES: ReadonlyMap<string, EntryStatusRecord> = new Map();

const entry = (title: string, extra: Partial<NewEntry> = {}): NewEntry => ({
  type: 'best-practice', title, tags: [], owner: 'm-ada', ownerName: 'Ada', reviewBy: null, source: null, bodyMarkdown: '', ...extra,
});

const CARD_SOURCE = { kind: 'card', title: 'Pairing on Fridays', path: '/board/comm?card=c1' } as const;

function only(doc: Y.Doc, statuses = NO_STATUSES): LibraryEntry {
  const entries = readEntries(doc, statuses);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe('[L1] addEntry', () => {
  it('[L1] writes the fields: trimmed, clipped title, normalized tags, valid review date and source', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, entry('  Pair on Fridays  ', {
      type: 'lesson-learned', tags: ['Onboarding', '#onboarding', 'Remote work'], reviewBy: '2026-06-01', source: CARD_SOURCE,
    }), 1234, 'e1');
    expect(id).toBe('e1');
    expect(only(doc)).toEqual({
      id: 'e1', type: 'lesson-learned', title: 'Pair on Fridays', tags: ['onboarding', 'remote-work'], owner: 'm-ada', ownerName: 'Ada',
      reviewBy: '2026-06-01', createdAt: 1234, source: CARD_SOURCE, status: 'draft',
    });
  });

  it('[L1] names a blank title, clips a long one, and stores neither an invalid review date nor a foreign source', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('   ', { reviewBy: '2026-02-30', source: { ...CARD_SOURCE, path: '//evil.com' } }), 1, 'blank');
    addEntry(doc, entry('t'.repeat(500), { reviewBy: 'soon' }), 2, 'long');
    const [long, blank] = readEntries(doc, NO_STATUSES);
    expect(blank).toMatchObject({ id: 'blank', title: 'Untitled entry', reviewBy: null, source: null });
    expect(long!.title).toHaveLength(MAX_ENTRY_TITLE_CHARS);
    expect(long!.reviewBy).toBeNull();
    const raw = entriesOf(doc).get('blank')!;
    expect(raw.has('source')).toBe(false);
    expect(raw.get('reviewBy')).toBeNull();
  });

  it('[L1] writes the body fragment from Markdown: a heading and a paragraph with bold text', () => {
    const doc = new Y.Doc();
    const id = addEntry(doc, entry('Title', { bodyMarkdown: '# Title\n\nSome **bold** text' }), 1);
    const nodes = doc.getXmlFragment(entryBodyField(id)).toArray();
    expect(nodes.map((node) => (node as Y.XmlElement).nodeName)).toEqual(['heading', 'paragraph']);
    const [heading, paragraph] = nodes as Y.XmlElement[];
    expect(heading!.getAttribute('level')).toBe(1);
    expect((heading!.toArray()[0] as Y.XmlText).toString()).toBe('Title');
    expect((paragraph!.toArray()[0] as Y.XmlText).toDelta()).toEqual([
      { insert: 'Some ' }, { insert: 'bold', attributes: { bold: {} } }, { insert: ' text' },
    ]);
  });

  it('[L1] an empty body leaves the fragment empty; each entry has its own fragment', () => {
    const doc = new Y.Doc();
    const empty = addEntry(doc, entry('Empty'), 1);
    const full = addEntry(doc, entry('Full', { bodyMarkdown: 'Just text' }), 2);
    expect(doc.getXmlFragment(entryBodyField(empty)).length).toBe(0);
    expect(doc.getXmlFragment(entryBodyField(full)).length).toBe(1);
    expect(entryBodyField(full)).toBe(`entry:${full}`);
  });
});

describe('[L1] readEntries and statuses', () => {
  it('[L1] sorts newest first (then by id), and a missing status record means draft', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('Old'), 100, 'old');
    addEntry(doc, entry('New'), 300, 'new');
    addEntry(doc, entry('Twin B'), 200, 'twin-b');
    addEntry(doc, entry('Twin A'), 200, 'twin-a');
    const statuses = new Map<string, EntryStatusRecord>([['new', { status: 'verified', by: 'lib', at: 5 }], ['old', { status: 'archived', by: 'lib', at: 6 }]]);
    expect(readEntries(doc, statuses).map((e) => [e.id, e.status])).toEqual([
      ['new', 'verified'], ['twin-a', 'draft'], ['twin-b', 'draft'], ['old', 'archived'],
    ]);
  });

  it('[L1] the status comes only from the statuses passed in, never from the entry a member wrote', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('Mine'), 1, 'mine');
    entriesOf(doc).get('mine')!.set('status', 'verified'); // a modified client marking its own entry
    expect(only(doc).status).toBe('draft');
    expect(only(doc, new Map([['mine', { status: 'archived', by: 'lib', at: 1 }]])).status).toBe('archived');
  });

  it('[L1] readStatuses keeps well-formed records and ignores garbage', () => {
    const statusDoc = new Y.Doc();
    const raw = statusDoc.getMap<unknown>(STATUSES_ROOT);
    raw.set('ok', { status: 'verified', by: 'Grace', at: 42 });
    raw.set('bare', { status: 'archived' });
    raw.set('unknown-status', { status: 'published', by: 'Grace', at: 1 });
    raw.set('no-status', { by: 'Grace' });
    raw.set('string', 'verified');
    raw.set('number', 3);
    raw.set('nothing', null);
    raw.set('list', ['verified']);
    const statuses = readStatuses(statusDoc);
    expect([...statuses.keys()].sort()).toEqual(['bare', 'ok']);
    expect(statuses.get('ok')).toEqual({ status: 'verified', by: 'Grace', at: 42 });
    expect(statuses.get('bare')).toEqual({ status: 'archived', by: '', at: 0 });
  });

  it('[L1] readEntries skips entries that are not Y.Maps or lack a title or known type, and defaults mistyped fields', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('Good'), 5, 'good');
    const raw = doc.getMap<unknown>('entries');
    raw.set('string', 'entry');
    raw.set('plain', { type: 'tool', title: 'Plain' });
    const rawEntry = (id: string, fields: Record<string, unknown>): void => {
      const map = new Y.Map<unknown>();
      raw.set(id, map);
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
    };
    rawEntry('no-title', { type: 'tool' });
    rawEntry('bad-type', { type: 'recipe', title: 'Recipe' });
    rawEntry('odd', { type: 'tool', title: 'Odd', tags: 'a, b', owner: 4, reviewBy: '2026-13-01', createdAt: 'today', source: 'somewhere' });
    rawEntry('mixed', { type: 'case-study', title: 'Mixed', tags: ['Keep', 3, null, 'keep', 'Other'], createdAt: 1 });
    let entries: LibraryEntry[] = [];
    expect(() => { entries = readEntries(doc, NO_STATUSES); }).not.toThrow();
    expect(entries.map((e) => e.id)).toEqual(['good', 'mixed', 'odd']);
    expect(entries[1]!.tags).toEqual(['keep', 'other']);
    expect(entries[2]).toEqual({
      id: 'odd', type: 'tool', title: 'Odd', tags: [], owner: null, ownerName: '', reviewBy: null, createdAt: 0, source: null, status: 'draft',
    });
  });

  it('[L1] readEntries drops a source whose path is not an app path, or whose kind or title is wrong, and keeps the entry', () => {
    const doc = new Y.Doc();
    const sources: Record<string, unknown> = {
      foreign: { ...CARD_SOURCE, path: '//evil.com' },
      absolute: { ...CARD_SOURCE, path: 'https://x' },
      script: { ...CARD_SOURCE, path: 'javascript:alert(1)' },
      backslash: { ...CARD_SOURCE, path: '/\\evil' },
      tab: { ...CARD_SOURCE, path: '/\t/evil.com' },
      'unknown-kind': { ...CARD_SOURCE, kind: 'tweet' },
      'numeric-title': { ...CARD_SOURCE, title: 5 },
      ok: CARD_SOURCE,
    };
    for (const [id, source] of Object.entries(sources)) {
      addEntry(doc, entry(id), 1, id);
      entriesOf(doc).get(id)!.set('source', source); // written directly, as a modified client could
    }
    const read = new Map(readEntries(doc, NO_STATUSES).map((e) => [e.id, e.source]));
    expect([...read.keys()].sort()).toEqual(Object.keys(sources).sort());
    expect(read.get('ok')).toEqual(CARD_SOURCE);
    for (const id of Object.keys(sources)) if (id !== 'ok') expect(read.get(id), id).toBeNull();
  });
});

describe('[L1] isAppPath', () => {
  it.each(['/board/x?card=1', '/', '/library/comm#entry-1', '/meeting/a/b'])('[L1] accepts the app path %j', (path) => {
    expect(isAppPath(path)).toBe(true);
  });

  it.each([
    '//evil.com', 'https://x', 'javascript:alert(1)', '/\\evil', '\\\\evil.com', 'board/x', '', ' /board',
    // Browsers drop tabs and newlines from a URL, so these are "//evil.com" to an <a href>.
    '/\t/evil.com', '/\n/evil.com', '/\r/evil.com',
  ])('[L1] rejects %j', (path) => {
    expect(isAppPath(path)).toBe(false);
  });

  it('[L1] rejects non-strings', () => {
    for (const value of [null, undefined, 5, ['/board'], { path: '/board' }]) expect(isAppPath(value)).toBe(false);
  });

  it('[L1] everything it accepts stays on the app\'s origin when a browser resolves it', () => {
    const base = 'https://app.example/community/page';
    const candidates = ['/board/x?card=1', '//evil.com', '/\t/evil.com', '/\n\n/evil.com', '/ /evil.com', '/%2F/evil.com', '/\\evil', '/\u0000/x', '/\u00a0/x'];
    for (const path of candidates) {
      if (isAppPath(path)) expect(new URL(path, base).origin, JSON.stringify(path)).toBe('https://app.example');
    }
    expect(candidates.filter(isAppPath).length).toBeGreaterThan(0);
  });
});

describe('[L1] updateEntry', () => {
  it('[L1] updates the given fields, ignoring an empty title and an unknown type; unknown ids write nothing', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('Original', { tags: ['a'], reviewBy: '2026-06-01' }), 1, 'e');
    updateEntry(doc, 'e', { title: '   ', tags: ['#New', 'new', 'Two words'], type: 'recipe' as never, owner: { id: 'm-bob', name: 'Bob' } });
    expect(only(doc)).toMatchObject({ title: 'Original', type: 'best-practice', tags: ['new', 'two-words'], owner: 'm-bob', ownerName: 'Bob', reviewBy: '2026-06-01' });
    updateEntry(doc, 'e', { title: '  Renamed ', type: 'tool' });
    expect(only(doc)).toMatchObject({ title: 'Renamed', type: 'tool' });
    const vector = Y.encodeStateVector(doc);
    updateEntry(doc, 'missing', { title: 'Ghost' });
    expect(Y.encodeStateVector(doc)).toEqual(vector);
  });

  it('[L1] never stores an invalid review date; null or an empty string clears it', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('Dated', { reviewBy: '2026-06-01' }), 1, 'e');
    updateEntry(doc, 'e', { reviewBy: '2026-07-15' });
    expect(only(doc).reviewBy).toBe('2026-07-15');
    for (const invalid of ['2026-02-30', '15/07/2026', '2026-7-1']) {
      updateEntry(doc, 'e', { reviewBy: invalid });
      expect(entriesOf(doc).get('e')!.get('reviewBy')).not.toBe(invalid);
      expect(only(doc).reviewBy).not.toBe(invalid);
    }
    updateEntry(doc, 'e', { reviewBy: '2026-08-01' });
    updateEntry(doc, 'e', { reviewBy: null });
    expect(only(doc).reviewBy).toBeNull();
    updateEntry(doc, 'e', { reviewBy: '2026-08-01' });
    updateEntry(doc, 'e', { reviewBy: '' });
    expect(only(doc).reviewBy).toBeNull();
  });
});

describe('[L1] isReviewDue and entriesFrom', () => {
  const base: LibraryEntry = {
    id: 'e', type: 'best-practice', title: 'T', tags: [], owner: null, ownerName: '', reviewBy: '2026-06-01', createdAt: 0, source: null, status: 'verified',
  };

  it('[L1] a review is due on and after its date, never before, never without a date and never for an archived entry', () => {
    expect(isReviewDue(base, '2026-05-31')).toBe(false);
    expect(isReviewDue(base, '2026-06-01')).toBe(true);
    expect(isReviewDue(base, '2027-01-01')).toBe(true);
    expect(isReviewDue({ ...base, status: 'draft' }, '2026-06-02')).toBe(true);
    expect(isReviewDue({ ...base, status: 'archived' }, '2026-06-01')).toBe(false);
    expect(isReviewDue({ ...base, status: 'archived' }, '2030-01-01')).toBe(false);
    expect(isReviewDue({ ...base, reviewBy: null }, '2030-01-01')).toBe(false);
  });

  it('[L1] entriesFrom picks the entries promoted from exactly that source path', () => {
    const doc = new Y.Doc();
    addEntry(doc, entry('From c1'), 3, 'a');
    addEntry(doc, entry('Also from c1', { source: CARD_SOURCE }), 2, 'b');
    addEntry(doc, entry('From c2', { source: { ...CARD_SOURCE, path: '/board/comm?card=c2' } }), 1, 'c');
    addEntry(doc, entry('Again c1', { source: { ...CARD_SOURCE, kind: 'decision' } }), 4, 'd');
    entriesOf(doc).get('a')!.set('source', CARD_SOURCE);
    const entries = readEntries(doc, NO_STATUSES);
    expect(entriesFrom(entries, CARD_SOURCE.path).map((e) => e.id)).toEqual(['d', 'a', 'b']);
    expect(entriesFrom(entries, '/board/comm?card=c2').map((e) => e.id)).toEqual(['c']);
    expect(entriesFrom(entries, '/board/comm')).toEqual([]);
  });
});
