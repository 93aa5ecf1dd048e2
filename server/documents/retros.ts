import type * as Y from 'yjs';
import type { CarriedTopic } from '../../shared/retro/summary.ts';
import { randomId } from '../../shared/ids.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import {
  CARDS_ROOT, CARRIED_PROMPT, DEFAULT_VOTE_BUDGET, PROGRESS_ROOT, RETRO_CONTROL_ROOT, SETTINGS_ROOT, TEMPLATE_PROMPTS,
  type Anonymity, type RetroPrompt, type RetroProgress, type RetroTemplate, type RevealedCard,
} from '../../shared/schema/retro.ts';

/**
 * Template content of a retrospective, written once on the server when it is created (DESIGN §3):
 * the template on the board, the lobby phase and default vote budget on the control, and on the
 * server-only results the prompts, the anonymity and zero counts. Members opening it at once, some offline, never see the prompts twice.
 */
export interface NewRetro {
  title: string;
  template: RetroTemplate;
  anonymity: Anonymity;
  /** Custom template only. */
  customPrompts?: string[];
  /** Charter review only: the charter's goals and values, one per line. */
  charterLines?: { goals: string[]; values: string[] };
}

const MAX_CHARTER_PROMPTS = 12;

export function promptsFor(retro: NewRetro): RetroPrompt[] {
  if (retro.template === 'custom') return (retro.customPrompts ?? []).map((text) => ({ id: randomId(8), text }));
  if (retro.template === 'charter-review') {
    const { goals = [], values = [] } = retro.charterLines ?? {};
    return [
      ...goals.map((line, i) => ({ id: `goal-${i + 1}`, text: `Goal: ${line}` })),
      ...values.map((line, i) => ({ id: `value-${i + 1}`, text: `Value: ${line}` })),
    ].slice(0, MAX_CHARTER_PROMPTS);
  }
  return TEMPLATE_PROMPTS[retro.template];
}

export function seedRetroBoard(board: Y.Doc, retro: NewRetro): void {
  board.getMap(META_ROOT).set('template', retro.template);
}

export function seedRetroControl(control: Y.Doc): void {
  const map = control.getMap(RETRO_CONTROL_ROOT);
  map.set('phase', 'lobby');
  map.set('budget', DEFAULT_VOTE_BUDGET);
}

/**
 * `carried`: topics the retro before closed without discussing. They go on the board as cards of
 * their own (already public: they were revealed there), so members can group, vote on and
 * discuss them like this retro's cards.
 */
export function seedRetroResults(results: Y.Doc, retro: NewRetro, prompts: RetroPrompt[], carried: readonly CarriedTopic[] = []): void {
  const cards = results.getMap(CARDS_ROOT);
  carried.forEach((topic, i) => {
    const card: RevealedCard = { prompt: CARRIED_PROMPT, text: topic.label, author: null, late: false };
    cards.set(`carried-${i + 1}`, card);
  });
  const settings = results.getMap(SETTINGS_ROOT);
  settings.set('anonymity', retro.anonymity);
  settings.set('prompts', prompts);
  const progress = results.getMap(PROGRESS_ROOT);
  const zero: RetroProgress = { members: 0, cards: 0, done: 0, voted: 0 };
  for (const [key, value] of Object.entries(zero)) progress.set(key, value);
}
