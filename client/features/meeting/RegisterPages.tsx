import { useMemo, useState } from 'react';
import { actionsOf, decisionsOf, isOverdue, readActions, readDecisions } from '../../../shared/meeting/register.ts';
import { registerDocName, type ActionItem, type Decision } from '../../../shared/schema/register.ts';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { charterPath, communityHomePath, documentPath, Link } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useYSnapshot } from '../../ui/useY.ts';
import { ActionRow, todayIso } from './ActionRow.tsx';
import { useMe } from './useMeeting.ts';
import { usePeople, type Person } from './usePeople.ts';

/**
 * The community's decision register and action tracker: every meeting's entries, from the one
 * register document this device keeps (so both work offline).
 */
function useRegister(communityId: string, identity: Identity) {
  const session = useDocSession(registerDocName(communityId), identity);
  const status = useDocStatus(session);
  const decisions = useYSnapshot(session ? decisionsOf(session.doc) : null, readDecisions, []);
  const actions = useYSnapshot(session ? actionsOf(session.doc) : null, readActions, []);
  return { session, status, decisions, actions };
}

const matches = (query: string, ...fields: Array<string | null>): boolean => {
  const q = query.trim().toLowerCase();
  return q === '' || fields.some((f) => f?.toLowerCase().includes(q));
};

/** Meetings that recorded entries, for a filter: document name → title. */
function sourcesOf(entries: Array<Decision | ActionItem>): Array<[string, string]> {
  const sources = new Map<string, string>();
  for (const e of entries) sources.set(e.source, e.sourceTitle || 'Untitled meeting');
  return [...sources].sort((a, b) => a[1].localeCompare(b[1]));
}

function PageHeader({ communityId, title, status }: { communityId: string; title: string; status: ReturnType<typeof useDocStatus> }) {
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(communityId)}>← All meetings</Link></nav>
      <header className="home-header">
        <h1>{title}</h1>
        <StatusBadge status={status} />
      </header>
    </>
  );
}

export function DecisionRegisterPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const { session, status, decisions } = useRegister(communityId, identity);
  // Communities with members have a charter a decision can amend (the open `home` has none).
  const hasCharter = useStoredCommunity(communityId) !== null;
  const [query, setQuery] = useState('');
  const [source, setSource] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const shown = decisions
    .filter((d) => matches(query, d.text, d.decidedBy, d.sourceTitle, d.agendaTitle))
    .filter((d) => !source || d.source === source)
    .filter((d) => (!from || d.date >= from) && (!to || d.date <= to))
    .sort((a, b) => b.date.localeCompare(a.date) || b.createdAt - a.createdAt);
  return (
    <section className="register">
      <PageHeader communityId={communityId} title="Decision register" status={status} />
      <div className="filters" role="search" aria-label="Filter decisions">
        <label>Search<input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Words in a decision" /></label>
        <label>Meeting
          <select value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">All meetings</option>
            {sourcesOf(decisions).map(([name, title]) => <option key={name} value={name}>{title}</option>)}
          </select>
        </label>
        <label>From<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>To<input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
      </div>
      {shown.length === 0
        ? <p className="empty">{decisions.length === 0 ? 'No decisions recorded yet. Record them in a meeting.' : 'No decision matches these filters.'}</p>
        : (
          <ul className="register-list" aria-label="Decisions">
            {shown.map((d) => (
              <li key={d.id} className="decision" aria-label={d.text}>
                <span className="decision-text">{d.text}</span>
                <span className="entry-source">
                  {d.date} · {d.decidedBy || 'the group'} · <Link to={documentPath(d.source)}>{d.sourceTitle || 'a meeting'}</Link>
                  {d.agendaTitle ? ` · ${d.agendaTitle}` : ''}
                </span>
                {hasCharter && <Link to={charterPath(communityId, d.text)} className="amend-link">Propose as a charter amendment</Link>}
              </li>
            ))}
          </ul>
        )}
      {hasCharter && session && status.ready && (
        <HistoryPanel communityId={communityId} docName={registerDocName(communityId)} live={session.doc} identity={identity} readOnly={status.readOnly || status.phase === 'stopped'} />
      )}
    </section>
  );
}

const TRACKER_VIEWS = ['mine', 'open', 'overdue', 'all'] as const;
type TrackerView = (typeof TRACKER_VIEWS)[number];
const VIEW_LABELS: Record<TrackerView, string> = { mine: 'Mine', open: 'Open', overdue: 'Overdue', all: 'All' };

const readOwners = (actions: ActionItem[]): Person[] =>
  actions.flatMap((a) => (a.ownerKey && a.ownerName ? [{ key: a.ownerKey, name: a.ownerName }] : []));

export function ActionTrackerPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const { session, status, actions } = useRegister(communityId, identity);
  const me = useMe(communityId, identity);
  const owners = useMemo(() => readOwners(actions), [actions]);
  const people = usePeople(communityId, me, owners);
  const [view, setView] = useState<TrackerView>('open');
  const [byMeeting, setByMeeting] = useState(false);
  const [query, setQuery] = useState('');
  const today = todayIso();
  const shown = actions
    .filter((a) => inView(a, view, me.key, today))
    .filter((a) => matches(query, a.text, a.ownerName, a.sourceTitle, a.agendaTitle))
    .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.createdAt - b.createdAt);
  const groups = byMeeting ? sourcesOf(shown).map(([name, title]) => ({ name, title, list: shown.filter((a) => a.source === name) })) : [{ name: '', title: '', list: shown }];
  const readOnly = !session || status.readOnly || status.phase === 'stopped';
  return (
    <section className="register">
      <PageHeader communityId={communityId} title="Action tracker" status={status} />
      <div className="filters">
        <div role="tablist" aria-label="Which actions" className="tabs">
          {TRACKER_VIEWS.map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)}>
              {VIEW_LABELS[v]} <span className="count">{actions.filter((a) => inView(a, v, me.key, today)).length}</span>
            </button>
          ))}
        </div>
        <label>Search<input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Words, owner or meeting" /></label>
        <label className="checkbox"><input type="checkbox" checked={byMeeting} onChange={(e) => setByMeeting(e.target.checked)} /> Group by meeting</label>
      </div>
      {shown.length === 0 ? <p className="empty">No action items here.</p> : groups.map((group) => (
        <div key={group.name} className="action-group">
          {byMeeting && <h2><Link to={documentPath(group.name)}>{group.title}</Link></h2>}
          <ul className="action-list" aria-label={byMeeting ? `Action items from ${group.title}` : 'Action items'}>
            {group.list.map((a) => <ActionRow key={a.id} register={session!.doc} action={a} people={people} readOnly={readOnly} showSource={!byMeeting} />)}
          </ul>
        </div>
      ))}
    </section>
  );
}

function inView(action: ActionItem, view: TrackerView, myKey: string, today: string): boolean {
  switch (view) {
    case 'mine': return action.ownerKey === myKey && action.status === 'open';
    case 'open': return action.status === 'open';
    case 'overdue': return isOverdue(action, today);
    case 'all': return true;
  }
}
