import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { REACTIONS, type Card } from '../../../shared/schema/board.ts';
import { excerpt } from './MarkdownView.tsx';

interface Props {
  card: Card;
  comments: number;
  mentionsMe: boolean;
  onOpen: () => void;
  draggable: boolean;
}

export const cardTitle = (card: Card): string => (card.moderation.hidden ? 'Hidden card' : card.title || 'Untitled card');

/** A card on the board: a drag handle for dnd-kit (pointer and keyboard) that opens the card on click or Enter. */
export function CardTile({ card, comments, mentionsMe, onOpen, draggable }: Props) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: card.id, disabled: !draggable });
  // A card that cannot be dragged (a viewer's, a locked one) is still a button that opens it.
  const dnd = draggable ? { ...attributes, ...listeners } : { role: 'button', tabIndex: 0 };
  return (
    <div ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`board-card${isDragging ? ' dragging' : ''}${card.moderation.hidden ? ' hidden-card' : ''}`}
      {...dnd} aria-label={`Card: ${cardTitle(card)}`}
      onClick={onOpen} onKeyDown={(event) => {
        if (event.key === 'Enter') { event.preventDefault(); onOpen(); return; }
        listeners?.onKeyDown?.(event);
      }}>
      <CardFace card={card} comments={comments} mentionsMe={mentionsMe} />
    </div>
  );
}

/** The card under the pointer while it is dragged: a picture of the tile, not a second control. */
export function DraggedCard({ card }: { card: Card }) {
  return <div className="board-card dragged" aria-hidden="true"><CardFace card={card} comments={0} mentionsMe={false} /></div>;
}

function CardFace({ card, comments, mentionsMe }: { card: Card; comments: number; mentionsMe: boolean }) {
  const reactions = REACTIONS.map((r) => [r, card.reactions[r]?.length ?? 0] as const).filter(([, n]) => n > 0);
  return (
    <>
      {card.moderation.hidden ? (
        // Nothing of a hidden card: not its author, reactions or comments either.
        <p className="moderated">Hidden by a moderator</p>
      ) : (
        <>
          <h3 className="board-card-title">{card.title || 'Untitled card'}</h3>
          {card.body && <p className="board-card-excerpt">{excerpt(card.body)}</p>}
          {card.tags.length > 0 && <p className="tags">{card.tags.map((t) => <span key={t} className="chip">#{t}</span>)}</p>}
        </>
      )}
      {!card.moderation.hidden && <p className="board-card-meta">
        <span>{card.authorName || 'Someone'}</span>
        {reactions.map(([r, n]) => <span key={r} aria-label={`${n} ${r}`}>{r} {n}</span>)}
        {comments > 0 && <span aria-label={`${comments} comments`}>💬 {comments}</span>}
        {mentionsMe && <span className="chip chip-current">@ you</span>}
        {card.moderation.locked && <span aria-label="Locked">🔒</span>}
      </p>}
    </>
  );
}
