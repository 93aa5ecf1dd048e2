import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { agendaOf, attendeesOf, readAgenda, readAttendees } from '../../../shared/meeting/agenda.ts';
import { controlOf, NOT_STARTED, readControl } from '../../../shared/meeting/control.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from '../../../shared/meeting/register.ts';
import { MAX_TITLE_CHARS, META_ROOT, SCHEMA_VERSION } from '../../../shared/schema/documents.ts';
import { CARRIED_ACTIONS_ROOT } from '../../../shared/schema/meeting.ts';
import type { Identity } from '../../collab/docSession.ts';
import type { SyncPhase } from '../../collab/status.ts';
import { communityHomePath, Link, minutesPath } from '../../app/router.tsx';
import { REMOVED_MESSAGE, useRemoved } from '../../collab/removal.ts';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useYSnapshot, useYValue } from '../../ui/useY.ts';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { ActionRow } from './ActionRow.tsx';
import { AgendaList } from './AgendaList.tsx';
import { Attendees } from './Attendees.tsx';
import { ItemPanel } from './ItemPanel.tsx';
import { MeetingControls } from './MeetingControls.tsx';
import { PreRead } from './PreRead.tsx';
import { SeriesPanel } from './SeriesPanel.tsx';
import { useMayFacilitate, useMe, useMeetingSessions } from './useMeeting.ts';
import { usePeople, type Person } from './usePeople.ts';

const readSchema = (meta: Y.Map<unknown>): number => {
  const version = meta.get('schemaVersion');
  return typeof version === 'number' ? version : 0;
};

const readTitle = (meta: Y.Map<unknown>): string => {
  const title = meta.get('title');
  return typeof title === 'string' ? title : '';
};

const readPrevious = (meta: Y.Map<unknown>): string | null => {
  const previous = meta.get('previous');
  return typeof previous === 'string' ? previous : null;
};

const readCarriedIds = (carried: Y.Map<unknown>): string[] => [...carried.keys()].sort();

function notReadyText(phase: SyncPhase): string {
  return phase === 'offline' || phase === 'stopped'
    ? 'This meeting has not been opened on this device yet. It opens as soon as you are online.'
    : 'Opening the meeting…';
}

/**
 * A meeting: agenda with timeboxes, the facilitator's controls and shared timer, co-edited notes
 * per item, decisions and action items, attendees, and its series.
 */
