import { useMemo, useState, type FormEvent } from 'react';
import { changedSectionTitles } from '../../../shared/charter/diff.ts';
import { acknowledge, fragmentText, latestRatified, thawSection } from '../../../shared/charter/model.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import { CHARTER_SECTIONS, sectionField, type CharterVersion, type FrozenSection } from '../../../shared/schema/charter.ts';
import { may } from '../../../shared/roles.ts';
import { memberRequest } from '../../app/api.ts';
import { communityHomePath, Link } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { NotesEditor } from '../../editors/NotesEditor.tsx';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useOnline } from '../../ui/useOnline.ts';
import { useDocsVersion } from '../../ui/useY.ts';
import { FragmentView } from '../meeting/MinutesView.tsx';
import { HistoryView } from './HistoryView.tsx';
import { RoundPanel } from './RoundPanel.tsx';
import { useCharter, type CharterState } from './useCharter.ts';

/** The charter of a community this browser belongs to. */
export function CharterPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const entry = useStoredCommunity(communityId);
  if (!entry) return <p className="empty">The charter belongs to a community you are a member of. <Link to="/">Back to Guildhall</Link></p>;
  return <Charter communityId={communityId} memberId={entry.memberId} identity={identity} />;
}

function Charter({ communityId, memberId, identity }: { communityId: string; memberId: string; identity: Identity }) {
  const charter = useCharter(communityId, memberId, identity);
  const entry = useStoredCommunity(communityId);
  const online = useOnline();
  const role = charter.me?.role ?? entry?.role ?? 'viewer';
  const readOnly = charter.draftStatus.readOnly || charter.draftStatus.phase === 'stopped' || entry?.removed === true;
  const open = charter.versions.find((v) => v.status === 'open') ?? null;
  const [message, setMessage] = useState<string | null>(null);
  const propose = async (summary: string, restore?: number): Promise<boolean> => {
    setMessage(null);
    try {
      const { number } = await memberRequest<{ number: number }>(communityId, 'POST', '/charter/proposals', { summary, ...(restore ? { restore } : {}) });
      setMessage(`Version ${number} is open for endorsement.`);
      return true;
    } catch (e) {
      setMessage(`Could not propose: ${(e as Error).message}`);
      return false;
    }
  };
  const mayManage = charter.me ? may({ memberId, community: communityId, role: charter.me.role, stewardships: charter.me.stewardships }, 'invite') : false;

  return (
    <article className="document charter">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(communityId)}>← {entry?.name ?? 'Community'}</Link></nav>
      <header className="document-header">
        <h1>Charter</h1>
        <div className="document-meta">
          <StatusBadge status={charter.status} />
          {charter.draft && <PresenceAvatars awareness={charter.draft.awareness} />}
        </div>
      </header>
      {message && <p className="notice" role="alert">{message}</p>}
      <Acknowledgement charter={charter} readOnly={readOnly} />
      <SinceEndorsed charter={charter} memberId={memberId} />
      {open && <RoundPanel key={open.number} version={open} personal={charter.personal?.doc ?? null} mine={charter.myBallots[open.number]} myMemberId={memberId} readOnly={readOnly || role === 'viewer'} />}
      {charter.draftStatus.ready && charter.draft ? (
        <>
          <section className="charter-draft" aria-labelledby="draft-heading">
            <h2 id="draft-heading">Draft</h2>
            <p className="muted">Everyone edits the draft together; a proposed version freezes it for endorsement.</p>
            {CHARTER_SECTIONS.map((s) => (
              <section key={s.id} className="charter-section" aria-label={s.title}>
                <h3>{s.title}</h3>
                {s.id === 'roles' && <p className="muted">Who holds which role and stewardship: <Link to={communityHomePath(communityId)}>the member list</Link>.</p>}
                <NotesEditor doc={charter.draft!.doc} awareness={charter.draft!.awareness} field={sectionField(s.id)} identity={identity}
                  label={`Charter section: ${s.title}`} readOnly={readOnly} />
              </section>
            ))}
            <Rules charter={charter} readOnly={readOnly} />
            {role !== 'viewer' && !readOnly && <ProposeForm disabled={!online || open !== null} onPropose={propose} reason={open ? `Version ${open.number} is open until it closes.` : online ? null : 'Proposing needs a connection.'} />}
          </section>
          <HistoryView versions={charter.versions}
            onRestore={role !== 'viewer' && online && !open ? (v: CharterVersion) => void propose(`Restore version ${v.number}: ${v.summary}`, v.number) : undefined} />
          {mayManage && charter.acknowledgements.length > 0 && (
            <section aria-labelledby="acks-heading">
              <h2 id="acks-heading">Norms acknowledged</h2>
              <ul aria-label="Acknowledgements">{charter.acknowledgements.map((a) => <li key={a.memberId}>{a.name} — version {a.version}</li>)}</ul>
            </section>
          )}
        </>
      ) : <p className="muted" role="note">{charter.status.phase === 'offline' ? 'The charter has not been opened on this device yet.' : 'Opening the charter…'}</p>}
    </article>
  );
}

