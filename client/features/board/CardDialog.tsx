import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { deleteCard, editCard, moveCard, toggleReaction } from '../../../shared/board/model.ts';
import { entriesFrom } from '../../../shared/library/model.ts';
import { REACTION_NAMES, REACTIONS, type BoardComment, type BoardView, type Card } from '../../../shared/schema/board.ts';
import { ENTRY_TYPE_NAMES, type EntryType } from '../../../shared/schema/library.ts';
import { boardPath, libraryPath, Link } from '../../app/router.tsx';
import type { Identity } from '../../collab/docSession.ts';
import type { Mentionable } from '../../editors/RichComposer.tsx';
import { PromoteButton } from '../library/PromoteButton.tsx';
import { useLibrary } from '../library/useLibrary.ts';
import { Comments } from './Comments.tsx';
import { MarkdownView } from './MarkdownView.tsx';
import { HiddenContentView, ModerationButtons } from './Moderation.tsx';
import { CardForm } from './NewCardForm.tsx';

interface Props {
  communityId: string;
  board: Y.Doc;
  view: BoardView;
  card: Card;
  comments: readonly BoardComment[];
  me: { memberId: string; name: string };
  identity: Identity;
  mentionable: readonly Mentionable[];
  readOnly: boolean;
  moderator: boolean;
  onClose: () => void;
}

/** The lane a board card suggests for its library entry type. */
function entryTypeFor(laneName: string): EntryType {
  const name = laneName.toLowerCase();
  if (name.includes('case')) return 'case-study';
  if (name.includes('lesson')) return 'lesson-learned';
  if (name.includes('tool') || name.includes('template')) return 'tool';
  return 'best-practice';
}

/** One card opened: its whole text, reactions, comments, moving, moderation and promotion. */
export function CardDialog({ communityId, board, view, card, comments, me, identity, mentionable, readOnly, moderator, onClose }: Props) {
  const [editing, setEditing] = useState(false);
  const { entries } = useLibrary(communityId, identity);
  const promoted = entriesFrom(entries, boardPath(communityId, card.id));
  const panel = useRef<HTMLElement>(null);
  // Focus moves into the panel when it opens and back to the card's tile when it closes.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.querySelector<HTMLElement>('h2')?.focus();
    return () => { if (opener?.isConnected) opener.focus(); };
  }, []);
  // Escape closes the panel, unless it belongs to something inside it (a composer's mention menu, an edit).
  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if ((event.target as HTMLElement).closest('.card-composer, input, select, textarea')) return;
    onClose();
  };
  const lane = view.lanes.find((l) => l.id === card.place.lane);
  const { hidden, locked } = card.moderation;
  const mayEdit = !readOnly && !hidden && !locked && card.author === me.memberId;
  const closed = readOnly ? 'Viewers read comments only.' : hidden ? 'This card is hidden.' : locked ? `Locked by ${card.moderation.by ?? 'a moderator'}: no new comments.` : null;
  const title = hidden ? 'Hidden card' : card.title || 'Untitled card';
  return (
    <aside className="card-dialog" role="dialog" aria-modal="false" aria-label={`Card: ${title}`} ref={panel} onKeyDown={onKeyDown}>
      <header className="card-dialog-header">
        <h2 tabIndex={-1}>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close card">✕</button>
      </header>
      <p className="muted">{card.authorName || 'Someone'} · {new Date(card.createdAt).toLocaleString()} · in {lane?.name ?? 'a lane'}
        {locked && <> · 🔒 locked by {card.moderation.by}</>}</p>
      {hidden ? (
        <>
          <p className="moderated">Hidden by a moderator{card.moderation.by ? ` (${card.moderation.by})` : ''}.</p>
          {moderator && <HiddenContentView communityId={communityId} target={{ kind: 'card', id: card.id }} />}
        </>
      ) : editing ? (
        <CardForm laneName={lane?.name ?? ''} submitLabel="Save card" initial={{ title: card.title, body: card.body, tags: card.tags.join(', ') }}
          onCancel={() => setEditing(false)}
          onSubmit={(draft) => { editCard(board, card.id, { title: draft.title, body: draft.body, tags: draft.tags.split(',') }); setEditing(false); }} />
      ) : (
        <>
          {card.body ? <MarkdownView markdown={card.body} /> : <p className="muted">No text.</p>}
          {card.tags.length > 0 && <p className="tags">{card.tags.map((t) => <span key={t} className="chip">#{t}</span>)}</p>}
        </>
      )}
      {!hidden && (
        <div className="row reactions" role="group" aria-label="Reactions">
          {REACTIONS.map((r) => {
            const who = card.reactions[r] ?? [];
            return (
              <button key={r} type="button" aria-pressed={who.includes(me.memberId)} disabled={readOnly}
                aria-label={`${REACTION_NAMES[r]} (${who.length})`} onClick={() => toggleReaction(board, card.id, r, me.memberId)}>
                {r} {who.length}
              </button>
            );
          })}
        </div>
      )}
      <div className="row">
        {mayEdit && !editing && <button type="button" onClick={() => setEditing(true)}>Edit card</button>}
        {!readOnly && !locked && !hidden && (
          <label>Lane{' '}
            <select value={card.place.lane} onChange={(e) => moveCard(board, card.id, e.target.value, Number.MAX_SAFE_INTEGER)}>
              {view.lanes.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
            </select>
          </label>
        )}
        {!readOnly && !hidden && promoted.length === 0 && (
          <PromoteButton communityId={communityId} identity={identity} promotion={() => ({
            type: entryTypeFor(lane?.name ?? ''), title: card.title, tags: card.tags, bodyMarkdown: card.body,
            source: { kind: 'card', title: card.title, path: boardPath(communityId, card.id) },
          })} />
        )}
        {mayEdit && <button type="button" className="danger" onClick={() => { if (confirm('Delete this card and its comments?')) { deleteCard(board, card.id); onClose(); } }}>Delete card</button>}
        {moderator && <ModerationButtons communityId={communityId} target={{ kind: 'card', id: card.id }} moderation={card.moderation} />}
      </div>
      {promoted.length > 0 && (
        <p>In the library: {promoted.map((e, i) => <span key={e.id}>{i > 0 && ', '}<Link to={libraryPath(communityId, e.id)}>{e.title}</Link> ({ENTRY_TYPE_NAMES[e.type]}, {e.status})</span>)}</p>
      )}
      {!hidden && <Comments board={board} cardId={card.id} comments={comments} me={me} mentionable={mentionable} closed={closed} moderator={moderator} communityId={communityId} />}
    </aside>
  );
}
