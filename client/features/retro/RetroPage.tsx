import { useState } from 'react';
import { parseDocName } from '../../../shared/docNames.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from '../../../shared/meeting/register.ts';
import { changeRetroTimer, setBudget, stepPhase } from '../../../shared/retro/facilitation.ts';
import { readCarried } from '../../../shared/retro/summary.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import { registerDocName } from '../../../shared/schema/register.ts';
import { GROUPS_ROOT, PLACEMENT_ROOT, RETRO_PHASES, type RetroPhase } from '../../../shared/schema/retro.ts';
import { communityHomePath, Link } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { REMOVED_MESSAGE, useRemoved } from '../../collab/removal.ts';
import { serverNow } from '../../collab/serverClock.ts';
import { useDocSession } from '../../collab/useDocSession.ts';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { SharedTimer } from '../../ui/SharedTimer.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useYSnapshot } from '../../ui/useY.ts';
import { useMayFacilitate, useMe } from '../meeting/useMeeting.ts';
import { usePeople } from '../meeting/usePeople.ts';
import { BoardView } from './BoardView.tsx';
import { HandFacilitation } from './HandFacilitation.tsx';
import { CloseView } from './CloseView.tsx';
import { DiscussView } from './DiscussView.tsx';
import { ReflectView } from './ReflectView.tsx';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { useRetro, type RetroState } from './useRetro.ts';
import { VoteView } from './VoteView.tsx';

const PHASE_NAMES: Record<RetroPhase, string> = {
  lobby: 'Check-in', reflect: 'Reflect', group: 'Group', vote: 'Vote', discuss: 'Discuss', close: 'Close',
};
/** What moving on from a phase does, as its button says. */
const NEXT_ACTION: Partial<Record<RetroPhase, string>> = {
  lobby: 'Start reflecting', reflect: 'Reveal cards', group: 'Start voting', vote: 'Close voting', discuss: 'Close the retro',
};

/** A retrospective needs member identities (personal documents): open only in a community with tokens. */
export function RetroPage({ name, identity }: { name: string; identity: Identity }) {
  const parsed = parseDocName(name);
  const entry = useStoredCommunity(parsed?.community ?? null);
  if (!parsed || !entry) {
    return <p className="empty">Retrospectives belong to a community you are a member of. <Link to="/">Back to Guildhall</Link></p>;
  }
  return <Retro name={name} community={parsed.community} retroId={parsed.id} memberId={entry.memberId} identity={identity} />;
}

interface RetroProps { name: string; community: string; retroId: string; memberId: string; identity: Identity }

function Retro({ name, community, retroId, memberId, identity }: RetroProps) {
  const retro = useRetro(community, retroId, memberId, identity);
  const me = useMe(community, identity);
  const people = usePeople(community, me);
  const register = useDocSession(registerDocName(community), identity);
  const actions = useYSnapshot(register ? actionsOf(register.doc) : null, readActions, []);
  const decisions = useYSnapshot(register ? decisionsOf(register.doc) : null, readDecisions, []);
  const carried = useYSnapshot(retro.board ? retro.board.doc.getMap(META_ROOT) : null, readCarried, []);
  const removed = useRemoved(community, retro.board, retro.boardStatus);
  const mayFacilitate = useMayFacilitate(community, retro.controlStatus) && !removed;
  const readOnly = retro.boardStatus.readOnly || retro.boardStatus.phase === 'stopped' || removed;
  const { phase } = retro.controlState;

  return (
    <article className="document retro">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(community)}>← All meetings</Link></nav>
      <header className="document-header">
        <h1>{retro.meta.title || 'Retrospective'}</h1>
        <div className="document-meta">
          <StatusBadge status={retro.status} />
          <span className="muted-inline">{retro.meta.anonymity === 'anonymous' ? 'Anonymous cards' : 'Named cards'}</span>
          {retro.board && <PresenceAvatars awareness={retro.board.awareness} />}
        </div>
      </header>
      {removed && <p className="error" role="alert">{REMOVED_MESSAGE}</p>}
      <ol className="phases" aria-label="Phases">
        {RETRO_PHASES.map((p) => <li key={p} aria-current={p === phase ? 'step' : undefined} className={p === phase ? 'current' : ''}>{PHASE_NAMES[p]}</li>)}
      </ol>
      {retro.status.ready ? (
        <>
          <RetroBar retro={retro} mayFacilitate={mayFacilitate} communityId={community} />
          {carried.length > 0 && (phase === 'lobby' || phase === 'reflect' || phase === 'discuss') && (
            <section className="carried" aria-label="Carried over from the last retrospective">
              <h2>Carried over from the last retrospective</h2>
              <ul>{carried.map((c, i) => <li key={i}><strong>{c.label}</strong>{c.cards.length > 1 ? ` (${c.cards.length} cards)` : ''}</li>)}</ul>
            </section>
          )}
          {phase === 'lobby' && (
            <p className="notice" role="note">
              {mayFacilitate ? 'Press Start reflecting when everyone is here.' : 'Waiting for the facilitator to start.'} Prompts: {retro.meta.prompts.map((p) => p.text).join(' · ')}
            </p>
          )}
          {phase === 'reflect' && <ReflectView retro={retro} readOnly={readOnly} />}
          {phase === 'group' && <BoardView retro={retro} canGroup={!readOnly} mayFacilitate={mayFacilitate} />}
          {phase === 'vote' && <VoteView retro={retro} readOnly={readOnly} />}
          {phase === 'discuss' && (
            <DiscussView retro={retro} boardName={name} people={people} me={me} identity={identity} mayFacilitate={mayFacilitate} readOnly={readOnly}
              register={register ? { doc: register.doc, actions, decisions } : null} />
          )}
          {phase === 'close' && <CloseView retro={retro} community={community} boardName={name} actions={actions} decisions={decisions} mayFacilitate={mayFacilitate} />}
          {(phase === 'group' || phase === 'vote' || phase === 'close') && retro.drafts.length > 0 && <YourCards retro={retro} />}
          {phase === 'close' && retro.board && <HistoryPanel communityId={community} docName={name} live={retro.board.doc} identity={identity} readOnly={readOnly} />}
        </>
      ) : <p className="muted" role="note">{retro.status.phase === 'offline' ? 'This retrospective has not been opened on this device yet.' : 'Opening the retrospective…'}</p>}
    </article>
  );
}

