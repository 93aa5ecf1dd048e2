import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, addComment, addLane, deleteCard, type ModerationRecords } from '../../shared/board/model.ts';
import { addEntry, type NewEntry } from '../../shared/library/model.ts';
import { markdownToNodes } from '../../shared/meeting/markdownImport.ts';
import { keysAppending, sortOrdered, type Ordered } from '../../shared/meeting/order.ts';
import { addAction, addDecision } from '../../shared/meeting/register.ts';
import { boardDocNames, type ModerationRecord } from '../../shared/schema/board.ts';
import { charterDocNames, sectionField } from '../../shared/schema/charter.ts';
import { META_ROOT, MEETING_NOTES_ROOT } from '../../shared/schema/documents.ts';
import { libraryDocNames } from '../../shared/schema/library.ts';
import { agendaNotesField } from '../../shared/schema/meeting.ts';
import { registerDocName } from '../../shared/schema/register.ts';
import { CARDS_ROOT as RETRO_CARDS_ROOT, topicNotesField } from '../../shared/schema/retro.ts';
import { recordsOf, snippet } from '../../shared/search/records.ts';
import { plainText } from '../../shared/text.ts';

/**
 * [S1] What offline search indexes (shared/search/records.ts): the records each document gives,
 * the snippet shown for a result, the Markdown-to-words pass (shared/text.ts plainText) the
 * records and board filters use, and keysAppending (shared/meeting/order.ts), which places cards
 * moved out of a removed lane.
 */

const COMMUNITY = 'guild';
const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

function withFragment(doc: Y.Doc, field: string, markdown: string): void {
  doc.getXmlFragment(field).insert(0, markdownToNodes(markdown));
}

function documentOf(kind: string, title: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap(META_ROOT).set('kind', kind);
  doc.getMap(META_ROOT).set('title', title);
  return doc;
}

const hidden = (): ModerationRecord => ({ hidden: true, locked: false, by: 'Mod Grace', at: 1, frozen: null });

describe('[S1] recordsOf: the board', () => {
  it('[S1] one record per visible card with its tags and comments as plain text; hidden and deleted cards and hidden comments give none', () => {
    const name = boardDocNames(COMMUNITY).board;
    const doc = new Y.Doc();
    addLane(doc, 'Best practices', 'l1');
    addLane(doc, 'Questions', 'l2');
    const author = { author: 'm-ada', authorName: 'Ada' };
    addCard(doc, 'l1', { title: 'Pair on Fridays', body: '## Why\n- **fewer** bugs\n> a [guide](https://example.com/pairing_guide)', tags: ['pairing', 'Team'], ...author }, 1, 'c1');
    addCard(doc, 'l2', { title: 'Who owns CI?', body: '', tags: [], ...author }, 2, 'c2');
    addCard(doc, 'l1', { title: 'Hidden card', body: 'secret', tags: [], ...author }, 3, 'hidden');
    addCard(doc, 'l1', { title: 'Deleted card', body: 'gone', tags: [], ...author }, 4, 'deleted');
    deleteCard(doc, 'deleted');
    addComment(doc, { card: 'c1', parent: null, body: 'Agreed, `git pair` helps', mentions: [], ...author }, 10, 'k1');
    addComment(doc, { card: 'c1', parent: 'k1', body: 'Rude words', mentions: [], ...author }, 11, 'k-hidden');
    addComment(doc, { card: 'c1', parent: 'k1', body: '*Me too*', mentions: [], ...author }, 12, 'k2');
    addComment(doc, { card: 'hidden', parent: null, body: 'on the hidden card', mentions: [], ...author }, 13, 'k3');
    const moderation: ModerationRecords = new Map([['card:hidden', hidden()], ['comment:k-hidden', hidden()]]);

    expect(recordsOf(name, doc, { moderation })).toEqual([
      {
        id: `${name}#c1`, kind: 'Board card · Best practices', title: 'Pair on Fridays',
        text: 'Why fewer bugs a guide\n#pairing #team\nAgreed, git pair helps\nMe too', target: { page: 'board', card: 'c1' },
      },
      { id: `${name}#c2`, kind: 'Board card · Questions', title: 'Who owns CI?', text: '\n', target: { page: 'board', card: 'c2' } },
    ]);
    // Without the moderation record the hidden card is just a card.
    expect(recordsOf(name, doc).map((r) => r.id)).toEqual([`${name}#c1`, `${name}#hidden`, `${name}#c2`]);
  });
});

