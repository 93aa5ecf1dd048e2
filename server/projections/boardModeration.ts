import { boardDocNames } from '../../shared/schema/board.ts';
import { parseDocName } from '../../shared/docNames.ts';
import { reapplyModeration } from '../documents/board.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';
import { coalescedByKey } from './coalesced.ts';

const log = createLogger('projection:board');

const enforce = coalescedByKey(
  ({ community }: { relay: Relay; community: string }) => community,
  ({ relay, community }) => reapplyModeration(relay, community).catch((error: unknown) => log.warn('board moderation not reapplied', { community, error })),
);

/**
 * After a member's commit to a community board, puts hidden and locked entries back as the
 * moderation record has them (documents/board.ts enforceModeration): a modified client's edit
 * of a locked card lasts one commit, and readers ignore it meanwhile.
 */
export function projectBoardModeration(room: Room, relay: Relay): void {
  const name = parseDocName(room.name);
  if (name && room.name === boardDocNames(name.community).board) void enforce({ relay, community: name.community });
}
