import { download } from '../../ui/download.ts';
import { useMemo } from 'react';
import { minutesMarkdown, readMinutes, type Minutes } from '../../../shared/meeting/minutes.ts';
import { documentPath, Link } from '../../app/router.tsx';
import type { Identity } from '../../collab/docSession.ts';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useDocsVersion } from '../../ui/useY.ts';
import { formatMeetingDate, MinutesView } from './MinutesView.tsx';
import { useMeetingSessions, type MeetingSessions } from './useMeeting.ts';

/** The minutes of a meeting, live from its documents (so readable offline once opened). */
export function useMinutes(name: string, sessions: MeetingSessions): Minutes | null {
  const { meeting, control, register } = sessions;
  const version = useDocsVersion([meeting?.doc ?? null, control?.doc ?? null, register?.doc ?? null]);
  return useMemo(() => {
    void version; // recomputed on every change of the three documents
    return meeting && control && register ? readMinutes(name, meeting.doc, control.doc, register.doc) : null;
  }, [name, meeting, control, register, version]);
}


export function minutesFilename(minutes: Minutes): string {
  const date = minutes.startsAt !== null ? new Date(minutes.startsAt).toISOString().slice(0, 10) : 'undated';
  const slug = (minutes.title || 'meeting').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'meeting';
  return `${date}-${slug}.md`;
}

/** Print-friendly minutes with decisions and action items, and a Markdown download. */
export function MinutesPage({ name, identity }: { name: string; identity: Identity }) {
  const sessions = useMeetingSessions(name, identity);
  const minutes = useMinutes(name, sessions);
  return (
    <div className="minutes-page">
      <nav className="crumbs no-print" aria-label="Breadcrumb"><Link to={documentPath(name)}>← Back to the meeting</Link></nav>
      <div className="minutes-actions no-print">
        <StatusBadge status={sessions.status} />
        <button type="button" disabled={!minutes} onClick={() => minutes && download(minutesFilename(minutes), minutesMarkdown(minutes, formatMeetingDate))}>
          Download Markdown
        </button>
        <button type="button" onClick={() => window.print()}>Print</button>
      </div>
      {minutes && sessions.meetingStatus.ready ? <MinutesView minutes={minutes} /> : <p className="muted">Opening the minutes…</p>}
    </div>
  );
}
