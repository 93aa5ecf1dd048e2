import type { Identity } from '../../collab/docSession.ts';
import { documentPath, Link } from '../../app/router.tsx';
import { useMinutes } from './MinutesPage.tsx';
import { MinutesView } from './MinutesView.tsx';
import { useMeetingSessions } from './useMeeting.ts';

/**
 * Before a meeting of a series starts: the previous meeting's minutes (its notes, decisions and
 * actions). Opening it here keeps those documents on this device, so the pre-read of a meeting
 * a member has looked at once is readable offline; the agenda and open actions are on the page.
 */
export function PreRead({ previousName, identity }: { previousName: string; identity: Identity }) {
  const sessions = useMeetingSessions(previousName, identity);
  const minutes = useMinutes(previousName, sessions);
  return (
    <details className="pre-read" open>
      <summary>Pre-read: last meeting&rsquo;s minutes</summary>
      {minutes && sessions.meetingStatus.ready
        ? <MinutesView minutes={minutes} headingLevel={2} />
        : <p className="muted">The last meeting is not on this device yet; it appears once you are online.</p>}
      <p><Link to={documentPath(previousName)}>Open the last meeting</Link></p>
    </details>
  );
}
