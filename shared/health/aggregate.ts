import * as Y from 'yjs';
import { readBoard, readModeration } from '../board/model.ts';
import { latestRatified, readVersions } from '../charter/model.ts';
import { parseDocName } from '../docNames.ts';
import { readEntries, readStatuses, readStories } from '../library/model.ts';
import { attendeesOf, readAttendees } from '../meeting/agenda.ts';
import { controlOf, readControl } from '../meeting/control.ts';
import { actionsOf, decisionsOf, isOverdue, readActions, readDecisions } from '../meeting/register.ts';
import { readRetroControl, retroControlOf } from '../retro/model.ts';
import { readRetroSummary } from '../retro/summary.ts';
import { boardDocNames } from '../schema/board.ts';
import { charterDocNames, type RoundStatus } from '../schema/charter.ts';
import { META_ROOT } from '../schema/documents.ts';
import { libraryDocNames, type ValueStory } from '../schema/library.ts';
import { controlDocName, memberKey } from '../schema/meeting.ts';
import { registerDocName } from '../schema/register.ts';
import { retroDocNames } from '../schema/retro.ts';

/**
 * The health view's figures (issue 10): aggregates of what a community already produces, read
 * from the documents on the device. Counts only — who contributed is counted, never listed or
 * ranked.
 */
export interface WeekFigures {
  /** Monday of the week, YYYY-MM-DD (UTC). */
  week: string;
  contributors: number;
  meetings: number;
  /** Average attendees of the week's meetings (0 when none). */
  attendance: number;
  actionsOpened: number;
  actionsDone: number;
  cardsAdded: number;
  entriesAdded: number;
  /** Board cards and library entries in all, at the end of the week. */
  cardsTotal: number;
  entriesTotal: number;
}

