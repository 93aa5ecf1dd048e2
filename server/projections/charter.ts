import { acknowledgedVersion, readBallots, readVersions } from '../../shared/charter/model.ts';
import { parseDocName } from '../../shared/docNames.ts';
import {
  ACKNOWLEDGEMENTS_ROOT, charterDocNames, memberOfPersonalCharter, personalCharterDocName, VERSIONS_ROOT,
} from '../../shared/schema/charter.ts';
import type { Directory } from '../directory/directory.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';
import { countRound, type Voter } from './charterRounds.ts';
import { coalescedByKey } from './coalesced.ts';

const log = createLogger('projection:charter');
const ORIGIN = { kind: 'projection', name: 'charter' } as const;

/**
 * Keeps the charter record's open rounds counted from members' personal documents
 * (charterRounds.ts), closes them at their closing date, and records norms acknowledgements.
 * Runs after each commit to a personal charter document, when asked (`refresh`, e.g. when a
 * member opens the charter or a round is proposed), and by a timer at the next closing date.
 */
export function charterProjection(directory: Directory) {
  const timers = new Map<string, NodeJS.Timeout>();

  async function refreshNow(relay: Relay, community: string): Promise<void> {
    const names = charterDocNames(community);
    const versions = await relay.read(names.record, readVersions);
    const people = (await directory.listMembers(community)).filter((m) => m.role !== 'viewer');
    const personal = await Promise.all(people.map((m) => relay.read(personalCharterDocName(community, m.id), (doc) => ({
      member: m, ballots: readBallots(doc), acknowledged: acknowledgedVersion(doc),
    }))));
    const now = Date.now();
    await relay.change(names.record, ORIGIN, (record) => {
      const map = record.getMap(VERSIONS_ROOT);
      for (const version of versions) {
        const voters: Voter[] = personal.map((p) => ({ memberId: p.member.id, name: p.member.displayName, ballot: p.ballots[version.number] }));
        const next = countRound(version, voters, now);
        if (next !== version && JSON.stringify(next) !== JSON.stringify(version)) map.set(String(version.number), next);
      }
      const acks = record.getMap(ACKNOWLEDGEMENTS_ROOT);
      for (const p of personal) {
        if (p.acknowledged === null) continue;
        const current = acks.get(p.member.id) as { version?: number } | undefined;
        if (current?.version !== p.acknowledged) acks.set(p.member.id, { version: p.acknowledged, name: p.member.displayName, at: now });
      }
    });
    scheduleClosing(relay, community, versions);
  }

  /** Wakes up at the next closing date, so a round closes on time with nobody writing. */
  function scheduleClosing(relay: Relay, community: string, versions: ReturnType<typeof readVersions>): void {
    clearTimeout(timers.get(community));
    const next = Math.min(...versions.filter((v) => v.status === 'open' && v.closesAt !== null).map((v) => v.closesAt!));
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => refresh(relay, community), Math.max(0, Math.min(next - Date.now() + 50, 2 ** 31 - 1)));
    timer.unref();
    timers.set(community, timer);
  }

  /** One refresh per community at a time; calls meanwhile fold into one more (coalesced.ts). */
  const refreshOnce = coalescedByKey(
    ({ community }: { relay: Relay; community: string }) => community,
    ({ relay, community }) => refreshNow(relay, community).catch((error: unknown) => log.warn('charter record not updated', { community, error })),
  );
  const refresh = (relay: Relay, community: string): Promise<void> => refreshOnce({ relay, community });

  const project = (room: Room, relay: Relay): void => {
    const name = parseDocName(room.name);
    if (name?.accessClass === 'personal' && memberOfPersonalCharter(name.id)) void refresh(relay, name.community);
  };
  return { project, refresh };
}