describe('[S1] recordsOf: library, register, charter, meetings and retrospectives', () => {
  const entry = (title: string, bodyMarkdown: string, extra: Partial<NewEntry> = {}): NewEntry => ({
    type: 'best-practice', title, tags: [], owner: 'm-ada', ownerName: 'Ada', reviewBy: null, source: null, bodyMarkdown, ...extra,
  });

  it('[S1] a library gives one record per entry, its text from the entry\'s own fragment and its tags', () => {
    const name = libraryDocNames(COMMUNITY).library;
    const doc = new Y.Doc();
    addEntry(doc, entry('Code review', '# Checklist\n\nRead the **tests** first\n\n- small diffs', { tags: ['review'] }), 1, 'e1');
    addEntry(doc, entry('Onboarding', 'Pair for a week'), 2, 'e2');
    addEntry(doc, entry('Empty', ''), 3, 'e3');
    expect(recordsOf(name, doc)).toEqual([
      { id: `${name}#e3`, kind: 'Library entry', title: 'Empty', text: '\n', target: { page: 'library', entry: 'e3' } },
      { id: `${name}#e2`, kind: 'Library entry', title: 'Onboarding', text: 'Pair for a week\n', target: { page: 'library', entry: 'e2' } },
      { id: `${name}#e1`, kind: 'Library entry', title: 'Code review', text: 'Checklist\nRead the tests first\nsmall diffs\n#review', target: { page: 'library', entry: 'e1' } },
    ]);
  });

  it('[S1] the register gives decisions (to the decisions page) and action items (to the actions page)', () => {
    const name = registerDocName(COMMUNITY);
    const doc = new Y.Doc();
    const source = { source: `${COMMUNITY}.shared.m1`, sourceTitle: 'Weekly sync', agendaItem: null, agendaTitle: null };
    addDecision(doc, { text: 'Adopt trunk-based development', decidedBy: 'the group', date: '2026-03-02', createdBy: 'm-ada', ...source }, 1, 'd1');
    addAction(doc, { text: 'Write the CI guide', ownerKey: 'm-bob', ownerName: 'Bob', due: null, createdBy: 'm-ada', ...source }, 2, 'a1');
    addAction(doc, { text: 'Nobody yet', ownerKey: null, ownerName: null, due: null, createdBy: 'm-ada', ...source }, 3, 'a2');
    expect(recordsOf(name, doc)).toEqual([
      { id: `${name}#d1`, kind: 'Decision', title: 'Adopt trunk-based development', text: 'Weekly sync', target: { page: 'decisions' } },
      { id: `${name}#a1`, kind: 'Action item', title: 'Write the CI guide', text: 'Bob Weekly sync', target: { page: 'actions' } },
      { id: `${name}#a2`, kind: 'Action item', title: 'Nobody yet', text: ' Weekly sync', target: { page: 'actions' } },
    ]);
  });

  it('[S1] a meeting gives one record: its title and the text of every fragment (notes and agenda-item notes)', () => {
    const name = `${COMMUNITY}.shared.m1`;
    const doc = documentOf('meeting', 'Weekly sync');
    withFragment(doc, MEETING_NOTES_ROOT, '## Notes\n\nWe **shipped** search');
    withFragment(doc, agendaNotesField('i1'), 'Budget is fine');
    withFragment(doc, agendaNotesField('i2'), '- hire a designer');
    doc.getMap('agenda').set('i1', new Y.Map()); // other roots are not text
    expect(recordsOf(name, doc)).toEqual([{
      id: name, kind: 'Meeting', title: 'Weekly sync',
      text: 'Budget is fine\nhire a designer\nNotes\nWe shipped search', target: { page: 'document', name },
    }]);
  });

  it('[S1] a retrospective gives one record with its topic notes and, from its results companion, the card texts', () => {
    const name = `${COMMUNITY}.shared.retro-5`;
    const doc = documentOf('retro', 'Sprint 5 retro');
    withFragment(doc, topicNotesField('t1'), 'Fewer meetings');
    const results = new Y.Doc();
    results.getMap(RETRO_CARDS_ROOT).set('x', { text: 'Standups ran long', prompt: 'went-wrong' });
    results.getMap(RETRO_CARDS_ROOT).set('y', { text: 'Great demo' });
    results.getMap(RETRO_CARDS_ROOT).set('z', { text: 42 });
    const [record] = recordsOf(name, doc, { retroResults: results });
    expect(record).toMatchObject({ id: name, kind: 'Retrospective', title: 'Sprint 5 retro', target: { page: 'retro', name } });
    expect(record!.text.split('\n').sort()).toEqual(['Fewer meetings', 'Great demo', 'Standups ran long']);
    expect(record!.text.split('\n')[0]).toBe('Fewer meetings');
    // Before the results arrive: the notes only.
    expect(recordsOf(name, doc).map((r) => r.text)).toEqual(['Fewer meetings']);
  });

  it('[S1] the charter gives one record with all its sections\' text', () => {
    const name = charterDocNames(COMMUNITY).draft;
    const doc = new Y.Doc();
    withFragment(doc, sectionField('purpose'), 'We learn together');
    withFragment(doc, sectionField('values'), 'Kindness');
    const [record] = recordsOf(name, doc);
    expect(record).toEqual({ id: name, kind: 'Charter', title: 'Charter', text: expect.any(String), target: { page: 'charter' } });
    expect(record!.text.split('\n').sort()).toEqual(['Kindness', 'We learn together']);
  });

  it('[S1] personal, index and control documents, bad names and documents of no searched kind give none', () => {
    const meeting = documentOf('meeting', 'Secret sync');
    withFragment(meeting, MEETING_NOTES_ROOT, 'private notes');
    expect(recordsOf(`${COMMUNITY}.shared.m1`, meeting)).toHaveLength(1); // the same document, shared, is searched
    for (const name of [`${COMMUNITY}.personal.m1`, `${COMMUNITY}.index.m1`, `${COMMUNITY}.control.m1`, 'not a name', `${COMMUNITY}.shared.M1`]) {
      expect(recordsOf(name, meeting), name).toEqual([]);
    }
    const board = new Y.Doc();
    addLane(board, 'Lane', 'l1');
    addCard(board, 'l1', { title: 'Card', body: '', tags: [], author: 'm', authorName: 'M' }, 1, 'c1');
    expect(recordsOf(boardDocNames(COMMUNITY).moderation, board)).toEqual([]);
    expect(recordsOf(boardDocNames(COMMUNITY).hiddenContent, board)).toEqual([]);
    expect(recordsOf(`${COMMUNITY}.shared.other`, documentOf('board', 'Not the board'))).toEqual([]);
  });
});

