import { parseDocName } from '../../shared/docNames.ts';
import { readModeration } from '../../shared/board/model.ts';
import { AUTHORED_ROOT, boardDocNames } from '../../shared/schema/board.ts';
import type { Directory } from '../directory/directory.ts';
import { enforceModeration } from '../documents/board.ts';
import { enforceAuthorship, type AuthoredCopy } from '../documents/boardAuthorship.ts';
import { createLogger } from '../log.ts';
import type { Origin } from '../relay/origins.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';
import { coalescedByKey } from './coalesced.ts';

const log = createLogger('projection:board');
const ORIGIN: Origin = { kind: 'projection', name: 'board' };

interface Run { relay: Relay; community: string; owners: ReadonlyMap<number, string> }

/**
 * After a member's commit to a community board, the server puts back what that member may not
 * change: other members' cards and comments (boardAuthorship.ts) and moderated content
 * (documents/board.ts enforceModeration). Readers already ignore moderated writes; this keeps
 * the board's bytes honest for devices that sync later. One run per community at a time.
 */
export function boardProjection(directory: Directory) {
  async function review({ relay, community, owners }: Run): Promise<void> {
    const names = boardDocNames(community);
    const memberNames = new Map((await directory.listMembers(community)).map((m) => [m.id, m.displayName]));
    const records = await relay.read(names.moderation, readModeration);
    const copies = await relay.read(names.hiddenContent, (doc) => new Map(doc.getMap<AuthoredCopy>(AUTHORED_ROOT).entries()));
    let next = copies;
    await relay.change(names.board, ORIGIN, (board) => {
      next = enforceAuthorship(board, copies, owners, memberNames);
      if (records.size) enforceModeration(board, records);
    });
    const changed = [...next].filter(([key, copy]) => copies.get(key) !== copy);
    if (changed.length) await relay.change(names.hiddenContent, ORIGIN, (doc) => { for (const [key, copy] of changed) doc.getMap(AUTHORED_ROOT).set(key, copy); });
  }

  const schedule = coalescedByKey(
    ({ community }: Run) => community,
    (run) => review(run).catch((error: unknown) => log.warn('board not reviewed', { community: run.community, error })),
  );

  return (room: Room, relay: Relay): void => {
    const name = parseDocName(room.name);
    if (name && room.name === boardDocNames(name.community).board) void schedule({ relay, community: name.community, owners: room.clientOwners });
  };
}
