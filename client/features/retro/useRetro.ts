import type * as Y from 'yjs';
import { readRetroTimer } from '../../../shared/retro/facilitation.ts';
import {
  readBallot, readClaims, readDrafts, readGroups, readPlacement, readRetroControl, readRetroMeta, readRevealedCards, RETRO_NOT_STARTED,
  type Draft, type Group, type RetroControl, type RetroMeta,
} from '../../../shared/retro/model.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import {
  ACCEPTED_LATE_ROOT, BALLOT_ROOT, CARDS_ROOT, CLAIMS_ROOT, DRAFTS_ROOT, GROUPS_ROOT, PERSONAL_STATE_ROOT, personalRetroDocName,
  PLACEMENT_ROOT, PROGRESS_ROOT, RETRO_CONTROL_ROOT, retroDocNames, SETTINGS_ROOT, TALLY_ROOT, type RetroProgress, type RevealedCard,
} from '../../../shared/schema/retro.ts';
import { DISCUSSED_ROOT } from '../../../shared/retro/facilitation.ts';
import type { TimerState } from '../../../shared/schema/meeting.ts';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import { combineStatuses, type DocStatus } from '../../collab/status.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { useYSnapshot } from '../../ui/useY.ts';

/** A retrospective's documents, opened together, and what the page reads from them. */
export interface RetroState {
  board: DocSession | null;
  control: DocSession | null;
  results: DocSession | null;
  personal: DocSession | null;
  status: DocStatus;
  boardStatus: DocStatus;
  controlStatus: DocStatus;
  meta: RetroMeta;
  controlState: RetroControl;
  timer: TimerState | null;
  progress: RetroProgress;
  cards: Map<string, RevealedCard>;
  groups: Group[];
  placement: Record<string, string>;
  acceptedLate: Set<string>;
  discussed: Set<string>;
  tally: Record<string, number>;
  drafts: Draft[];
  done: boolean;
  ballot: Record<string, number>;
  claims: Set<string>;
}

const EMPTY_META: RetroMeta = { title: '', prompts: [], anonymity: 'anonymous' };
const NO_PROGRESS: RetroProgress = { members: 0, cards: 0, done: 0, voted: 0 };

const readMeta = (meta: Y.Map<unknown>): RetroMeta => readRetroMeta(meta);
const readTitle = (meta: Y.Map<unknown>): string => (typeof meta.get('title') === 'string' ? meta.get('title') as string : '');
const readProgress = (map: Y.Map<unknown>): RetroProgress => {
  const n = (key: string): number => (typeof map.get(key) === 'number' ? map.get(key) as number : 0);
  return { members: n('members'), cards: n('cards'), done: n('done'), voted: n('voted') };
};
const readCards = (map: Y.Map<unknown>): Array<[string, RevealedCard]> => [...readRevealedCards(map.doc!)].sort(([a], [b]) => (a < b ? -1 : 1));
const readKeys = (map: Y.Map<unknown>): string[] => [...map.keys()].sort();
const readTally = (map: Y.Map<unknown>): Record<string, number> => map.toJSON() as Record<string, number>;
/** Every prompt's drafts; the page keeps those of the retro's prompts. */
const readAllDrafts = (map: Y.Map<unknown>): Draft[] => readDrafts(map.doc!, null);
const readDone = (map: Y.Map<unknown>): boolean => map.get('done') === true;
const readBallotMap = (map: Y.Map<unknown>): Record<string, number> => readBallot(map.doc!);
const readClaimKeys = (map: Y.Map<unknown>): string[] => [...readClaims(map.doc!)].sort();

export function useRetro(community: string, retroId: string, memberId: string, identity: Identity): RetroState {
  const names = retroDocNames(community, retroId);
  const board = useDocSession(names.board, identity);
  const control = useDocSession(names.control, identity);
  const results = useDocSession(names.results, identity);
  const personal = useDocSession(personalRetroDocName(community, memberId, retroId), identity);
  const boardStatus = useDocStatus(board);
  const controlStatus = useDocStatus(control);
  const resultsStatus = useDocStatus(results);
  const personalStatus = useDocStatus(personal);

  const title = useYSnapshot(board ? board.doc.getMap(META_ROOT) : null, readTitle, '');
  const settings = useYSnapshot(results ? results.doc.getMap(SETTINGS_ROOT) : null, readMeta, EMPTY_META);
  const meta: RetroMeta = { ...settings, title };
  const controlMap = control ? control.doc.getMap(RETRO_CONTROL_ROOT) : null;
  const controlState = useYSnapshot(controlMap, readRetroControl, RETRO_NOT_STARTED);
  const timer = useYSnapshot(controlMap, readRetroTimer, null);
  const progress = useYSnapshot(results ? results.doc.getMap(PROGRESS_ROOT) : null, readProgress, NO_PROGRESS);
  const cardList = useYSnapshot(results ? results.doc.getMap(CARDS_ROOT) : null, readCards, []);
  const groups = useYSnapshot(board ? board.doc.getMap(GROUPS_ROOT) : null, readGroups, []);
  const placement = useYSnapshot(board ? board.doc.getMap(PLACEMENT_ROOT) : null, readPlacement, {});
  const accepted = useYSnapshot(control ? control.doc.getMap(ACCEPTED_LATE_ROOT) : null, readKeys, []);
  const discussed = useYSnapshot(control ? control.doc.getMap(DISCUSSED_ROOT) : null, readKeys, []);
  const tally = useYSnapshot(results ? results.doc.getMap(TALLY_ROOT) : null, readTally, {});
  const allDrafts = useYSnapshot(personal ? personal.doc.getMap(DRAFTS_ROOT) : null, readAllDrafts, []);
  const done = useYSnapshot(personal ? personal.doc.getMap(PERSONAL_STATE_ROOT) : null, readDone, false);
  const ballot = useYSnapshot(personal ? personal.doc.getMap(BALLOT_ROOT) : null, readBallotMap, {});
  const claims = useYSnapshot(personal ? personal.doc.getMap(CLAIMS_ROOT) : null, readClaimKeys, []);
  const promptIds = new Set(meta.prompts.map((p) => p.id));

  return {
    board, control, results, personal, boardStatus, controlStatus,
    status: combineStatuses(boardStatus, [controlStatus, resultsStatus, personalStatus]),
    meta, controlState, timer, progress, cards: new Map(cardList), groups, placement,
    acceptedLate: new Set(accepted), discussed: new Set(discussed), tally,
    drafts: allDrafts.filter((d) => promptIds.has(d.prompt)), done, ballot, claims: new Set(claims),
  };
}
