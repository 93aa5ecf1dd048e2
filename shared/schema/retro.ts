/**
 * A retrospective (issue 5) is four kinds of documents with one id (DESIGN §1: personal
 * documents and server projections):
 *
 *   <community>.shared.<id>                     the board: meta (title, template), groups,
 *                                               where each card sits, discussion notes
 *   <community>.control.<id>                    phase, timer, vote budget, current topic,
 *                                               late cards accepted (facilitators write)
 *   <community>.index.<id>                      what only the server writes: settings (prompts,
 *                                               anonymity), cards (after reveal), progress, tally
 *   <community>.personal.<member>-retro-<id>    one member's drafts, "done", ballot and claims
 *                                               (only that member and the server read it)
 *
 * Card text exists only in its author's personal document until the server copies it into the
 * results document at reveal, so before reveal no other member's device receives it.
 */
import { formatDocName, parseDocName } from '../docNames.ts';

export const RETRO_TEMPLATES = ['start-stop-continue', 'four-ls', 'mad-sad-glad', 'charter-review', 'custom'] as const;
export type RetroTemplate = (typeof RETRO_TEMPLATES)[number];

export interface RetroPrompt { id: string; text: string }

/** The prompts each template creates (once, on the server); custom retros bring their own. */
export const TEMPLATE_PROMPTS: Record<Exclude<RetroTemplate, 'custom' | 'charter-review'>, RetroPrompt[]> = {
  'start-stop-continue': [
    { id: 'start', text: 'Start' }, { id: 'stop', text: 'Stop' }, { id: 'continue', text: 'Continue' },
  ],
  'four-ls': [
    { id: 'liked', text: 'Liked' }, { id: 'learned', text: 'Learned' }, { id: 'lacked', text: 'Lacked' }, { id: 'longed', text: 'Longed for' },
  ],
  'mad-sad-glad': [{ id: 'mad', text: 'Mad' }, { id: 'sad', text: 'Sad' }, { id: 'glad', text: 'Glad' }],
};

export const TEMPLATE_NAMES: Record<RetroTemplate, string> = {
  'start-stop-continue': 'Start / Stop / Continue',
  'four-ls': '4Ls (liked, learned, lacked, longed for)',
  'mad-sad-glad': 'Mad / Sad / Glad',
  'charter-review': 'Charter review (one prompt per goal and value)',
  custom: 'Custom prompts',
};

export const ANONYMITY = ['named', 'anonymous'] as const;
export type Anonymity = (typeof ANONYMITY)[number];

export const RETRO_PHASES = ['lobby', 'reflect', 'group', 'vote', 'discuss', 'close'] as const;
export type RetroPhase = (typeof RETRO_PHASES)[number];

export function phaseIndex(phase: RetroPhase): number {
  return RETRO_PHASES.indexOf(phase);
}

/** Cards are revealed when the retro first leaves reflect. */
export function isRevealedPhase(phase: RetroPhase): boolean {
  return phaseIndex(phase) > phaseIndex('reflect');
}

// Board (shared) roots besides `meta`.
export const GROUPS_ROOT = 'groups';
/** cardId → groupId: a card sits in at most one group (one key), so grouping never copies a card. */
export const PLACEMENT_ROOT = 'placement';
export function topicNotesField(topicId: string): string {
  return `topic-notes:${topicId}`;
}

// Control roots.
export const RETRO_CONTROL_ROOT = 'retro';
export const ACCEPTED_LATE_ROOT = 'acceptedLate';
export interface VoteBudget {
  /** Dots each member may give in all. */
  total: number;
  /** Dots one member may give one topic. */
  perTopic: number;
}
export const DEFAULT_VOTE_BUDGET: VoteBudget = { total: 3, perTopic: 2 };

// Results (index) roots, written by the server only.
/**
 * The retro's prompts and anonymity, fixed at creation. They live here, not on the board, because
 * members write the board: a modified client must not be able to turn an anonymous retro named.
 */
export const SETTINGS_ROOT = 'settings';
export const CARDS_ROOT = 'cards';
export const PROGRESS_ROOT = 'progress';
export const TALLY_ROOT = 'tally';
/** The prompt of a card carried from the retro before (not one of this retro's prompts). */
export const CARRIED_PROMPT = 'carried';

export interface RevealedCard {
  prompt: string;
  text: string;
  /** The author's display name in a named retro, or once they claimed the card; else null. */
  author: string | null;
  /** Synced after the reveal: shown in "arrived late" until the facilitator accepts it. */
  late: boolean;
}
export interface RetroProgress {
  members: number;
  /** Cards written so far (all members, before reveal). */
  cards: number;
  /** Members who said they are done (reflect) or cast a ballot (vote). */
  done: number;
  voted: number;
}

// Personal roots.
export const DRAFTS_ROOT = 'drafts';
export const BALLOT_ROOT = 'ballot';
export const CLAIMS_ROOT = 'claims';
export const PERSONAL_STATE_ROOT = 'state';
export interface DraftCard { prompt: string; text: string }

export const MAX_CARD_CHARS = 1000;
export const MAX_CARDS_PER_MEMBER = 100;

const PERSONAL_MARKER = '-retro-';

export function personalRetroDocName(community: string, memberId: string, retroId: string): string {
  return formatDocName({ community, accessClass: 'personal', id: `${memberId}${PERSONAL_MARKER}${retroId}` });
}

/** The member and retro of a personal retro document, or null for any other document. */
export function parsePersonalRetroName(name: string): { community: string; memberId: string; retroId: string } | null {
  const parsed = parseDocName(name);
  if (!parsed || parsed.accessClass !== 'personal') return null;
  const at = parsed.id.indexOf(PERSONAL_MARKER);
  if (at <= 0) return null;
  const retroId = parsed.id.slice(at + PERSONAL_MARKER.length);
  return retroId ? { community: parsed.community, memberId: parsed.id.slice(0, at), retroId } : null;
}

export function retroDocNames(community: string, retroId: string) {
  return {
    board: formatDocName({ community, accessClass: 'shared', id: retroId }),
    control: formatDocName({ community, accessClass: 'control', id: retroId }),
    results: formatDocName({ community, accessClass: 'index', id: retroId }),
  };
}