describe('[S1] snippet', () => {
  const text = `${'lorem ipsum '.repeat(20)}the NEEDLE is here and${' dolor sit'.repeat(40)}`;

  it('[S1] shows the words around the first match (any case), with ellipses where it cuts', () => {
    const at = text.indexOf('NEEDLE');
    const start = at - Math.floor(60 / 3);
    expect(snippet(text, ['needle'], 60)).toBe(`…${text.slice(start, start + 60).trim()}…`);
    expect(snippet(text, ['needle'], 60)).toContain('the NEEDLE is here');
    // The first match of any term counts, whichever term it is.
    expect(snippet(text, ['dolor', 'needle'], 60)).toBe(snippet(text, ['needle'], 60));
    expect(snippet(text, ['absent', 'NEEDLE'], 60)).toBe(snippet(text, ['needle'], 60));
  });

  it('[S1] no leading ellipsis near the start, none trailing at the end; whitespace flattened', () => {
    expect(snippet('Hello\n\nworld, the   end', ['world'])).toBe('Hello world, the end');
    const early = snippet(`Pairing helps.\n${'x '.repeat(200)}`, ['helps'], 40);
    expect(early.startsWith('Pairing helps.')).toBe(true);
    expect(early.endsWith('…')).toBe(true);
    const late = snippet(`${'y '.repeat(200)}ends with target`, ['target'], 40);
    expect(late.startsWith('…')).toBe(true);
    expect(late.endsWith('target')).toBe(true);
  });

  it('[S1] no match (or no terms) shows the start, flattened, without ellipses', () => {
    expect(snippet(text, ['zebra'], 30)).toBe(text.slice(0, 30).trim());
    expect(snippet('  two\nlines  ', [])).toBe('two lines');
  });
});

