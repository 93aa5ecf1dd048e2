import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedRetroBoard, seedRetroResults } from '../../server/documents/retros.ts';
import { applyRetroResults, revealedCardId, type MemberInput } from '../../server/projections/retroResults.ts';
import { accessFor } from '../../shared/access.ts';
import { parseDocName } from '../../shared/docNames.ts';
import { readRevealedCards, retroMetaOf } from '../../shared/retro/model.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import { CARDS_ROOT, PROGRESS_ROOT, retroDocNames, type RetroPhase } from '../../shared/schema/retro.ts';
import { copyOf, replica, syncPair } from './meetingReplicas.ts';
import {
  cardIdOf, countUpdates, drafts, memberInput, PROMPTS, resultsDoc, RETRO_ID, retroInput, SECRET,
} from './retroInputs.ts';

/**
 * [RT6] The reveal, as the pure projection: before reveal the results document (which every
 * member and viewer reads) holds counts only; at reveal it holds every card once, under an id
 * that cannot be traced back to its author, with a name only when the retro is named or the
 * author claimed the card. The integration test proves the same through the relay; here each
 * rule is pinned on constructed input, including the inputs a relay run rarely produces.
 */

// Member ids and names use letters outside [0-9a-f], so a hit in the encoded state cannot be a
// coincidence inside an HMAC hex id.
const MIA = 'miamember0001';
const OTTO = 'ottomember002';
const ADA = 'adamember0003';
const NAMES: Record<string, string> = { [MIA]: 'Mia Kowalski', [OTTO]: 'Otto Lind', [ADA]: 'Ada Quist' };
const TEXTS = ['the build server is held together with tape', 'pairing on Fridays', 'keep the demo day', 'write release notes together'];

function team(): MemberInput[] {
  return [
    memberInput(MIA, NAMES[MIA]!, drafts(['draftmiaone', 'stop', TEXTS[0]!], ['draftmiatwo', 'start', TEXTS[1]!]), { done: true }),
    memberInput(OTTO, NAMES[OTTO]!, drafts(['draftottoone', 'continue', TEXTS[2]!]), { ballot: { whatever: 1 } }),
    memberInput(ADA, NAMES[ADA]!, drafts(['draftadaone', 'start', TEXTS[3]!])),
  ];
}

const encoded = (doc: Y.Doc): Buffer => Buffer.from(Y.encodeStateAsUpdate(doc));

/** Which of `needles` occur anywhere in the doc's encoded state (what a replica would receive). */
function tracesIn(doc: Y.Doc, needles: readonly string[]): string[] {
  const bytes = encoded(doc);
  return needles.filter((needle) => bytes.includes(Buffer.from(needle)));
}

const authorTraces = [MIA, OTTO, ADA, ...Object.values(NAMES)];
const draftIds = (members: MemberInput[]): string[] => members.flatMap((m) => m.drafts.map((d) => d.id));

