/**
 * The community register: one shared document per community holding every decision and action
 * item, whichever meeting (or, later, retrospective) recorded it. Each entry is a nested Y.Map,
 * so two members changing different fields of one action offline (one marks it done, the other
 * moves its due date) both keep their change; the same field is last-writer-wins.
 *
 *   <community>.shared.register   roots: actions, decisions
 */
import { formatDocName } from '../docNames.ts';

export const REGISTER_ID = 'register';
export const ACTIONS_ROOT = 'actions';
export const DECISIONS_ROOT = 'decisions';

export function registerDocName(community: string): string {
  return formatDocName({ community, accessClass: 'shared', id: REGISTER_ID });
}

export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export function isActionStatus(value: unknown): value is ActionStatus {
  return (ACTION_STATUSES as readonly unknown[]).includes(value);
}

/** Where an entry was recorded: a meeting document and, optionally, one of its agenda items. */
export interface EntrySource {
  /** The recording document's name (a meeting's shared document). */
  source: string;
  /** Its title when recorded, so the register reads well before that document is opened. */
  sourceTitle: string;
  agendaItem: string | null;
  agendaTitle: string | null;
}

export interface ActionItem extends EntrySource {
  id: string;
  text: string;
  /** memberKey (schema/meeting.ts) of the owner, and their name as shown. */
  ownerKey: string | null;
  ownerName: string | null;
  /** `YYYY-MM-DD`, or null for no due date. */
  due: string | null;
  status: ActionStatus;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

export interface Decision extends EntrySource {
  id: string;
  text: string;
  /** Who decided, as written ("the group", "Ada and Grace"). */
  decidedBy: string;
  /** `YYYY-MM-DD`. */
  date: string;
  createdAt: number;
  createdBy: string;
}

export const MAX_ENTRY_TEXT_CHARS = 2000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day as `YYYY-MM-DD` (Date.parse would roll 2026-02-30 over into March). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}
