import type { BoardComment, BoardView, Card } from '../../../shared/schema/board.ts';
import { plainText } from '../../../shared/text.ts';

export interface BoardFilter {
  lane: string | null;
  tag: string | null;
  author: string | null;
  text: string;
  /** Only cards whose comments mention this member. */
  mentioning: string | null;
}

export const NO_FILTER: BoardFilter = { lane: null, tag: null, author: null, text: '', mentioning: null };

export function isFiltering(filter: BoardFilter): boolean {
  return filter.lane !== null || filter.tag !== null || filter.author !== null || filter.text.trim() !== '' || filter.mentioning !== null;
}

export function mentionsOf(comments: readonly BoardComment[] | undefined, memberId: string): boolean {
  return (comments ?? []).some((c) => !c.moderation.hidden && c.mentions.includes(memberId));
}

function matches(card: Card, filter: BoardFilter, comments: BoardView['comments']): boolean {
  if (filter.tag !== null && !card.tags.includes(filter.tag)) return false;
  if (filter.author !== null && card.author !== filter.author) return false;
  if (filter.mentioning !== null && (card.moderation.hidden || !mentionsOf(comments.get(card.id), filter.mentioning))) return false;
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length) {
    const haystack = `${card.title}\n${plainText(card.body)}\n${card.tags.join(' ')}\n${card.authorName}`.toLowerCase();
    if (!words.every((w) => haystack.includes(w))) return false;
  }
  return true;
}

/** The lanes and cards a filter leaves; lanes stay (empty) unless the filter picks one lane. */
export function filterBoard(view: BoardView, filter: BoardFilter): BoardView['lanes'] {
  if (!isFiltering(filter)) return view.lanes;
  return view.lanes
    .filter((lane) => filter.lane === null || lane.id === filter.lane)
    .map((lane) => ({ ...lane, cards: lane.cards.filter((card) => matches(card, filter, view.comments)) }));
}

/** Tags and authors in use, for the filter menus. */
export function facets(view: BoardView): { tags: string[]; authors: Array<{ id: string; name: string }> } {
  const tags = new Set<string>();
  const authors = new Map<string, string>();
  for (const lane of view.lanes) {
    for (const card of lane.cards) {
      for (const tag of card.tags) tags.add(tag);
      if (!card.moderation.hidden) authors.set(card.author, card.authorName || 'Someone');
    }
  }
  return {
    tags: [...tags].sort(),
    authors: [...authors].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
