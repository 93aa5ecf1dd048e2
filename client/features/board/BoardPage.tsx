import {
  closestCorners, DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors,
  type Announcements, type DragEndEvent, type DragStartEvent, type UniqueIdentifier,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useCallback, useMemo, useState } from 'react';
import { addCard, addLane, moveCard, moveLane, removeLane, renameLane } from '../../../shared/board/model.ts';
import { boardDocNames, type BoardView } from '../../../shared/schema/board.ts';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { memberMay, useMember } from '../../app/useMember.ts';
import { communityHomePath, libraryPath, Link, replaceQuery, searchPath, useQueryParam } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { PresenceAvatars } from '../../ui/PresenceAvatars.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useMe } from '../meeting/useMeeting.ts';
import { usePeople } from '../meeting/usePeople.ts';
import { BoardFilters } from './BoardFilters.tsx';
import { CardDialog } from './CardDialog.tsx';
import { DraggedCard } from './CardTile.tsx';
import { filterBoard, NO_FILTER, type BoardFilter } from './filters.ts';
import { Lane, laneDropId } from './Lane.tsx';
import { useBoard } from './useBoard.ts';

/** The community board of a community this browser belongs to. */
export function BoardPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const entry = useStoredCommunity(communityId);
  if (!entry) return <p className="empty">The board belongs to a community you are a member of. <Link to="/">Back to Guildhall</Link></p>;
  return <Board communityId={communityId} memberId={entry.memberId} identity={identity} />;
}

/** Where a drop lands: the lane and the index in that lane's full (unfiltered) list without the card. */
function dropTarget(view: BoardView, cardId: string, overId: string): { lane: string; index: number } | null {
  const lane = view.lanes.find((l) => laneDropId(l.id) === overId);
  if (lane) return { lane: lane.id, index: lane.cards.filter((c) => c.id !== cardId).length };
  const target = view.lanes.find((l) => l.cards.some((c) => c.id === overId));
  if (!target) return null;
  // The card takes the place of the one it is dropped on: within a lane as arrayMove does, in
  // another lane just before it.
  return { lane: target.id, index: target.cards.findIndex((c) => c.id === overId) };
}

const DRAG_INSTRUCTIONS = 'To move a card, press Space. Arrow keys move it within and between lanes; Space drops it, Escape cancels. Enter opens it.';

/** What a screen reader hears while a card moves: titles and lane names, not ids. */
function dragAnnouncements(view: BoardView): Announcements {
  const cards = new Map(view.lanes.flatMap((lane) => lane.cards.map((card) => [card.id, { title: card.title || 'Untitled card', lane: lane.name }] as const)));
  const lanes = new Map(view.lanes.map((lane) => [laneDropId(lane.id), lane.name]));
  const title = (id: UniqueIdentifier): string => cards.get(String(id))?.title ?? 'the card';
  const place = (id: UniqueIdentifier | undefined): string => {
    if (id === undefined) return 'no lane';
    const lane = lanes.get(String(id));
    if (lane) return `lane ${lane}`;
    const card = cards.get(String(id));
    return card ? `${card.title} in lane ${card.lane}` : 'no lane';
  };
  return {
    onDragStart: ({ active }) => `Picked up card ${title(active.id)}.`,
    onDragOver: ({ active, over }) => `Card ${title(active.id)} is over ${place(over?.id)}.`,
    onDragEnd: ({ active, over }) => (over ? `Card ${title(active.id)} was dropped on ${place(over.id)}.` : `Card ${title(active.id)} was not moved.`),
    onDragCancel: ({ active }) => `Moving card ${title(active.id)} was cancelled.`,
  };
}

