import { useState } from 'react';
import { parseDocName } from '../../../shared/docNames.ts';
import type * as Y from 'yjs';
import { boardCardIds, discussTopic, topicsByVotes } from '../../../shared/retro/facilitation.ts';
import { claimCard } from '../../../shared/retro/model.ts';
import { topicLabel, votesText } from '../../../shared/retro/summary.ts';
import { fragmentToMarkdown, markdownLine } from '../../../shared/meeting/markdown.ts';
import { topicNotesField } from '../../../shared/schema/retro.ts';
import type { ActionItem, Decision } from '../../../shared/schema/register.ts';
import type { Identity } from '../../collab/docSession.ts';
import { retroPath } from '../../app/router.tsx';
import { NotesEditor } from '../../editors/NotesEditor.tsx';
import { PromoteButton } from '../library/PromoteButton.tsx';
import { Outcomes } from '../meeting/Outcomes.tsx';
import type { Me } from '../meeting/useMeeting.ts';
import type { Person } from '../meeting/usePeople.ts';
import type { RetroState } from './useRetro.ts';

interface Props {
  retro: RetroState;
  boardName: string;
  register: { doc: Y.Doc; actions: ActionItem[]; decisions: Decision[] } | null;
  people: Person[];
  me: Me;
  identity: Identity;
  mayFacilitate: boolean;
  readOnly: boolean;
}

/**
 * Discuss: topics in vote order, one at a time — the facilitator moves everyone — with co-edited
 * notes per topic and action items that go into the community's tracker (the register).
 */
export function DiscussView({ retro, boardName, register, people, me, identity, mayFacilitate, readOnly }: Props) {
  const topics = topicsByVotes(boardCardIds(retro.cards, retro.acceptedLate), retro.groups, retro.placement, retro.tally);
  const [looking, setLooking] = useState<string | null>(null);
  const currentId = retro.controlState.currentTopic ?? topics[0]?.id ?? null;
  const shownId = looking ?? currentId;
  const shown = topics.find((t) => t.id === shownId) ?? null;
  const index = topics.findIndex((t) => t.id === currentId);
  const next = topics[index + 1] ?? null;
  const control = retro.control?.doc ?? null;
  const board = retro.board;

  return (
    <div className="discuss">
      <aside>
        <ol className="topic-list" aria-label="Topics by votes">
          {topics.map((t) => (
            <li key={t.id} className={`topic${t.id === currentId ? ' current' : ''}${retro.discussed.has(t.id) ? ' discussed' : ''}`}>
              <button type="button" aria-pressed={t.id === shownId} onClick={() => setLooking(t.id === currentId ? null : t.id)}>
                <span>{topicLabel(t, retro.cards)}</span> <span className="muted-inline">{votesText(retro.tally[t.id] ?? 0)}</span>
              </button>
            </li>
          ))}
        </ol>
        {mayFacilitate && control && (
          <button type="button" className="primary" disabled={!next} onClick={() => { setLooking(null); discussTopic(control, next?.id ?? null, currentId); }}>Next topic</button>
        )}
        {looking && <button type="button" onClick={() => setLooking(null)}>Back to the current topic</button>}
      </aside>
      {shown && board ? (
        <section className="topic-panel" aria-label={`Topic: ${topicLabel(shown, retro.cards)}`}>
          <h2>{topicLabel(shown, retro.cards)} <span className="muted-inline">· {votesText(retro.tally[shown.id] ?? 0)}</span></h2>
          <ul className="card-list">
            {shown.cards.map((id) => {
              const card = retro.cards.get(id)!;
              return <li key={id} className="retro-card"><span className="card-text">{card.text}</span>{card.author && <span className="card-author">— {card.author}</span>}</li>;
            })}
          </ul>
          {!readOnly && (
            <PromoteButton communityId={parseDocName(boardName)?.community ?? ''} identity={identity} label="Promote this topic to the library" promotion={() => ({
              type: 'lesson-learned', title: topicLabel(shown, retro.cards), tags: [],
              bodyMarkdown: [...shown.cards.map((id) => `- ${markdownLine(retro.cards.get(id)?.text ?? '')}`), '', fragmentToMarkdown(board.doc.getXmlFragment(topicNotesField(shown.id)))].join('\n'),
              source: { kind: 'retro-topic', title: `${retro.meta.title}: ${topicLabel(shown, retro.cards)}`, path: retroPath(boardName) },
            })} />
          )}
          <NotesEditor key={shown.id} doc={board.doc} awareness={board.awareness} field={topicNotesField(shown.id)}
            identity={identity} label={`Notes on ${topicLabel(shown, retro.cards)}`} readOnly={readOnly} />
          {register && (
            <Outcomes register={register.doc} people={people} me={me} readOnly={readOnly}
              source={{ source: boardName, sourceTitle: retro.meta.title, agendaItem: shown.id, agendaTitle: topicLabel(shown, retro.cards) }}
              decisions={register.decisions.filter((d) => d.source === boardName && d.agendaItem === shown.id)}
              actions={register.actions.filter((a) => a.source === boardName && a.agendaItem === shown.id)} />
          )}
        </section>
      ) : <p className="empty">No topics to discuss.</p>}
      {retro.meta.anonymity === 'anonymous' && retro.drafts.length > 0 && retro.personal && (
        <section className="claims" aria-label="Claim your cards">
          <h3>Your cards</h3>
          <p className="muted">Your cards carry no name. Claim one to put your name on it for everyone.</p>
          <ul className="card-list">
            {retro.drafts.map((d) => (
              <li key={d.id} className="retro-card mine">
                <span className="card-text">{d.text}</span>
                {retro.claims.has(d.id)
                  ? <span className="muted-inline">claimed</span>
                  : !readOnly && <button type="button" onClick={() => claimCard(retro.personal!.doc, d.id)}>Claim</button>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