export function MeetingPage({ name, identity }: { name: string; identity: Identity }) {
  const sessions = useMeetingSessions(name, identity);
  const { meeting, control, register, meetingStatus, controlStatus, status, community } = sessions;
  const me = useMe(community, identity);
  const meta = meeting ? meeting.doc.getMap(META_ROOT) : null;
  const title = useYValue(meta, readTitle, '');
  const previous = useYValue(meta, readPrevious, null);
  const setTitle = useCallback((value: string) => meta?.set('title', value.slice(0, MAX_TITLE_CHARS)), [meta]);
  const removed = useRemoved(community, meeting, meetingStatus);
  // The relay lets a client older than the document's schema only read (it would mangle what it
  // does not understand); say why, and how to get editing back.
  const newerSchema = useYValue(meta, readSchema, 0) > SCHEMA_VERSION;
  // Edits made once the relay has refused for good would never sync: keep what is here readable only.
  const readOnly = meetingStatus.readOnly || meetingStatus.phase === 'stopped' || removed;
  const mayFacilitate = useMayFacilitate(community, controlStatus) && !removed;

  const items = useYSnapshot(meeting ? agendaOf(meeting.doc) : null, readAgenda, []);
  const state = useYSnapshot(control ? controlOf(control.doc) : null, readControl, NOT_STARTED);
  const actions = useYSnapshot(register ? actionsOf(register.doc) : null, readActions, []);
  const decisions = useYSnapshot(register ? decisionsOf(register.doc) : null, readDecisions, []);
  const carriedIds = useYSnapshot(meeting ? meeting.doc.getMap(CARRIED_ACTIONS_ROOT) : null, readCarriedIds, []);
  const attendeePeople = useYSnapshot(meeting ? attendeesOf(meeting.doc) : null, readAttendeePeople, []);
  const people = usePeople(community, me, attendeePeople);

  // Follow mode: while the meeting runs, the item shown is the facilitator's current one, until
  // the member picks another item themselves.
  const [selected, setSelected] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const running = state.state === 'running';
  const followingNow = following && running && state.currentItem !== null;
  const shownId = followingNow ? state.currentItem : selected;
  const shown = items.find((item) => item.id === shownId) ?? null;
  const onShow = (id: string | null): void => {
    setSelected(id);
    if (running && id !== state.currentItem) setFollowing(false);
  };

  const ownActions = actions.filter((a) => a.source === name && a.agendaItem === (shown?.id ?? null));
  const ownDecisions = decisions.filter((d) => d.source === name && d.agendaItem === (shown?.id ?? null));
  const carried = actions.filter((a) => carriedIds.includes(a.id) && a.source !== name);
  const ready = meeting && control && status.ready;

  return (
    <article className="document meeting">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(community)}>← All meetings</Link></nav>
      <header className="document-header">
        <input className="title-input" aria-label="Meeting title" value={title} placeholder="Untitled meeting"
          onChange={(event) => setTitle(event.target.value)} disabled={!meeting || !meetingStatus.ready || readOnly} />
        <div className="document-meta">
          <StatusBadge status={status} />
          <Link to={minutesPath(name)} className="minutes-link">Minutes</Link>
          {meeting && <PresenceAvatars awareness={meeting.awareness} />}
        </div>
        {meeting && meetingStatus.ready && <SeriesPanel name={name} meeting={meeting.doc} register={register?.doc ?? null} identity={identity} readOnly={readOnly} />}
      </header>
      {removed
        ? <p className="error" role="alert">{REMOVED_MESSAGE} This meeting stays readable on this device, but can no longer be edited or synced.</p>
        : newerSchema
          ? (
            <p className="notice" role="note">
              This meeting was saved by a newer version of Guildhall. Reload to edit it.{' '}
              <button type="button" onClick={() => location.reload()}>Reload</button>
            </p>
          )
          : meetingStatus.readOnly && <p className="notice" role="note">You can read this meeting but not edit it.</p>}
      {ready ? (
        <>
          <MeetingControls meeting={meeting.doc} control={control.doc} state={state} items={items} mayFacilitate={mayFacilitate} shown={shown?.id ?? null} />
          {running && !followingNow && state.currentItem && (
            <p className="notice follow-notice" role="note">
              You are looking at another item than the facilitator.{' '}
              <button type="button" onClick={() => setFollowing(true)}>Follow the facilitator</button>
            </p>
          )}
          {state.state === 'scheduled' && previous && register && <PreRead previousName={previous} identity={identity} />}
          <div className="meeting-grid">
            <aside className="meeting-side">
              <AgendaList doc={meeting.doc} items={items} currentItem={state.currentItem} shown={shown?.id ?? null} onShow={onShow} readOnly={readOnly} />
              <Attendees doc={meeting.doc} me={me} state={state.state} readOnly={readOnly} />
              {carried.length > 0 && register && (
                <section className="carried" aria-labelledby="carried-heading">
                  <h2 id="carried-heading">Open actions from earlier meetings</h2>
                  <ul className="action-list" aria-label="Carried-over action items">
                    {carried.map((a) => <ActionRow key={a.id} register={register.doc} action={a} people={people} readOnly={readOnly} showSource />)}
                  </ul>
                </section>
              )}
            </aside>
            <ItemPanel meeting={meeting.doc} awareness={meeting.awareness} register={register?.doc ?? null} meetingName={name}
              meetingTitle={title} item={shown} decisions={ownDecisions} actions={ownActions} people={people} me={me}
              identity={identity} readOnly={readOnly} currentItem={running ? state.currentItem : null} />
          </div>
          {me.memberId && <HistoryPanel communityId={sessions.community} docName={name} live={meeting.doc} identity={identity} readOnly={readOnly} />}
        </>
      ) : <p className="muted" role="note">{notReadyText(status.phase)}</p>}
    </article>
  );
}

/** The meeting's attendees as people an action can be given to (the open community has no member list). */
const readAttendeePeople = (map: Y.Map<unknown>): Person[] => readAttendees(map).map(({ key, name }) => ({ key, name }));
