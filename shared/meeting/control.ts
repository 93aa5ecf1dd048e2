import type * as Y from 'yjs';
import {
  CONTROL_ROOT, MEETING_STATES, type MeetingControl, type MeetingState, type TimerState,
} from '../schema/meeting.ts';

/**
 * The meeting's control document (facilitators write it; the relay makes it read-only for
 * everyone else) and the shared timer. Times are server times: callers pass `serverNow` from
 * the client's server clock, so members whose own clocks disagree still show the same figure.
 */
export function controlOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(CONTROL_ROOT);
}

function readTimer(value: unknown): TimerState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.durationMs !== 'number' || typeof v.elapsedMs !== 'number') return null;
  return {
    itemId: typeof v.itemId === 'string' ? v.itemId : null,
    durationMs: v.durationMs,
    elapsedMs: v.elapsedMs,
    runningSince: typeof v.runningSince === 'number' ? v.runningSince : null,
  };
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** A control document nobody has written yet. */
export const NOT_STARTED: MeetingControl = { state: 'scheduled', startedAt: null, endedAt: null, currentItem: null, timer: null };

export function readControl(map: Y.Map<unknown>): MeetingControl {
  const state = map.get('state');
  const current = map.get('currentItem');
  return {
    state: (MEETING_STATES as readonly unknown[]).includes(state) ? state as MeetingState : 'scheduled',
    startedAt: numberOrNull(map.get('startedAt')),
    endedAt: numberOrNull(map.get('endedAt')),
    currentItem: typeof current === 'string' ? current : null,
    timer: readTimer(map.get('timer')),
  };
}

/** Milliseconds left (negative once overrun). */
export function remainingMs(timer: TimerState, serverNow: number): number {
  const running = timer.runningSince === null ? 0 : Math.max(0, serverNow - timer.runningSince);
  return timer.durationMs - timer.elapsedMs - running;
}

export function startTimer(durationMs: number, itemId: string | null, serverNow: number): TimerState {
  return { itemId, durationMs, elapsedMs: 0, runningSince: serverNow };
}

export function pauseTimer(timer: TimerState, serverNow: number): TimerState {
  if (timer.runningSince === null) return timer;
  return { ...timer, elapsedMs: timer.elapsedMs + Math.max(0, serverNow - timer.runningSince), runningSince: null };
}

export function resumeTimer(timer: TimerState, serverNow: number): TimerState {
  return timer.runningSince === null ? { ...timer, runningSince: serverNow } : timer;
}

export function extendTimer(timer: TimerState, byMs: number): TimerState {
  return { ...timer, durationMs: Math.max(0, timer.durationMs + byMs) };
}

/** `mm:ss`, with a leading `+` once overrun (`+01:05` is 65 s over). */
export function formatRemaining(ms: number): string {
  const over = ms < 0;
  // Round towards "more time left" so a fresh 5-minute timer reads 05:00, not 04:59.
  const seconds = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const text = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  return over ? `+${text}` : text;
}
