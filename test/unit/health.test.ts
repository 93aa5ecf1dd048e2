import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { activitySince } from '../../shared/health/activity.ts';
import { healthReport, weekOf, weeksCsv, type WeekFigures } from '../../shared/health/aggregate.ts';
import { addCard, addComment, addLane } from '../../shared/board/model.ts';
import { indexDocName } from '../../shared/docNames.ts';
import { addEntry, addStory } from '../../shared/library/model.ts';
import { addAttendee } from '../../shared/meeting/agenda.ts';
import { endMeeting, startMeeting } from '../../shared/meeting/facilitation.ts';
import { addAction, addDecision, updateAction } from '../../shared/meeting/register.ts';
import { setPhase } from '../../shared/retro/facilitation.ts';
import { boardDocNames, MODERATION_ROOT, moderationKey, type ModerationRecord } from '../../shared/schema/board.ts';
import { charterDocNames, VERSIONS_ROOT, type CharterVersion } from '../../shared/schema/charter.ts';
import { INDEX_DOCUMENTS_ROOT, META_ROOT, type DocumentKind, type IndexEntry } from '../../shared/schema/documents.ts';
import { libraryDocNames, STATUSES_ROOT, type EntryStatus } from '../../shared/schema/library.ts';
import { controlDocName, memberKey } from '../../shared/schema/meeting.ts';
import { registerDocName } from '../../shared/schema/register.ts';
import { CARDS_ROOT, GROUPS_ROOT, PLACEMENT_ROOT, retroDocNames, TALLY_ROOT, type RetroPhase } from '../../shared/schema/retro.ts';
import { ballotsOf, openVersion } from './charterFixtures.ts';

/**
 * [HV1] The health view's figures (shared/health/aggregate.ts) and [HV2] "since you last visited"
 * (shared/health/activity.ts), read from a seeded community built with the real model writers.
 * Every time is fixed: "now" is Wednesday 2026-03-11 12:00 UTC, in the week of Monday 2026-03-09.
 */

const COMMUNITY = 'guild';
const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** Mondays 00:00 UTC of the four weeks the report is asked for (W0 is the current week). */
const W3 = Date.UTC(2026, 1, 16);
const W2 = Date.UTC(2026, 1, 23);
const W1 = Date.UTC(2026, 2, 2);
const W0 = Date.UTC(2026, 2, 9);
const at = (week: number, day: number, hour: number): number => week + day * DAY + hour * HOUR;
const NOW = at(W0, 2, 12);
const TODAY = '2026-03-11';
const WEEKS = ['2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09'];

const NAMES = {
  board: boardDocNames(COMMUNITY),
  library: libraryDocNames(COMMUNITY),
  register: registerDocName(COMMUNITY),
  charter: charterDocNames(COMMUNITY).record,
  index: indexDocName(COMMUNITY),
};
const meetingName = (id: string): string => `${COMMUNITY}.shared.${id}`;

/** Times of the items the activity feed is checked against. */
const T = {
  s1: at(W2, 4, 9), s3: at(W1, 4, 9), s2: at(W0, 2, 10),
  retroSpring: at(W1, 4, 15), m4Created: at(W1, 5, 9), m3Created: at(W0, 1, 8),
  commentC2: at(W0, 0, 10), e2: at(W0, 1, 9), a3: at(W0, 1, 10), a4: at(W0, 1, 11), a5: at(W0, 1, 12), d2: at(W0, 2, 8),
};

function doc(docs: Map<string, Y.Doc>, name: string): Y.Doc {
  let d = docs.get(name);
  if (!d) docs.set(name, d = new Y.Doc());
  return d;
}

function indexEntry(docs: Map<string, Y.Doc>, name: string, kind: DocumentKind, title: string, createdAt: number): void {
  doc(docs, NAMES.index).getMap(INDEX_DOCUMENTS_ROOT).set(name, { kind, title, createdAt } satisfies IndexEntry);
}