describe('[RT6] reveal projection', () => {
  it.each<RetroPhase>(['lobby', 'reflect'])('[RT6] before reveal (%s) the results hold only counts: no card text, draft id, member id or name', (phase) => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput(phase, members), SECRET);

    expect(results.getMap(PROGRESS_ROOT).toJSON()).toEqual({ members: 3, cards: 4, done: 1, voted: 1 });
    expect(results.getMap(CARDS_ROOT).size).toBe(0);
    expect(tracesIn(results, [...TEXTS, ...draftIds(members), ...authorTraces])).toEqual([]);
  });

  it('[RT6] before reveal the counts follow the drafts, and a run with unchanged counts writes nothing', () => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput('reflect', members), SECRET);
    members[2]!.drafts.push(...drafts(['draftadatwo', 'stop', 'fewer meetings']));
    members[2]!.done = true;
    applyRetroResults(results, retroInput('reflect', members), SECRET);
    expect(results.getMap(PROGRESS_ROOT).toJSON()).toEqual({ members: 3, cards: 5, done: 2, voted: 1 });

    const updates = countUpdates(results);
    applyRetroResults(results, retroInput('reflect', members), SECRET);
    expect(updates.count).toBe(0);
  });

  it.each<RetroPhase>(['group', 'vote', 'discuss', 'close'])('[RT6] the first run in a revealed phase (%s) copies every draft of every member exactly once, not late', (phase) => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput(phase, members), SECRET);

    const cards = readRevealedCards(results);
    const expected = members.flatMap((m) => m.drafts.map((d) => [cardIdOf(m.memberId, d.id), { prompt: d.prompt, text: d.text }] as const));
    expect(cards.size).toBe(expected.length);
    for (const [id, draft] of expected) expect(cards.get(id)).toEqual({ ...draft, author: null, late: false });
    expect([...cards.values()].map((c) => c.text).sort()).toEqual([...TEXTS].sort());
    expect(results.getMap('state').get('revealed')).toBe(true);
  });

  it('[RT6] an anonymous retro stores author null, and the encoded results contain no member id, name or draft id', () => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput('group', members, { anonymity: 'anonymous' }), SECRET);

    expect([...readRevealedCards(results).values()].map((c) => c.author)).toEqual([null, null, null, null]);
    expect(tracesIn(results, [...authorTraces, ...draftIds(members)])).toEqual([]);
  });

  it('[RT6] a named retro stores the authors\' names (and still no member id or draft id)', () => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput('group', members, { anonymity: 'named' }), SECRET);

    const cards = readRevealedCards(results);
    for (const m of members) for (const d of m.drafts) expect(cards.get(cardIdOf(m.memberId, d.id))!.author).toBe(m.name);
    expect(tracesIn(results, [MIA, OTTO, ADA, ...draftIds(members)])).toEqual([]);
  });

  it('[RT6] card ids are the HMAC of retro, member and draft: stable across runs, distinct per member, independent of member order', () => {
    const first = resultsDoc();
    const second = resultsDoc();
    applyRetroResults(first, retroInput('group', team()), SECRET);
    applyRetroResults(second, retroInput('group', team()), SECRET);
    const ids = [...readRevealedCards(first).keys()];
    expect(ids.every((id) => /^[0-9a-f]{20}$/.test(id))).toBe(true);
    expect([...readRevealedCards(second).keys()]).toEqual(ids);
    expect(revealedCardId(SECRET, RETRO_ID, MIA, 'draftmiaone')).toBe(cardIdOf(MIA, 'draftmiaone'));

    // One draft id, two authors (ids are client-chosen): two cards, two unrelated ids.
    const same = resultsDoc();
    applyRetroResults(same, retroInput('group', [
      memberInput(MIA, NAMES[MIA]!, drafts(['d1', 'stop', 'hers'])),
      memberInput(OTTO, NAMES[OTTO]!, drafts(['d1', 'stop', 'his'])),
    ]), SECRET);
    expect(readRevealedCards(same).get(cardIdOf(MIA, 'd1'))!.text).toBe('hers');
    expect(readRevealedCards(same).get(cardIdOf(OTTO, 'd1'))!.text).toBe('his');
    expect(cardIdOf(MIA, 'd1')).not.toBe(cardIdOf(OTTO, 'd1'));
    // Another retro or another server secret: other ids, so ids do not link cards across retros.
    expect(revealedCardId(SECRET, 'otherretro', MIA, 'd1')).not.toBe(cardIdOf(MIA, 'd1'));
    expect(revealedCardId(new TextEncoder().encode('another secret'), RETRO_ID, MIA, 'd1')).not.toBe(cardIdOf(MIA, 'd1'));

    // Members listed in another order (and drafts within a member): byte-identical results, and
    // the map's order (which replicas see as insertion order) is by id, not by author.
    const reversed = resultsDoc();
    applyRetroResults(reversed, retroInput('group', team().reverse().map((m) => ({ ...m, drafts: [...m.drafts].reverse() }))), SECRET);
    expect(encoded(reversed).equals(encoded(first))).toBe(true);
    expect(ids).toEqual([...ids].sort());
  });

  it('[RT6] drafts that arrive after the reveal land late; revealed text is fixed and drafts removed after reveal stay', () => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput('group', members), SECRET);

    // Mia edits a revealed card and deletes another; Otto's offline device syncs a new card.
    members[0]!.drafts = drafts(['draftmiaone', 'stop', 'rewritten after the reveal'], ['draftmialate', 'start', 'a late thought']);
    members[1]!.drafts.push(...drafts(['draftottolate', 'stop', 'arrived on the train']));
    applyRetroResults(results, retroInput('vote', members), SECRET);

    const cards = readRevealedCards(results);
    expect(cards.size).toBe(6);
    expect(cards.get(cardIdOf(MIA, 'draftmiaone'))).toEqual({ prompt: 'stop', text: TEXTS[0], author: null, late: false });
    expect(cards.get(cardIdOf(MIA, 'draftmiatwo'))).toEqual({ prompt: 'start', text: TEXTS[1], author: null, late: false });
    expect(cards.get(cardIdOf(MIA, 'draftmialate'))).toEqual({ prompt: 'start', text: 'a late thought', author: null, late: true });
    expect(cards.get(cardIdOf(OTTO, 'draftottolate'))).toEqual({ prompt: 'stop', text: 'arrived on the train', author: null, late: true });
    expect(tracesIn(results, ['rewritten after the reveal'])).toEqual([]);
  });

  it('[RT6] after the reveal, a step back to reflect reveals nothing new until the retro leaves reflect again, and then as late', () => {
    const results = resultsDoc();
    const members = team();
    applyRetroResults(results, retroInput('group', members), SECRET);
    members[2]!.drafts.push(...drafts(['draftadalate', 'stop', 'written in the second reflect']));
    applyRetroResults(results, retroInput('reflect', members), SECRET);
    expect(tracesIn(results, ['written in the second reflect'])).toEqual([]);
    expect(results.getMap(PROGRESS_ROOT).get('cards')).toBe(5);

    applyRetroResults(results, retroInput('group', members), SECRET);
    expect(readRevealedCards(results).get(cardIdOf(ADA, 'draftadalate'))).toMatchObject({ late: true, author: null });
  });

  it('[RT6] a claim names only the claimant\'s own draft: claiming another member\'s draft id changes nothing', () => {
    const results = resultsDoc();
    const mia = memberInput(MIA, NAMES[MIA]!, drafts(['mine', 'continue', 'keep the demo day']));
    const otto = memberInput(OTTO, NAMES[OTTO]!, drafts(['ottos', 'start', 'write release notes together']));
    applyRetroResults(results, retroInput('group', [mia, otto]), SECRET);

    // Otto's modified client claims Mia's draft id; he has no draft of that id.
    otto.claims.add('mine');
    const updates = countUpdates(results);
    applyRetroResults(results, retroInput('group', [mia, otto]), SECRET);
    expect(updates.count).toBe(0);

    mia.claims.add('mine');
    applyRetroResults(results, retroInput('group', [mia, otto]), SECRET);
    expect(readRevealedCards(results).get(cardIdOf(MIA, 'mine'))!.author).toBe(NAMES[MIA]);
    expect(readRevealedCards(results).get(cardIdOf(OTTO, 'ottos'))!.author).toBeNull();
    // Mia's claim changed nothing else: text and lateness are as revealed.
    expect(readRevealedCards(results).get(cardIdOf(MIA, 'mine'))).toEqual({ prompt: 'continue', text: 'keep the demo day', author: NAMES[MIA], late: false });
  });

  it('[RT6] when two members use one draft id, a claim of it names only the claimant\'s card', () => {
    const results = resultsDoc();
    const mia = memberInput(MIA, NAMES[MIA]!, drafts(['d1', 'stop', 'hers']));
    const otto = memberInput(OTTO, NAMES[OTTO]!, drafts(['d1', 'stop', 'his']), { claims: new Set(['d1']) });
    applyRetroResults(results, retroInput('group', [mia, otto]), SECRET);

    // Claimed at the first reveal: named from the start.
    expect(readRevealedCards(results).get(cardIdOf(OTTO, 'd1'))!.author).toBe(NAMES[OTTO]);
    expect(readRevealedCards(results).get(cardIdOf(MIA, 'd1'))!.author).toBeNull();
    expect(tracesIn(results, [NAMES[MIA]!, MIA])).toEqual([]);
  });

  it('[RT6] a claim before the reveal puts no name (or anything else) in the results until the reveal', () => {
    const results = resultsDoc();
    const mia = memberInput(MIA, NAMES[MIA]!, drafts(['mine', 'stop', 'hers']), { claims: new Set(['mine']) });
    applyRetroResults(results, retroInput('reflect', [mia]), SECRET);
    expect(tracesIn(results, [NAMES[MIA]!, 'hers'])).toEqual([]);
  });

  it('[RT6] running the projection again with the same input changes nothing, in every phase', () => {
    const results = resultsDoc();
    const members = team();
    members[0]!.claims.add('draftmiaone');
    for (const phase of ['lobby', 'reflect', 'group', 'vote', 'discuss', 'close', 'vote', 'discuss'] as const) {
      applyRetroResults(results, retroInput(phase, members), SECRET);
      const before = Y.encodeStateVector(results);
      const updates = countUpdates(results);
      applyRetroResults(results, retroInput(phase, members), SECRET);
      expect({ phase, updates: updates.count }).toEqual({ phase, updates: 0 });
      expect(Y.encodeStateVector(results)).toEqual(before);
    }
  });

  // Regression (privacy): anonymity was read from the board's meta, which every member may write,
  // so a modified client setting meta.anonymity = 'named' before the reveal printed every author's
  // name. It is read from the server-only results document now (SETTINGS_ROOT).
  it('[RT6] a member cannot make an anonymous retro named by rewriting the board\'s meta', () => {
    const names = retroDocNames('home', RETRO_ID);
    const retro = { title: 'Quarter retro', template: 'start-stop-continue', anonymity: 'anonymous' } as const;
    const serverBoard = replica(1);
    seedRetroBoard(serverBoard, retro);
    const member = { memberId: OTTO, community: 'home', role: 'member', stewardships: [] } as const;
    if (accessFor(member, parseDocName(names.board)!) !== 'write') throw new Error('precondition: members write the board');
    if (accessFor(member, parseDocName(names.results)!) !== 'read') throw new Error('precondition: members only read the results');

    const ottosBoard = copyOf(serverBoard, 2);
    ottosBoard.getMap(META_ROOT).set('anonymity', 'named');
    ottosBoard.getMap(META_ROOT).set('prompts', []);
    syncPair(ottosBoard, serverBoard);

    const results = resultsDoc();
    seedRetroResults(results, retro, PROMPTS);
    const input = { ...retroInput('group', team()), meta: retroMetaOf(serverBoard, results) };
    expect(input.meta.prompts).toEqual(PROMPTS);
    applyRetroResults(results, input, SECRET);
    expect([...readRevealedCards(results).values()].map((c) => c.author)).toEqual([null, null, null, null]);
  });
});
