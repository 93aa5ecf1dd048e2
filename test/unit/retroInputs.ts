import type * as Y from 'yjs';
import { revealedCardId, type MemberInput, type RetroInput } from '../../server/projections/retroResults.ts';
import type { Draft, Group } from '../../shared/retro/model.ts';
import {
  DEFAULT_VOTE_BUDGET, TEMPLATE_PROMPTS, type Anonymity, type RetroPhase, type VoteBudget,
} from '../../shared/schema/retro.ts';
import { replica } from './meetingReplicas.ts';

/**
 * Inputs for the retro projection tests (server/projections/retroResults.ts), built the way
 * server/projections/retro.ts reads them, so the pure projection is exercised without a relay.
 */
export const SECRET = new TextEncoder().encode('unit-test projection secret');
export const RETRO_ID = 'r7k2m9q4x1b3';
export const PROMPTS = TEMPLATE_PROMPTS['start-stop-continue'];

/** The server's results replica: a fixed client id, so two runs' encoded states compare byte for byte. */
export const RESULTS_CLIENT_ID = 100;
export const resultsDoc = (): Y.Doc => replica(RESULTS_CLIENT_ID);

export type DraftSpec = [id: string, prompt: string, text: string];

export function drafts(...specs: DraftSpec[]): Draft[] {
  return specs.map(([id, prompt, text]) => ({ id, prompt, text }));
}

export function memberInput(memberId: string, name: string, own: Draft[] = [], extra: Partial<Omit<MemberInput, 'memberId' | 'name' | 'drafts'>> = {}): MemberInput {
  return { memberId, name, drafts: own, done: false, ballot: {}, claims: new Set(), ...extra };
}

export interface InputOptions {
  anonymity?: Anonymity;
  budget?: VoteBudget;
  groups?: Group[];
  placement?: Record<string, string>;
  acceptedLate?: Iterable<string>;
  retroId?: string;
  voteRound?: number;
}

export function retroInput(phase: RetroPhase, members: MemberInput[], options: InputOptions = {}): RetroInput {
  return {
    retroId: options.retroId ?? RETRO_ID,
    control: { phase, budget: options.budget ?? DEFAULT_VOTE_BUDGET, currentTopic: null, voteRound: options.voteRound ?? 1 },
    meta: { title: 'Quarter retro', prompts: PROMPTS, anonymity: options.anonymity ?? 'anonymous' },
    groups: options.groups ?? [],
    placement: options.placement ?? {},
    acceptedLate: new Set(options.acceptedLate ?? []),
    members,
  };
}

export const cardIdOf = (memberId: string, draftId: string): string => revealedCardId(SECRET, RETRO_ID, memberId, draftId);

/** How many updates a doc emits from now on: zero after a run means the run changed nothing. */
export function countUpdates(doc: Y.Doc): { readonly count: number } {
  const counter = { count: 0 };
  doc.on('update', () => { counter.count += 1; });
  return counter;
}