export interface HealthReport {
  weeks: WeekFigures[];
  actions: { open: number; done: number; overdue: number; dropped: number };
  board: { cards: number; comments: number };
  library: { entries: number; verified: number; archived: number; reviewDue: number };
  decisions: number;
  charter: { ratifiedVersion: number | null; openRound: { number: number; counted: number; electorate: number } | null; lastRound: { number: number; status: RoundStatus } | null };
  /** Each closed retrospective's most-voted topics, oldest first. */
  retroThemes: Array<{ title: string; at: number; themes: Array<{ label: string; votes: number }> }>;
  stories: ValueStory[];
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MONDAY_EPOCH = Date.UTC(1970, 0, 5); // a Monday

export function weekOf(ms: number): string {
  const start = MONDAY_EPOCH + Math.floor((ms - MONDAY_EPOCH) / WEEK_MS) * WEEK_MS;
  return new Date(start).toISOString().slice(0, 10);
}

/**
 * Board and library entries name their member by id, register entries by member key (`m:<id>`,
 * schema/meeting.ts memberKey): contributors are counted by member key, so one member is one.
 */
const member = (id: string | null): string | null => (id ? memberKey(id, '') : null);

interface Activity { at: number; who: string | null; kind: 'card' | 'comment' | 'entry' | 'action-opened' | 'action-done' | 'decision' | 'meeting'; attendees?: number }

export function healthReport(community: string, docs: ReadonlyMap<string, Y.Doc>, now: number, today: string, maxWeeks = 12): HealthReport {
  const empty = new Y.Doc();
  const get = (name: string): Y.Doc => docs.get(name) ?? empty;
  const activity: Activity[] = [];

  const board = readBoard(get(boardDocNames(community).board), readModeration(get(boardDocNames(community).moderation)));
  // What a moderator hid counts nowhere (readBoard keeps hidden entries, emptied, for the board view).
  const cards = board.lanes.flatMap((lane) => lane.cards).filter((card) => !card.moderation.hidden);
  const comments = [...board.comments.values()].flat().filter((comment) => !comment.moderation.hidden);
  for (const card of cards) activity.push({ at: card.createdAt, who: member(card.author), kind: 'card' });
  for (const comment of comments) activity.push({ at: comment.createdAt, who: member(comment.author), kind: 'comment' });

  const libraryDoc = get(libraryDocNames(community).library);
  const entries = readEntries(libraryDoc, readStatuses(get(libraryDocNames(community).statuses)));
  for (const entry of entries) activity.push({ at: entry.createdAt, who: member(entry.owner), kind: 'entry' });

  const register = get(registerDocName(community));
  const actions = readActions(actionsOf(register));
  for (const action of actions) {
    activity.push({ at: action.createdAt, who: action.createdBy, kind: 'action-opened' });
    if (action.status === 'done') activity.push({ at: action.updatedAt, who: null, kind: 'action-done' });
  }
  const decisions = readDecisions(decisionsOf(register));
  for (const decision of decisions) activity.push({ at: decision.createdAt, who: decision.createdBy, kind: 'decision' });

  const retroThemes: HealthReport['retroThemes'] = [];
  for (const [name, doc] of docs) {
    const parsed = parseDocName(name);
    if (parsed?.accessClass !== 'shared') continue;
    const kind = doc.getMap(META_ROOT).get('kind');
    if (kind === 'meeting') {
      const control = readControl(controlOf(get(controlDocName(name))));
      if (control.state !== 'ended' || control.endedAt === null) continue;
      activity.push({ at: control.endedAt, who: null, kind: 'meeting', attendees: readAttendees(attendeesOf(doc)).length });
    } else if (kind === 'retro') {
      const names = retroDocNames(community, parsed.id);
      const summary = readRetroSummary(doc, get(names.control), get(names.results));
      if (readRetroControl(retroControlOf(get(names.control))).phase !== 'close') continue;
      const themes = [...summary.topics].sort((a, b) => b.votes - a.votes).slice(0, 3).map((t) => ({ label: t.label, votes: t.votes }));
      retroThemes.push({ title: summary.title, at: Number(doc.getMap(META_ROOT).get('createdAt')) || 0, themes });
    }
  }
  retroThemes.sort((a, b) => a.at - b.at);

  const weeks = weekFigures(activity, now, maxWeeks, cards.length, entries.length);
  const charterVersions = readVersions(get(charterDocNames(community).record));
  const open = charterVersions.find((v) => v.status === 'open') ?? null;
  const last = [...charterVersions].reverse().find((v) => v.status !== 'template' && v.status !== 'open') ?? null;
  return {
    weeks,
    actions: {
      open: actions.filter((a) => a.status === 'open').length, done: actions.filter((a) => a.status === 'done').length,
      overdue: actions.filter((a) => isOverdue(a, today)).length, dropped: actions.filter((a) => a.status === 'dropped').length,
    },
    board: { cards: cards.length, comments: comments.length },
    library: {
      entries: entries.length, verified: entries.filter((e) => e.status === 'verified').length, archived: entries.filter((e) => e.status === 'archived').length,
      reviewDue: entries.filter((e) => e.status !== 'archived' && e.reviewBy !== null && e.reviewBy <= today).length,
    },
    decisions: decisions.length,
    charter: {
      ratifiedVersion: latestRatified(charterVersions)?.number ?? null,
      openRound: open ? { number: open.number, counted: Object.keys(open.ballots).length, electorate: open.electorate } : null,
      lastRound: last ? { number: last.number, status: last.status as RoundStatus } : null,
    },
    retroThemes,
    stories: readStories(libraryDoc),
  };
}

/** The last `maxWeeks` weeks up to now, with cumulative board and library sizes. */
function weekFigures(activity: readonly Activity[], now: number, maxWeeks: number, cardsNow: number, entriesNow: number): WeekFigures[] {
  const lastWeek = weekOf(now);
  const weeks: string[] = [];
  for (let i = maxWeeks - 1; i >= 0; i--) weeks.push(weekOf(Date.parse(`${lastWeek}T00:00:00Z`) - i * WEEK_MS));
  const byWeek = new Map(weeks.map((week) => [week, [] as Activity[]]));
  for (const item of activity) byWeek.get(weekOf(item.at))?.push(item);
  const count = (list: readonly Activity[], kind: Activity['kind']): number => list.filter((a) => a.kind === kind).length;
  // Totals at each week's end: today's totals minus what was added after it.
  const added = (kind: Activity['kind'], after: string): number => activity.filter((a) => a.kind === kind && weekOf(a.at) > after).length;
  return weeks.map((week) => {
    const list = byWeek.get(week)!;
    const meetings = list.filter((a) => a.kind === 'meeting');
    return {
      week,
      contributors: new Set(list.map((a) => a.who).filter((who): who is string => who !== null && who !== '')).size,
      meetings: meetings.length,
      attendance: meetings.length ? Math.round((meetings.reduce((sum, m) => sum + (m.attendees ?? 0), 0) / meetings.length) * 10) / 10 : 0,
      actionsOpened: count(list, 'action-opened'),
      actionsDone: count(list, 'action-done'),
      cardsAdded: count(list, 'card'),
      entriesAdded: count(list, 'entry'),
      cardsTotal: cardsNow - added('card', week),
      entriesTotal: entriesNow - added('entry', week),
    };
  });
}

/** The weekly figures as CSV, for usage analysts (aggregates only). */
export function weeksCsv(weeks: readonly WeekFigures[]): string {
  const columns: Array<keyof WeekFigures> = ['week', 'contributors', 'meetings', 'attendance', 'actionsOpened', 'actionsDone', 'cardsAdded', 'entriesAdded', 'cardsTotal', 'entriesTotal'];
  return `${[columns.join(','), ...weeks.map((w) => columns.map((c) => String(w[c])).join(','))].join('\n')}\n`;
}
