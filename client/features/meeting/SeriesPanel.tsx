import { useState } from 'react';
import type * as Y from 'yjs';
import { carryOver, nextMeetingName, readMeetingMeta, seriesOf, setCadence } from '../../../shared/meeting/series.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import { CADENCES, isCadence, type Cadence } from '../../../shared/schema/meeting.ts';
import { documentPath, Link, navigate } from '../../app/router.tsx';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import { acquireSession, releaseSession } from '../../collab/sessions.ts';
import { useYSnapshot } from '../../ui/useY.ts';

/** How long to wait for the relay's copy of the next meeting before writing it from this device. */
const NEXT_MEETING_SYNC_WAIT_MS = 4_000;

/** Resolves once the session has the relay's state, or is offline, or the wait is over. */
function settled(session: DocSession): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const { phase } = session.getStatus();
      return phase === 'saved' || phase === 'offline' || phase === 'stopped';
    };
    if (check()) return resolve();
    const timer = setTimeout(done, NEXT_MEETING_SYNC_WAIT_MS);
    const stop = session.subscribe(() => { if (check()) done(); });
    function done(): void {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

/**
 * Opens the series' next meeting, creating it first when neither this device nor the relay has
 * it. Its name is fixed by the series, so members doing this at once (online or offline) share
 * one document, and carryOver writes each carried entry under its own id.
 */
export async function openNextMeeting(name: string, meeting: Y.Doc, register: Y.Doc, identity: Identity): Promise<void> {
  const series = seriesOf(meeting.getMap(META_ROOT));
  if (!series) return;
  const nextName = nextMeetingName(name, series);
  const next = acquireSession(nextName, identity);
  try {
    await next.whenLocalLoaded;
    await settled(next);
    if (!next.doc.getMap(META_ROOT).has('kind')) carryOver(name, meeting, register, next.doc);
  } finally {
    releaseSession(next); // keeps syncing until the relay acknowledged the new meeting
  }
  navigate(documentPath(nextName));
}

function toLocalInput(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

interface Props {
  name: string;
  meeting: Y.Doc;
  register: Y.Doc | null;
  identity: Identity;
  readOnly: boolean;
}

/** When the meeting is, whether it repeats, and the way to the previous and next meeting of its series. */
export function SeriesPanel({ name, meeting, register, identity, readOnly }: Props) {
  const meta = meeting.getMap(META_ROOT);
  const fields = useYSnapshot(meta, readMeetingMeta, { title: '' });
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onNext = async (): Promise<void> => {
    if (!register) return;
    setOpening(true);
    setError(null);
    try {
      await openNextMeeting(name, meeting, register, identity);
    } catch (e) {
      setError(`Could not open the next meeting: ${(e as Error).message}`);
    } finally {
      setOpening(false);
    }
  };
  return (
    <div className="series-panel">
      <label>When
        <input type="datetime-local" value={fields.startsAt !== undefined ? toLocalInput(fields.startsAt) : ''} disabled={readOnly}
          onChange={(e) => { const ms = Date.parse(e.target.value); if (Number.isFinite(ms)) meta.set('startsAt', ms); else meta.delete('startsAt'); }} />
      </label>
      <label>Repeats
        <select value={fields.cadence ?? ''} disabled={readOnly}
          onChange={(e) => setCadence(meeting, name, isCadence(e.target.value) ? e.target.value as Cadence : null)}>
          <option value="">Does not repeat</option>
          {CADENCES.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>
      {fields.previous && <Link to={documentPath(fields.previous)}>← Previous meeting</Link>}
      {fields.cadence && (
        <button type="button" onClick={() => void onNext()} disabled={opening || !register || readOnly}>
          {opening ? 'Opening…' : 'Next meeting →'}
        </button>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
