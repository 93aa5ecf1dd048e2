import * as Y from 'yjs';
import { randomId } from '../ids.ts';
import {
  ACTIONS_ROOT, DECISIONS_ROOT, isActionStatus, isIsoDate, MAX_ENTRY_TEXT_CHARS,
  type ActionItem, type ActionStatus, type Decision, type EntrySource,
} from '../schema/register.ts';
import { num, str } from '../ymap.ts';

/**
 * The shared action-item and decision model (schema/register.ts): meetings and retrospectives
 * write entries through these functions, the tracker and the register read them. Readers skip
 * entries with missing or mistyped fields rather than throw.
 */
type Entries = Y.Map<Y.Map<unknown>>;

export function actionsOf(doc: Y.Doc): Entries {
  return doc.getMap(ACTIONS_ROOT);
}

export function decisionsOf(doc: Y.Doc): Entries {
  return doc.getMap(DECISIONS_ROOT);
}


function readSource(map: Y.Map<unknown>): EntrySource | null {
  const source = str(map, 'source');
  if (source === null) return null;
  return {
    source, sourceTitle: str(map, 'sourceTitle') ?? '',
    agendaItem: str(map, 'agendaItem'), agendaTitle: str(map, 'agendaTitle'),
  };
}

export function readAction(id: string, map: unknown): ActionItem | null {
  if (!(map instanceof Y.Map)) return null;
  const text = str(map, 'text');
  const source = readSource(map);
  const status = map.get('status');
  if (text === null || source === null) return null;
  const due = map.get('due');
  return {
    id, text, ...source,
    ownerKey: str(map, 'ownerKey'), ownerName: str(map, 'ownerName'),
    due: isIsoDate(due) ? due : null,
    status: isActionStatus(status) ? status : 'open',
    createdAt: num(map, 'createdAt'), createdBy: str(map, 'createdBy') ?? '', updatedAt: num(map, 'updatedAt'),
  };
}

export function readDecision(id: string, map: unknown): Decision | null {
  if (!(map instanceof Y.Map)) return null;
  const text = str(map, 'text');
  const source = readSource(map);
  const date = map.get('date');
  if (text === null || source === null) return null;
  return {
    id, text, ...source,
    decidedBy: str(map, 'decidedBy') ?? '', date: isIsoDate(date) ? date : '',
    createdAt: num(map, 'createdAt'), createdBy: str(map, 'createdBy') ?? '',
  };
}

function readAll<T extends { createdAt: number; id: string }>(entries: Entries, read: (id: string, map: unknown) => T | null): T[] {
  const list: T[] = [];
  entries.forEach((map, id) => {
    const entry = read(id, map);
    if (entry) list.push(entry);
  });
  return list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

export const readActions = (entries: Entries): ActionItem[] => readAll(entries, readAction);
export const readDecisions = (entries: Entries): Decision[] => readAll(entries, readDecision);

function write(map: Y.Map<unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    map.set(key, typeof value === 'string' ? value.slice(0, MAX_ENTRY_TEXT_CHARS) : value);
  }
}

export type NewAction = Pick<ActionItem, 'text' | 'ownerKey' | 'ownerName' | 'due' | 'createdBy'> & EntrySource;

export function addAction(doc: Y.Doc, action: NewAction, now = Date.now(), id = randomId()): string {
  const map = new Y.Map<unknown>();
  doc.transact(() => {
    actionsOf(doc).set(id, map);
    write(map, { ...action, status: 'open' satisfies ActionStatus, createdAt: now, updatedAt: now });
  });
  return id;
}

export type ActionChange = Partial<Pick<ActionItem, 'text' | 'ownerKey' | 'ownerName' | 'due' | 'status'>>;

/** Changes only the given fields, so concurrent changes to other fields of the action survive. */
export function updateAction(doc: Y.Doc, id: string, change: ActionChange, now = Date.now()): void {
  const map = actionsOf(doc).get(id);
  if (!map) return;
  doc.transact(() => write(map, { ...change, updatedAt: now }));
}

export type NewDecision = Pick<Decision, 'text' | 'decidedBy' | 'date' | 'createdBy'> & EntrySource;

export function addDecision(doc: Y.Doc, decision: NewDecision, now = Date.now(), id = randomId()): string {
  const map = new Y.Map<unknown>();
  doc.transact(() => {
    decisionsOf(doc).set(id, map);
    write(map, { ...decision, createdAt: now });
  });
  return id;
}

export function updateDecision(doc: Y.Doc, id: string, change: Partial<Pick<Decision, 'text' | 'decidedBy' | 'date'>>): void {
  const map = decisionsOf(doc).get(id);
  if (map) doc.transact(() => write(map, change));
}

export function removeDecision(doc: Y.Doc, id: string): void {
  decisionsOf(doc).delete(id);
}

/** An open action whose due date (YYYY-MM-DD, the member's calendar) is before `today`. */
export function isOverdue(action: ActionItem, today: string): boolean {
  return action.status === 'open' && action.due !== null && action.due < today;
}
