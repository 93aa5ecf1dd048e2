import { fromBase64, toBase64 } from 'lib0/buffer';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  fragmentText, freezeDraft, freezeSection, latestRatified, readVersions, thawSection, writeSections,
} from '../../shared/charter/model.ts';
import { CHARTER_SECTIONS, sectionField, VERSIONS_ROOT, type CharterVersion, type FrozenSection } from '../../shared/schema/charter.ts';
import { mulberry32 } from '../helpers/random.ts';
import {
  bulletList, counted, heading, openVersion, orderedList, paragraph, text, writeTiptap,
} from './charterFixtures.ts';
import { replica } from './meetingReplicas.ts';

/**
 * [CH7] Freezing: a proposal copies each section of the live draft into the record as plain
 * text (what the diff compares) and as a self-contained Yjs update of its Tiptap content (what
 * history renders and a restore writes back). The copy must not share structs with the draft —
 * later edits would otherwise leak into a version members already voted on — and reading the
 * record must survive entries it cannot make sense of, since one bad entry must not take the
 * whole history down with it.
 */

const section = (draft: Y.Doc, id: string): Y.XmlFragment => draft.getXmlFragment(sectionField(id));

/** A values section with every block kind the charter editor offers, marks included. */
function richDraft(clientID = 1): Y.Doc {
  const draft = replica(clientID);
  writeTiptap(draft, 'values', [
    heading(2, 'How we work'),
    paragraph(text('We review '), text('every', [{ type: 'bold' }]), text(' change.')),
    paragraph(), // an empty paragraph: no line
    bulletList('Blameless reviews', 'Ask before you assign'),
    orderedList('Propose', 'Discuss'),
    { type: 'blockquote', content: [paragraph(text('Quoted norm'))] },
    {
      type: 'bulletList',
      content: [{ type: 'listItem', content: [paragraph(text('Outer')), bulletList('Inner')] }],
    },
  ]);
  return draft;
}

const RICH_TEXT = [
  'How we work', 'We review every change.', 'Blameless reviews', 'Ask before you assign', 'Propose', 'Discuss', 'Quoted norm', 'Outer', 'Inner',
].join('\n');

describe('[CH7] freezing a section', () => {
  it('[CH7] the text has one line per paragraph, heading and list item, without marks or empty lines', () => {
    const draft = richDraft();
    expect(fragmentText(section(draft, 'values'))).toBe(RICH_TEXT);
    expect(freezeSection(draft, 'values', 'Values and norms')).toMatchObject({ id: 'values', title: 'Values and norms', text: RICH_TEXT });
  });

  it('[CH7] the frozen update thaws into a fragment equal to the section it was frozen from', () => {
    const draft = richDraft();
    const frozen = freezeSection(draft, 'values', 'Values and norms');
    const thawed = thawSection(frozen);
    expect(thawed.toString()).toBe(section(draft, 'values').toString());
    expect(fragmentText(thawed)).toBe(frozen.text);
    // Marks and node attributes survive, not only the text.
    expect(thawed.toString()).toContain('<bold>every</bold>');
    expect(thawed.toString()).toContain('<heading level="2">');
  });

  it('[CH7] a section the draft never wrote freezes empty and thaws empty', () => {
    const frozen = freezeSection(replica(1), 'cadence', 'Meeting cadence');
    expect(frozen.text).toBe('');
    expect(thawSection(frozen).length).toBe(0);
  });

  it('[CH7] freezeDraft freezes every template section in template order, with its title', () => {
    const frozen = freezeDraft(richDraft());
    expect(frozen.map((s) => [s.id, s.title])).toEqual(CHARTER_SECTIONS.map((s) => [s.id, s.title]));
    expect(frozen.find((s) => s.id === 'values')!.text).toBe(RICH_TEXT);
  });

  it('[CH7] later edits to the draft do not reach a frozen section', () => {
    const draft = richDraft();
    const before = section(draft, 'values').toString();
    const frozen = freezeSection(draft, 'values', 'Values and norms');
    const stored = structuredClone(frozen);
    // Edit the very structs that were frozen: text inside a paragraph, a format, a deleted and an added block.
    const values = section(draft, 'values');
    const secondParagraph = values.get(1) as Y.XmlElement;
    (secondParagraph.get(0) as Y.XmlText).insert(0, 'Now ');
    (secondParagraph.get(0) as Y.XmlText).format(0, 3, { italic: {} });
    values.delete(0, 1);
    const added = new Y.XmlElement('paragraph');
    values.insert(values.length, [added]);
    added.insert(0, [new Y.XmlText('Added after the proposal')]);
    expect(section(draft, 'values').toString()).not.toBe(before);
    expect(frozen).toEqual(stored);
    expect(thawSection(frozen).toString()).toBe(before);
    expect(fragmentText(thawSection(frozen))).toBe(RICH_TEXT);
  });

  // Regression: fragmentText takes each XmlText's toString() — which
  // renders marks as tags but does not escape the text — and strips anything between < and >.
  // Text a member typed with angle brackets loses it: "Use <details> for long logs" freezes as
  // "Use  for long logs", "a < b > c" as "a  c", and the diff then reports words that were never
  // removed. Expected: the typed text (read from the XmlText's delta, not its markup).
  it('[CH7] text with angle brackets freezes as typed', () => {
    const draft = replica(1);
    writeTiptap(draft, 'values', [paragraph(text('Use <details> for long logs')), paragraph(text('Keep a < b > c'))]);
    expect(freezeSection(draft, 'values', 'Values').text).toBe('Use <details> for long logs\nKeep a < b > c'); // actual: 'Use  for long logs\nKeep a  c'
  });

  // Regression: a hard break (Shift+Enter in Tiptap's StarterKit, stored
  // as a <hardBreak> element inside the paragraph) becomes '' between the text on either side,
  // so "Weekly call<br>Monthly review" freezes as "Weekly callMonthly review": two words glued
  // into one, in the frozen text and in every diff. Expected: the words stay apart (a newline or
  // a space where the break was).
  it('[CH7] a hard break keeps the words on either side apart', () => {
    const draft = replica(1);
    writeTiptap(draft, 'cadence', [paragraph(text('Weekly call'), { type: 'hardBreak' }, text('Monthly review'))]);
    const frozen = freezeSection(draft, 'cadence', 'Meeting cadence');
    expect(frozen.text.split(/\s+/)).toEqual(['Weekly', 'call', 'Monthly', 'review']); // actual: [..., 'callMonthly', ...]
  });
});

