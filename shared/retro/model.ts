import type * as Y from 'yjs';
import { randomId } from '../ids.ts';
import { clip } from '../text.ts';
import { META_ROOT } from '../schema/documents.ts';
import {
  ANONYMITY, BALLOT_ROOT, CARDS_ROOT, CLAIMS_ROOT, DEFAULT_VOTE_BUDGET, DRAFTS_ROOT, GROUPS_ROOT, MAX_CARD_CHARS,
  MAX_CARDS_PER_MEMBER, PERSONAL_STATE_ROOT, PLACEMENT_ROOT, RETRO_CONTROL_ROOT, RETRO_PHASES, SETTINGS_ROOT,
  type Anonymity, type RetroPhase, type RetroPrompt, type RevealedCard, type VoteBudget,
} from '../schema/retro.ts';

/**
 * Reading and writing a retrospective's documents (schema/retro.ts). Every reader validates:
 * a personal document or the board may hold whatever a modified client wrote.
 */

// ── board (shared) ──

export interface RetroMeta { title: string; prompts: RetroPrompt[]; anonymity: Anonymity }

export function readRetroMeta(meta: Y.Map<unknown>): RetroMeta {
  const title = meta.get('title');
  const prompts = meta.get('prompts');
  const anonymity = meta.get('anonymity');
  return {
    title: typeof title === 'string' ? title : '',
    prompts: Array.isArray(prompts)
      ? prompts.filter((p): p is RetroPrompt => typeof p?.id === 'string' && typeof p?.text === 'string')
      : [],
    anonymity: (ANONYMITY as readonly unknown[]).includes(anonymity) ? anonymity as Anonymity : 'anonymous',
  };
}

/** The retro's title (board) with its prompts and anonymity, which only the server writes (results). */
export function retroMetaOf(board: Y.Doc, results: Y.Doc): RetroMeta {
  const title = board.getMap(META_ROOT).get('title');
  return { ...readRetroMeta(results.getMap(SETTINGS_ROOT)), title: typeof title === 'string' ? title : '' };
}

export interface Group { id: string; name: string }

export function readGroups(groups: Y.Map<unknown>): Group[] {
  const list: Group[] = [];
  groups.forEach((value, id) => {
    const name = (value as { name?: unknown } | null)?.name;
    list.push({ id, name: typeof name === 'string' ? name : '' });
  });
  return list.sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function readPlacement(placement: Y.Map<unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  placement.forEach((group, card) => { if (typeof group === 'string') out[card] = group; });
  return out;
}

/**
 * Puts `card` with `target` (a card or a group). Onto a grouped card or a group: joins that
 * group; onto an ungrouped card: both form a new group. A card's place is one map key, so
 * members grouping at once never copy or lose a card: the last placement of each card wins.
 */
export function groupCards(board: Y.Doc, card: string, target: string): void {
  const placement = board.getMap<string>(PLACEMENT_ROOT);
  const groups = board.getMap(GROUPS_ROOT);
  if (card === target) return;
  board.transact(() => {
    let group = groups.has(target) ? target : placement.get(target);
    if (!group || !groups.has(group)) {
      group = randomId();
      groups.set(group, { name: '' });
      placement.set(target, group);
    }
    placement.set(card, group);
  });
}

export function ungroupCard(board: Y.Doc, card: string): void {
  board.getMap(PLACEMENT_ROOT).delete(card);
}

export function renameGroup(board: Y.Doc, group: string, name: string): void {
  const groups = board.getMap(GROUPS_ROOT);
  if (groups.has(group)) groups.set(group, { name: clip(name, 120) });
}

/** A topic is a group with cards, or a card in no group; topics are what members vote on. */
export interface Topic { id: string; name: string; cards: string[] }

export function topicsOf(cardIds: readonly string[], groups: readonly Group[], placement: Record<string, string>): Topic[] {
  const known = new Map(groups.map((g) => [g.id, g]));
  const byGroup = new Map<string, string[]>();
  const topics: Topic[] = [];
  for (const card of [...cardIds].sort()) {
    const group = placement[card];
    if (group && known.has(group)) byGroup.set(group, [...(byGroup.get(group) ?? []), card]);
    else topics.push({ id: card, name: '', cards: [card] });
  }
  for (const [id, cards] of byGroup) topics.push({ id, name: known.get(id)!.name, cards });
  return topics.sort((a, b) => (a.cards[0]! < b.cards[0]! ? -1 : 1));
}

// ── control ──

export interface RetroControl {
  phase: RetroPhase;
  budget: VoteBudget;
  currentTopic: string | null;
  /** How many times voting opened: a tally belongs to one round (going back to vote starts another). */
  voteRound: number;
}

export function readRetroControl(map: Y.Map<unknown>): RetroControl {
  const phase = map.get('phase');
  const budget = map.get('budget') as Partial<VoteBudget> | undefined;
  const current = map.get('currentTopic');
  const int = (value: unknown, fallback: number): number =>
    (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100 ? value : fallback);
  return {
    phase: (RETRO_PHASES as readonly unknown[]).includes(phase) ? phase as RetroPhase : 'lobby',
    budget: { total: int(budget?.total, DEFAULT_VOTE_BUDGET.total), perTopic: int(budget?.perTopic, DEFAULT_VOTE_BUDGET.perTopic) },
    currentTopic: typeof current === 'string' ? current : null,
    voteRound: Number.isSafeInteger(map.get('voteRound')) && (map.get('voteRound') as number) >= 0 ? map.get('voteRound') as number : 0,
  };
}

export const RETRO_NOT_STARTED: RetroControl = { phase: 'lobby', budget: DEFAULT_VOTE_BUDGET, currentTopic: null, voteRound: 0 };

export const retroControlOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(RETRO_CONTROL_ROOT);

/** Whether a control document belongs to a retrospective (the server seeds its phase). */
export function isRetroControl(doc: Y.Doc): boolean {
  return retroControlOf(doc).has('phase');
}

// ── personal ──

export interface Draft { id: string; prompt: string; text: string }

/** A member's cards, as many as allowed, for prompts the retro has (null: any), with text. */
export function readDrafts(personal: Y.Doc, promptIds: ReadonlySet<string> | null): Draft[] {
  const drafts: Draft[] = [];
  personal.getMap(DRAFTS_ROOT).forEach((value, id) => {
    const v = value as { prompt?: unknown; text?: unknown } | null;
    if (typeof v?.prompt !== 'string' || typeof v.text !== 'string' || (promptIds && !promptIds.has(v.prompt))) return;
    const text = clip(v.text.trim(), MAX_CARD_CHARS);
    if (text) drafts.push({ id, prompt: v.prompt, text });
  });
  return drafts.sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, MAX_CARDS_PER_MEMBER);
}