interface MeetingSpec { id: string; title: string; createdAt: number; attendees: string[]; startedAt?: number; endedAt?: number }

function meeting(docs: Map<string, Y.Doc>, spec: MeetingSpec): void {
  const name = meetingName(spec.id);
  const m = doc(docs, name);
  const meta = m.getMap(META_ROOT);
  meta.set('kind', 'meeting');
  meta.set('title', spec.title);
  meta.set('createdAt', spec.createdAt);
  for (const person of spec.attendees) addAttendee(m, memberKey(`m-${person.toLowerCase()}`, person), { name: person, color: '#123456', source: 'presence' });
  const control = doc(docs, controlDocName(name));
  if (spec.startedAt !== undefined) startMeeting(m, control, spec.startedAt);
  if (spec.endedAt !== undefined) endMeeting(m, control, spec.endedAt);
  indexEntry(docs, name, 'meeting', spec.title, spec.createdAt);
}

interface RetroSpec {
  id: string; title: string; createdAt: number; phase: RetroPhase;
  cards: Record<string, string>; groups?: Record<string, { name: string; cards: string[] }>; tally?: Record<string, number>;
}

/** A retro as the server and facilitator leave it: board meta and groups, revealed cards and tally, the phase. */
function retro(docs: Map<string, Y.Doc>, spec: RetroSpec): void {
  const names = retroDocNames(COMMUNITY, spec.id);
  const board = doc(docs, names.board);
  const meta = board.getMap(META_ROOT);
  meta.set('kind', 'retro');
  meta.set('title', spec.title);
  meta.set('createdAt', spec.createdAt);
  for (const [group, { name, cards }] of Object.entries(spec.groups ?? {})) {
    board.getMap(GROUPS_ROOT).set(group, { name });
    for (const card of cards) board.getMap(PLACEMENT_ROOT).set(card, group);
  }
  const results = doc(docs, names.results);
  for (const [id, text] of Object.entries(spec.cards)) results.getMap(CARDS_ROOT).set(id, { prompt: 'stop', text, author: null, late: false });
  for (const [topic, votes] of Object.entries(spec.tally ?? {})) results.getMap(TALLY_ROOT).set(topic, votes);
  setPhase(doc(docs, names.control), spec.phase);
  indexEntry(docs, names.board, 'retro', spec.title, spec.createdAt);
}

const card = (author: string, title: string) => ({ title, body: '', tags: [], author, authorName: author.replace('m-', '').toUpperCase() });
const comment = (cardId: string, author: string, body: string) => ({ card: cardId, parent: null, body, mentions: [], author, authorName: author.replace('m-', '').toUpperCase() });
const entry = (title: string, owner: string, reviewBy: string | null) => ({
  type: 'best-practice' as const, title, tags: [], owner, ownerName: owner.replace('m-', '').toUpperCase(), reviewBy, source: null, bodyMarkdown: '',
});
const source = { source: meetingName('m1'), sourceTitle: 'Weekly sync', agendaItem: null, agendaTitle: null };
const action = (text: string, by: string, due: string | null) => ({ ...source, text, ownerKey: null, ownerName: `Owner of ${text}`, due, createdBy: memberKey(by, by) });

/**
 * The seeded community, week by week (members: m-ada, m-bo, m-cy; m-dee and m-eve only wrote
 * what a moderator hid). Register entries carry the member key (`m:<id>`) as the client writes
 * them; board and library entries carry the member id.
 *
 *   long ago  card c-old (ada); entry e0 (archived, review date passed)
 *   W3        cards c1, c2, c3 (ada); closed retro "Winter retro"; meeting m5 created, never held
 *   W2        card c4 (ada), comment on c1 (bo), action a1 (ada), entry e3 (bo, verified), story s1;
 *             retro "Autumn leftovers" left in vote
 *   W1        meetings m1 (3 attendees) and m2 (2) held; action a2 (bo, overdue), entry e1 (cy,
 *             verified, review due today), decision d1 (bo), a1 done, story s3, closed retro
 *             "Spring retro"; meeting m4 starts on Sunday evening
 *   W0        m4 ends Monday 01:00 (1 attendee); hidden card ch (dee), comment on c2 (bo), hidden
 *             comment on c2 (eve), comment on the hidden card (bo); entry e2 (ada); actions a3, a4,
 *             a5 (ada; a5 dropped); decision d2 (ada); story s2; meeting m3 running
 */
