import * as Y from 'yjs';
import { randomId } from '../ids.ts';
import {
  AGENDA_ROOT, AGENDA_STATUSES, ATTENDEES_ROOT, type AgendaItem, type AgendaStatus, type Attendee,
} from '../schema/meeting.ts';
import { keysForMove, NEW_ENTRY, sortOrdered } from './order.ts';

/**
 * Reading and changing a meeting's agenda and attendees. Readers validate every field: a
 * document may hold what a modified client wrote, and a bad entry is skipped, never thrown on.
 */
export const MAX_AGENDA_TITLE_CHARS = 200;
export const MAX_TIMEBOX_MINUTES = 600;

export function agendaOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(AGENDA_ROOT);
}

function readItem(id: string, map: unknown): AgendaItem | null {
  if (!(map instanceof Y.Map)) return null;
  const title = map.get('title');
  const order = map.get('order');
  if (typeof title !== 'string' || typeof order !== 'string') return null;
  const timebox = map.get('timeboxMinutes');
  const presenter = map.get('presenter');
  const status = map.get('status');
  const carriedFrom = map.get('carriedFrom');
  return {
    id, title, order,
    timeboxMinutes: typeof timebox === 'number' && timebox >= 0 ? Math.min(timebox, MAX_TIMEBOX_MINUTES) : 0,
    presenter: typeof presenter === 'string' ? presenter : '',
    status: (AGENDA_STATUSES as readonly unknown[]).includes(status) ? status as AgendaStatus : 'upcoming',
    ...(typeof carriedFrom === 'string' ? { carriedFrom } : {}),
  };
}

/** The agenda in order. */
export function readAgenda(agenda: Y.Map<Y.Map<unknown>>): AgendaItem[] {
  const items: AgendaItem[] = [];
  agenda.forEach((map, id) => {
    const item = readItem(id, map);
    if (item) items.push(item);
  });
  return sortOrdered(items);
}

export type AgendaFields = Pick<AgendaItem, 'title' | 'timeboxMinutes' | 'presenter'> & Partial<Pick<AgendaItem, 'status' | 'carriedFrom'>>;

function applyKeys(agenda: Y.Map<Y.Map<unknown>>, keys: Map<string, string>): void {
  for (const [id, key] of keys) if (id !== NEW_ENTRY) agenda.get(id)?.set('order', key);
}

function fillItem(map: Y.Map<unknown>, fields: AgendaFields & { order: string }): void {
  map.set('title', fields.title.slice(0, MAX_AGENDA_TITLE_CHARS));
  map.set('timeboxMinutes', clampTimebox(fields.timeboxMinutes));
  map.set('presenter', fields.presenter.slice(0, MAX_AGENDA_TITLE_CHARS));
  map.set('status', fields.status ?? 'upcoming');
  map.set('order', fields.order);
  if (fields.carriedFrom) map.set('carriedFrom', fields.carriedFrom);
}

export function clampTimebox(minutes: number): number {
  return Number.isFinite(minutes) ? Math.max(0, Math.min(Math.round(minutes), MAX_TIMEBOX_MINUTES)) : 0;
}

/**
 * Adds an item at the end, under `id` (random by default). An id chosen by the caller makes the
 * add idempotent across members: carrying an item over uses the source item's id, so two members
 * carrying it at once write one entry.
 */
export function addAgendaItem(doc: Y.Doc, fields: AgendaFields, id = randomId()): string {
  const agenda = agendaOf(doc);
  doc.transact(() => {
    const items = readAgenda(agenda);
    const keys = keysForMove(items, null, items.length);
    applyKeys(agenda, keys);
    const map = new Y.Map<unknown>();
    agenda.set(id, map);
    fillItem(map, { ...fields, order: keys.get(NEW_ENTRY)! });
  });
  return id;
}

export function updateAgendaItem(doc: Y.Doc, id: string, change: Partial<AgendaFields>): void {
  const map = agendaOf(doc).get(id);
  if (!map) return;
  doc.transact(() => {
    if (change.title !== undefined) map.set('title', change.title.slice(0, MAX_AGENDA_TITLE_CHARS));
    if (change.timeboxMinutes !== undefined) map.set('timeboxMinutes', clampTimebox(change.timeboxMinutes));
    if (change.presenter !== undefined) map.set('presenter', change.presenter.slice(0, MAX_AGENDA_TITLE_CHARS));
    if (change.status !== undefined) map.set('status', change.status);
  });
}

/** Moves an item to `toIndex` of the agenda as it would be without it. */
export function moveAgendaItem(doc: Y.Doc, id: string, toIndex: number): void {
  const agenda = agendaOf(doc);
  if (!agenda.has(id)) return;
  doc.transact(() => applyKeys(agenda, keysForMove(readAgenda(agenda), id, toIndex)));
}

export function removeAgendaItem(doc: Y.Doc, id: string): void {
  agendaOf(doc).delete(id);
}

export function attendeesOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ATTENDEES_ROOT);
}

export function readAttendees(map: Y.Map<unknown>): Array<Attendee & { key: string }> {
  const list: Array<Attendee & { key: string }> = [];
  map.forEach((value, key) => {
    const v = value as Partial<Attendee> | null;
    if (typeof v?.name !== 'string') return;
    list.push({
      key, name: v.name, color: typeof v.color === 'string' ? v.color : '#666',
      source: v.source === 'manual' ? 'manual' : 'presence',
    });
  });
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds an attendee unless they are listed already (so a member's own entry is written once). */
export function addAttendee(doc: Y.Doc, key: string, attendee: Attendee): void {
  const map = attendeesOf(doc);
  if (!map.has(key)) map.set(key, { name: attendee.name.slice(0, 80), color: attendee.color, source: attendee.source });
}
