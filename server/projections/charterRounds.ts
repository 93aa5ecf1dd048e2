import { decide, roundIsOver, tallyOf } from '../../shared/charter/model.ts';
import type { CharterVersion, CountedBallot, PersonalBallot } from '../../shared/schema/charter.ts';

/**
 * Counting one endorsement round, as a pure function (the projection applies it): while the
 * round is open, each current member's ballot from their personal document is counted — the
 * time the server first counted a choice is kept, so a ballot cast offline counts if it syncs
 * before the closing date. When the round is over (closing date passed, or everyone's ballot is
 * in) the result is decided and the round freezes: later ballots and changes are not counted.
 */
export interface Voter { memberId: string; name: string; ballot: PersonalBallot | undefined }

export function countRound(version: CharterVersion, voters: readonly Voter[], now: number): CharterVersion {
  if (version.status !== 'open' || version.closesAt === null) return version;
  if (now >= version.closesAt) return close(version);
  const ballots: Record<string, CountedBallot> = {};
  for (const voter of voters) {
    if (!voter.ballot) continue;
    const before = version.ballots[voter.memberId];
    const same = before && before.choice === voter.ballot.choice && before.reason === voter.ballot.reason;
    ballots[voter.memberId] = same ? before : { ...voter.ballot, name: voter.name, countedAt: now };
  }
  const counted: CharterVersion = { ...version, ballots, electorate: voters.length };
  return roundIsOver(counted, now) ? close(counted) : counted;
}

function close(version: CharterVersion): CharterVersion {
  return { ...version, status: decide(tallyOf(version.ballots), version.electorate, version.quorumPercent) };
}
