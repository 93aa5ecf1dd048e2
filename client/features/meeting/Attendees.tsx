import { useEffect, useRef, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { addAttendee, attendeesOf, readAttendees } from '../../../shared/meeting/agenda.ts';
import { memberKey, type MeetingState } from '../../../shared/schema/meeting.ts';
import { useYSnapshot } from '../../ui/useY.ts';
import type { Me } from './useMeeting.ts';

/**
 * Who attended. A member who has the meeting open while it runs is added once per visit (so
 * removing someone by hand sticks until they come back); anyone may add or remove names.
 */
export function Attendees({ doc, me, state, readOnly }: { doc: Y.Doc; me: Me; state: MeetingState; readOnly: boolean }) {
  const list = useYSnapshot(attendeesOf(doc), readAttendees, []);
  const joined = useRef(false);
  useEffect(() => {
    if (state !== 'running' || readOnly || joined.current) return;
    joined.current = true;
    addAttendee(doc, me.key, { name: me.name, color: me.color, source: 'presence' });
  }, [doc, me.key, me.name, me.color, state, readOnly]);

  const [name, setName] = useState('');
  const add = (event: FormEvent): void => {
    event.preventDefault();
    if (!name.trim()) return;
    addAttendee(doc, memberKey(null, name), { name: name.trim(), color: '#7c8a84', source: 'manual' });
    setName('');
  };
  return (
    <section className="attendees" aria-labelledby="attendees-heading">
      <h2 id="attendees-heading">Attendees <span className="muted-inline">({list.length})</span></h2>
      <ul aria-label="Attendees">
        {list.map((a) => (
          <li key={a.key} aria-label={a.name}>
            <span className="dot" style={{ backgroundColor: a.color }} aria-hidden="true" />{a.name}
            {!readOnly && <button type="button" className="link-button" aria-label={`Remove ${a.name} from the attendees`} onClick={() => attendeesOf(doc).delete(a.key)}>×</button>}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <form onSubmit={add} className="inline-form" aria-label="Add an attendee">
          <input aria-label="Attendee name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Add someone" />
          <button type="submit" disabled={!name.trim()}>Add</button>
        </form>
      )}
    </section>
  );
}