describe('[S1] plainText', () => {
  it('[S1] drops headings, quotes and list markers at line starts, and keeps a #hashtag', () => {
    expect(plainText('# Title\n## Sub title\n###### Six')).toBe('Title Sub title Six');
    expect(plainText('> quoted\n>no space\n   > indented')).toBe('quoted no space indented');
    expect(plainText('- one\n* two\n+ three\n1. four\n2) five\n  - nested')).toBe('one two three four five nested');
    expect(plainText('#hashtag and 3 - 2 = 1')).toBe('#hashtag and 3 - 2 = 1');
  });

  it('[S1] drops emphasis and code markers, keeps link text without the target', () => {
    expect(plainText('**bold** __strong__ *em* _em_ ~~struck~~ `code`')).toBe('bold strong em em struck code');
    expect(plainText('See [the guide](https://example.com/a_b*c) and [mail](mailto:x@y.z).')).toBe('See the guide and mail.');
    expect(plainText('[**bold link**](u)')).toBe('bold link');
    expect(plainText('[one](a)[two](b) and \\\\[three](c)')).toBe('onetwo and \\three');
  });

  it('[S1] an escaped marker is the character itself: the backslash goes, the character stays', () => {
    expect(plainText('\\# not a heading')).toBe('# not a heading');
    expect(plainText('2 \\* 3 = 6 and snake\\_case and \\`tick\\` and a \\\\ backslash')).toBe('2 * 3 = 6 and snake_case and `tick` and a \\ backslash');
    expect(plainText('\\*not emphasis\\*')).toBe('*not emphasis*');
    // What the app's own Markdown writer gives for a link it would not follow (markdownImport.test.ts).
    expect(plainText('\\[click\\](javascript:alert(1))')).toBe('[click](javascript:alert(1))');
  });

  it('[S1] emoji and other characters outside the BMP come through whole', () => {
    const out = plainText('# 👍 **great** 🎉\n- [👀 look](https://x.y) 𝒳');
    expect(out).toBe('👍 great 🎉 👀 look 𝒳');
    expect(hasLoneSurrogate(out)).toBe(false);
    expect(plainText('')).toBe('');
  });
});

describe('[S1] keysAppending', () => {
  /** The list's ids in order after `keys` are written over `items` (new ids added). */
  function orderAfter(items: readonly Ordered[], keys: ReadonlyMap<string, string>): string[] {
    const byId = new Map(items.map((item) => [item.id, item.order]));
    for (const [id, order] of keys) byId.set(id, order);
    return sortOrdered([...byId].map(([id, order]) => ({ id, order }))).map((item) => item.id);
  }

  it('[S1] appends the ids, in their order, after the last key, writing only their keys', () => {
    const items = [{ id: 'b', order: 'a1' }, { id: 'a', order: 'a0' }, { id: 'c', order: 'a2' }];
    const keys = keysAppending(items, ['y', 'x']);
    expect([...keys.keys()]).toEqual(['y', 'x']);
    expect(orderAfter(items, keys)).toEqual(['a', 'b', 'c', 'y', 'x']);
    expect(keysAppending([], ['p', 'q']).size).toBe(2);
    expect(orderAfter([], keysAppending([], ['p', 'q']))).toEqual(['p', 'q']);
  });

  it('[S1] an id already in the list moves to the end (its own key does not count as the last)', () => {
    const items = [{ id: 'a', order: 'a0' }, { id: 'b', order: 'a1' }, { id: 'z', order: 'a5' }];
    const keys = keysAppending(items, ['z', 'a']);
    expect([...keys.keys()]).toEqual(['z', 'a']);
    expect(orderAfter(items, keys)).toEqual(['b', 'z', 'a']);
  });

  it('[S1] a foreign last key re-keys the whole list, in order', () => {
    const items = [{ id: 'a', order: 'a0' }, { id: 'b', order: 'a1' }, { id: 'g', order: 'zzz~garbage' }];
    const keys = keysAppending(items, ['x']);
    expect([...keys.keys()]).toEqual(['a', 'b', 'g', 'x']);
    expect(orderAfter(items, keys)).toEqual(['a', 'b', 'g', 'x']);
    expect(orderAfter([], keys)).toEqual(['a', 'b', 'g', 'x']); // the new keys order on their own
  });

  it('[S1] a foreign last key the library accepts but cannot follow ("a~") still ends up before the appended ids', () => {
    for (const foreign of ['a~', 'b0~', 'a0~']) {
      const items = [{ id: 'a', order: 'a0' }, { id: 'g', order: foreign }];
      const keys = keysAppending(items, ['x', 'y']);
      expect(orderAfter(items, keys), foreign).toEqual(['a', 'g', 'x', 'y']);
    }
  });

  it('[S1] no ids: an empty map, whatever the list holds', () => {
    expect(keysAppending([{ id: 'a', order: 'a0' }], [])).toEqual(new Map());
    expect(keysAppending([{ id: 'g', order: 'zzz~garbage' }], [])).toEqual(new Map());
    expect(keysAppending([], [])).toEqual(new Map());
  });
});
