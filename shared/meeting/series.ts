import type * as Y from 'yjs';
import { parseDocName } from '../docNames.ts';
import { META_ROOT, SCHEMA_VERSION } from '../schema/documents.ts';
import {
  CARRIED_ACTIONS_ROOT, isCadence, seriesMeetingName, type Cadence, type MeetingMetaFields,
} from '../schema/meeting.ts';
import { addAgendaItem, agendaOf, readAgenda } from './agenda.ts';
import { actionsOf, readActions } from './register.ts';

/**
 * Recurring meetings. A series is the chain of meetings that share a `seriesId`; the next
 * meeting's document name follows from the series and the occurrence number, so members who
 * create it at the same time — online or offline — all write into one document, and every
 * carried entry is keyed by its source id: each appears exactly once, however many members
 * carried it.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SeriesInfo {
  seriesId: string;
  cadence: Cadence;
  occurrence: number;
  startsAt: number | null;
  previous: string | null;
}

export function readMeetingMeta(meta: Y.Map<unknown>): MeetingMetaFields & { title: string } {
  const get = (key: string): unknown => meta.get(key);
  const title = get('title');
  const startsAt = get('startsAt');
  const seriesId = get('seriesId');
  const occurrence = get('occurrence');
  const previous = get('previous');
  const cadence = get('cadence');
  return {
    title: typeof title === 'string' ? title : '',
    ...(typeof startsAt === 'number' && Number.isFinite(startsAt) ? { startsAt } : {}),
    ...(typeof seriesId === 'string' ? { seriesId } : {}),
    ...(isCadence(cadence) ? { cadence } : {}),
    ...(typeof occurrence === 'number' && Number.isInteger(occurrence) && occurrence > 0 ? { occurrence } : {}),
    ...(typeof previous === 'string' ? { previous } : {}),
  };
}

export function seriesOf(meta: Y.Map<unknown>): SeriesInfo | null {
  const m = readMeetingMeta(meta);
  if (!m.seriesId || !m.cadence) return null;
  return { seriesId: m.seriesId, cadence: m.cadence, occurrence: m.occurrence ?? 1, startsAt: m.startsAt ?? null, previous: m.previous ?? null };
}

/**
 * The start one cadence later; "monthly" keeps the day of the month (clamped to the month's end).
 * Computed in UTC so every member's device derives the same date, whatever its time zone.
 */
export function nextStart(startsAt: number, cadence: Cadence): number {
  if (cadence === 'weekly') return startsAt + 7 * DAY_MS;
  if (cadence === 'fortnightly') return startsAt + 14 * DAY_MS;
  const date = new Date(startsAt);
  const day = date.getUTCDate();
  const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1,
    date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next.getTime();
}

/** Makes a meeting the first of a series (its id becomes the series id), or changes the cadence. */
export function setCadence(doc: Y.Doc, docName: string, cadence: Cadence | null): void {
  const meta = doc.getMap(META_ROOT);
  const id = parseDocName(docName)?.id;
  if (!id) return;
  doc.transact(() => {
    if (cadence === null) {
      meta.delete('cadence');
      return;
    }
    meta.set('cadence', cadence);
    if (typeof meta.get('seriesId') !== 'string') {
      meta.set('seriesId', id);
      meta.set('occurrence', 1);
    }
  });
}

export function nextMeetingName(previousName: string, series: SeriesInfo): string {
  const community = parseDocName(previousName)?.community;
  if (!community) throw new RangeError(`not a document name: ${previousName}`);
  return seriesMeetingName(community, series.seriesId, series.occurrence + 1);
}

/** Open actions carried into a meeting: recorded in it, or carried into it, and still open. */
export function openActionsOf(meetingName: string, meeting: Y.Doc, register: Y.Doc): string[] {
  const carried = meeting.getMap(CARRIED_ACTIONS_ROOT);
  return readActions(actionsOf(register))
    .filter((a) => a.status === 'open' && (a.source === meetingName || carried.has(a.id)))
    .map((a) => a.id);
}

/**
 * Writes the next meeting of `previous`'s series into `next`: its meta, the agenda items not yet
 * done (under their own ids, without their notes, which stay in the earlier meeting), and the
 * open actions of the earlier meeting. Safe to run by several members and more than once.
 */
export function carryOver(
  previousName: string, previous: Y.Doc, register: Y.Doc, next: Y.Doc, now = Date.now(),
): void {
  const prevMeta = previous.getMap(META_ROOT);
  const series = seriesOf(prevMeta);
  if (!series) throw new Error('the meeting is not part of a series');
  const meta = next.getMap(META_ROOT);
  const fields: Record<string, unknown> = {
    kind: 'meeting', schemaVersion: SCHEMA_VERSION, title: readMeetingMeta(prevMeta).title,
    seriesId: series.seriesId, cadence: series.cadence, occurrence: series.occurrence + 1, previous: previousName,
    startsAt: nextStart(series.startsAt ?? now, series.cadence),
  };
  next.transact(() => {
    if (!meta.has('createdAt')) meta.set('createdAt', now);
    for (const [key, value] of Object.entries(fields)) if (!meta.has(key)) meta.set(key, value);
    const agenda = agendaOf(next);
    for (const item of readAgenda(agendaOf(previous))) {
      if (item.status === 'done' || agenda.has(item.id)) continue;
      addAgendaItem(next, { title: item.title, timeboxMinutes: item.timeboxMinutes, presenter: item.presenter, carriedFrom: previousName }, item.id);
    }
    const carried = next.getMap(CARRIED_ACTIONS_ROOT);
    for (const id of openActionsOf(previousName, previous, register)) {
      if (!carried.has(id)) carried.set(id, { from: previousName });
    }
  });
}
