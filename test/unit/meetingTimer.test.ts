import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgendaItem, agendaOf, readAgenda, removeAgendaItem, type AgendaFields } from '../../shared/meeting/agenda.ts';
import {
  controlOf, extendTimer, formatRemaining, NOT_STARTED, pauseTimer, readControl, remainingMs, resumeTimer, startTimer,
} from '../../shared/meeting/control.ts';
import {
  changeTimer, endMeeting, firstUndone, makeCurrent, nextUndone, startMeeting,
} from '../../shared/meeting/facilitation.ts';
import { controlDocName, type TimerState } from '../../shared/schema/meeting.ts';

/**
 * [M3] The shared timer and the facilitator's moves. Timer fields are anchored on server time, so
 * every member computes the same remaining time from the same fields; the tests pass explicit
 * `now` values (server time) rather than reading any clock.
 */

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const T0 = 1_767_711_600_000; // an arbitrary server time

const item = (title: string, timeboxMinutes: number, status?: AgendaFields['status']): AgendaFields =>
  ({ title, timeboxMinutes, presenter: '', ...(status ? { status } : {}) });

function statuses(meeting: Y.Doc): Record<string, string> {
  return Object.fromEntries(readAgenda(agendaOf(meeting)).map((i) => [i.id, i.status]));
}

/** A meeting and its control document (separate docs: only facilitators may write the control). */
function meetingWith(...items: Array<[id: string, fields: AgendaFields]>): { meeting: Y.Doc; control: Y.Doc } {
  const meeting = new Y.Doc();
  for (const [id, fields] of items) addAgendaItem(meeting, fields, id);
  return { meeting, control: new Y.Doc() };
}

describe('[M3] timer arithmetic', () => {
  it('[M3] a started timer counts down by server time and overruns into negative', () => {
    const timer = startTimer(5 * MINUTE_MS, 'budget', T0);
    expect(timer).toEqual({ itemId: 'budget', durationMs: 5 * MINUTE_MS, elapsedMs: 0, runningSince: T0 });
    expect(remainingMs(timer, T0)).toBe(5 * MINUTE_MS);
    expect(remainingMs(timer, T0 + 61 * SECOND_MS)).toBe(4 * MINUTE_MS - SECOND_MS);
    expect(remainingMs(timer, T0 + 6 * MINUTE_MS + 5 * SECOND_MS)).toBe(-65 * SECOND_MS);
  });

  it('[M3] a member whose server-time estimate is behind the start sees the full duration, not more', () => {
    const timer = startTimer(5 * MINUTE_MS, null, T0);
    expect(remainingMs(timer, T0 - 3 * SECOND_MS)).toBe(5 * MINUTE_MS);
    expect(pauseTimer(timer, T0 - 3 * SECOND_MS).elapsedMs).toBe(0);
  });

  it('[M3] pause freezes the remaining time; resume continues from it', () => {
    const started = startTimer(5 * MINUTE_MS, 'x', T0);
    const paused = pauseTimer(started, T0 + 90 * SECOND_MS);
    expect(paused).toEqual({ itemId: 'x', durationMs: 5 * MINUTE_MS, elapsedMs: 90 * SECOND_MS, runningSince: null });
    expect(remainingMs(paused, T0 + 90 * SECOND_MS)).toBe(210 * SECOND_MS);
    expect(remainingMs(paused, T0 + 60 * MINUTE_MS)).toBe(210 * SECOND_MS);

    const resumed = resumeTimer(paused, T0 + 10 * MINUTE_MS);
    expect(resumed.runningSince).toBe(T0 + 10 * MINUTE_MS);
    expect(remainingMs(resumed, T0 + 10 * MINUTE_MS + 10 * SECOND_MS)).toBe(200 * SECOND_MS);
    const pausedAgain = pauseTimer(resumed, T0 + 10 * MINUTE_MS + 30 * SECOND_MS);
    expect(pausedAgain.elapsedMs).toBe(120 * SECOND_MS);
  });

  it('[M3] pausing a paused timer and resuming a running one change nothing', () => {
    const running = startTimer(MINUTE_MS, null, T0);
    const paused = pauseTimer(running, T0 + SECOND_MS);
    expect(pauseTimer(paused, T0 + 9 * SECOND_MS)).toBe(paused);
    expect(resumeTimer(running, T0 + 9 * SECOND_MS)).toBe(running);
  });

  it('[M3] extend adds to the duration, running or paused, and never goes below zero', () => {
    const running = startTimer(5 * MINUTE_MS, null, T0);
    expect(remainingMs(extendTimer(running, MINUTE_MS), T0 + MINUTE_MS)).toBe(5 * MINUTE_MS);
    const paused = pauseTimer(running, T0 + MINUTE_MS);
    expect(remainingMs(extendTimer(paused, MINUTE_MS), T0 + 30 * MINUTE_MS)).toBe(5 * MINUTE_MS);
    expect(extendTimer(running, -10 * MINUTE_MS).durationMs).toBe(0);
  });

  it.each([
    [5 * MINUTE_MS, '05:00'],
    [5 * MINUTE_MS - 1, '05:00'],
    [5 * MINUTE_MS - SECOND_MS - 1, '04:59'],
    [59_001, '01:00'],
    [999, '00:01'],
    [0, '00:00'],
    [-1, '+00:00'],
    [-999, '+00:00'],
    [-SECOND_MS, '+00:01'],
    [-65 * SECOND_MS, '+01:05'],
    [-65 * SECOND_MS - 999, '+01:05'],
    [60 * MINUTE_MS, '60:00'],
    [100 * MINUTE_MS, '100:00'],
  ])('[M3] formatRemaining(%d) is %s', (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });

  it('[M3] a fresh 5-minute timer reads 05:00 and reads +01:05 when 65 s over', () => {
    const timer = startTimer(5 * MINUTE_MS, null, T0);
    expect(formatRemaining(remainingMs(timer, T0))).toBe('05:00');
    expect(formatRemaining(remainingMs(timer, T0 + 400))).toBe('05:00');
    expect(formatRemaining(remainingMs(timer, T0 + 6 * MINUTE_MS + 5 * SECOND_MS))).toBe('+01:05');
  });
});

