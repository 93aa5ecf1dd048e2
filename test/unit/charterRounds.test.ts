import { describe, expect, it } from 'vitest';
import { countRound, type Voter } from '../../server/projections/charterRounds.ts';
import { castBallot, readBallots } from '../../shared/charter/model.ts';
import type { CharterVersion } from '../../shared/schema/charter.ts';
import { CLOSES_AT_MS, counted, DAY_MS, openVersion, personal, PROPOSED_AT_MS, voter } from './charterFixtures.ts';
import { replica } from './meetingReplicas.ts';

/**
 * [CH5] Counting a round (server/projections/charterRounds.ts): while it is open, each current
 * voter's ballot is counted under their name, and the time a choice was first counted is kept —
 * that time is what shows a ballot cast offline made it before the closing date, so a recount
 * must not move it. At the closing date, or once everyone is counted, the round is decided and
 * freezes: nothing a member writes afterwards changes the record.
 */

const DAY1 = PROPOSED_AT_MS + DAY_MS;
const DAY2 = PROPOSED_AT_MS + 2 * DAY_MS;
const DAY3 = PROPOSED_AT_MS + 3 * DAY_MS;

const mia = (ballot?: ReturnType<typeof personal>): Voter => voter('mia', 'Mia', ballot);
const otto = (ballot?: ReturnType<typeof personal>): Voter => voter('otto', 'Otto', ballot);
const olga = (ballot?: ReturnType<typeof personal>): Voter => voter('olga', 'Olga', ballot);
const fatima = (ballot?: ReturnType<typeof personal>): Voter => voter('fatima', 'Fatima', ballot);

describe('[CH5] counting an open round', () => {
  it('[CH5] the voters\' ballots are counted with their names and the time; a voter without a ballot is not counted', () => {
    const next = countRound(openVersion(), [mia(personal('agree')), otto(personal('object', 'June is too soon')), olga(), fatima()], DAY1);
    expect(next.ballots).toEqual({
      mia: { choice: 'agree', reason: '', name: 'Mia', countedAt: DAY1 },
      otto: { choice: 'object', reason: 'June is too soon', name: 'Otto', countedAt: DAY1 },
    });
    expect(next).toMatchObject({ status: 'open', electorate: 4 });
  });

  it('[CH5] an unchanged ballot keeps the time it was first counted; a changed choice or reason is counted anew', () => {
    const first = countRound(openVersion(), [mia(personal('agree')), otto(personal('object', 'Too soon')), olga(personal('abstain')), fatima()], DAY1);
    const second = countRound(first, [mia(personal('agree')), otto(personal('object', 'Far too soon')), olga(personal('agree')), fatima()], DAY2);
    expect(second.ballots.mia!.countedAt).toBe(DAY1);
    expect(second.ballots.mia).toBe(first.ballots.mia);
    expect(second.ballots.otto).toEqual({ choice: 'object', reason: 'Far too soon', name: 'Otto', countedAt: DAY2 });
    expect(second.ballots.olga).toEqual({ choice: 'agree', reason: '', name: 'Olga', countedAt: DAY2 });
    // Recounting with nothing new moves no time (a projection runs after every personal commit).
    const third = countRound(second, [mia(personal('agree')), otto(personal('object', 'Far too soon')), olga(personal('agree')), fatima()], DAY3);
    expect(third.ballots).toEqual(second.ballots);
  });

  it('[CH5] a ballot changed back to an earlier choice is counted at the time of the change, not its first time', () => {
    const first = countRound(openVersion(), [mia(personal('agree')), otto(), olga(), fatima()], DAY1);
    const second = countRound(first, [mia(personal('abstain')), otto(), olga(), fatima()], DAY2);
    const third = countRound(second, [mia(personal('agree')), otto(), olga(), fatima()], DAY3);
    expect(third.ballots.mia).toMatchObject({ choice: 'agree', countedAt: DAY3 });
  });

  it('[CH5] the electorate follows the current voters: a member who left is no longer counted, a new one is', () => {
    const first = countRound(openVersion({ electorate: 4 }), [mia(personal('agree')), otto(personal('agree')), olga(), fatima()], DAY1);
    const left = countRound(first, [mia(personal('agree')), olga(), fatima()], DAY2);
    expect(left.electorate).toBe(3);
    expect(Object.keys(left.ballots)).toEqual(['mia']);
    const joined = countRound(left, [mia(personal('agree')), olga(), fatima(), voter('ben', 'Ben'), voter('ada', 'Ada')], DAY3);
    expect(joined.electorate).toBe(5);
    expect(joined.status).toBe('open');
  });

  it('[CH5] once everyone\'s ballot is counted the round closes at once, with the decided status', () => {
    const all = (a: Voter['ballot'], b: Voter['ballot'], c: Voter['ballot']): Voter[] => [mia(a), otto(b), olga(c)];
    expect(countRound(openVersion({ electorate: 3 }), all(personal('agree'), personal('agree'), personal('abstain')), DAY1).status).toBe('ratified');
    expect(countRound(openVersion({ electorate: 3 }), all(personal('agree'), personal('agree'), personal('block', 'No')), DAY1).status).toBe('blocked');
    expect(countRound(openVersion({ electorate: 3 }), all(personal('agree'), personal('object', 'No'), personal('abstain')), DAY1).status).toBe('not-ratified');
    // The last of them arriving later closes it then, well before the closing date.
    const waiting = countRound(openVersion({ electorate: 3 }), all(personal('agree'), personal('agree'), undefined), DAY1);
    expect(waiting.status).toBe('open');
    expect(countRound(waiting, all(personal('agree'), personal('agree'), personal('agree')), DAY2)).toMatchObject({ status: 'ratified', electorate: 3 });
  });

  it('[CH5] a member leaving can leave everyone else counted: the round then closes', () => {
    const first = countRound(openVersion(), [mia(personal('agree')), otto(personal('agree')), olga()], DAY1);
    expect(first.status).toBe('open');
    expect(countRound(first, [mia(personal('agree')), otto(personal('agree'))], DAY2)).toMatchObject({ status: 'ratified', electorate: 2 });
  });
});

