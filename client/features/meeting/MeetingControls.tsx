import type * as Y from 'yjs';
import {
  changeTimer, endMeeting, makeCurrent, nextUndone, startMeeting, type TimerAction,
} from '../../../shared/meeting/facilitation.ts';
import type { AgendaItem, MeetingControl } from '../../../shared/schema/meeting.ts';
import { serverNow } from '../../collab/serverClock.ts';
import { SharedTimer } from '../../ui/SharedTimer.tsx';

interface Props {
  meeting: Y.Doc;
  control: Y.Doc;
  state: MeetingControl;
  items: AgendaItem[];
  mayFacilitate: boolean;
  /** The item this member looks at: "Make current" offers it. */
  shown: string | null;
}

/**
 * The meeting's state and shared timer for everyone; the facilitator's controls for those who
 * may write the control document. Every member computes the remaining time from the same
 * server-anchored fields, so they all show the same figure, also after a reload.
 */
export function MeetingControls({ meeting, control, state, items, mayFacilitate, shown }: Props) {
  const current = items.find((item) => item.id === state.currentItem) ?? null;
  const next = nextUndone(meeting, state.currentItem);
  const timerAction = (action: TimerAction): void => changeTimer(meeting, control, action, serverNow());

  return (
    <section className={`meeting-bar state-${state.state}`} aria-label="Meeting">
      <div className="meeting-bar-status">
        <span className="meeting-state">{stateText(state)}</span>
        {current && <span className="meeting-current">Now: <strong>{current.title}</strong></span>}
        {state.timer && <SharedTimer timer={state.timer} title={current?.title ?? 'this item'} />}
      </div>
      {mayFacilitate && (
        <div className="meeting-bar-actions" role="group" aria-label="Facilitator controls">
          {state.state !== 'running' && (
            <button type="button" className="primary" onClick={() => startMeeting(meeting, control, serverNow())}>
              {state.state === 'ended' ? 'Resume meeting' : 'Start meeting'}
            </button>
          )}
          {state.state === 'running' && (
            <>
              {shown && shown !== state.currentItem && (
                <button type="button" onClick={() => makeCurrent(meeting, control, shown, serverNow())}>Make current</button>
              )}
              <button type="button" className="primary" disabled={!next} onClick={() => makeCurrent(meeting, control, next, serverNow())}>Next item</button>
              {state.timer?.runningSince === null
                ? <button type="button" onClick={() => timerAction('resume')}>Resume timer</button>
                : state.timer && <button type="button" onClick={() => timerAction('pause')}>Pause timer</button>}
              <button type="button" onClick={() => timerAction('add-minute')}>+1 min</button>
              {state.timer && <button type="button" onClick={() => timerAction('restart')}>Restart timer</button>}
              <button type="button" className="danger" onClick={() => endMeeting(meeting, control, serverNow())}>End meeting</button>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function stateText({ state }: MeetingControl): string {
  switch (state) {
    case 'scheduled': return 'Not started';
    case 'running': return 'In progress';
    case 'ended': return 'Ended';
  }
}
