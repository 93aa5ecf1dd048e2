import { useState, type DragEvent } from 'react';
import { acceptLate, boardCardIds } from '../../../shared/retro/facilitation.ts';
import { groupCards, renameGroup, topicsOf, ungroupCard, type Topic } from '../../../shared/retro/model.ts';
import { topicLabel } from '../../../shared/retro/summary.ts';
import { CARRIED_PROMPT, type RevealedCard } from '../../../shared/schema/retro.ts';
import type { RetroState } from './useRetro.ts';

const DRAG_TYPE = 'application/x-guildhall-card';

interface Props {
  retro: RetroState;
  /** Grouping is open (group phase) and this member may write the board. */
  canGroup: boolean;
  mayFacilitate: boolean;
}

/**
 * The revealed cards. In the group phase members drag a card onto another card or a group (or
 * pick "Group with…" from the keyboard) to form topics; a card's place is one map entry, so
 * members grouping at once never copy or lose a card. Late cards wait in "Arrived late" until
 * the facilitator accepts them.
 */
export function BoardView({ retro, canGroup, mayFacilitate }: Props) {
  const board = retro.board?.doc ?? null;
  const onBoard = boardCardIds(retro.cards, retro.acceptedLate);
  const topics = topicsOf(onBoard, retro.groups, retro.placement);
  const late = [...retro.cards].filter(([id, card]) => card.late && !retro.acceptedLate.has(id));
  const [dragging, setDragging] = useState<string | null>(null);
  const prompts = new Map([...retro.meta.prompts.map((p) => [p.id, p.text] as const), [CARRIED_PROMPT, 'Carried over'] as const]);

  const drop = (event: DragEvent, target: string): void => {
    event.preventDefault();
    const card = event.dataTransfer.getData(DRAG_TYPE) || dragging;
    if (board && card && card !== target) groupCards(board, card, target);
    setDragging(null);
  };
  const card = (id: string, value: RevealedCard, topic: Topic) => (
    <li key={id} className="retro-card" aria-label={value.text} draggable={canGroup}
      onDragStart={(e) => { e.dataTransfer.setData(DRAG_TYPE, id); setDragging(id); }}
      onDragEnd={() => setDragging(null)}
      onDragOver={(e) => { if (dragging && dragging !== id) e.preventDefault(); }}
      onDrop={(e) => { e.stopPropagation(); drop(e, id); }}>
      <span className="card-prompt">{prompts.get(value.prompt) ?? ''}</span>
      <span className="card-text">{value.text}</span>
      {value.author && <span className="card-author">— {value.author}</span>}
      {canGroup && board && (
        <label className="group-with">Group with
          <select value="" onChange={(e) => {
            if (e.target.value === '__none') ungroupCard(board, id);
            else if (e.target.value) groupCards(board, id, e.target.value);
          }}>
            <option value="">…</option>
            {topic.cards.length > 1 && <option value="__none">no group</option>}
            {topics.filter((t) => t.id !== topic.id).map((t) => <option key={t.id} value={t.id}>{topicLabel(t, retro.cards)}</option>)}
          </select>
        </label>
      )}
    </li>
  );

  return (
    <section className="board" aria-label="Board">
      <ul className="topic-list" aria-label="Topics">
        {topics.map((topic) => (
          <li key={topic.id} className={`topic${topic.cards.length > 1 ? ' group' : ''}`} aria-label={`Topic: ${topicLabel(topic, retro.cards)}`}
            onDragOver={(e) => { if (dragging) e.preventDefault(); }} onDrop={(e) => drop(e, topic.id)}>
            {topic.cards.length > 1 && board && (
              <input className="group-name" aria-label={`Name of the group of ${topic.cards.length} cards`} value={topic.name}
                placeholder="Name this group" disabled={!canGroup} onChange={(e) => renameGroup(board, topic.id, e.target.value)} />
            )}
            <ul className="card-list">{topic.cards.map((id) => card(id, retro.cards.get(id)!, topic))}</ul>
          </li>
        ))}
      </ul>
      {topics.length === 0 && <p className="empty">No cards on the board.</p>}
      {late.length > 0 && (
        <section className="late-lane" aria-label="Arrived late">
          <h3>Arrived late</h3>
          <ul className="card-list">
            {late.map(([id, value]) => (
              <li key={id} className="retro-card late" aria-label={value.text}>
                <span className="card-prompt">{prompts.get(value.prompt) ?? ''}</span>
                <span className="card-text">{value.text}</span>
                {mayFacilitate && retro.control && <button type="button" onClick={() => acceptLate(retro.control!.doc, id)}>Accept onto the board</button>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
