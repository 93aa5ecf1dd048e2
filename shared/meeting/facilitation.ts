import type * as Y from 'yjs';
import type { TimerState } from '../schema/meeting.ts';
import { agendaOf, readAgenda, updateAgendaItem } from './agenda.ts';
import { controlOf, extendTimer, pauseTimer, readControl, resumeTimer, startTimer } from './control.ts';

/**
 * What a facilitator does to run a meeting. The control document holds the meeting's state,
 * current item and timer (only facilitators may write it); an item's `done` status lives in the
 * meeting document, which every member writes. `now` is server time (serverClock.ts).
 */
const MINUTE_MS = 60_000;

function timerFor(meeting: Y.Doc, itemId: string | null, now: number): TimerState | null {
  const item = readAgenda(agendaOf(meeting)).find((i) => i.id === itemId);
  return item && item.timeboxMinutes > 0 ? startTimer(item.timeboxMinutes * MINUTE_MS, item.id, now) : null;
}

/** The current item becomes done; `next` becomes current, with its timebox on the timer. */
export function makeCurrent(meeting: Y.Doc, control: Y.Doc, next: string | null, now: number): void {
  const map = controlOf(control);
  const previous = readControl(map).currentItem;
  if (previous && previous !== next) updateAgendaItem(meeting, previous, { status: 'done' });
  if (next) updateAgendaItem(meeting, next, { status: 'upcoming' });
  control.transact(() => {
    map.set('currentItem', next);
    map.set('timer', timerFor(meeting, next, now));
  });
}

export function firstUndone(meeting: Y.Doc): string | null {
  return readAgenda(agendaOf(meeting)).find((item) => item.status !== 'done')?.id ?? null;
}

/** The item after the current one that is not done yet, or null at the end of the agenda. */
export function nextUndone(meeting: Y.Doc, current: string | null): string | null {
  const items = readAgenda(agendaOf(meeting));
  const from = items.findIndex((item) => item.id === current);
  return items.slice(from + 1).find((item) => item.status !== 'done')?.id ?? null;
}

export function startMeeting(meeting: Y.Doc, control: Y.Doc, now: number): void {
  const map = controlOf(control);
  control.transact(() => {
    map.set('state', 'running');
    if (typeof map.get('startedAt') !== 'number') map.set('startedAt', now);
    map.set('endedAt', null);
  });
  if (!readControl(map).currentItem) makeCurrent(meeting, control, firstUndone(meeting), now);
}

export function endMeeting(meeting: Y.Doc, control: Y.Doc, now: number): void {
  makeCurrent(meeting, control, null, now);
  const map = controlOf(control);
  control.transact(() => {
    map.set('state', 'ended');
    map.set('endedAt', now);
  });
}

export type TimerAction = 'pause' | 'resume' | 'add-minute' | 'restart';

export function changeTimer(meeting: Y.Doc, control: Y.Doc, action: TimerAction, now: number): void {
  const map = controlOf(control);
  const { timer, currentItem } = readControl(map);
  if (action === 'restart') {
    map.set('timer', timerFor(meeting, currentItem, now) ?? (timer ? startTimer(timer.durationMs, timer.itemId, now) : null));
    return;
  }
  if (!timer) {
    if (action === 'add-minute') map.set('timer', startTimer(MINUTE_MS, currentItem, now));
    return;
  }
  const next = action === 'pause' ? pauseTimer(timer, now) : action === 'resume' ? resumeTimer(timer, now) : extendTimer(timer, MINUTE_MS);
  map.set('timer', next);
}
