import type * as Y from 'yjs';
import { markdownLine, fragmentToMarkdown } from '../meeting/markdown.ts';
import { META_ROOT } from '../schema/documents.ts';
import type { ActionItem, Decision } from '../schema/register.ts';
import { ACCEPTED_LATE_ROOT, GROUPS_ROOT, PLACEMENT_ROOT, PROGRESS_ROOT, TALLY_ROOT, topicNotesField, type RevealedCard } from '../schema/retro.ts';
import { boardCardIds, discussedTopics, topicsByVotes } from './facilitation.ts';
import { readGroups, readPlacement, readRevealedCards, retroMetaOf, type Topic } from './model.ts';

/**
 * A retrospective's outcome, read from its documents: the close view, the Markdown export and
 * "carry undiscussed topics into the next retro" use this one reading.
 */
const LABEL_CHARS = 80;

export function votesText(votes: number): string {
  return `${votes} ${votes === 1 ? 'vote' : 'votes'}`;
}

export function topicLabel(topic: Topic, cards: ReadonlyMap<string, RevealedCard>): string {
  if (topic.name.trim()) return topic.name.trim();
  const first = cards.get(topic.cards[0] ?? '')?.text ?? '';
  return first.length > LABEL_CHARS ? `${first.slice(0, LABEL_CHARS - 1)}…` : first;
}

export interface SummaryTopic { id: string; label: string; votes: number; cards: RevealedCard[]; discussed: boolean; notes: Y.XmlFragment }

export interface RetroSummary {
  title: string;
  topics: SummaryTopic[];
  members: number;
  cardCount: number;
  voted: number;
  /** Topics carried into this retro from the one before. */
  carried: CarriedTopic[];
}

export interface CarriedTopic { label: string; cards: string[] }

export function readCarried(meta: Y.Map<unknown>): CarriedTopic[] {
  const carried = meta.get('carried');
  return Array.isArray(carried)
    ? carried.filter((c): c is CarriedTopic => typeof c?.label === 'string' && Array.isArray(c.cards) && c.cards.every((t: unknown) => typeof t === 'string'))
    : [];
}

export function readRetroSummary(board: Y.Doc, control: Y.Doc, results: Y.Doc): RetroSummary {
  const cards = readRevealedCards(results);
  const accepted = new Set(control.getMap(ACCEPTED_LATE_ROOT).keys());
  const tally = results.getMap(TALLY_ROOT).toJSON() as Record<string, number>;
  const discussed = discussedTopics(control);
  const current = control.getMap('retro').get('currentTopic');
  const topics = topicsByVotes(boardCardIds(cards, accepted), readGroups(board.getMap(GROUPS_ROOT)), readPlacement(board.getMap(PLACEMENT_ROOT)), tally);
  const progress = results.getMap(PROGRESS_ROOT);
  const meta = board.getMap(META_ROOT);
  return {
    title: retroMetaOf(board, results).title,
    topics: topics.map((t) => ({
      id: t.id, label: topicLabel(t, cards), votes: tally[t.id] ?? 0,
      cards: t.cards.map((id) => cards.get(id)!).filter(Boolean),
      // The topic on screen when the retro closed was discussed too.
      discussed: discussed.has(t.id) || current === t.id,
      notes: board.getXmlFragment(topicNotesField(t.id)),
    })),
    members: Number(progress.get('members') ?? 0),
    cardCount: topics.reduce((sum, t) => sum + t.cards.length, 0), // cards on the board, not late ones left off it
    voted: Number(progress.get('voted') ?? 0),
    carried: readCarried(meta),
  };
}

export function undiscussedTopics(summary: RetroSummary): CarriedTopic[] {
  return summary.topics.filter((t) => !t.discussed).map((t) => ({ label: t.label, cards: t.cards.map((c) => c.text) }));
}

export function retroSummaryMarkdown(summary: RetroSummary, actions: ActionItem[], decisions: Decision[] = []): string {
  const out = [`# ${markdownLine(summary.title || 'Retrospective')}`, ''];
  out.push(`${summary.members} members · ${summary.cardCount} cards · ${summary.voted} voted`, '');
  out.push('## Topics', '');
  for (const topic of summary.topics) {
    out.push(`### ${markdownLine(topic.label)} (${votesText(topic.votes)})${topic.discussed ? '' : ' — not discussed'}`, '');
    for (const card of topic.cards) out.push(`- ${markdownLine(card.text)}${card.author ? ` — ${markdownLine(card.author)}` : ''}`);
    out.push('');
    const notes = fragmentToMarkdown(topic.notes);
    if (notes) out.push(notes, '');
    const decided = decisions.filter((d) => d.agendaItem === topic.id);
    for (const d of decided) out.push(`- Decision: ${markdownLine(d.text)}${d.decidedBy ? ` — ${markdownLine(d.decidedBy)}` : ''}${d.date ? `, ${d.date}` : ''}`);
    if (decided.length) out.push('');
    const own = actions.filter((a) => a.agendaItem === topic.id);
    for (const a of own) out.push(`- [${a.status === 'done' ? 'x' : ' '}] ${markdownLine(a.text)} (owner: ${a.ownerName ? markdownLine(a.ownerName) : 'none'}${a.due ? `, due ${a.due}` : ''})`);
    if (own.length) out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
