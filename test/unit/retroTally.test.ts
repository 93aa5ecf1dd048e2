import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyRetroResults, type MemberInput } from '../../server/projections/retroResults.ts';
import { setBudget, setPhase, stepPhase } from '../../shared/retro/facilitation.ts';
import { ballotIsValid, readBallot, readRetroControl, retroControlOf, tallyBallots, type Group } from '../../shared/retro/model.ts';
import { BALLOT_ROOT, TALLY_ROOT, type VoteBudget } from '../../shared/schema/retro.ts';
import { replica } from './meetingReplicas.ts';
import { cardIdOf, drafts, memberInput, resultsDoc, retroInput, SECRET, type InputOptions } from './retroInputs.ts';

/**
 * [RT7] The tally: written once when the retro leaves vote, from valid ballots only. A ballot is
 * taken whole or not at all (a modified client that writes past its budget gains nothing), and
 * the topics it may name are the board's: groups with cards, ungrouped cards, late cards only
 * once the facilitator accepted them.
 */

const BUDGET: VoteBudget = { total: 3, perTopic: 2 };
const GROUP = 'gdeploys';

/** Mia and Otto wrote the cards revealed in time; Ben's two arrived late, and one was accepted. */
const card = {
  deployA: cardIdOf('mia', 'm1'),
  retro: cardIdOf('mia', 'm2'),
  deployB: cardIdOf('otto', 'o1'),
  lateAccepted: cardIdOf('ben', 'b1'),
  lateIgnored: cardIdOf('ben', 'b2'),
};
const GROUPS: Group[] = [{ id: GROUP, name: 'Deploys' }];
const PLACEMENT = { [card.deployA]: GROUP, [card.deployB]: GROUP };

const authors = (): MemberInput[] => [
  memberInput('mia', 'Mia', drafts(['m1', 'stop', 'Friday deploys'], ['m2', 'start', 'retro every sprint'])),
  memberInput('otto', 'Otto', drafts(['o1', 'stop', 'deploys without a rollback'])),
];

/** A control document the facilitator drives with setPhase/stepPhase, read as the server reads it. */
function facilitator(): { control: Y.Doc; options: InputOptions } {
  const control = replica(50);
  setBudget(control, BUDGET);
  setPhase(control, 'reflect');
  return { control, options: { budget: BUDGET, groups: GROUPS, placement: PLACEMENT, acceptedLate: [card.lateAccepted] } };
}

/**
 * A results document taken to the vote: cards revealed at group, Ben's synced late, and the
 * board grouped. Returns a `run` that projects the control's current phase with `voters`.
 */
function retroAtVote(): { control: Y.Doc; results: Y.Doc; run: (voters: MemberInput[]) => void } {
  const { control, options } = facilitator();
  const results = resultsDoc();
  const ben = memberInput('ben', 'Ben', drafts(['b1', 'start', 'a late idea'], ['b2', 'stop', 'another late idea']));
  const run = (members: MemberInput[]): void => {
    const read = readRetroControl(retroControlOf(control));
    applyRetroResults(results, { ...retroInput(read.phase, members, options), control: read }, SECRET);
  };
  stepPhase(control, 1); // group: the reveal
  run(authors());
  run([...authors(), ben]); // Ben's device syncs after the reveal
  stepPhase(control, 1); // vote
  return { control, results, run: (voters) => run([...authors(), ben, ...voters]) };
}

const voter = (id: string, ballot: Record<string, number>): MemberInput => memberInput(id, id, [], { ballot });
const tallyOf = (results: Y.Doc): Record<string, number> => results.getMap(TALLY_ROOT).toJSON() as Record<string, number>;

