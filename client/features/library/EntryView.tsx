import { useState } from 'react';
import { updateEntry } from '../../../shared/library/model.ts';
import {
  entryBodyField, ENTRY_STATUSES, ENTRY_TYPE_NAMES, ENTRY_TYPES, SOURCE_KIND_NAMES, type EntryStatus, type EntryType, type LibraryEntry,
} from '../../../shared/schema/library.ts';
import { memberRequest } from '../../app/api.ts';
import { communityHomePath, libraryPath, Link } from '../../app/router.tsx';
import { memberMay, useMember } from '../../app/useMember.ts';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import type { DocStatus } from '../../collab/status.ts';
import { NotesEditor } from '../../editors/NotesEditor.tsx';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useOnline } from '../../ui/useOnline.ts';
import { useMe } from '../meeting/useMeeting.ts';
import { usePeople } from '../meeting/usePeople.ts';

interface Props {
  communityId: string;
  session: DocSession;
  entry: LibraryEntry;
  identity: Identity;
  memberId: string;
  readOnly: boolean;
  status: DocStatus;
}

const STATUS_ACTIONS: Record<EntryStatus, string> = { draft: 'Back to draft', verified: 'Mark verified', archived: 'Archive' };

/** One library entry: its fields, its co-edited body, its source, and (for curators) its status. */
export function EntryView({ communityId, session, entry, identity, memberId, readOnly, status }: Props) {
  const stored = useStoredCommunity(communityId);
  const member = useMember(communityId);
  const online = useOnline();
  const people = usePeople(communityId, useMe(communityId, identity));
  const curator = memberMay(member, communityId, 'curate-library');
  const [message, setMessage] = useState<string | null>(null);
  const doc = session.doc;
  const setStatus = (next: EntryStatus): void => {
    setMessage(null);
    memberRequest(communityId, 'POST', `/library/${entry.id}/status`, { status: next }).catch((e: unknown) => setMessage(`Could not change the status: ${(e as Error).message}`));
  };
  return (
    <article className="document library-entry" aria-label={`Library entry: ${entry.title}`}>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={communityHomePath(communityId)}>← {stored?.name ?? 'Community'}</Link> / <Link to={libraryPath(communityId)}>Practice library</Link>
      </nav>
      <header className="document-header">
        <input className="title-input" aria-label="Entry title" defaultValue={entry.title} key={entry.title} readOnly={readOnly}
          onBlur={(e) => {
            if (!e.target.value.trim()) e.target.value = entry.title; // an entry always has a title
            else if (e.target.value !== entry.title) updateEntry(doc, entry.id, { title: e.target.value });
          }} />
        <div className="document-meta">
          <StatusBadge status={status} />
          <PresenceAvatars awareness={session.awareness} />
        </div>
      </header>
      {message && <p className="notice" role="alert">{message}</p>}
      <div className="filters entry-fields">
        <label>Type <select value={entry.type} disabled={readOnly} onChange={(e) => updateEntry(doc, entry.id, { type: e.target.value as EntryType })}>
          {ENTRY_TYPES.map((t) => <option key={t} value={t}>{ENTRY_TYPE_NAMES[t]}</option>)}
        </select></label>
        <label>Owner <select value={entry.owner ?? ''} disabled={readOnly} onChange={(e) => {
          const person = people.find((p) => p.key === `m:${e.target.value}`);
          if (person) updateEntry(doc, entry.id, { owner: { id: e.target.value, name: person.name } });
        }}>
          {entry.owner === null && <option value="">No owner</option>}
          {people.filter((p) => p.key.startsWith('m:')).map((p) => <option key={p.key} value={p.key.slice(2)}>{p.name}</option>)}
          {entry.owner !== null && !people.some((p) => p.key === `m:${entry.owner}`) && <option value={entry.owner}>{entry.ownerName}</option>}
        </select></label>
        <label>Review by <input type="date" value={entry.reviewBy ?? ''} readOnly={readOnly} onChange={(e) => updateEntry(doc, entry.id, { reviewBy: e.target.value || null })} /></label>
        <label>Tags <input defaultValue={entry.tags.join(', ')} key={entry.tags.join(',')} readOnly={readOnly} placeholder="onboarding, remote"
          onBlur={(e) => updateEntry(doc, entry.id, { tags: e.target.value.split(',') })} /></label>
      </div>
      <p className="entry-status">
        Status: <span className={`chip status-${entry.status}`}>{entry.status}</span>{' '}
        {curator ? ENTRY_STATUSES.filter((s) => s !== entry.status).map((s) => (
          <button key={s} type="button" disabled={!online} onClick={() => setStatus(s)}>{STATUS_ACTIONS[s]}</button>
        )) : <span className="muted-inline">Knowledge editors and librarians verify and archive entries.</span>}
      </p>
      {entry.source && (
        <p className="entry-source">Promoted from a {SOURCE_KIND_NAMES[entry.source.kind]}: <Link to={entry.source.path}>{entry.source.title || 'the original'}</Link></p>
      )}
      <NotesEditor doc={doc} awareness={session.awareness} field={entryBodyField(entry.id)} identity={identity} label={`Entry text: ${entry.title}`} readOnly={readOnly} />
      <p className="muted">Everyone edits the text together; {memberId === entry.owner ? 'you own this entry' : `${entry.ownerName || 'nobody'} owns it`}.</p>
    </article>
  );
}