/** After the reveal, what this member wrote (a card written offline after it arrives late). */
function YourCards({ retro }: { retro: RetroState }) {
  return (
    <details className="your-cards">
      <summary>Your cards ({retro.drafts.length})</summary>
      <ul>{retro.drafts.map((d) => <li key={d.id}>{d.text}</li>)}</ul>
    </details>
  );
}

/** Readiness (counts only, never content), the phase timer, and the facilitator's controls. */
function RetroBar({ retro, mayFacilitate, communityId }: { retro: RetroState; mayFacilitate: boolean; communityId: string }) {
  const isOwner = useStoredCommunity(communityId)?.role === 'owner';
  const { phase, budget } = retro.controlState;
  const { progress } = retro;
  const control = retro.control?.doc ?? null;
  const [minutes, setMinutes] = useState('5');
  const index = RETRO_PHASES.indexOf(phase);
  const readiness = phase === 'reflect'
    ? `${progress.cards} ${progress.cards === 1 ? 'card' : 'cards'} written · ${progress.done} of ${progress.members} done`
    : phase === 'vote' ? `${progress.voted} of ${progress.members} voted` : null;
  return (
    <section className={`meeting-bar retro-bar phase-${phase}`} aria-label="Retrospective">
      <div className="meeting-bar-status">
        <span className="meeting-state">{PHASE_NAMES[phase]}</span>
        {readiness && <span className="readiness" role="status" aria-live="polite">{readiness}</span>}
        {retro.timer && <SharedTimer timer={retro.timer} title={PHASE_NAMES[phase]} />}
      </div>
      {mayFacilitate && control && (
        <div className="meeting-bar-actions" role="group" aria-label="Facilitator controls">
          {index > 0 && <button type="button" onClick={() => stepPhase(control, -1)}>← Back</button>}
          {NEXT_ACTION[phase] && <button type="button" className="primary" onClick={() => stepPhase(control, 1)}>{NEXT_ACTION[phase]}</button>}
          {phase === 'group' && retro.board && (
            <button type="button" onClick={() => { const doc = retro.board!.doc; doc.transact(() => { doc.getMap(PLACEMENT_ROOT).clear(); doc.getMap(GROUPS_ROOT).clear(); }); }}>Reset grouping</button>
          )}
          <label className="inline-label">Timer <input type="number" min={1} max={120} value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-label="Timer minutes" /> min</label>
          <button type="button" onClick={() => changeRetroTimer(control, { kind: 'start', minutes: Number(minutes) || 5 }, serverNow())}>Start timer</button>
          {retro.timer && (retro.timer.runningSince === null
            ? <button type="button" onClick={() => changeRetroTimer(control, { kind: 'resume' }, serverNow())}>Resume timer</button>
            : <button type="button" onClick={() => changeRetroTimer(control, { kind: 'pause' }, serverNow())}>Pause timer</button>)}
          {retro.timer && <button type="button" onClick={() => changeRetroTimer(control, { kind: 'add-minute' }, serverNow())}>+1 min</button>}
          {isOwner && <HandFacilitation communityId={communityId} />}
          {phase === 'group' && (
            <span className="budget">
              <label className="inline-label">Dots each <input type="number" min={0} max={100} value={budget.total} aria-label="Dots each member may give"
                onChange={(e) => setBudget(control, { ...budget, total: Number(e.target.value) })} /></label>
              <label className="inline-label">per topic <input type="number" min={0} max={100} value={budget.perTopic} aria-label="Dots per topic"
                onChange={(e) => setBudget(control, { ...budget, perTopic: Number(e.target.value) })} /></label>
            </span>
          )}
        </div>
      )}
    </section>
  );
}
