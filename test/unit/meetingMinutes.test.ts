import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgendaItem, addAttendee, removeAgendaItem } from '../../shared/meeting/agenda.ts';
import { endMeeting, makeCurrent, nextUndone, startMeeting } from '../../shared/meeting/facilitation.ts';
import { fragmentToMarkdown, markdownLine } from '../../shared/meeting/markdown.ts';
import { minutesMarkdown, readMinutes } from '../../shared/meeting/minutes.ts';
import { addAction, addDecision, updateAction, type NewAction, type NewDecision } from '../../shared/meeting/register.ts';
import { MEETING_NOTES_ROOT, META_ROOT } from '../../shared/schema/documents.ts';
import { agendaNotesField, CARRIED_ACTIONS_ROOT } from '../../shared/schema/meeting.ts';

/**
 * [M6] Minutes: one reading of a meeting's three documents (meeting, control, register) that the
 * minutes page renders and the Markdown export writes. Notes are Y.XmlFragments as y-tiptap
 * stores Tiptap content; user text must not be able to turn into Markdown syntax.
 */

const NAME = 'home.shared.k3x9q2m7a1b4';
const OLDER = 'home.shared.olderone';
const OTHER = 'home.shared.unrelated';
const STARTS_AT = Date.UTC(2026, 0, 6, 15, 0);
const NOW = Date.UTC(2026, 0, 6, 16, 0);
const formatDate = (ms: number): string => new Date(ms).toISOString();

/** Formatting attributes as y-tiptap writes Tiptap marks: the mark name, its attrs as the value. */
type Marks = Record<string, Record<string, unknown>>;
type Run = string | [text: string, marks: Marks];
type Block =
  | { paragraph: Run[] }
  | { heading: Run[]; level: number }
  | { bulletList: Block[][] }
  | { orderedList: Block[][] };

/** Fills an XmlElement's text the way y-tiptap does: one XmlText, one formatted insert per run. */
function fillText(element: Y.XmlElement, runs: Run[]): void {
  if (runs.length === 0) return; // an empty Tiptap paragraph is an element without children
  const text = new Y.XmlText();
  element.insert(0, [text]);
  for (const run of runs) {
    const [content, marks] = typeof run === 'string' ? [run, {}] : run;
    // Always an explicit (possibly empty) attribute set: without one, Yjs continues the previous run's marks.
    text.insert(text.length, content, marks);
  }
}