describe('[M3] control document', () => {
  it('[M3] a control document nobody wrote reads as NOT_STARTED', () => {
    expect(readControl(controlOf(new Y.Doc()))).toEqual(NOT_STARTED);
  });

  it('[M3] readControl replaces malformed fields with defaults', () => {
    const map = controlOf(new Y.Doc());
    for (const [key, value] of Object.entries({ state: 'paused', startedAt: '9', endedAt: {}, currentItem: 3, timer: { durationMs: '60000', elapsedMs: 0 } })) {
      map.set(key, value);
    }
    expect(readControl(map)).toEqual(NOT_STARTED);
    map.set('timer', { durationMs: 60_000, elapsedMs: 5, itemId: 7, runningSince: 'soon' });
    expect(readControl(map).timer).toEqual({ itemId: null, durationMs: 60_000, elapsedMs: 5, runningSince: null });
    map.set('timer', 'running');
    expect(readControl(map).timer).toBeNull();
  });

  it('[M3] the control document of a meeting has the same community and id, access class control', () => {
    expect(controlDocName('home.shared.k3x9q2m7a1b4')).toBe('home.control.k3x9q2m7a1b4');
    expect(() => controlDocName('home/shared/x')).toThrow(RangeError);
  });
});

describe('[M3] facilitation', () => {
  it('[M3] startMeeting runs the meeting, picks the first undone item and starts its timebox', () => {
    const { meeting, control } = meetingWith(['welcome', item('Welcome', 5, 'done')], ['budget', item('Budget', 15)], ['hiring', item('Hiring', 10)]);
    startMeeting(meeting, control, T0);
    expect(readControl(controlOf(control))).toEqual({
      state: 'running', startedAt: T0, endedAt: null, currentItem: 'budget', timer: startTimer(15 * MINUTE_MS, 'budget', T0),
    });
    // The meeting document is unchanged: the current item is the control's, not a stored status.
    expect(statuses(meeting)).toEqual({ welcome: 'done', budget: 'upcoming', hiring: 'upcoming' });
  });

  it('[M3] an item without a timebox runs without a timer; an empty agenda has no current item', () => {
    const untimed = meetingWith(['chat', item('Open chat', 0)]);
    startMeeting(untimed.meeting, untimed.control, T0);
    expect(readControl(controlOf(untimed.control))).toMatchObject({ currentItem: 'chat', timer: null });
    const empty = meetingWith();
    startMeeting(empty.meeting, empty.control, T0);
    expect(readControl(controlOf(empty.control))).toMatchObject({ state: 'running', currentItem: null, timer: null });
  });

  it('[M3] starting again keeps the first start time and the current item', () => {
    const { meeting, control } = meetingWith(['a', item('A', 5)], ['b', item('B', 5)]);
    startMeeting(meeting, control, T0);
    makeCurrent(meeting, control, 'b', T0 + MINUTE_MS);
    startMeeting(meeting, control, T0 + 2 * MINUTE_MS);
    expect(readControl(controlOf(control))).toMatchObject({ startedAt: T0, currentItem: 'b', timer: startTimer(5 * MINUTE_MS, 'b', T0 + MINUTE_MS) });
  });

  it('[M3] makeCurrent marks the previous current item done and starts the next one\'s timebox', () => {
    const { meeting, control } = meetingWith(['a', item('A', 5)], ['b', item('B', 10)], ['c', item('C', 0)]);
    startMeeting(meeting, control, T0);
    makeCurrent(meeting, control, 'b', T0 + 4 * MINUTE_MS);
    expect(statuses(meeting)).toEqual({ a: 'done', b: 'upcoming', c: 'upcoming' });
    expect(readControl(controlOf(control))).toMatchObject({ currentItem: 'b', timer: startTimer(10 * MINUTE_MS, 'b', T0 + 4 * MINUTE_MS) });
  });

  it('[M3] going back to a done item reopens it; making the current item current again restarts its timer only', () => {
    const { meeting, control } = meetingWith(['a', item('A', 5)], ['b', item('B', 10)]);
    startMeeting(meeting, control, T0);
    makeCurrent(meeting, control, 'b', T0 + MINUTE_MS);
    makeCurrent(meeting, control, 'a', T0 + 2 * MINUTE_MS);
    expect(statuses(meeting)).toEqual({ a: 'upcoming', b: 'done' });
    makeCurrent(meeting, control, 'a', T0 + 3 * MINUTE_MS);
    expect(statuses(meeting)).toEqual({ a: 'upcoming', b: 'done' });
    expect(readControl(controlOf(control)).timer).toEqual(startTimer(5 * MINUTE_MS, 'a', T0 + 3 * MINUTE_MS));
  });

  it('[M3] nextUndone is the next item after the current one that is not done, or null at the end', () => {
    const { meeting } = meetingWith(['a', item('A', 5)], ['b', item('B', 5, 'done')], ['c', item('C', 5)], ['d', item('D', 5, 'done')]);
    expect(nextUndone(meeting, 'a')).toBe('c');
    expect(nextUndone(meeting, 'c')).toBeNull();
    expect(nextUndone(meeting, null)).toBe('a');
    expect(firstUndone(meeting)).toBe('a');
    // A current item that another member deleted: start over from the top.
    expect(nextUndone(meeting, 'gone')).toBe('a');
    removeAgendaItem(meeting, 'a');
    expect(firstUndone(meeting)).toBe('c');
  });

  it('[M3] endMeeting marks the current item done, clears current and timer, and records the end', () => {
    const { meeting, control } = meetingWith(['a', item('A', 5)], ['b', item('B', 5)]);
    startMeeting(meeting, control, T0);
    endMeeting(meeting, control, T0 + 30 * MINUTE_MS);
    expect(statuses(meeting)).toEqual({ a: 'done', b: 'upcoming' });
    expect(readControl(controlOf(control))).toEqual({ state: 'ended', startedAt: T0, endedAt: T0 + 30 * MINUTE_MS, currentItem: null, timer: null });
  });

  it('[M3] restarting an ended meeting clears its end and resumes at the first undone item', () => {
    const { meeting, control } = meetingWith(['a', item('A', 5)], ['b', item('B', 7)]);
    startMeeting(meeting, control, T0);
    endMeeting(meeting, control, T0 + MINUTE_MS);
    startMeeting(meeting, control, T0 + 2 * MINUTE_MS);
    expect(readControl(controlOf(control))).toEqual({
      state: 'running', startedAt: T0, endedAt: null, currentItem: 'b', timer: startTimer(7 * MINUTE_MS, 'b', T0 + 2 * MINUTE_MS),
    });
  });
});

