import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { BoardView, Card, Lane as LaneData } from '../../../shared/schema/board.ts';
import { CardTile } from './CardTile.tsx';
import { mentionsOf } from './filters.ts';
import { CardForm, type CardDraft } from './NewCardForm.tsx';

/** A tile's usual height (title, three lines of excerpt, tags, meta): measured tiles replace it, and a close guess keeps the scrollbar still. */
const CARD_ESTIMATE_PX = 200;

export const laneDropId = (laneId: string): string => `lane:${laneId}`;

interface Props {
  lane: LaneData & { cards: Card[] };
  index: number;
  laneCount: number;
  comments: BoardView['comments'];
  memberId: string;
  readOnly: boolean;
  onOpen: (cardId: string) => void;
  onAdd: (draft: CardDraft) => void;
  onRename: (name: string) => void;
  onMove: (toIndex: number) => void;
  onRemove: () => void;
}

/**
 * One lane. Its cards are virtualized (only those in view are in the DOM), so a board with
 * thousands of cards opens and scrolls as fast as one with ten (README "Benchmarks").
 */
export function Lane({ lane, index, laneCount, comments, memberId, readOnly, onOpen, onAdd, onRename, onMove, onRemove }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const { setNodeRef, isOver } = useDroppable({ id: laneDropId(lane.id), disabled: readOnly });
  // The virtualizer is read during render only; this component does not need memoizing.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lane.cards.length, getScrollElement: () => scroller.current, estimateSize: () => CARD_ESTIMATE_PX, overscan: 6,
    getItemKey: (i) => lane.cards[i]!.id,
  });
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState(false);
  return (
    <section className={`lane${isOver ? ' over' : ''}`} aria-label={`Lane: ${lane.name}`} ref={setNodeRef}>
      <header className="lane-header">
        {renaming ? (
          <form onSubmit={(e) => { e.preventDefault(); onRename(new FormData(e.currentTarget).get('name') as string); setRenaming(false); }}>
            <input name="name" defaultValue={lane.name} aria-label="Lane name" autoFocus maxLength={60} onBlur={() => setRenaming(false)} />
          </form>
        ) : <h2>{lane.name} <span className="muted-inline">{lane.cards.length}</span></h2>}
        {!readOnly && (
          <div className="lane-tools">
            <button type="button" aria-label={`Rename lane ${lane.name}`} onClick={() => setRenaming(true)}>✎</button>
            <button type="button" aria-label={`Move lane ${lane.name} left`} disabled={index === 0} onClick={() => onMove(index - 1)}>←</button>
            <button type="button" aria-label={`Move lane ${lane.name} right`} disabled={index === laneCount - 1} onClick={() => onMove(index + 1)}>→</button>
            <button type="button" aria-label={`Remove lane ${lane.name}`} disabled={laneCount === 1}
              onClick={() => { if (lane.cards.length === 0 || confirm(`Remove the lane "${lane.name}"? Its ${lane.cards.length} cards move to the first lane.`)) onRemove(); }}>✕</button>
          </div>
        )}
      </header>
      <div className="lane-cards" ref={scroller} role="list" aria-label={`Cards in ${lane.name}`}>
        <SortableContext items={lane.cards.map((c) => c.id)} strategy={verticalListSortingStrategy}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const card = lane.cards[item.index]!;
              const thread = comments.get(card.id)?.filter((c) => !c.moderation.hidden);
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} role="listitem"
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                  <CardTile card={card} comments={thread?.length ?? 0} mentionsMe={mentionsOf(thread, memberId)}
                    onOpen={() => onOpen(card.id)} draggable={!readOnly && !card.moderation.locked && !card.moderation.hidden} />
                </div>
              );
            })}
          </div>
        </SortableContext>
        {lane.cards.length === 0 && <p className="muted lane-empty">No cards yet.</p>}
      </div>
      {!readOnly && (adding
        ? <CardForm laneName={lane.name} submitLabel="Add card" onCancel={() => setAdding(false)} onSubmit={(draft) => { onAdd(draft); setAdding(false); }} />
        : <button type="button" className="lane-add" onClick={() => setAdding(true)} aria-label={`Add a card to ${lane.name}`}>+ Add a card</button>)}
    </section>
  );
}