/** Builds Tiptap content into `parent`, each element integrated before it is filled. */
function build(parent: Y.XmlFragment | Y.XmlElement, blocks: Block[]): void {
  for (const block of blocks) {
    if ('paragraph' in block || 'heading' in block) {
      const element = new Y.XmlElement('paragraph' in block ? 'paragraph' : 'heading');
      parent.insert(parent.length, [element]);
      if ('heading' in block) {
        // y-tiptap stores node attrs as the Tiptap JSON has them: the level is a number, not a string.
        (element as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', block.level);
      }
      fillText(element, 'paragraph' in block ? block.paragraph : block.heading);
      continue;
    }
    const list = new Y.XmlElement('bulletList' in block ? 'bulletList' : 'orderedList');
    parent.insert(parent.length, [list]);
    for (const itemBlocks of 'bulletList' in block ? block.bulletList : block.orderedList) {
      const listItem = new Y.XmlElement('listItem');
      list.insert(list.length, [listItem]);
      build(listItem, itemBlocks);
    }
  }
}

const bold: Marks = { bold: {} };
const italic: Marks = { italic: {} };
const code: Marks = { code: {} };

const action = (text: string, source: string, agendaItem: string | null, extra: Partial<NewAction> = {}): NewAction => ({
  text, source, sourceTitle: 'Platform sync', agendaItem, agendaTitle: null, ownerKey: null, ownerName: null,
  due: null, createdBy: 'Grace', ...extra,
});
const decision = (text: string, source: string, agendaItem: string | null, extra: Partial<NewDecision> = {}): NewDecision => ({
  text, source, sourceTitle: 'Platform sync', agendaItem, agendaTitle: null, decidedBy: '', date: '', createdBy: 'Grace', ...extra,
});

/** A meeting that ran: two items discussed (one with notes), one not, outcomes of every kind. */
function ranMeeting(): { meeting: Y.Doc; control: Y.Doc; register: Y.Doc } {
  const meeting = new Y.Doc();
  const control = new Y.Doc();
  const register = new Y.Doc();
  const meta = meeting.getMap(META_ROOT);
  meta.set('title', 'Platform sync');
  meta.set('startsAt', STARTS_AT);
  addAttendee(meeting, 'n:grace hopper', { name: 'Grace Hopper', color: '#f00', source: 'presence' });
  addAttendee(meeting, 'n:ada', { name: 'Ada', color: '#0f0', source: 'manual' });
  addAttendee(meeting, 'n:ada', { name: 'Ada again', color: '#0f0', source: 'presence' });

  addAgendaItem(meeting, { title: 'Budget', timeboxMinutes: 15, presenter: 'Ada' }, 'budget');
  addAgendaItem(meeting, { title: 'Roadmap', timeboxMinutes: 0, presenter: '' }, 'roadmap');
  addAgendaItem(meeting, { title: 'Hiring', timeboxMinutes: 10, presenter: '' }, 'hiring');
  addAgendaItem(meeting, { title: 'Removed later', timeboxMinutes: 0, presenter: '' }, 'removed');
  removeAgendaItem(meeting, 'removed');
  // Budget, then Roadmap, are discussed; the meeting ends on Roadmap, so Hiring is not discussed.
  startMeeting(meeting, control, NOW);
  makeCurrent(meeting, control, nextUndone(meeting, 'budget'), NOW + 15 * 60_000);
  endMeeting(meeting, control, NOW + 30 * 60_000);

  build(meeting.getXmlFragment(agendaNotesField('budget')), [
    { heading: ['Context'], level: 3 },
    { paragraph: ['Spend is ', ['over', bold], ' plan by ', ['5%', italic], ', see ', ['q3_*report*', code], '.'] },
    { bulletList: [[{ paragraph: ['Travel'] }], [{ paragraph: ['Tools'] }]] },
  ]);
  build(meeting.getXmlFragment(MEETING_NOTES_ROOT), [{ paragraph: ['Next time: invite finance.'] }]);

  addDecision(register, decision('Freeze travel', NAME, 'budget', { decidedBy: 'the group', date: '2026-01-06' }), NOW, 'd-budget');
  addDecision(register, decision('Meet fortnightly', NAME, null), NOW + 1, 'd-meeting');
  addDecision(register, decision('About a removed item', NAME, 'removed'), NOW + 2, 'd-removed');
  addDecision(register, decision('Another meeting\'s decision', OTHER, null), NOW, 'd-other');

  addAction(register, action('Draft the budget', NAME, 'budget', { ownerName: 'Ada', ownerKey: 'n:ada', due: '2026-02-01' }), NOW, 'a-budget');
  addAction(register, action('Post the job', NAME, 'hiring'), NOW + 1, 'a-hiring');
  updateAction(register, 'a-hiring', { status: 'done' }, NOW + 2);
  addAction(register, action('Send the minutes', NAME, null, { ownerName: 'Grace Hopper' }), NOW + 3, 'a-meeting');
  addAction(register, action('Another meeting\'s action', OTHER, null), NOW, 'a-other');
  addAction(register, action('Carried from before', OLDER, null, { ownerName: 'Linus' }), NOW - 7 * 86_400_000, 'a-carried');
  meeting.getMap(CARRIED_ACTIONS_ROOT).set('a-carried', { from: OLDER });
  // Listed as carried but recorded here: it belongs to this meeting's own actions, once.
  meeting.getMap(CARRIED_ACTIONS_ROOT).set('a-meeting', { from: OLDER });
  return { meeting, control, register };
}

const EXPECTED_MINUTES = `# Platform sync

**When:** 2026-01-06T15:00:00.000Z  
**Attendees:** Ada, Grace Hopper

## Agenda

1. Budget (15 min) — Ada
2. Roadmap
3. Hiring (10 min) — not discussed

### Budget

##### Context

Spend is **over** plan by _5%_, see \`q3_*report*\`.

- Travel
- Tools

#### Decisions

- Freeze travel — decided by the group, 2026-01-06

#### Action items

- [ ] Draft the budget (owner: Ada, due 2026-02-01, open)

### Hiring

#### Action items

- [x] Post the job (no owner, done)

## Notes

Next time: invite finance.

## Decisions

- Meet fortnightly
- About a removed item

## Action items

- [ ] Send the minutes (owner: Grace Hopper, open)

## Carried-over action items

- [ ] Carried from before (owner: Linus, open)
`;

describe('[M6] readMinutes', () => {
  it('[M6] reads title, start, control, attendees and the agenda in order', () => {
    const { meeting, control, register } = ranMeeting();
    const minutes = readMinutes(NAME, meeting, control, register);
    expect(minutes).toMatchObject({ title: 'Platform sync', startsAt: STARTS_AT, attendees: ['Ada', 'Grace Hopper'] });
    expect(minutes.control).toEqual({ state: 'ended', startedAt: NOW, endedAt: NOW + 30 * 60_000, currentItem: null, timer: null });
    expect(minutes.items.map((i) => [i.id, i.status])).toEqual([['budget', 'done'], ['roadmap', 'done'], ['hiring', 'upcoming']]);
  });

  it('[M6] puts each decision and action under its item, the rest at meeting level, other meetings\' nowhere', () => {
    const { meeting, control, register } = ranMeeting();
    const minutes = readMinutes(NAME, meeting, control, register);
    const byItem = Object.fromEntries(minutes.items.map((i) => [i.id, { d: i.decisions.map((x) => x.id), a: i.actions.map((x) => x.id) }]));
    expect(byItem).toEqual({ budget: { d: ['d-budget'], a: ['a-budget'] }, roadmap: { d: [], a: [] }, hiring: { d: [], a: ['a-hiring'] } });
    expect(minutes.decisions.map((d) => d.id)).toEqual(['d-meeting', 'd-removed']);
    expect(minutes.actions.map((a) => a.id)).toEqual(['a-meeting']);
    expect(minutes.carriedActions.map((a) => a.id)).toEqual(['a-carried']);
  });

  it('[M6] hands out the notes fragments themselves, so the page renders live content', () => {
    const { meeting, control, register } = ranMeeting();
    const minutes = readMinutes(NAME, meeting, control, register);
    expect(minutes.items[0]!.notes).toBe(meeting.getXmlFragment(agendaNotesField('budget')));
    expect(minutes.generalNotes).toBe(meeting.getXmlFragment(MEETING_NOTES_ROOT));
  });
});

describe('[M6] minutesMarkdown', () => {
  it('[M6] writes the whole meeting: title, attendees, agenda with not-discussed marks, notes, outcomes, carried actions', () => {
    const { meeting, control, register } = ranMeeting();
    expect(minutesMarkdown(readMinutes(NAME, meeting, control, register), formatDate)).toBe(EXPECTED_MINUTES);
  });

  it('[M6] an empty meeting still has a title and says no attendees were recorded', () => {
    const empty = new Y.Doc();
    expect(minutesMarkdown(readMinutes(NAME, empty, new Y.Doc(), new Y.Doc()), formatDate)).toBe('# Untitled meeting\n\n**Attendees:** none recorded\n');
  });

  it('[M6] escapes Markdown in titles, names and entry texts', () => {
    const meeting = new Y.Doc();
    const register = new Y.Doc();
    meeting.getMap(META_ROOT).set('title', 'Q3 *budget* [draft]_v2');
    addAttendee(meeting, 'n:x', { name: 'Ada `the` ~Count~', color: '#000', source: 'manual' });
    addAgendaItem(meeting, { title: 'Fix `a\\b` _now_', timeboxMinutes: 0, presenter: '**Bob**' }, 'i');
    addAction(register, action('Read [the](http://x) *spec*', NAME, null, { ownerName: 'A_B' }), NOW, 'a');
    addDecision(register, decision('Ship ~~it~~', NAME, null, { decidedBy: 'the *group*' }), NOW, 'd');
    const markdown = minutesMarkdown(readMinutes(NAME, meeting, new Y.Doc(), register), formatDate);
    expect(markdown).toContain('# Q3 \\*budget\\* \\[draft\\]\\_v2\n');
    expect(markdown).toContain('**Attendees:** Ada \\`the\\` \\~Count\\~\n');
    expect(markdown).toContain('1. Fix \\`a\\\\b\\` \\_now\\_ — \\*\\*Bob\\*\\* — not discussed\n');
    expect(markdown).toContain('- [ ] Read \\[the\\](http://x) \\*spec\\* (owner: A\\_B, open)\n');
    expect(markdown).toContain('- Ship \\~\\~it\\~\\~ — decided by the \\*group\\*\n');
  });

  it('[M6] user text is kept on one line, so it cannot break out of its list entry', () => {
    expect(markdownLine('  first line\n\n## second line\t  ')).toBe('first line ## second line');
  });
});

describe('[M6] notes fragments to Markdown', () => {
  it('[M6] converts headings (with their level), paragraphs with marks, and lists', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('notes');
    build(fragment, [
      { heading: ['Top'], level: 1 },
      { heading: ['Deep'], level: 6 },
      { paragraph: [['bold', bold], ' ', ['italic', italic], ' ', ['both', { bold: {}, italic: {} }], ' ', ['x*y', code], ' ', ['gone', { strike: {} }]] },
      { bulletList: [[{ paragraph: ['one'] }, { orderedList: [[{ paragraph: ['inner'] }]] }], [{ paragraph: ['two'] }]] },
      { orderedList: [[{ paragraph: ['first'] }], [{ paragraph: ['second'] }]] },
    ]);
    expect(fragmentToMarkdown(fragment)).toBe([
      '# Top', '', '###### Deep', '',
      '**bold** _italic_ _**both**_ `x*y` ~~gone~~', '',
      '- one\n  1. inner\n- two', '',
      '1. first\n2. second',
    ].join('\n'));
  });

  it('[M6] plain text special characters are escaped, code is kept verbatim', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('notes');
    build(fragment, [{ paragraph: ['2*3 = 6, a_b, [link], ~x~, \\n, `tick` ', ['a_b*c', code]] }]);
    expect(fragmentToMarkdown(fragment)).toBe('2\\*3 = 6, a\\_b, \\[link\\], \\~x\\~, \\\\n, \\`tick\\` `a_b*c`');
  });

  it('[M6] empty paragraphs are left out and a missing heading level reads as 2', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('notes');
    build(fragment, [{ paragraph: [] }, { paragraph: ['kept'] }, { paragraph: ['   '] }]);
    const heading = new Y.XmlElement('heading');
    fragment.insert(fragment.length, [heading]);
    fillText(heading, ['No level']);
    expect(fragmentToMarkdown(fragment)).toBe('kept\n\n## No level');
  });

  it('[M6] the manual y-tiptap layout matches what y-tiptap itself writes from Tiptap JSON', () => {
    const schema = getSchema([StarterKit.configure({ undoRedo: false })]);
    const fromTiptap = new Y.Doc().getXmlFragment('notes');
    prosemirrorJSONToYXmlFragment(schema, {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Context' }] },
        {
          type: 'paragraph', content: [
            { type: 'text', text: 'Spend is ' }, { type: 'text', text: 'over', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' plan by ' }, { type: 'text', text: '5%', marks: [{ type: 'italic' }] },
            { type: 'text', text: ', see ' }, { type: 'text', text: 'q3_*report*', marks: [{ type: 'code' }] },
            { type: 'text', text: '.' },
          ],
        },
        {
          type: 'bulletList', content: ['Travel', 'Tools'].map((text) => ({
            type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          })),
        },
      ],
    }, fromTiptap);
    const { meeting } = ranMeeting();
    const manual = meeting.getXmlFragment(agendaNotesField('budget'));
    expect(fragmentToMarkdown(manual)).toBe(fragmentToMarkdown(fromTiptap));
    expect(fragmentToMarkdown(fromTiptap)).toBe('### Context\n\nSpend is **over** plan by _5%_, see `q3_*report*`.\n\n- Travel\n- Tools');
  });

  it('[M6] blockquotes, code blocks, rules and hard breaks (through y-tiptap)', () => {
    const schema = getSchema([StarterKit.configure({ undoRedo: false })]);
    const fragment = new Y.Doc().getXmlFragment('notes');
    prosemirrorJSONToYXmlFragment(schema, {
      type: 'doc',
      content: [
        { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'q1' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'q2' }] }] },
        { type: 'codeBlock', content: [{ type: 'text', text: 'let a = b * c;\nreturn a;' }] },
        { type: 'horizontalRule' },
        { type: 'paragraph', content: [{ type: 'text', text: 'line one' }, { type: 'hardBreak' }, { type: 'text', text: 'line two' }] },
      ],
    }, fragment);
    expect(fragmentToMarkdown(fragment)).toBe('> q1\n>\n> q2\n\n```\nlet a = b * c;\nreturn a;\n```\n\n---\n\nline one  \nline two');
  });

  // Regression: "**Hello **world" is not bold in CommonMark (a closing ** must not follow
  // whitespace); Tiptap makes such runs whenever a word is bolded with its trailing space.
  it('[M6] a marked run ending in a space keeps the space outside the mark', () => {
    const fragment = new Y.Doc().getXmlFragment('notes');
    build(fragment, [{ paragraph: [['Hello ', bold], 'world'] }]);
    expect(fragmentToMarkdown(fragment)).toBe('**Hello** world');
  });

  // Regression: a paragraph (or agenda title, which follows "1. ") starting with "# ", "- ",
  // "+ " or "> " was exported as a heading, list or quote.
  it('[M6] a paragraph starting with a block marker is not exported as that block', () => {
    const fragment = new Y.Doc().getXmlFragment('notes');
    build(fragment, [{ paragraph: ['# Not a heading'] }]);
    expect(fragmentToMarkdown(fragment)).toBe('\\# Not a heading');
  });
});

describe('[M6] notes nested under the minutes\' own headings', () => {
  const heading = (text: string, level: number): Y.XmlElement => {
    const h = new Y.XmlElement('heading');
    h.setAttribute('level', level as unknown as string);
    h.insert(0, [new Y.XmlText(text)]);
    return h;
  };
  it('[M6] an untouched template (headings only) gives no notes; headings of real notes move below the section', () => {
    const fragment = new Y.Doc().getXmlFragment('notes');
    fragment.insert(0, [heading('Check-in', 2), new Y.XmlElement('paragraph'), heading('Notes', 2)]);
    expect(fragmentToMarkdown(fragment, { offset: 1 })).toBe('');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Everyone is here.')]);
    fragment.insert(1, [paragraph]);
    expect(fragmentToMarkdown(fragment, { offset: 1 })).toBe('### Check-in\n\nEveryone is here.\n\n### Notes');
  });
});
