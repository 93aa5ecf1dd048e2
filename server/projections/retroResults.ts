import { createHmac } from 'node:crypto';
import type * as Y from 'yjs';
import {
  ballotIsValid, tallyBallots, topicsOf, readRevealedCards, type Draft, type Group, type RetroControl, type RetroMeta,
} from '../../shared/retro/model.ts';
import {
  CARDS_ROOT, isRevealedPhase, phaseIndex, PROGRESS_ROOT, TALLY_ROOT, type RetroProgress, type RevealedCard,
} from '../../shared/schema/retro.ts';

/**
 * What the server derives from a retrospective's personal documents (DESIGN §1 projections),
 * as a pure function of what it read, so it is tested without a relay:
 *
 * - before reveal: counts only (members, cards written, members done) — never content;
 * - at reveal (the first time the phase is past reflect): every card, in an order that says
 *   nothing of who wrote it, under an id nobody can trace back to its author (an HMAC of the
 *   member and draft under the server's secret), with the author's name only in a named retro;
 * - after reveal: cards synced late land flagged `late` ("arrived late");
 * - claims: a member may put their name on their own anonymous card — a claim names a draft of
 *   the claimant's, and only the id derived from that member and draft is claimed;
 * - leaving vote: the tally of valid ballots (over budget, unknown topics: ignored whole).
 */
export interface MemberInput {
  memberId: string;
  name: string;
  drafts: Draft[];
  done: boolean;
  ballot: Record<string, number>;
  claims: Set<string>;
}

export interface RetroInput {
  retroId: string;
  control: RetroControl;
  meta: RetroMeta;
  groups: Group[];
  placement: Record<string, string>;
  acceptedLate: Set<string>;
  members: MemberInput[];
}

const STATE_ROOT = 'state';

export function revealedCardId(secret: Uint8Array, retroId: string, memberId: string, draftId: string): string {
  return createHmac('sha256', secret).update(`${retroId}\0${memberId}\0${draftId}`).digest('hex').slice(0, 20);
}

function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
}

/** Cards in an order unrelated to their authors: by their (unpredictable) ids. */
function unlinkedOrder<T extends { id: string }>(cards: T[]): T[] {
  return [...cards].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function applyRetroResults(results: Y.Doc, input: RetroInput, secret: Uint8Array): void {
  const { control, members } = input;
  const state = results.getMap(STATE_ROOT);
  const progress: RetroProgress = {
    members: members.length,
    cards: members.reduce((sum, m) => sum + m.drafts.length, 0),
    done: members.filter((m) => m.done).length,
    voted: members.filter((m) => Object.keys(m.ballot).length > 0).length,
  };
  const progressMap = results.getMap(PROGRESS_ROOT);
  for (const [key, value] of Object.entries(progress)) setIfChanged(progressMap, key, value);
  if (!isRevealedPhase(control.phase)) return;

  const cards = results.getMap(CARDS_ROOT);
  const firstReveal = state.get('revealed') !== true;
  const named = input.meta.anonymity === 'named';
  const incoming = unlinkedOrder(members.flatMap((m) => m.drafts.map((draft) => ({
    id: revealedCardId(secret, input.retroId, m.memberId, draft.id), draft, member: m,
  }))));
  for (const { id, draft, member } of incoming) {
    const claimed = member.claims.has(draft.id);
    const existing = cards.get(id) as RevealedCard | undefined;
    if (existing) {
      // A card's text is fixed at its reveal; only a claim may still add its author's name.
      if (claimed && existing.author === null) cards.set(id, { ...existing, author: member.name });
      continue;
    }
    const card: RevealedCard = { prompt: draft.prompt, text: draft.text, author: named || claimed ? member.name : null, late: !firstReveal };
    cards.set(id, card);
  }
  if (firstReveal) state.set('revealed', true);
  tallyIfDue(results, input);
}

/**
 * The tally belongs to one vote round (control `voteRound`): computed once voting has closed for
 * that round, cleared while voting is open again. Keyed by round rather than by seeing the vote
 * phase, so a quick vote → discuss → vote → discuss folded into one run still recounts.
 */
function tallyIfDue(results: Y.Doc, input: RetroInput): void {
  const state = results.getMap(STATE_ROOT);
  const tally = results.getMap(TALLY_ROOT);
  const afterVote = phaseIndex(input.control.phase) > phaseIndex('vote');
  const round = input.control.voteRound;
  if (!afterVote) {
    if (state.get('tallied') === true) {
      tally.clear();
      state.set('tallied', false);
    }
    return;
  }
  if (state.get('tallied') === true && state.get('talliedRound') === round) return;
  const revealed = readRevealedCards(results);
  const onBoard = [...revealed].filter(([id, card]) => !card.late || input.acceptedLate.has(id)).map(([id]) => id);
  const topicIds = new Set(topicsOf(onBoard, input.groups, input.placement).map((t) => t.id));
  const counts = tallyBallots(input.members.map((m) => m.ballot), input.control.budget, topicIds);
  tally.clear();
  for (const [topic, dots] of Object.entries(counts)) tally.set(topic, dots);
  state.set('tallied', true);
  state.set('talliedRound', round);
  state.set('ballotsCounted', input.members.filter((m) => Object.keys(m.ballot).length > 0 && ballotIsValid(m.ballot, input.control.budget, topicIds)).length);
}
