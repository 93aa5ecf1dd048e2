import { formatDocName, parseDocName } from '../../shared/docNames.ts';
import { readControl } from '../../shared/meeting/control.ts';
import { isRetroControl, readRetroControl, retroControlOf } from '../../shared/retro/model.ts';
import { CONTROL_ROOT } from '../../shared/schema/meeting.ts';
import type { VersionKind } from '../../shared/schema/history.ts';
import { recordVersion } from '../documents/history.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';
import { coalescedByKey } from './coalesced.ts';

const log = createLogger('projection:history');

const record = coalescedByKey(
  ({ docName }: { relay: Relay; docName: string; kind: VersionKind }) => docName,
  ({ relay, docName, kind }) => recordVersion(relay, docName, kind, 'Guildhall').then(() => undefined)
    .catch((error: unknown) => log.warn('version not recorded', { kind, error })),
);

/**
 * When a facilitator ends a meeting or closes a retrospective (a commit to its control
 * document), the meeting's or retro's shared document is kept as a version (issue 10); an
 * unchanged document gets none, so further commits to the control add nothing.
 */
export function closingVersions(openCommunities: ReadonlySet<string>) {
  return (room: Room, relay: Relay): void => projectClosingVersion(room, relay, openCommunities);
}

function projectClosingVersion(room: Room, relay: Relay, openCommunities: ReadonlySet<string>): void {
  const name = parseDocName(room.name);
  if (name?.accessClass !== 'control' || openCommunities.has(name.community)) return; // open communities keep no history
  const docName = formatDocName({ ...name, accessClass: 'shared' });
  if (isRetroControl(room.doc)) {
    if (readRetroControl(retroControlOf(room.doc)).phase === 'close') void record({ relay, docName, kind: 'retro-closed' });
  } else if (readControl(room.doc.getMap(CONTROL_ROOT)).state === 'ended') {
    void record({ relay, docName, kind: 'meeting-ended' });
  }
}