function community(): Map<string, Y.Doc> {
  const docs = new Map<string, Y.Doc>();

  const board = doc(docs, NAMES.board.board);
  const questions = addLane(board, 'Questions', 'lane-q');
  const practices = addLane(board, 'Best practices', 'lane-p');
  addCard(board, practices, card('m-ada', 'An old card'), W3 - 20 * 7 * DAY, 'c-old');
  addCard(board, questions, card('m-ada', 'First question'), at(W3, 0, 9), 'c1');
  addCard(board, questions, card('m-ada', 'Second question'), at(W3, 0, 10), 'c2');
  addCard(board, practices, card('m-ada', 'Pairing'), at(W3, 1, 9), 'c3');
  addCard(board, practices, card('m-ada', 'Demo days'), at(W2, 0, 9), 'c4');
  addComment(board, comment('c1', 'm-bo', 'Good question'), at(W2, 1, 9), 'k-c1');
  addCard(board, questions, card('m-dee', 'Spam card'), at(W0, 0, 9), 'ch');
  addComment(board, comment('c2', 'm-bo', 'We tried this last year'), T.commentC2, 'k-c2');
  addComment(board, comment('c2', 'm-eve', 'Rude remark'), at(W0, 0, 11), 'k-hidden');
  addComment(board, comment('ch', 'm-bo', 'Answer to the spam'), at(W0, 0, 12), 'k-on-hidden');
  const moderation = doc(docs, NAMES.board.moderation).getMap(MODERATION_ROOT);
  const hidden: ModerationRecord = { hidden: true, locked: false, by: 'Moderator', at: at(W0, 1, 0), frozen: null };
  moderation.set(moderationKey({ kind: 'card', id: 'ch' }), hidden);
  moderation.set(moderationKey({ kind: 'comment', id: 'k-hidden' }), hidden);

  const library = doc(docs, NAMES.library.library);
  const statuses = doc(docs, NAMES.library.statuses).getMap(STATUSES_ROOT);
  const status = (id: string, value: EntryStatus): void => { statuses.set(id, { status: value, by: 'Librarian', at: NOW - DAY }); };
  addEntry(library, entry('Old practice', 'm-ada', '2026-01-01'), W3 - 30 * 7 * DAY, 'e0');
  status('e0', 'archived');
  addEntry(library, entry('Retro formats', 'm-bo', null), at(W2, 3, 9), 'e3');
  status('e3', 'verified');
  addEntry(library, entry('Onboarding guide', 'm-cy', TODAY), at(W1, 2, 9), 'e1');
  status('e1', 'verified');
  addEntry(library, entry('Release checklist', 'm-ada', '2026-04-01'), T.e2, 'e2');
  const story = (changed: string, by: string) => ({ happened: `Happened: ${changed}`, changed, value: 'Time saved', practices: ['e1'], author: by, authorName: by.replace('m-', '').toUpperCase() });
  addStory(library, story('First story', 'm-bo'), T.s1, 's1');
  addStory(library, story('Newest story', 'm-ada'), T.s2, 's2');
  addStory(library, story('Middle story', 'm-cy'), T.s3, 's3');

  const register = doc(docs, NAMES.register);
  addAction(register, action('Write the guide', 'm-ada', null), at(W2, 2, 9), 'a1');
  updateAction(register, 'a1', { status: 'done' }, at(W1, 3, 9));
  addAction(register, action('Book the room', 'm-bo', '2026-03-01'), at(W1, 1, 12), 'a2');
  addAction(register, action('Due today', 'm-ada', TODAY), T.a3, 'a3');
  addAction(register, action('No due date', 'm-ada', null), T.a4, 'a4');
  addAction(register, action('Dropped idea', 'm-ada', '2026-03-02'), T.a5, 'a5');
  updateAction(register, 'a5', { status: 'dropped' }, at(W0, 2, 9));
  addDecision(register, { ...source, text: 'Meet weekly', decidedBy: 'The group', date: '2026-03-04', createdBy: memberKey('m-bo', 'Bo') }, at(W1, 2, 14), 'd1');
  addDecision(register, { ...source, text: 'Use the library', decidedBy: 'Ada and Bo', date: '2026-03-11', createdBy: memberKey('m-ada', 'Ada') }, T.d2, 'd2');

  meeting(docs, { id: 'm5', title: 'Never held', createdAt: at(W3, 3, 9), attendees: ['Ada'] });
  meeting(docs, { id: 'm1', title: 'Weekly sync', createdAt: at(W1, 0, 8), attendees: ['Ada', 'Bo', 'Cy'], startedAt: at(W1, 1, 9), endedAt: at(W1, 1, 10) });
  meeting(docs, { id: 'm2', title: 'Library review', createdAt: at(W1, 0, 9), attendees: ['Ada', 'Bo'], startedAt: at(W1, 3, 10), endedAt: at(W1, 3, 11) });
  meeting(docs, { id: 'm4', title: 'Late night', createdAt: T.m4Created, attendees: ['Cy'], startedAt: at(W1, 6, 22), endedAt: at(W0, 0, 1) });
  meeting(docs, { id: 'm3', title: 'Running now', createdAt: T.m3Created, attendees: ['Ada', 'Bo', 'Cy', 'Dee'], startedAt: at(W0, 2, 9) });

  // Inserted before the older closed retro, so the report has to sort them.
  retro(docs, { id: 'r-spring', title: 'Spring retro', createdAt: T.retroSpring, phase: 'close', cards: { k9: 'More demos' } });
  retro(docs, {
    id: 'r-winter', title: 'Winter retro', createdAt: at(W3, 2, 10), phase: 'close',
    cards: { k1: 'Friday deploys', k2: 'No rollback', k3: 'Pairing on Fridays', k4: 'Coffee', k5: 'Shorter standups' },
    groups: { g1: { name: 'Deploys', cards: ['k1', 'k2'] } }, tally: { g1: 4, k3: 6, k4: 1, k5: 2 },
  });
  retro(docs, { id: 'r-autumn', title: 'Autumn leftovers', createdAt: at(W2, 4, 12), phase: 'vote', cards: { k7: 'Not closed yet' }, tally: { k7: 9 } });

  const versions = doc(docs, NAMES.charter).getMap(VERSIONS_ROOT);
  const version = (v: CharterVersion): void => { versions.set(String(v.number), v); };
  version(openVersion({ number: 1, status: 'template', closesAt: null, electorate: 0 }));
  version(openVersion({ number: 2, status: 'ratified', ballots: ballotsOf(['agree', 'agree', 'agree']) }));
  version(openVersion({ number: 3, status: 'blocked', ballots: ballotsOf(['agree', 'block']) }));
  version(openVersion({ number: 4, status: 'open', ballots: ballotsOf(['agree', 'abstain']), electorate: 5 }));
  return docs;
}

