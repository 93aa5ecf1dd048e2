import type * as Y from 'yjs';
import { pauseTimer, resumeTimer, extendTimer, startTimer } from '../meeting/control.ts';
import { ACCEPTED_LATE_ROOT, RETRO_PHASES, type RetroPhase, type VoteBudget } from '../schema/retro.ts';
import type { TimerState } from '../schema/meeting.ts';
import type { RevealedCard } from '../schema/retro.ts';
import { readRetroControl, retroControlOf, topicsOf, type Group, type Topic } from './model.ts';

/**
 * What a facilitator does to run a retrospective, on its control document (only facilitators
 * may write it: the relay drops anyone else's updates). `now` is server time (serverClock.ts).
 */
export const DISCUSSED_ROOT = 'discussed';

export function setPhase(control: Y.Doc, phase: RetroPhase): void {
  const map = retroControlOf(control);
  const { phase: before, voteRound } = readRetroControl(map);
  control.transact(() => {
    map.set('phase', phase);
    map.set('timer', null); // each phase has its own timer
    if (phase === 'vote' && before !== 'vote') map.set('voteRound', voteRound + 1);
  });
}

export function stepPhase(control: Y.Doc, by: 1 | -1): void {
  const { phase } = readRetroControl(retroControlOf(control));
  const next = RETRO_PHASES[RETRO_PHASES.indexOf(phase) + by];
  if (next) setPhase(control, next);
}

export function readRetroTimer(map: Y.Map<unknown>): TimerState | null {
  const value = map.get('timer') as Partial<TimerState> | null | undefined;
  if (!value || typeof value.durationMs !== 'number' || typeof value.elapsedMs !== 'number') return null;
  return { itemId: null, durationMs: value.durationMs, elapsedMs: value.elapsedMs, runningSince: typeof value.runningSince === 'number' ? value.runningSince : null };
}

export type RetroTimerAction = { kind: 'start'; minutes: number } | { kind: 'pause' } | { kind: 'resume' } | { kind: 'add-minute' } | { kind: 'clear' };

export function changeRetroTimer(control: Y.Doc, action: RetroTimerAction, now: number): void {
  const map = retroControlOf(control);
  const timer = readRetroTimer(map);
  const next = ((): TimerState | null => {
    switch (action.kind) {
      case 'start': return startTimer(Math.max(1, action.minutes) * 60_000, null, now);
      case 'clear': return null;
      case 'pause': return timer && pauseTimer(timer, now);
      case 'resume': return timer && resumeTimer(timer, now);
      case 'add-minute': return timer && extendTimer(timer, 60_000);
    }
  })();
  map.set('timer', next);
}

export function setBudget(control: Y.Doc, budget: VoteBudget): void {
  const clamp = (n: number): number => Math.max(0, Math.min(Math.round(n) || 0, 100));
  retroControlOf(control).set('budget', { total: clamp(budget.total), perTopic: clamp(budget.perTopic) });
}

export function acceptLate(control: Y.Doc, cardId: string): void {
  control.getMap(ACCEPTED_LATE_ROOT).set(cardId, true);
}

/** Cards on the board: revealed in time, or late and accepted by the facilitator. */
export function boardCardIds(cards: ReadonlyMap<string, RevealedCard>, accepted: ReadonlySet<string>): string[] {
  return [...cards].filter(([id, card]) => !card.late || accepted.has(id)).map(([id]) => id);
}

/** Topics in the order they are discussed: most dots first, then as on the board. */
export function topicsByVotes(cardIds: readonly string[], groups: readonly Group[], placement: Record<string, string>, tally: Record<string, number>): Topic[] {
  const topics = topicsOf(cardIds, groups, placement);
  return topics.map((t, i) => ({ t, i })).sort((a, b) => (tally[b.t.id] ?? 0) - (tally[a.t.id] ?? 0) || a.i - b.i).map(({ t }) => t);
}

/**
 * Moves everyone to `topic`; the one discussed until now (`from`, by default the control's
 * current topic — before the first move that is the top-voted topic, shown by default) counts
 * as discussed.
 */
export function discussTopic(control: Y.Doc, topic: string | null, from?: string | null): void {
  const map = retroControlOf(control);
  const previous = from !== undefined ? from : readRetroControl(map).currentTopic;
  control.transact(() => {
    if (previous && previous !== topic) control.getMap(DISCUSSED_ROOT).set(previous, true);
    map.set('currentTopic', topic);
  });
}

export function discussedTopics(control: Y.Doc): Set<string> {
  return new Set(control.getMap(DISCUSSED_ROOT).keys());
}