describe('[CH7] writing frozen sections into a draft', () => {
  it('[CH7] writeSections replaces each section\'s content exactly, and writing twice does not duplicate it', () => {
    const source = richDraft(1);
    writeTiptap(source, 'goals', [paragraph(text('Halve flaky reruns by June'))]);
    const sections = freezeDraft(source);
    const target = replica(2);
    writeTiptap(target, 'values', [paragraph(text('An older norm')), paragraph(text('Another'))]);
    writeTiptap(target, 'goals', [heading(1, 'Old goals')]);
    writeSections(target, sections);
    const written = (): string[] => CHARTER_SECTIONS.map((s) => section(target, s.id).toString());
    const expected = CHARTER_SECTIONS.map((s) => section(source, s.id).toString());
    expect(written()).toEqual(expected);
    writeSections(target, sections);
    expect(written()).toEqual(expected);
    expect(fragmentText(section(target, 'values'))).toBe(RICH_TEXT);
  });

  it('[CH7] sections not written are left alone; an empty frozen section clears its target', () => {
    const target = replica(2);
    writeTiptap(target, 'domain', [paragraph(text('Our domain stays'))]);
    writeTiptap(target, 'roles', [paragraph(text('To be cleared'))]);
    writeSections(target, [freezeSection(replica(1), 'roles', 'Roles')]);
    expect(fragmentText(section(target, 'domain'))).toBe('Our domain stays');
    expect(section(target, 'roles').length).toBe(0);
  });

  it('[CH7] a restored draft is editable and syncs to other replicas like any other edit', () => {
    const target = replica(2);
    writeSections(target, freezeDraft(richDraft(1)));
    const other = replica(3);
    Y.applyUpdate(other, Y.encodeStateAsUpdate(target));
    expect(fragmentText(section(other, 'values'))).toBe(RICH_TEXT);
    const first = section(other, 'values').get(0) as Y.XmlElement;
    (first.get(0) as Y.XmlText).insert(0, 'Still: ');
    expect(fragmentText(section(other, 'values')).split('\n')[0]).toBe('Still: How we work');
  });
});

describe('[CH7] damaged frozen content', () => {
  const damaged = (update: string): FrozenSection => ({ id: 'values', title: 'Values', text: 'whatever', update });

  it('[CH7] thawSection on an update that is empty, not base64 or not Yjs yields an empty fragment, not a throw', () => {
    for (const update of ['', '!!!!', 'not base64 at all', 'AAAA', toBase64(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))]) {
      expect(() => thawSection(damaged(update)), update).not.toThrow();
      expect(thawSection(damaged(update)).length, update).toBe(0);
    }
  });

  it('[CH7] thawSection on every truncation of a real update does not throw, and yields nothing or the whole content', () => {
    const draft = replica(1);
    writeTiptap(draft, 'values', [paragraph(text('Blameless reviews')), bulletList('One', 'Two')]);
    const frozen = freezeSection(draft, 'values', 'Values');
    const whole = thawSection(frozen).toString();
    const bytes = fromBase64(frozen.update);
    for (let length = 0; length < bytes.length; length++) {
      const thawed = thawSection(damaged(toBase64(bytes.subarray(0, length))));
      expect(['', whole], `first ${length} of ${bytes.length} bytes`).toContain(thawed.toString());
    }
  });

  it('[CH7] 200 seeds of random bytes thaw without a throw (replay: the seed is in the message)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed);
      const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      expect(() => thawSection(damaged(toBase64(bytes))), `seed ${seed}`).not.toThrow();
    }
  });

  it('[CH7] restoring a section whose update is damaged clears it instead of throwing', () => {
    const target = replica(2);
    writeTiptap(target, 'values', [paragraph(text('Current'))]);
    expect(() => writeSections(target, [damaged('%%%')])).not.toThrow();
    expect(section(target, 'values').length).toBe(0);
  });

  // Regression: an update that is valid Yjs but holds something
  // other than XML under `content` (here a Y.Text) thaws into a fragment whose toArray() holds
  // plain strings ('h', 'i'), so thawSection is not empty, and writeSections — restoring such a
  // version — throws "node.clone is not a function" halfway through the sections, leaving the
  // draft partly restored. Expected: such an entry thaws empty, like any other damaged one.
  it('[CH7] an update holding non-XML content thaws empty and restores without a throw', () => {
    const foreign = new Y.Doc();
    foreign.getText('content').insert(0, 'hi');
    const entry = damaged(toBase64(Y.encodeStateAsUpdate(foreign)));
    const target = replica(2);
    writeTiptap(target, 'values', [paragraph(text('Current'))]);
    expect(() => writeSections(target, [entry])).not.toThrow(); // actual: TypeError node.clone is not a function
    expect(thawSection(entry).length).toBe(0); // actual: 2
  });
});

