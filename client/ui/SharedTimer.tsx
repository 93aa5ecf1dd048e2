import { formatRemaining, remainingMs } from '../../shared/meeting/control.ts';
import type { TimerState } from '../../shared/schema/meeting.ts';
import { useServerNow } from '../collab/serverClock.ts';

/**
 * A timer every member sees alike: the remaining time is computed from server-anchored fields
 * (schema/meeting.ts TimerState) with this device's estimate of the relay's clock.
 */
export function SharedTimer({ timer, title }: { timer: TimerState; title: string }) {
  const now = useServerNow();
  const left = remainingMs(timer, now);
  const over = left < 0;
  return (
    <span className={`shared-timer${over ? ' overrun' : ''}${timer.runningSince === null ? ' paused' : ''}`}
      role="timer" aria-label={`Time left on ${title}`} aria-live="off" data-remaining-ms={Math.round(left)}>
      <span className="timer-figure">{formatRemaining(left)}</span>
      <span className="timer-note">{over ? 'over time' : timer.runningSince === null ? 'paused' : 'left'}</span>
    </span>
  );
}