function Board({ communityId, memberId, identity }: { communityId: string; memberId: string; identity: Identity }) {
  const state = useBoard(communityId, identity);
  const entry = useStoredCommunity(communityId);
  const member = useMember(communityId);
  const me = useMe(communityId, identity);
  const people = usePeople(communityId, me);
  const mentionable = useMemo(() => people.filter((p) => p.key.startsWith('m:')).map((p) => ({ id: p.key.slice(2), name: p.name })), [people]);
  const [filter, setFilter] = useState<BoardFilter>(NO_FILTER);
  const [dragging, setDragging] = useState<string | null>(null);
  const openCardId = useQueryParam('card');
  const readOnly = state.boardStatus.readOnly || state.boardStatus.phase === 'stopped' || entry?.removed === true || (member?.role ?? entry?.role) === 'viewer';
  const moderator = memberMay(member, communityId, 'moderate');
  const doc = state.board?.doc ?? null;
  const lanes = useMemo(() => filterBoard(state.view, filter), [state.view, filter]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    // Enter opens a card; Space picks it up, arrows move it, Space drops it, Escape cancels.
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space'] } }),
  );
  const onDragEnd = useCallback((event: DragEndEvent) => {
    setDragging(null);
    if (!doc || !event.over) return;
    const cardId = String(event.active.id);
    const target = dropTarget(state.view, cardId, String(event.over.id));
    if (target) moveCard(doc, cardId, target.lane, target.index);
  }, [doc, state.view]);
  const announcements = useMemo(() => dragAnnouncements(state.view), [state.view]);
  const openCard = state.view.lanes.flatMap((l) => l.cards).find((c) => c.id === openCardId) ?? null;
  const draggingCard = dragging ? state.view.lanes.flatMap((l) => l.cards).find((c) => c.id === dragging) ?? null : null;
  const close = useCallback(() => replaceQuery({ card: null }), []);

  return (
    <article className="document board-page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(communityId)}>← {entry?.name ?? 'Community'}</Link></nav>
      <header className="document-header">
        <h1>Community board</h1>
        <div className="document-meta">
          <StatusBadge status={state.status} />
          {state.board && <PresenceAvatars awareness={state.board.awareness} />}
        </div>
      </header>
      <p className="muted">Share best practices, questions, case studies and lessons learned. Curated ones go to the <Link to={libraryPath(communityId)}>practice library</Link>; <Link to={searchPath(communityId)}>search</Link> finds anything on this device.</p>
      <BoardFilters view={state.view} filter={filter} onChange={setFilter} memberId={memberId} />
      {!state.boardStatus.ready || !doc ? <p className="muted">Opening the board…</p> : state.view.lanes.length === 0 ? (
        <p className="muted">The board is being set up — it appears once this device has been online here.</p>
      ) : (
        <DndContext sensors={sensors} collisionDetection={closestCorners} accessibility={{ announcements, screenReaderInstructions: { draggable: DRAG_INSTRUCTIONS } }} onDragStart={(e: DragStartEvent) => setDragging(String(e.active.id))}
          onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
          <div className="lanes">
            {lanes.map((lane) => (
              <Lane key={lane.id} lane={lane} index={state.view.lanes.findIndex((l) => l.id === lane.id)} laneCount={state.view.lanes.length} comments={state.view.comments} memberId={memberId}
                readOnly={readOnly} onOpen={(id) => replaceQuery({ card: id })}
                onAdd={(draft) => addCard(doc, lane.id, { title: draft.title, body: draft.body, tags: draft.tags.split(','), author: memberId, authorName: identity.name })}
                onRename={(name) => renameLane(doc, lane.id, name)} onMove={(to) => moveLane(doc, lane.id, to)} onRemove={() => removeLane(doc, lane.id)} />
            ))}
            {!readOnly && filter.lane === null && <AddLane onAdd={(name) => addLane(doc, name)} />}
          </div>
          <DragOverlay>{draggingCard && <DraggedCard card={draggingCard} />}</DragOverlay>
        </DndContext>
      )}
      {doc && state.boardStatus.ready && <HistoryPanel communityId={communityId} docName={boardDocNames(communityId).board} live={doc} identity={identity} readOnly={readOnly} />}
      {openCard && doc && (
        <CardDialog key={openCard.id} communityId={communityId} board={doc} view={state.view} card={openCard} comments={state.view.comments.get(openCard.id) ?? []}
          me={{ memberId, name: identity.name }} identity={identity} mentionable={mentionable} readOnly={readOnly} moderator={moderator} onClose={close} />
      )}
    </article>
  );
}

function AddLane({ onAdd }: { onAdd: (name: string) => void }) {
  const [name, setName] = useState('');
  return (
    <form className="lane lane-new" onSubmit={(e) => { e.preventDefault(); if (name.trim()) { onAdd(name); setName(''); } }}>
      <label>New lane <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} placeholder="e.g. Tools and templates" /></label>
      <button type="submit">Add lane</button>
    </form>
  );
}