function Rules({ charter, readOnly }: { charter: CharterState; readOnly: boolean }) {
  const meta = charter.draft!.doc.getMap(META_ROOT);
  return (
    <fieldset className="rules">
      <legend>How versions are endorsed</legend>
      <label>Quorum (% of members)<input type="number" min={1} max={100} value={charter.rules.quorumPercent} disabled={readOnly}
        onChange={(e) => meta.set('quorumPercent', Number(e.target.value))} /></label>
      <label>Days a round stays open<input type="number" min={1} max={60} value={charter.rules.roundDays} disabled={readOnly}
        onChange={(e) => meta.set('roundDays', Number(e.target.value))} /></label>
      <p className="muted">A version is ratified when no one blocks, enough members took part, and agreements outnumber objections.</p>
    </fieldset>
  );
}

function ProposeForm({ disabled, reason, onPropose }: { disabled: boolean; reason: string | null; onPropose: (summary: string) => Promise<boolean> }) {
  const [summary, setSummary] = useState(() => new URLSearchParams(location.search).get('amend') ?? '');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await onPropose(summary.trim())) setSummary('');
  };
  return (
    <form className="entry-form propose" onSubmit={(e) => void submit(e)} aria-label="Propose a version">
      <label>What this version changes<input value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="e.g. Adds a measurable goal" /></label>
      <button type="submit" className="primary" disabled={disabled || !summary.trim()} title={reason ?? undefined}>Propose version</button>
      {reason && <p className="muted">{reason}</p>}
    </form>
  );
}

/** "You endorsed v3 — since then these sections changed", against the draft as it is now. */
function SinceEndorsed({ charter, memberId }: { charter: CharterState; memberId: string }) {
  const version = useDocsVersion([charter.draft?.doc ?? null]);
  const endorsed = [...charter.versions].reverse().find((v) => v.ballots[memberId]?.choice === 'agree') ?? null;
  const changed = useMemo(() => {
    void version; // recomputed on every change of the draft
    if (!endorsed || !charter.draft) return [];
    const now: FrozenSection[] = CHARTER_SECTIONS.map((s) => ({ id: s.id, title: s.title, update: '', text: fragmentText(charter.draft!.doc.getXmlFragment(sectionField(s.id))) }));
    return changedSectionTitles(endorsed.sections, now);
  }, [endorsed, charter.draft, version]);
  if (!endorsed) return null;
  return (
    <p className="notice" role="note">
      You endorsed v{endorsed.number}. {changed.length ? `Since then these sections changed: ${changed.join(', ')}.` : 'The draft has not changed since.'}
    </p>
  );
}

/** A member who did not take part in the latest ratification is asked to acknowledge its values and norms. */
function Acknowledgement({ charter, readOnly }: { charter: CharterState; readOnly: boolean }) {
  const ratified = latestRatified(charter.versions);
  const personal = charter.personal?.doc ?? null;
  if (!ratified || !personal || readOnly || charter.myBallots[ratified.number] || charter.acknowledged === ratified.number) return null;
  const values = ratified.sections.find((s) => s.id === 'values');
  return (
    <section className="notice acknowledge" aria-label="Acknowledge our values and norms">
      <h2>Our values and norms (version {ratified.number})</h2>
      {values && <FragmentView fragment={thawSection(values)} />}
      <button type="button" className="primary" onClick={() => acknowledge(personal, ratified.number)}>I acknowledge these values and norms</button>
    </section>
  );
}
