import * as Y from 'yjs';
import { readBoard, readModeration } from '../board/model.ts';
import { readEntries, readStatuses, readStories } from '../library/model.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from '../meeting/register.ts';
import { boardDocNames } from '../schema/board.ts';
import { indexDocName } from '../docNames.ts';
import { INDEX_DOCUMENTS_ROOT, isIndexEntry } from '../schema/documents.ts';
import { libraryDocNames } from '../schema/library.ts';
import { registerDocName } from '../schema/register.ts';
import type { SearchTarget } from '../search/records.ts';

/**
 * "Since you last visited" (issue 10): what is new in a community, from the documents on this
 * device — so it works offline — newest first.
 */
export interface ActivityItem { kind: string; title: string; at: number; by: string; target: SearchTarget | null }

export function activitySince(community: string, docs: ReadonlyMap<string, Y.Doc>, since: number, limit = 30): ActivityItem[] {
  const empty = new Y.Doc();
  const get = (name: string): Y.Doc => docs.get(name) ?? empty;
  const items: ActivityItem[] = [];
  const board = readBoard(get(boardDocNames(community).board), readModeration(get(boardDocNames(community).moderation)));
  for (const lane of board.lanes) {
    for (const card of lane.cards) {
      if (!card.moderation.hidden) items.push({ kind: `Card in ${lane.name}`, title: card.title, at: card.createdAt, by: card.authorName, target: { page: 'board', card: card.id } });
    }
  }
  for (const [card, comments] of board.comments) {
    for (const c of comments) if (!c.moderation.hidden) items.push({ kind: 'Comment', title: c.body.slice(0, 80), at: c.createdAt, by: c.authorName, target: { page: 'board', card } });
  }
  const library = get(libraryDocNames(community).library);
  for (const e of readEntries(library, readStatuses(get(libraryDocNames(community).statuses)))) {
    items.push({ kind: 'Library entry', title: e.title, at: e.createdAt, by: e.ownerName, target: { page: 'library', entry: e.id } });
  }
  for (const s of readStories(library)) items.push({ kind: 'Value story', title: s.changed.slice(0, 80), at: s.createdAt, by: s.authorName, target: null });
  const register = get(registerDocName(community));
  for (const d of readDecisions(decisionsOf(register))) items.push({ kind: 'Decision', title: d.text, at: d.createdAt, by: d.decidedBy, target: { page: 'decisions' } });
  for (const a of readActions(actionsOf(register))) items.push({ kind: 'Action item', title: a.text, at: a.createdAt, by: a.ownerName ?? '', target: { page: 'actions' } });
  get(indexDocName(community)).getMap(INDEX_DOCUMENTS_ROOT).forEach((value, name) => {
    if (!isIndexEntry(value)) return;
    items.push({ kind: value.kind === 'retro' ? 'Retrospective' : 'Meeting', title: value.title, at: value.createdAt, by: '', target: { page: value.kind === 'retro' ? 'retro' : 'document', name } });
  });
  return items.filter((i) => i.at > since).sort((a, b) => b.at - a.at).slice(0, limit);
}