export function writeDraft(personal: Y.Doc, id: string, prompt: string, text: string): void {
  personal.getMap(DRAFTS_ROOT).set(id, { prompt, text: clip(text, MAX_CARD_CHARS) });
}

export function deleteDraft(personal: Y.Doc, id: string): void {
  personal.getMap(DRAFTS_ROOT).delete(id);
}

export function personalStateOf(personal: Y.Doc): Y.Map<unknown> {
  return personal.getMap(PERSONAL_STATE_ROOT);
}

export function isDone(personal: Y.Doc): boolean {
  return personalStateOf(personal).get('done') === true;
}

/** The member's dots by topic id (positive integers only). */
export function readBallot(personal: Y.Doc): Record<string, number> {
  const ballot: Record<string, number> = {};
  personal.getMap(BALLOT_ROOT).forEach((value, topic) => {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) ballot[topic] = value;
  });
  return ballot;
}

export function setVotes(personal: Y.Doc, topic: string, dots: number): void {
  const ballot = personal.getMap(BALLOT_ROOT);
  if (dots <= 0) ballot.delete(topic);
  else ballot.set(topic, dots);
}

export function readClaims(personal: Y.Doc): Set<string> {
  const claims = new Set<string>();
  personal.getMap(CLAIMS_ROOT).forEach((value, card) => { if (value === true) claims.add(card); });
  return claims;
}

export function claimCard(personal: Y.Doc, card: string): void {
  personal.getMap(CLAIMS_ROOT).set(card, true);
}

/**
 * A ballot counts only whole: every dot on a topic that exists, at most `perTopic` on one, at
 * most `total` in all. An over-budget ballot (a modified client) is ignored, not trimmed, so no
 * member gains by writing past the budget.
 */
export function ballotIsValid(ballot: Record<string, number>, budget: VoteBudget, topicIds: ReadonlySet<string>): boolean {
  let sum = 0;
  for (const [topic, dots] of Object.entries(ballot)) {
    if (!topicIds.has(topic) || !Number.isInteger(dots) || dots <= 0 || dots > budget.perTopic) return false;
    sum += dots;
  }
  return sum <= budget.total;
}

export function tallyBallots(ballots: ReadonlyArray<Record<string, number>>, budget: VoteBudget, topicIds: ReadonlySet<string>): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const ballot of ballots) {
    if (!ballotIsValid(ballot, budget, topicIds)) continue;
    for (const [topic, dots] of Object.entries(ballot)) tally[topic] = (tally[topic] ?? 0) + dots;
  }
  return tally;
}

// ── results (index) ──

export function readRevealedCards(results: Y.Doc): Map<string, RevealedCard> {
  const cards = new Map<string, RevealedCard>();
  results.getMap(CARDS_ROOT).forEach((value, id) => {
    const v = value as Partial<RevealedCard> | null;
    if (typeof v?.text !== 'string' || typeof v.prompt !== 'string') return;
    cards.set(id, { prompt: v.prompt, text: v.text, author: typeof v.author === 'string' ? v.author : null, late: v.late === true });
  });
  return cards;
}