describe('[RT7] tally', () => {
  it('[RT7] the revealed setup has the topics the tally cases assume', () => {
    const { results } = retroAtVote();
    const cards = results.getMap('cards').toJSON() as Record<string, { late: boolean }>;
    expect(cards[card.lateAccepted]!.late).toBe(true);
    expect(cards[card.lateIgnored]!.late).toBe(true);
    expect(cards[card.deployA]!.late).toBe(false);
  });

  it('[RT7] in vote there is no tally yet; leaving vote for discuss writes the tally of valid ballots only', () => {
    const { control, results, run } = retroAtVote();
    const voters = [
      voter('v1', { [GROUP]: 2, [card.retro]: 1 }),
      voter('v2', { [GROUP]: 2, [card.retro]: 2 }), // 4 dots in all: over the total
      voter('v3', { [card.lateAccepted]: 1, [card.retro]: 1 }),
      voter('v4', {}), // did not vote
    ];
    run(voters);
    expect(tallyOf(results)).toEqual({});
    expect(results.getMap('state').get('tallied')).toBeUndefined();

    stepPhase(control, 1);
    run(voters);
    expect(tallyOf(results)).toEqual({ [GROUP]: 2, [card.retro]: 2, [card.lateAccepted]: 1 });
    expect(results.getMap('state').toJSON()).toMatchObject({ tallied: true, ballotsCounted: 2 });
  });

  // Regression: refreshes folded into one run could miss the vote phase in between, and the tally
  // of the first round then stood. A tally belongs to its vote round (control voteRound).
  it('[RT7] a new vote round recounts even when no run saw the vote phase in between', () => {
    const { control, results, run } = retroAtVote();
    stepPhase(control, 1); // discuss
    run([voter('v1', { [card.retro]: 1 })]);
    expect(tallyOf(results)).toEqual({ [card.retro]: 1 });
    stepPhase(control, -1); // back to vote: round 2 …
    stepPhase(control, 1); // … and out again before any run
    run([voter('v1', { [GROUP]: 2 })]);
    expect(tallyOf(results)).toEqual({ [GROUP]: 2 });
  });

  it('[RT7] leaving vote straight for close tallies too', () => {
    const { control, results, run } = retroAtVote();
    setPhase(control, 'close');
    run([voter('v1', { [card.retro]: 1 })]);
    expect(tallyOf(results)).toEqual({ [card.retro]: 1 });
  });

  // Each case: a baseline valid ballot plus the case's ballot; an invalid one leaves the baseline only.
  const BASELINE = { [GROUP]: 1 };
  it.each<[string, boolean, Record<string, number>]>([
    ['over the total budget', false, { [GROUP]: 2, [card.retro]: 2 }],
    ['over the per-topic budget', false, { [card.retro]: 3 }],
    ['an unknown topic beside valid dots', false, { [card.retro]: 1, nosuchtopic: 1 }],
    ['a late card the facilitator did not accept', false, { [card.lateIgnored]: 1 }],
    ['a late card the facilitator accepted', true, { [card.lateAccepted]: 2 }],
    ['the group of grouped cards', true, { [GROUP]: 2, [card.retro]: 1 }],
    ['a card that sits inside a group (its topic is the group)', false, { [card.deployA]: 1 }],
    ['exactly the budget', true, { [GROUP]: 2, [card.lateAccepted]: 1 }],
  ])('[RT7] a ballot for %s counts: %s', (_label, valid, ballot) => {
    const { control, results, run } = retroAtVote();
    stepPhase(control, 1);
    run([voter('base', BASELINE), voter('case', ballot)]);
    const expected: Record<string, number> = { ...BASELINE };
    if (valid) for (const [topic, dots] of Object.entries(ballot)) expected[topic] = (expected[topic] ?? 0) + dots;
    expect(tallyOf(results)).toEqual(expected);
    expect(results.getMap('state').get('ballotsCounted')).toBe(valid ? 2 : 1);
  });

  it('[RT7] the tally is fixed on leaving vote; stepping back to vote clears it; leaving again counts the new ballots', () => {
    const { control, results, run } = retroAtVote();
    stepPhase(control, 1);
    run([voter('v1', { [GROUP]: 2 })]);
    expect(tallyOf(results)).toEqual({ [GROUP]: 2 });

    // A ballot changed during discuss does not move the topics being discussed.
    run([voter('v1', { [card.retro]: 2 })]);
    expect(tallyOf(results)).toEqual({ [GROUP]: 2 });

    stepPhase(control, -1);
    run([voter('v1', { [card.retro]: 2 })]);
    expect(tallyOf(results)).toEqual({});
    expect(results.getMap('state').get('tallied')).toBe(false);

    stepPhase(control, 1);
    run([voter('v1', { [card.retro]: 2 }), voter('v2', { [card.retro]: 1, [GROUP]: 1 })]);
    expect(tallyOf(results)).toEqual({ [card.retro]: 3, [GROUP]: 1 });
    expect(results.getMap('state').get('tallied')).toBe(true);
  });

  it('[RT7] the budget the facilitator set is the one applied', () => {
    const { control, results, run } = retroAtVote();
    setBudget(control, { total: 1, perTopic: 1 });
    stepPhase(control, 1);
    run([voter('v1', { [GROUP]: 1 }), voter('v2', { [GROUP]: 1, [card.retro]: 1 })]);
    expect(tallyOf(results)).toEqual({ [GROUP]: 1 });
  });
});