describe('[CH7] reading the record', () => {
  /** Entries as [key, value] pairs: an object literal would list integer keys in ascending order. */
  const recordWith = (entries: [string, unknown][]): Y.Doc => {
    const record = replica(9);
    for (const [key, value] of entries) record.getMap(VERSIONS_ROOT).set(key, value);
    return record;
  };
  const version = (number: number, overrides: Partial<CharterVersion> = {}): CharterVersion => openVersion({ number, ...overrides });

  it('[CH7] readVersions sorts by number, whatever order the entries were written in', () => {
    const record = recordWith([['10', version(10)], ['3', version(3)], ['1', version(1, { closesAt: null, status: 'template' })], ['2', version(2)]]);
    expect(readVersions(record).map((v) => v.number)).toEqual([1, 2, 3, 10]);
  });

  it('[CH7] readVersions skips entries without a numeric number or a sections array', () => {
    const record = recordWith([
      ['2', version(2)], ['a', null], ['b', 'a string'], ['c', 42], ['d', [version(5)]],
      ['6', { ...version(6), number: '6' }], ['7', { ...version(7), sections: 'none' }], ['8', { number: 8 }],
    ]);
    expect(readVersions(record).map((v) => v.number)).toEqual([2]);
  });

  it('[CH7] readVersions drops malformed counted ballots and fills missing fields with defaults', () => {
    const record = recordWith([['4', {
      number: 4, sections: [],
      ballots: {
        mia: counted('agree', 'Mia'), otto: { choice: 'veto', name: 'Otto', countedAt: 1 }, olga: { choice: 'agree', countedAt: 1 },
        ben: { choice: 'agree', name: 'Ben', countedAt: '1' }, ada: null,
      },
    }]]);
    const [read] = readVersions(record);
    expect(read).toEqual({
      number: 4, summary: '', proposedBy: '', proposedAt: 0, closesAt: null, quorumPercent: 50, sections: [], status: 'open',
      ballots: { mia: counted('agree', 'Mia') }, electorate: 0,
    });
    expect(readVersions(recordWith([['5', { ...version(5), restoredFrom: 'two' }]]))[0]).not.toHaveProperty('restoredFrom');
    expect(readVersions(recordWith([['5', version(5, { restoredFrom: 2 })]]))[0]!.restoredFrom).toBe(2);
  });

  // Regression: `typeof v.number !== 'number'` lets NaN through (Yjs
  // stores NaN faithfully), and a NaN comparator result leaves sort's order undefined: with
  // entries written as 3, NaN, 1, 2 the result is [3, NaN, 1, 2] — unsorted, so the history
  // shows versions out of order and latestRatified (which takes the last ratified in that
  // order) can pick an older version. Expected: the NaN entry skipped, the rest [1, 2, 3].
  it('[CH7] an entry numbered NaN is skipped and does not disturb the order of the others', () => {
    const record = recordWith([['3', version(3)], ['x', version(Number.NaN)], ['1', version(1)], ['2', version(2)]]);
    expect(readVersions(record).map((v) => v.number)).toEqual([1, 2, 3]); // actual: [3, NaN, 1, 2]
  });

  it('[CH7] latestRatified picks the ratified version with the highest number', () => {
    const record = recordWith([
      ['5', version(5, { status: 'open' })], ['4', version(4, { status: 'ratified' })], ['3', version(3, { status: 'blocked' })],
      ['2', version(2, { status: 'ratified' })], ['1', version(1, { closesAt: null, status: 'template' })], ['6', version(6, { status: 'not-ratified' })],
    ]);
    expect(latestRatified(readVersions(record))?.number).toBe(4);
  });

  it('[CH7] latestRatified is null while no version is ratified (the template does not count)', () => {
    const record = recordWith([['1', version(1, { closesAt: null, status: 'template' })], ['2', version(2, { status: 'blocked' })], ['3', version(3)]]);
    expect(latestRatified(readVersions(record))).toBeNull();
    expect(latestRatified([])).toBeNull();
  });
});
