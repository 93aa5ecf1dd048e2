import { useMemo, useState, type FormEvent } from 'react';
import { addEntry, isReviewDue } from '../../../shared/library/model.ts';
import { ENTRY_STATUSES, ENTRY_TYPE_NAMES, ENTRY_TYPES, libraryDocNames, type EntryStatus, type EntryType, type LibraryEntry } from '../../../shared/schema/library.ts';
import { boardPath, communityHomePath, libraryPath, Link, replaceQuery, searchPath, useQueryParam } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { EntryView } from './EntryView.tsx';
import { todayIso } from '../meeting/ActionRow.tsx';
import { useLibrary } from './useLibrary.ts';


/** The practice library of a community this browser belongs to. */
export function LibraryPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const entry = useStoredCommunity(communityId);
  if (!entry) return <p className="empty">The library belongs to a community you are a member of. <Link to="/">Back to Guildhall</Link></p>;
  return <Library communityId={communityId} memberId={entry.memberId} identity={identity} />;
}

interface Filter { type: EntryType | null; status: EntryStatus | null; tag: string | null; text: string; due: boolean }

function filterEntries(entries: readonly LibraryEntry[], f: Filter): LibraryEntry[] {
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const now = todayIso();
  return entries.filter((e) => (f.type === null || e.type === f.type) && (f.status === null || e.status === f.status)
    && (f.tag === null || e.tags.includes(f.tag)) && (!f.due || isReviewDue(e, now))
    && words.every((w) => `${e.title} ${e.tags.join(' ')} ${e.ownerName}`.toLowerCase().includes(w)));
}

function Library({ communityId, memberId, identity }: { communityId: string; memberId: string; identity: Identity }) {
  const state = useLibrary(communityId, identity);
  const stored = useStoredCommunity(communityId);
  const openId = useQueryParam('entry');
  const [filter, setFilter] = useState<Filter>({ type: null, status: null, tag: null, text: '', due: false });
  const readOnly = state.libraryStatus.readOnly || state.libraryStatus.phase === 'stopped' || stored?.removed === true || stored?.role === 'viewer';
  const shown = useMemo(() => filterEntries(state.entries, filter), [state.entries, filter]);
  const tags = useMemo(() => [...new Set(state.entries.flatMap((e) => e.tags))].sort(), [state.entries]);
  const open = state.entries.find((e) => e.id === openId) ?? null;
  const set = (change: Partial<Filter>): void => setFilter({ ...filter, ...change });

  if (open && state.library) return <EntryView communityId={communityId} session={state.library} entry={open} identity={identity} memberId={memberId} readOnly={readOnly} status={state.status} />;
  return (
    <article className="document library-page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(communityId)}>← {stored?.name ?? 'Community'}</Link></nav>
      <header className="document-header">
        <h1>Practice library</h1>
        <div className="document-meta">
          <StatusBadge status={state.status} />
          {state.library && <PresenceAvatars awareness={state.library.awareness} />}
        </div>
      </header>
      <p className="muted">The practices, case studies, lessons and tools the community keeps. Knowledge arrives on the <Link to={boardPath(communityId)}>board</Link>; <Link to={searchPath(communityId)}>search</Link> finds it offline.</p>
      {!readOnly && state.library && <NewEntryForm onCreate={(type, title) => {
        const id = addEntry(state.library!.doc, { type, title, tags: [], owner: memberId, ownerName: identity.name, reviewBy: null, source: null, bodyMarkdown: '' });
        replaceQuery({ entry: id });
      }} />}
      <div className="filters" role="search" aria-label="Filter the library">
        <label>Find <input type="search" value={filter.text} onChange={(e) => set({ text: e.target.value })} placeholder="Title, tag or owner" /></label>
        <label>Type <select value={filter.type ?? ''} onChange={(e) => set({ type: (e.target.value || null) as EntryType | null })}>
          <option value="">Any type</option>{ENTRY_TYPES.map((t) => <option key={t} value={t}>{ENTRY_TYPE_NAMES[t]}</option>)}
        </select></label>
        <label>Status <select value={filter.status ?? ''} onChange={(e) => set({ status: (e.target.value || null) as EntryStatus | null })}>
          <option value="">Any status</option>{ENTRY_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select></label>
        <label>Tag <select value={filter.tag ?? ''} onChange={(e) => set({ tag: e.target.value || null })}>
          <option value="">Any tag</option>{tags.map((t) => <option key={t} value={t}>#{t}</option>)}
        </select></label>
        <label className="checkbox"><input type="checkbox" checked={filter.due} onChange={(e) => set({ due: e.target.checked })} /> Review due</label>
      </div>
      {!state.libraryStatus.ready ? <p className="muted">Opening the library…</p> : shown.length === 0 ? (
        <p className="empty">{state.entries.length ? 'No entry matches.' : 'The library is empty. Promote a board card, a decision or a retrospective topic, or write a new entry.'}</p>
      ) : (
        <ul className="library-list" aria-label="Library entries">
          {shown.map((e) => (
            <li key={e.id}>
              <Link to={libraryPath(communityId, e.id)}>{e.title}</Link>
              <span className="chip">{ENTRY_TYPE_NAMES[e.type]}</span>
              <span className={`chip status-${e.status}`}>{e.status}</span>
              {e.tags.map((t) => <span key={t} className="chip">#{t}</span>)}
              <span className="muted-inline">{e.ownerName ? `owner ${e.ownerName}` : 'no owner'}{e.reviewBy && <>, review by <span className={isReviewDue(e, todayIso()) ? 'overdue' : ''}>{e.reviewBy}</span></>}</span>
            </li>
          ))}
        </ul>
      )}
      {state.library && state.libraryStatus.ready && (
        <HistoryPanel communityId={communityId} docName={libraryDocNames(communityId).library} live={state.library.doc} identity={identity} readOnly={readOnly} />
      )}
    </article>
  );
}

function NewEntryForm({ onCreate }: { onCreate: (type: EntryType, title: string) => void }) {
  const [title, setTitle] = useState('');
  const [type, setType] = useState<EntryType>('best-practice');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (title.trim()) onCreate(type, title);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="New library entry">
      <label>New entry <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Title" maxLength={200} /></label>
      <label>Type <select value={type} onChange={(e) => setType(e.target.value as EntryType)}>{ENTRY_TYPES.map((t) => <option key={t} value={t}>{ENTRY_TYPE_NAMES[t]}</option>)}</select></label>
      <button type="submit" className="primary" disabled={!title.trim()}>Create entry</button>
    </form>
  );
}
