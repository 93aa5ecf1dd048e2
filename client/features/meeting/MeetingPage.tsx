import { useCallback } from 'react';
import type * as Y from 'yjs';
import { parseDocName } from '../../../shared/docNames.ts';
import { MAX_TITLE_CHARS, MEETING_NOTES_ROOT, META_ROOT, SCHEMA_VERSION } from '../../../shared/schema/documents.ts';
import type { Identity } from '../../collab/docSession.ts';
import type { SyncPhase } from '../../collab/status.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { NotesEditor } from '../../editors/NotesEditor.tsx';
import { communityHomePath, Link } from '../../app/router.tsx';
import { REMOVED_MESSAGE, useRemoved } from '../../collab/removal.ts';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useYValue } from '../../ui/useY.ts';

const readSchema = (meta: Y.Map<unknown>): number => {
  const version = meta.get('schemaVersion');
  return typeof version === 'number' ? version : 0;
};

const readTitle = (meta: Y.Map<unknown>): string => {
  const title = meta.get('title');
  return typeof title === 'string' ? title : '';
};

function notReadyText(phase: SyncPhase): string {
  return phase === 'offline' || phase === 'stopped'
    ? 'These notes have not been opened on this device yet. They open as soon as you are online.'
    : 'Opening the notes…';
}

/** A meeting-notes document: title, presence, sync status and the co-edited notes. */
export function MeetingPage({ name, identity }: { name: string; identity: Identity }) {
  const session = useDocSession(name, identity);
  const status = useDocStatus(session);
  const meta = session ? session.doc.getMap(META_ROOT) : null;
  const title = useYValue(meta, readTitle, '');
  const setTitle = useCallback((value: string) => meta?.set('title', value.slice(0, MAX_TITLE_CHARS)), [meta]);
  const community = parseDocName(name)?.community ?? null;
  const removed = useRemoved(community, session, status);
  // The relay lets a client older than the document's schema only read (it would mangle what it
  // does not understand); say why, and how to get editing back.
  const newerSchema = useYValue(meta, readSchema, 0) > SCHEMA_VERSION;
  // Edits made once the relay has refused for good would never sync: keep what is here readable only.
  const readOnly = status.readOnly || status.phase === 'stopped' || removed;

  return (
    <article className="document">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={community ? communityHomePath(community) : '/'}>← All documents</Link></nav>
      <header className="document-header">
        <input className="title-input" aria-label="Meeting title" value={title} placeholder="Untitled meeting"
          onChange={(event) => setTitle(event.target.value)} disabled={!session || !status.ready || readOnly} />
        <div className="document-meta">
          <StatusBadge status={status} />
          {session && <PresenceAvatars awareness={session.awareness} />}
        </div>
      </header>
      {removed
        ? <p className="error" role="alert">{REMOVED_MESSAGE} These notes stay readable on this device, but can no longer be edited or synced.</p>
        : newerSchema
          ? (
            <p className="notice" role="note">
              These notes were saved by a newer version of Guildhall. Reload to edit them.{' '}
              <button type="button" onClick={() => location.reload()}>Reload</button>
            </p>
          )
          : status.readOnly && <p className="notice" role="note">You can read these notes but not edit them.</p>}
      {session && status.ready
        ? <NotesEditor doc={session.doc} awareness={session.awareness} field={MEETING_NOTES_ROOT}
            identity={identity} label="Meeting notes" readOnly={readOnly} />
        : <p className="muted" role="note">{notReadyText(status.phase)}</p>}
    </article>
  );
}
