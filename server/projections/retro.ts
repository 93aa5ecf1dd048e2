import { parseDocName } from '../../shared/docNames.ts';
import {
  isDone, isRetroControl, readBallot, readClaims, readDrafts, readGroups, readPlacement, readRetroControl,
  retroControlOf, readRetroMeta,
} from '../../shared/retro/model.ts';
import {
  ACCEPTED_LATE_ROOT, GROUPS_ROOT, parsePersonalRetroName, personalRetroDocName, PLACEMENT_ROOT, retroDocNames, SETTINGS_ROOT,
} from '../../shared/schema/retro.ts';
import type { Directory } from '../directory/directory.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';
import { applyRetroResults, type MemberInput, type RetroInput } from './retroResults.ts';
import { coalescedByKey } from './coalesced.ts';

const log = createLogger('projection:retro');
const ORIGIN = { kind: 'projection', name: 'retro' } as const;

interface RetroRef { community: string; retroId: string }

/** The retrospective a committed document belongs to: a member's personal retro document or a retro's control. */
function retroOf(room: Room): RetroRef | null {
  const personal = parsePersonalRetroName(room.name);
  if (personal) return { community: personal.community, retroId: personal.retroId };
  const name = parseDocName(room.name);
  if (name?.accessClass === 'control' && isRetroControl(room.doc)) return { community: name.community, retroId: name.id };
  return null;
}

/**
 * Keeps each retrospective's results document (schema/retro.ts) derived from its members'
 * personal documents and its control (retroResults.ts says what is derived). Runs after commits
 * to either, one refresh per retro at a time (coalesced.ts).
 */
export function retroProjection(directory: Directory, secret: Uint8Array) {
  async function refresh(relay: Relay, ref: RetroRef): Promise<void> {
    const names = retroDocNames(ref.community, ref.retroId);
    const [control, acceptedLate] = await relay.read(names.control, (doc) => [
      readRetroControl(retroControlOf(doc)), new Set(doc.getMap(ACCEPTED_LATE_ROOT).keys()),
    ] as const);
    const board = await relay.read(names.board, (doc) => ({
      groups: readGroups(doc.getMap(GROUPS_ROOT)), placement: readPlacement(doc.getMap(PLACEMENT_ROOT)),
    }));
    // Prompts and anonymity from the server-only results document: members write the board.
    const meta = await relay.read(names.results, (results) => readRetroMeta(results.getMap(SETTINGS_ROOT)));
    if (meta.prompts.length === 0) return; // not a retrospective
    const promptIds = new Set(meta.prompts.map((p) => p.id));
    // Current members only: a removed member's or a stranger's ballot never counts.
    const people = (await directory.listMembers(ref.community)).filter((m) => m.role !== 'viewer');
    const members: MemberInput[] = await Promise.all(people.map((m) => relay.read(
      personalRetroDocName(ref.community, m.id, ref.retroId),
      (doc) => ({ memberId: m.id, name: m.displayName, drafts: readDrafts(doc, promptIds), done: isDone(doc), ballot: readBallot(doc), claims: readClaims(doc) }),
    )));
    const input: RetroInput = { retroId: ref.retroId, control, acceptedLate, members, meta, ...board };
    await relay.change(names.results, ORIGIN, (results) => applyRetroResults(results, input, secret));
  }

  const schedule = coalescedByKey(
    ({ ref }: { relay: Relay; ref: RetroRef }) => `${ref.community}/${ref.retroId}`,
    ({ relay, ref }) => refresh(relay, ref).catch((error: unknown) => log.warn('retro results not updated', { community: ref.community, error })),
  );

  return (room: Room, relay: Relay): void => {
    const ref = retroOf(room);
    if (ref) void schedule({ relay, ref });
  };
}