const report = (docs = community(), maxWeeks = 4) => healthReport(COMMUNITY, docs, NOW, TODAY, maxWeeks);
const column = <K extends keyof WeekFigures>(weeks: readonly WeekFigures[], key: K): Array<WeekFigures[K]> => weeks.map((w) => w[key]);

describe('[HV1] weekOf', () => {
  it('[HV1] gives the Monday (UTC) of the week across a week boundary', () => {
    expect(weekOf(Date.UTC(2026, 2, 9))).toBe('2026-03-09');
    expect(weekOf(Date.UTC(2026, 2, 9) - 1)).toBe('2026-03-02');
    expect(weekOf(Date.UTC(2026, 2, 8, 23, 59, 59, 999))).toBe('2026-03-02');
    expect(weekOf(NOW)).toBe('2026-03-09');
    expect(weekOf(Date.UTC(2026, 2, 15, 23, 59, 59, 999))).toBe('2026-03-09');
    expect(weekOf(Date.UTC(2026, 2, 16))).toBe('2026-03-16');
  });

  it('[HV1] gives the Monday across a year boundary (and before 1970)', () => {
    expect(weekOf(Date.UTC(2025, 11, 29))).toBe('2025-12-29');
    expect(weekOf(Date.UTC(2025, 11, 31, 23, 59))).toBe('2025-12-29');
    expect(weekOf(Date.UTC(2026, 0, 1, 12))).toBe('2025-12-29');
    expect(weekOf(Date.UTC(2026, 0, 4, 23, 59))).toBe('2025-12-29');
    expect(weekOf(Date.UTC(2026, 0, 5))).toBe('2026-01-05');
    expect(weekOf(Date.UTC(2024, 11, 31))).toBe('2024-12-30');
    expect(weekOf(Date.UTC(1969, 11, 31))).toBe('1969-12-29');
  });

  it('[HV1] the weeks list is maxWeeks long, one Monday after another, ending with the current week', () => {
    const twelve = report(community(), 12).weeks.map((w) => w.week);
    expect(twelve).toHaveLength(12);
    expect(twelve.at(-1)).toBe('2026-03-09');
    expect(twelve[0]).toBe('2025-12-22');
    for (let i = 1; i < twelve.length; i++) expect(Date.parse(twelve[i]!) - Date.parse(twelve[i - 1]!)).toBe(7 * DAY);
    for (const week of twelve) expect(new Date(`${week}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(report().weeks.map((w) => w.week)).toEqual(WEEKS);
    expect(healthReport(COMMUNITY, community(), NOW, TODAY).weeks).toHaveLength(12); // the default
  });
});

describe('[HV1] weekly figures', () => {
  it('[HV1] contributors count distinct members per week, whatever they wrote, and never name them', () => {
    const { weeks } = report();
    // W3: three cards by one member. W2: ada (card, action) and bo (comment, entry). W1: bo
    // (action, decision) and cy (entry). W0: ada (entry, actions, decision) and bo (comment); the
    // authors of the hidden card and the hidden comment do not count.
    expect(column(weeks, 'contributors')).toEqual([1, 2, 2, 2]);
    const text = JSON.stringify(weeks) + weeksCsv(weeks);
    for (const who of ['m-ada', 'm-bo', 'm-cy', 'm-dee', 'ADA', 'Ada', 'Bo']) expect(text).not.toContain(who);
  });

  it('[HV1] a member who writes a card and opens an action in a week counts once', () => {
    const docs = new Map<string, Y.Doc>();
    const board = doc(docs, NAMES.board.board);
    const lane = addLane(board, 'Questions', 'lane-q');
    addCard(board, lane, card('m-ada', 'A card'), at(W0, 0, 9), 'c1');
    addAction(doc(docs, NAMES.register), action('An action', 'm-ada', null), at(W0, 0, 10), 'a1');
    addEntry(doc(docs, NAMES.library.library), entry('An entry', 'm-ada', null), at(W0, 0, 11), 'e1');
    expect(report(docs).weeks.at(-1)!.contributors).toBe(1);
    addCard(board, lane, card('m-bo', 'Another card'), at(W0, 0, 12), 'c2');
    expect(report(docs).weeks.at(-1)!.contributors).toBe(2);
  });

  it('[HV1] meetings held count only ended meetings, in the week they ended, with average attendance', () => {
    const { weeks } = report();
    // W1: m1 (3) and m2 (2); W0: m4, started on Sunday, ended Monday (1). m3 runs, m5 never started.
    expect(column(weeks, 'meetings')).toEqual([0, 0, 2, 1]);
    expect(column(weeks, 'attendance')).toEqual([0, 0, 2.5, 1]);
  });

  it('[HV1] attendance is rounded to one decimal', () => {
    const docs = new Map<string, Y.Doc>();
    meeting(docs, { id: 'x1', title: 'One', createdAt: W0, attendees: ['Ada'], startedAt: at(W0, 0, 9), endedAt: at(W0, 0, 10) });
    meeting(docs, { id: 'x2', title: 'Two', createdAt: W0, attendees: ['Ada'], startedAt: at(W0, 0, 11), endedAt: at(W0, 0, 12) });
    meeting(docs, { id: 'x3', title: 'Three', createdAt: W0, attendees: ['Ada', 'Bo'], startedAt: at(W0, 1, 9), endedAt: at(W0, 1, 10) });
    expect(report(docs).weeks.at(-1)).toMatchObject({ meetings: 3, attendance: 1.3 });
  });

  it('[HV1] actions opened per week by creation, done per week by when they were marked done', () => {
    const { weeks } = report();
    expect(column(weeks, 'actionsOpened')).toEqual([0, 1, 1, 3]);
    expect(column(weeks, 'actionsDone')).toEqual([0, 0, 1, 0]);
  });

  it('[HV1] cards and entries added per week; totals are cumulative and end at today\'s totals', () => {
    const r = report();
    expect(column(r.weeks, 'cardsAdded')).toEqual([3, 1, 0, 0]);
    expect(column(r.weeks, 'entriesAdded')).toEqual([0, 1, 1, 1]);
    // c-old and e0 predate the window and count from the first week on.
    expect(column(r.weeks, 'cardsTotal')).toEqual([4, 5, 5, 5]);
    expect(column(r.weeks, 'entriesTotal')).toEqual([1, 2, 3, 4]);
    const long = report(community(), 30);
    for (const key of ['cardsTotal', 'entriesTotal'] as const) {
      const totals = column(long.weeks, key);
      for (let i = 1; i < totals.length; i++) expect(totals[i]!).toBeGreaterThanOrEqual(totals[i - 1]!);
    }
    expect(long.weeks.at(-1)).toMatchObject({ cardsTotal: long.board.cards, entriesTotal: long.library.entries });
    expect(long.weeks[0]).toMatchObject({ cardsTotal: 0, entriesTotal: 1 }); // 29 weeks back: only e0, c-old came later
  });

  it('[HV1] hidden cards and hidden comments neither count nor show', () => {
    const r = report();
    expect(r.board).toEqual({ cards: 5, comments: 2 });
    expect(r.weeks.at(-1)).toMatchObject({ cardsAdded: 0, cardsTotal: 5 });

    // Unhiding the card brings it (and its thread) back into every figure.
    const docs = community();
    doc(docs, NAMES.board.moderation).getMap(MODERATION_ROOT).delete(moderationKey({ kind: 'card', id: 'ch' }));
    const unhidden = report(docs);
    expect(unhidden.board).toEqual({ cards: 6, comments: 3 });
    expect(unhidden.weeks.at(-1)).toMatchObject({ cardsAdded: 1, cardsTotal: 6, contributors: 3 });
  });
});

describe('[HV1] figures', () => {
  it('[HV1] actions open, done, overdue (before today) and dropped; decisions', () => {
    const r = report();
    expect(r.actions).toEqual({ open: 3, done: 1, overdue: 1, dropped: 1 });
    expect(r.decisions).toBe(2);
    // Tomorrow, the action due today is overdue too.
    expect(healthReport(COMMUNITY, community(), NOW + DAY, '2026-03-12', 4).actions.overdue).toBe(2);
  });

  it('[HV1] library: entries, verified and archived from the statuses document, review due unless archived', () => {
    expect(report().library).toEqual({ entries: 4, verified: 2, archived: 1, reviewDue: 1 });
    const docs = community();
    doc(docs, NAMES.library.statuses).getMap(STATUSES_ROOT).set('e1', { status: 'archived', by: 'Librarian', at: NOW });
    expect(report(docs).library).toEqual({ entries: 4, verified: 1, archived: 2, reviewDue: 0 });
  });

  it('[HV1] charter: the ratified version, the open round counted against its electorate, the last decided round', () => {
    expect(report().charter).toEqual({
      ratifiedVersion: 2,
      openRound: { number: 4, counted: 2, electorate: 5 },
      lastRound: { number: 3, status: 'blocked' },
    });
  });

  it('[HV1] retroThemes: closed retros only, oldest first, each with its three most-voted topics', () => {
    expect(report().retroThemes).toEqual([
      {
        title: 'Winter retro', at: at(W3, 2, 10),
        themes: [{ label: 'Pairing on Fridays', votes: 6 }, { label: 'Deploys', votes: 4 }, { label: 'Shorter standups', votes: 2 }],
      },
      { title: 'Spring retro', at: T.retroSpring, themes: [{ label: 'More demos', votes: 0 }] },
    ]);
  });

  it('[HV1] stories come back newest first', () => {
    const { stories } = report();
    expect(stories.map((s) => s.id)).toEqual(['s2', 's3', 's1']);
    expect(stories[0]).toMatchObject({ changed: 'Newest story', practices: ['e1'], createdAt: T.s2 });
  });

  it('[HV1] weeksCsv: a header row and one row per week', () => {
    const { weeks } = report();
    const csv = weeksCsv(weeks);
    expect(csv.endsWith('\n')).toBe(true);
    const rows = csv.trimEnd().split('\n');
    expect(rows).toHaveLength(weeks.length + 1);
    expect(rows[0]).toBe('week,contributors,meetings,attendance,actionsOpened,actionsDone,cardsAdded,entriesAdded,cardsTotal,entriesTotal');
    expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual(WEEKS);
    expect(rows[3]).toBe('2026-03-02,2,2,2.5,1,1,0,1,5,3');
    expect(weeksCsv([])).toBe(`${rows[0]}\n`);
  });
});

describe('[HV1] [HV2] an empty community', () => {
  it('[HV1] an empty map throws nothing and every figure is zero', () => {
    const r = healthReport(COMMUNITY, new Map(), NOW, TODAY);
    expect(r.weeks).toHaveLength(12);
    expect(r.weeks.at(-1)!.week).toBe('2026-03-09');
    for (const week of r.weeks) {
      expect(week).toEqual({
        week: week.week, contributors: 0, meetings: 0, attendance: 0, actionsOpened: 0, actionsDone: 0, cardsAdded: 0, entriesAdded: 0, cardsTotal: 0, entriesTotal: 0,
      });
    }
    expect(r).toMatchObject({
      actions: { open: 0, done: 0, overdue: 0, dropped: 0 }, board: { cards: 0, comments: 0 },
      library: { entries: 0, verified: 0, archived: 0, reviewDue: 0 }, decisions: 0,
      charter: { ratifiedVersion: null, openRound: null, lastRound: null }, retroThemes: [], stories: [],
    });
  });

  it('[HV2] an empty map has no activity', () => {
    expect(activitySince(COMMUNITY, new Map(), 0)).toEqual([]);
  });
});

describe('[HV2] activitySince', () => {
  const since = at(W1, 4, 0); // Friday of last week

  it('[HV2] only items after `since`, newest first, with their targets', () => {
    const items = activitySince(COMMUNITY, community(), since);
    expect(items.map((i) => [i.kind, i.title, i.at])).toEqual([
      ['Value story', 'Newest story', T.s2],
      ['Decision', 'Use the library', T.d2],
      ['Action item', 'Dropped idea', T.a5],
      ['Action item', 'No due date', T.a4],
      ['Action item', 'Due today', T.a3],
      ['Library entry', 'Release checklist', T.e2],
      ['Meeting', 'Running now', T.m3Created],
      ['Comment', 'We tried this last year', T.commentC2],
      ['Meeting', 'Late night', T.m4Created],
      ['Retrospective', 'Spring retro', T.retroSpring],
      ['Value story', 'Middle story', T.s3],
    ]);
    const byTitle = new Map(items.map((i) => [i.title, i]));
    expect(byTitle.get('We tried this last year')).toMatchObject({ by: 'BO', target: { page: 'board', card: 'c2' } });
    expect(byTitle.get('Release checklist')).toMatchObject({ by: 'ADA', target: { page: 'library', entry: 'e2' } });
    expect(byTitle.get('Use the library')).toMatchObject({ by: 'Ada and Bo', target: { page: 'decisions' } });
    expect(byTitle.get('Due today')!.target).toEqual({ page: 'actions' });
    expect(byTitle.get('Running now')!.target).toEqual({ page: 'document', name: meetingName('m3') });
    expect(byTitle.get('Late night')!.target).toEqual({ page: 'document', name: meetingName('m4') });
    expect(byTitle.get('Spring retro')!.target).toEqual({ page: 'retro', name: retroDocNames(COMMUNITY, 'r-spring').board });
    expect(byTitle.get('Newest story')).toMatchObject({ by: 'ADA', target: null });
    expect(byTitle.get('Middle story')!.target).toBeNull();
  });

  it('[HV2] an item exactly at `since` is not new', () => {
    const items = activitySince(COMMUNITY, community(), T.s3);
    expect(items).toHaveLength(10);
    expect(items.map((i) => i.title)).not.toContain('Middle story');
    expect(items.every((i) => i.at > T.s3)).toBe(true);
  });

  it('[HV2] the list is limited to the newest `limit` items', () => {
    expect(activitySince(COMMUNITY, community(), since, 3).map((i) => i.title)).toEqual(['Newest story', 'Use the library', 'Dropped idea']);
    const docs = community();
    expect(activitySince(COMMUNITY, docs, 0, 1000)).toHaveLength(29);
    const board = doc(docs, NAMES.board.board);
    for (let i = 0; i < 5; i++) addCard(board, 'lane-q', card('m-cy', `Extra ${i}`), at(W0, 1, i), `x${i}`);
    const all = activitySince(COMMUNITY, docs, 0);
    expect(all).toHaveLength(30); // the default limit, of 34
    expect(all.map((i) => i.title)).not.toContain('An old card');
    for (let i = 1; i < all.length; i++) expect(all[i]!.at).toBeLessThanOrEqual(all[i - 1]!.at);
  });

  it('[HV2] hidden cards, hidden comments and a hidden card\'s thread are left out', () => {
    const items = activitySince(COMMUNITY, community(), 0, 1000);
    const titles = items.map((i) => i.title);
    for (const gone of ['Spam card', 'Rude remark', 'Answer to the spam', '']) expect(titles).not.toContain(gone);
    expect(items.some((i) => i.target?.page === 'board' && i.target.card === 'ch')).toBe(false);
    expect(items.filter((i) => i.kind.startsWith('Card in')).map((i) => [i.kind, i.title])).toEqual([
      ['Card in Best practices', 'Demo days'], ['Card in Best practices', 'Pairing'], ['Card in Questions', 'Second question'],
      ['Card in Questions', 'First question'], ['Card in Best practices', 'An old card'],
    ]);
    expect(items.filter((i) => i.kind === 'Comment').map((i) => i.title)).toEqual(['We tried this last year', 'Good question']);

    // The same community with nothing hidden shows them.
    const docs = community();
    doc(docs, NAMES.board.moderation).getMap(MODERATION_ROOT).clear();
    const shown = activitySince(COMMUNITY, docs, 0, 1000).map((i) => i.title);
    for (const back of ['Spam card', 'Rude remark', 'Answer to the spam']) expect(shown).toContain(back);
  });
});