describe('[RT7] ballotIsValid and tallyBallots', () => {
  const topics = new Set(['a', 'b', 'c']);

  it('[RT7] an empty ballot is valid under any budget, even zero, and adds nothing', () => {
    expect(ballotIsValid({}, { total: 0, perTopic: 0 }, new Set())).toBe(true);
    expect(ballotIsValid({}, BUDGET, topics)).toBe(true);
    expect(tallyBallots([{}, {}], BUDGET, topics)).toEqual({});
    expect(tallyBallots([], BUDGET, topics)).toEqual({});
  });

  it('[RT7] a zero budget rejects any dot; a zero per-topic budget rejects any dot whatever the total', () => {
    expect(ballotIsValid({ a: 1 }, { total: 0, perTopic: 0 }, topics)).toBe(false);
    expect(ballotIsValid({ a: 1 }, { total: 0, perTopic: 2 }, topics)).toBe(false);
    expect(ballotIsValid({ a: 1 }, { total: 3, perTopic: 0 }, topics)).toBe(false);
    expect(tallyBallots([{ a: 1 }, { b: 1 }], { total: 0, perTopic: 0 }, topics)).toEqual({});
  });

  it('[RT7] the limits are inclusive; a per-topic budget above the total still caps the sum', () => {
    expect(ballotIsValid({ a: 2, b: 1 }, BUDGET, topics)).toBe(true);
    expect(ballotIsValid({ a: 2, b: 2 }, { total: 3, perTopic: 5 }, topics)).toBe(false);
    expect(ballotIsValid({ a: 3 }, { total: 3, perTopic: 5 }, topics)).toBe(true);
  });

  it('[RT7] valid ballots sum per topic; invalid ones are skipped whole', () => {
    expect(tallyBallots([{ a: 2, b: 1 }, { a: 1 }, { a: 3 }, { c: 1, z: 1 }], BUDGET, topics)).toEqual({ a: 3, b: 1 });
  });

  it('[RT7] the server reads ballots through readBallot, which drops non-positive and fractional dots before validation', () => {
    const personal = new Y.Doc();
    const ballot = personal.getMap(BALLOT_ROOT);
    ballot.set('a', 2);
    ballot.set('b', 2);
    ballot.set('c', -1);
    ballot.set('d', 0.5);
    expect(readBallot(personal)).toEqual({ a: 2, b: 2 });
    expect(tallyBallots([readBallot(personal)], BUDGET, new Set(['a', 'b', 'c', 'd']))).toEqual({});
  });

  // Regression: ballotIsValid did not require positive whole dots, so a negative one could
  // offset an over-budget sum (readBallot filters them out, but the rule must hold on its own).
  it('[RT7] a ballot with a negative dot offsetting an over-budget sum is invalid', () => {
    expect(ballotIsValid({ a: 2, b: 2, c: -1 }, BUDGET, new Set(['a', 'b', 'c']))).toBe(false);
  });
});