describe('[CH5] closing and frozen rounds', () => {
  it('[CH5] at the closing date the round closes with what it had: a ballot arriving then is not counted', () => {
    const before = countRound(openVersion(), [mia(personal('agree')), otto(personal('agree')), olga(), fatima()], DAY1);
    const late = [mia(personal('agree')), otto(personal('agree')), olga(personal('block', 'Synced too late')), fatima(personal('object', 'Also late'))];
    for (const now of [CLOSES_AT_MS, CLOSES_AT_MS + 1, CLOSES_AT_MS + 30 * DAY_MS]) {
      const closed = countRound(before, late, now);
      // Two of four is the 50 % quorum; the late block would have blocked it had it counted.
      expect(closed.status, `now = closesAt + ${now - CLOSES_AT_MS} ms`).toBe('ratified');
      expect(closed.ballots).toEqual(before.ballots);
      expect(closed.electorate).toBe(4);
    }
  });

  it('[CH5] at the closing date a changed ballot is not counted either: the last counted choice stands', () => {
    const before = countRound(openVersion({ electorate: 2 }), [mia(personal('agree')), otto()], DAY1);
    const closed = countRound(before, [mia(personal('block', 'Changed my mind too late')), otto()], CLOSES_AT_MS);
    expect(closed.ballots.mia).toEqual(counted('agree', 'Mia', DAY1));
  });

  it('[CH5] a ballot counted one millisecond before the closing date counts', () => {
    const before = countRound(openVersion(), [mia(personal('agree')), otto(), olga(), fatima()], DAY1);
    const lastMinute = countRound(before, [mia(personal('agree')), otto(personal('agree')), olga(), fatima()], CLOSES_AT_MS - 1);
    expect(lastMinute.ballots.otto!.countedAt).toBe(CLOSES_AT_MS - 1);
    expect(countRound(lastMinute, [mia(personal('agree')), otto(personal('agree')), olga(), fatima()], CLOSES_AT_MS).status).toBe('ratified');
  });

  it.each(['ratified', 'not-ratified', 'blocked'] as const)('[CH5] a %s round is frozen: later ballots, changes and voters change nothing', (status) => {
    const closed: CharterVersion = openVersion({ status, electorate: 2, ballots: { mia: counted('agree', 'Mia', DAY1) } });
    const voters = [mia(personal('block', 'Reopen it')), otto(personal('agree')), olga(personal('agree'))];
    for (const now of [DAY2, CLOSES_AT_MS, CLOSES_AT_MS + DAY_MS]) {
      const next = countRound(closed, voters, now);
      // The same object: the projection compares and writes nothing for an unchanged version.
      expect(next).toBe(closed);
    }
  });

  it('[CH5] the template is never counted', () => {
    const template = openVersion({ number: 1, closesAt: null, status: 'template', electorate: 0 });
    expect(countRound(template, [mia(personal('agree'))], DAY1)).toBe(template);
    // Even an entry that claims to be open is left alone without a closing date.
    const undated = openVersion({ closesAt: null });
    expect(countRound(undated, [mia(personal('agree'))], DAY1)).toBe(undated);
  });

  it('[CH5] after closing, a recount yields the same closed version (closing is idempotent)', () => {
    const closed = countRound(openVersion({ electorate: 2 }), [mia(personal('agree')), otto(personal('agree'))], DAY1);
    expect(closed.status).toBe('ratified');
    expect(countRound(closed, [mia(personal('object', 'Second thoughts')), otto(personal('agree'))], DAY2)).toBe(closed);
  });
});

describe('[CH5] from personal documents to the count', () => {
  it('[CH5] what readBallots takes from each member\'s document is what is counted; an objection without a reason is no ballot', () => {
    const docs = { mia: replica(1), otto: replica(2), olga: replica(3) };
    castBallot(docs.mia, 2, personal('agree'));
    castBallot(docs.otto, 2, personal('object', '   ')); // a modified client skipping the reason prompt
    castBallot(docs.olga, 3, personal('agree')); // a ballot on another version
    const names = { mia: 'Mia', otto: 'Otto', olga: 'Olga' };
    const voters = Object.entries(docs).map(([id, doc]) => voter(id, names[id as keyof typeof names], readBallots(doc)[2]));
    const next = countRound(openVersion({ electorate: 3 }), voters, DAY1);
    expect(next.ballots).toEqual({ mia: counted('agree', 'Mia', DAY1) });
    expect(next.status).toBe('open');
  });
});