describe('[M3] changeTimer', () => {
  function running(): { meeting: Y.Doc; control: Y.Doc; timer: () => TimerState | null } {
    const { meeting, control } = meetingWith(['a', item('A', 5)]);
    startMeeting(meeting, control, T0);
    return { meeting, control, timer: () => readControl(controlOf(control)).timer };
  }

  it('[M3] pause and resume', () => {
    const { meeting, control, timer } = running();
    changeTimer(meeting, control, 'pause', T0 + MINUTE_MS);
    expect(timer()).toEqual({ itemId: 'a', durationMs: 5 * MINUTE_MS, elapsedMs: MINUTE_MS, runningSince: null });
    changeTimer(meeting, control, 'resume', T0 + 3 * MINUTE_MS);
    expect(remainingMs(timer()!, T0 + 4 * MINUTE_MS)).toBe(3 * MINUTE_MS);
  });

  it('[M3] add-minute extends a running timer by one minute', () => {
    const { meeting, control, timer } = running();
    changeTimer(meeting, control, 'add-minute', T0 + MINUTE_MS);
    expect(remainingMs(timer()!, T0 + MINUTE_MS)).toBe(5 * MINUTE_MS);
  });

  it('[M3] restart starts the current item\'s timebox afresh', () => {
    const { meeting, control, timer } = running();
    changeTimer(meeting, control, 'add-minute', T0 + MINUTE_MS);
    changeTimer(meeting, control, 'restart', T0 + 4 * MINUTE_MS);
    expect(timer()).toEqual(startTimer(5 * MINUTE_MS, 'a', T0 + 4 * MINUTE_MS));
  });

  it('[M3] without a timer: add-minute starts a one-minute timer for the current item; pause and resume do nothing', () => {
    const { meeting, control } = meetingWith(['chat', item('Open chat', 0)]);
    startMeeting(meeting, control, T0);
    const vector = Y.encodeStateVector(control);
    changeTimer(meeting, control, 'pause', T0 + 1);
    changeTimer(meeting, control, 'resume', T0 + 2);
    expect(Y.encodeStateVector(control)).toEqual(vector);
    changeTimer(meeting, control, 'add-minute', T0 + 3);
    expect(readControl(controlOf(control)).timer).toEqual(startTimer(MINUTE_MS, 'chat', T0 + 3));
  });

  it('[M3] restart of an item without a timebox restarts the timer it has at its own duration', () => {
    const { meeting, control } = meetingWith(['chat', item('Open chat', 0)]);
    startMeeting(meeting, control, T0);
    changeTimer(meeting, control, 'add-minute', T0);
    changeTimer(meeting, control, 'add-minute', T0 + 1);
    changeTimer(meeting, control, 'restart', T0 + 10 * MINUTE_MS);
    expect(readControl(controlOf(control)).timer).toEqual(startTimer(2 * MINUTE_MS, 'chat', T0 + 10 * MINUTE_MS));
    const bare = meetingWith(['x', item('X', 0)]);
    changeTimer(bare.meeting, bare.control, 'restart', T0);
    expect(readControl(controlOf(bare.control)).timer).toBeNull();
  });
});
