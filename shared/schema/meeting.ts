/**
 * A meeting (issue 4) is two documents with one id:
 *
 *   <community>.shared.<id>   the meeting: meta, agenda, attendees, notes (members write)
 *   <community>.control.<id>  its control: state, current item, timer (facilitators write)
 *
 * Decisions and action items live in the community's register (register.ts), so the decision
 * register and the action tracker are one document each member holds, readable offline, and
 * retrospectives add action items to the same model.
 */
import { formatDocName, parseDocName } from '../docNames.ts';

/** Meeting document roots besides `meta` (documents.ts) and the general `notes` fragment. */
export const AGENDA_ROOT = 'agenda';
export const ATTENDEES_ROOT = 'attendees';
/** actionId → the meeting it was carried from: a map, so a carried action appears once. */
export const CARRIED_ACTIONS_ROOT = 'carriedActions';

/** Each agenda item's co-edited notes are a root fragment of their own, bound to one Tiptap editor. */
export function agendaNotesField(itemId: string): string {
  return `agenda-notes:${itemId}`;
}

/** Extra `meta` fields of a meeting (all optional: a one-off meeting has none of the series ones). */
export interface MeetingMetaFields {
  /** When the meeting is planned to start (ms since the epoch). */
  startsAt?: number;
  /** A recurring meeting: the id shared by every meeting of the series, and its cadence. */
  seriesId?: string;
  cadence?: Cadence;
  /** 1 for the series' first meeting; the next one is `<seriesId>-<occurrence + 1>`. */
  occurrence?: number;
  /** The meeting this one follows in its series (a document name). */
  previous?: string;
}

export const CADENCES = ['weekly', 'fortnightly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];
export function isCadence(value: unknown): value is Cadence {
  return (CADENCES as readonly unknown[]).includes(value);
}

/** `upcoming` and `done` are stored; `current` is the control document's `currentItem`. */
export const AGENDA_STATUSES = ['upcoming', 'done'] as const;
export type AgendaStatus = (typeof AGENDA_STATUSES)[number];

/** One agenda item: a Y.Map with these fields, keyed by its id in the `agenda` map. */
export interface AgendaItem {
  id: string;
  title: string;
  /** Minutes allotted; 0 for none. */
  timeboxMinutes: number;
  presenter: string;
  status: AgendaStatus;
  /** Fractional order key (order.ts); ties broken by id, so every member sorts alike. */
  order: string;
  /** Set on an item carried over from an earlier meeting of the series (its document name). */
  carriedFrom?: string;
}

/** An attendee, keyed by member key (memberKey below): joined from presence or added by hand. */
export interface Attendee {
  name: string;
  color: string;
  /** `presence`: added when the member opened the running meeting; `manual`: added by someone. */
  source: 'presence' | 'manual';
}

/**
 * Who a member is, as one string: their member id in a community with tokens, their display
 * name in the open `home` community (which has no member ids).
 */
export function memberKey(memberId: string | null, name: string): string {
  return memberId ? `m:${memberId}` : `n:${name.trim().toLowerCase()}`;
}

/** The control document's one root: a Y.Map with the fields of MeetingControl. */
export const CONTROL_ROOT = 'control';
export const MEETING_STATES = ['scheduled', 'running', 'ended'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

/**
 * A shared timer, anchored on server time (ms since the epoch by the relay's clock, see
 * client/collab/serverClock.ts): while running, remaining = durationMs − elapsedMs − (serverNow −
 * runningSince). Every member computes the same figure from the same fields.
 */
export interface TimerState {
  itemId: string | null;
  durationMs: number;
  /** Server time the timer last started or resumed; null while paused. */
  runningSince: number | null;
  /** Time run before `runningSince` (pauses keep it). */
  elapsedMs: number;
}

export interface MeetingControl {
  state: MeetingState;
  startedAt: number | null;
  endedAt: number | null;
  currentItem: string | null;
  timer: TimerState | null;
}

export function controlDocName(meetingDocName: string): string {
  const name = parseDocName(meetingDocName);
  if (!name) throw new RangeError(`not a document name: ${meetingDocName}`);
  return formatDocName({ ...name, accessClass: 'control' });
}

/** The next meeting of a series has a name every member derives alike, online or offline. */
export function seriesMeetingName(community: string, seriesId: string, occurrence: number): string {
  return formatDocName({ community, accessClass: 'shared', id: `${seriesId}-${occurrence}` });
}
