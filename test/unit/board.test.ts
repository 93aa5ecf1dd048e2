import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard, addComment, addLane, cardsOf, commentsOf, deleteCard, editCard, lanesOf, moveCard, moveLane, normalizeTags,
  readBoard, readLanes, readModeration, removeLane, renameLane, threadOf, toggleReaction,
  type ModerationRecords, type NewCard,
} from '../../shared/board/model.ts';
import {
  CARDS_ROOT, COMMENTS_ROOT, LANES_ROOT, MAX_CARD_BODY_CHARS, MAX_CARD_TITLE_CHARS, MAX_COMMENT_CHARS, MAX_LANE_NAME_CHARS,
  MAX_TAG_CHARS, MAX_TAGS, MODERATION_ROOT, NOT_MODERATED,
  type BoardComment, type BoardView, type ModerationRecord,
} from '../../shared/schema/board.ts';
import { enforceModeration } from '../../server/documents/board.ts';
import { mulberry32 } from '../helpers/random.ts';
import { expectEverySeedPasses } from '../helpers/seeds.ts';
import { replicas, syncAll, syncPair } from './meetingReplicas.ts';

/**
 * The community board (shared/board/model.ts): lanes and cards ordered by fractional keys, a
 * card's place one `{lane, order}` value, readers that skip garbage, and moderation applied from
 * the server-only record (readBoard) and written back into the board (enforceModeration).
 */

const NO_MODERATION: ModerationRecords = new Map();

const card = (title: string, extra: Partial<NewCard> = {}): NewCard => ({
  title, body: `${title} body`, tags: [], author: 'm-ada', authorName: 'Ada', ...extra,
});

const comment = (cardId: string, body: string, parent: string | null = null) => ({
  card: cardId, parent, body, mentions: [] as string[], author: 'm-bob', authorName: 'Bob',
});

/** Lane id → its card ids, in board order. */
function layout(doc: Y.Doc, moderation: ModerationRecords = NO_MODERATION): Array<[string, string[]]> {
  return readBoard(doc, moderation).lanes.map((lane) => [lane.id, lane.cards.map((c) => c.id)]);
}

const laneIds = (doc: Y.Doc): string[] => readLanes(doc).map((lane) => lane.id);

/** The board as plain JSON (Maps become sorted entry lists), for comparing replicas. */
function boardJson(view: BoardView): string {
  return JSON.stringify({ lanes: view.lanes, comments: [...view.comments.entries()].sort(([a], [b]) => (a < b ? -1 : 1)) });
}

/** The list `ids` with `id` taken out and put back at `toIndex` (clamped): what a move must produce. */
function expectedAfterMove(ids: readonly string[], id: string, toIndex: number): string[] {
  const rest = ids.filter((other) => other !== id);
  rest.splice(Math.max(0, Math.min(toIndex, rest.length)), 0, id);
  return rest;
}

/** A board with lanes l1..l3 and cards: l1 [a, b], l2 [c, d], l3 [e, f]. */
function seededBoard(doc: Y.Doc): void {
  for (const id of ['l1', 'l2', 'l3']) addLane(doc, `Lane ${id}`, id);
  for (const [lane, ids] of [['l1', ['a', 'b']], ['l2', ['c', 'd']], ['l3', ['e', 'f']]] as const) {
    for (const id of ids) addCard(doc, lane, card(id), 1000, id);
  }
}

function record(fields: Partial<ModerationRecord>): ModerationRecord {
  return { hidden: false, locked: false, by: 'Mod Grace', at: 1, frozen: null, ...fields };
}

const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('[B1] cards and concurrent moves', () => {
  it('[B1] addCard appends to its lane with clipped fields; moveCard lands the card at the index it was dropped', () => {
    const doc = new Y.Doc();
    seededBoard(doc);
    const long = addCard(doc, 'l1', card(`  ${'t'.repeat(300)}  `, { body: 'b'.repeat(MAX_CARD_BODY_CHARS + 5), tags: ['X', 'x'] }), 5, 'long');
    const read = readBoard(doc, NO_MODERATION).lanes[0]!.cards.at(-1)!;
    expect(read.id).toBe(long);
    expect(read.title).toHaveLength(MAX_CARD_TITLE_CHARS);
    expect(read.body).toHaveLength(MAX_CARD_BODY_CHARS);
    expect(read.tags).toEqual(['x']);
    expect(read).toMatchObject({ author: 'm-ada', authorName: 'Ada', createdAt: 5, reactions: {}, moderation: NOT_MODERATED });

    moveCard(doc, 'f', 'l1', 1);
    moveCard(doc, 'a', 'l2', 99);
    expect(layout(doc)).toEqual([['l1', ['f', 'b', 'long']], ['l2', ['c', 'd', 'a']], ['l3', ['e']]]);
    moveCard(doc, 'd', 'l2', 0); // within its own lane
    expect(layout(doc)[1]).toEqual(['l2', ['d', 'c', 'a']]);
  });

  it('[B1] moving an unknown card or into an unknown lane writes nothing', () => {
    const doc = new Y.Doc();
    seededBoard(doc);
    const vector = Y.encodeStateVector(doc);
    moveCard(doc, 'ghost', 'l1', 0);
    moveCard(doc, 'a', 'no-such-lane', 0);
    expect(Y.encodeStateVector(doc)).toEqual(vector);
  });

  it('[B1] editCard changes only the given fields; deleteCard takes the card and its thread off the board, emptied', () => {
    const doc = new Y.Doc();
    seededBoard(doc);
    const onA = addComment(doc, comment('a', 'on a'), 1, 'on-a');
    addComment(doc, comment('b', 'on b'), 1, 'on-b');
    editCard(doc, 'a', { title: '  New title ', tags: ['#One', ' two', 'one'] });
    const a = readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!;
    expect(a).toMatchObject({ title: 'New title', body: 'a body', tags: ['one', 'two'] });
    deleteCard(doc, 'a');
    const view = readBoard(doc, NO_MODERATION);
    expect(view.lanes[0]!.cards.map((c) => c.id)).toEqual(['b']);
    expect(view.comments.has('a')).toBe(false);
    expect(commentsOf(doc).has(onA)).toBe(true); // entries are never removed (boardAuthorship.ts)
    expect([cardsOf(doc).get('a')!.get('title'), cardsOf(doc).get('a')!.get('body'), cardsOf(doc).get('a')!.get('deleted')]).toEqual(['', '', true]);
    expect(view.comments.get('b')!.map((c) => c.id)).toEqual(['on-b']);
  });

  it('[B1] two members move the same card to different lanes at once (one offline): one card in one lane, same order for both', () => {
    const [a, b] = replicas(2);
    seededBoard(a!);
    syncAll([a!, b!]);
    // b is offline while both move card "c" (in l2).
    moveCard(a!, 'c', 'l1', 0);
    moveCard(b!, 'c', 'l3', 1);
    expect(layout(a!)).toEqual([['l1', ['c', 'a', 'b']], ['l2', ['d']], ['l3', ['e', 'f']]]);
    expect(layout(b!)).toEqual([['l1', ['a', 'b']], ['l2', ['d']], ['l3', ['e', 'c', 'f']]]);
    syncPair(a!, b!);
    const merged = layout(a!);
    expect(layout(b!)).toEqual(merged);
    expect(boardJson(readBoard(b!, NO_MODERATION))).toBe(boardJson(readBoard(a!, NO_MODERATION)));
    const all = merged.flatMap(([, ids]) => ids);
    expect(all.filter((id) => id === 'c')).toHaveLength(1);
    expect([...all].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // One move wins whole — its lane together with its order — never a mix of the two.
    expect([
      [['l1', ['c', 'a', 'b']], ['l2', ['d']], ['l3', ['e', 'f']]],
      [['l1', ['a', 'b']], ['l2', ['d']], ['l3', ['e', 'c', 'f']]],
    ]).toContainEqual(merged);
  });
});

/**
 * Seeded fuzz: three replicas do random card moves and adds, lane adds, moves and removals and
 * card deletions, some going offline (exchanging nothing) for several steps. Each local step is
 * checked where it is made; after a full sync every replica reads the same board with every
 * surviving card exactly once. Replay one seed with BOARD_SEED=<seed>.
 */
const FUZZ_SEEDS = 250;
const FUZZ_REPLICAS = 3;
const FUZZ_STEPS = 70;
/**
 * Seeds that ever failed, pinned with what they found: 12 (and 17 others of the first 250) left
 * no lane at all — so no card — after replicas offline each removed one of the last lanes.
 */
const PINNED_SEEDS: number[] = [12];

function runBoardSeed(seed: number): void {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const docs = replicas(FUZZ_REPLICAS);
  const offlineFor = docs.map(() => 0);
  const added = new Set<string>();
  const deleted = new Set<string>();
  let nextCard = 0;
  let nextLane = 0;
  const fail = (step: number, what: string): never => { throw new Error(`step ${step}: ${what}`); };

  for (let i = 0; i < 2; i++) addLane(docs[0]!, `Lane ${i}`, `l${nextLane++}`);
  for (let i = 0; i < 3; i++) {
    const id = `c${nextCard++}`;
    addCard(docs[0]!, 'l0', card(id), 0, id);
    added.add(id);
  }
  syncAll(docs);

  for (let step = 0; step < FUZZ_STEPS; step++) {
    const r = Math.floor(random() * docs.length);
    const doc = docs[r]!;
    const before = layout(doc);
    if (before.length === 0) fail(step, `replica ${r} has no lane left, so it shows none of its ${cardsOf(doc).size} cards`);
    const cards = before.flatMap(([, ids]) => ids);
    const roll = random();
    if (roll < 0.4 && cards.length > 0) {
      const id = pick(cards);
      const [lane, inLane] = pick(before);
      const toIndex = Math.floor(random() * (inLane.length + 1));
      moveCard(doc, id, lane, toIndex);
      const after = new Map(layout(doc));
      const expected = expectedAfterMove(inLane, id, toIndex);
      if (after.get(lane)!.join() !== expected.join()) fail(step, `move ${id} to ${lane}@${toIndex} gave [${after.get(lane)}], expected [${expected}]`);
      for (const [other, ids] of after) if (other !== lane && ids.includes(id)) fail(step, `moved ${id} is still in ${other}`);
    } else if (roll < 0.55) {
      const id = `c${nextCard++}`;
      const [lane] = pick(before);
      addCard(doc, lane, card(id), step, id);
      added.add(id);
      if (new Map(layout(doc)).get(lane)!.at(-1) !== id) fail(step, `added ${id} is not last in ${lane}`);
    } else if (roll < 0.67) {
      const [lane, inLane] = pick(before);
      removeLane(doc, lane);
      const after = layout(doc);
      if (before.length === 1) {
        if (JSON.stringify(after) !== JSON.stringify(before)) fail(step, `the last lane ${lane} was removed`);
      } else {
        const rest = before.filter(([id]) => id !== lane);
        const expected = [[rest[0]![0], [...rest[0]![1], ...inLane]], ...rest.slice(1)];
        if (JSON.stringify(after) !== JSON.stringify(expected)) fail(step, `removing ${lane} of ${JSON.stringify(before)} gave ${JSON.stringify(after)}`);
      }
    } else if (roll < 0.75) {
      const id = `l${nextLane++}`;
      addLane(doc, `Lane ${id}`, id);
      if (laneIds(doc).at(-1) !== id) fail(step, `added lane ${id} is not last`);
    } else if (roll < 0.83) {
      const lanes = before.map(([id]) => id);
      const lane = pick(lanes);
      const toIndex = Math.floor(random() * (lanes.length + 1));
      moveLane(doc, lane, toIndex);
      if (laneIds(doc).join() !== expectedAfterMove(lanes, lane, toIndex).join()) fail(step, `moving lane ${lane} to ${toIndex} of [${lanes}] gave [${laneIds(doc)}]`);
    } else if (roll < 0.87 && cards.length > 0) {
      const id = pick(cards);
      deleteCard(doc, id);
      deleted.add(id);
    } else if (roll < 0.95) {
      offlineFor[r] = 2 + Math.floor(random() * 8);
    }
    // The network: replicas that are online exchange what they have.
    if (random() < 0.6) {
      const online = docs.filter((_, i) => offlineFor[i]! === 0);
      for (let i = 1; i < online.length; i++) syncPair(online[0]!, online[i]!);
      if (online.length > 1) syncPair(online[0]!, online[1]!);
    }
    for (let i = 0; i < offlineFor.length; i++) offlineFor[i] = Math.max(0, offlineFor[i]! - 1);
  }

  syncAll(docs);
  const reference = boardJson(readBoard(docs[0]!, NO_MODERATION));
  const expected = [...added].filter((id) => !deleted.has(id)).sort();
  for (const [i, doc] of docs.entries()) {
    const view = readBoard(doc, NO_MODERATION);
    if (boardJson(view) !== reference) throw new Error(`replica ${i} diverged after the full sync`);
    const ids = view.lanes.flatMap((lane) => lane.cards.map((c) => c.id));
    if (new Set(ids).size !== ids.length) throw new Error(`replica ${i} shows a card twice: [${ids}]`);
    if ([...ids].sort().join() !== expected.join()) throw new Error(`replica ${i} shows [${[...ids].sort()}], expected [${expected}]`);
    if (view.lanes.length === 0) throw new Error(`replica ${i} has no lane`);
  }
}

describe('[B1] seeded board fuzz', () => {
  it(`[B1] ${FUZZ_SEEDS} seeds x ${FUZZ_REPLICAS} replicas (some offline) of random moves/adds/lane changes converge, every card once, none lost`, () => {
    expectEverySeedPasses({ count: FUZZ_SEEDS, pinned: PINNED_SEEDS, replayVar: 'BOARD_SEED' }, runBoardSeed);
  });
});

describe('[B2] lanes', () => {
  it('[B2] addLane appends in order, names a blank lane and clips long names; renameLane trims and ignores blanks', () => {
    const doc = new Y.Doc();
    addLane(doc, ' Ideas ', 'ideas');
    addLane(doc, '   ', 'blank');
    addLane(doc, 'n'.repeat(100), 'long');
    expect(readLanes(doc).map((lane) => [lane.id, lane.name])).toEqual([
      ['ideas', 'Ideas'], ['blank', 'Untitled lane'], ['long', 'n'.repeat(MAX_LANE_NAME_CHARS)],
    ]);
    renameLane(doc, 'ideas', '  Good ideas  ');
    renameLane(doc, 'blank', '   ');
    renameLane(doc, 'missing', 'Ghost');
    expect(readLanes(doc).map((lane) => lane.name)).toEqual(['Good ideas', 'Untitled lane', 'n'.repeat(MAX_LANE_NAME_CHARS)]);
    expect(lanesOf(doc).has('missing')).toBe(false);
  });

  it('[B2] moveLane reorders lanes and keeps their cards', () => {
    const doc = new Y.Doc();
    seededBoard(doc);
    moveLane(doc, 'l3', 0);
    expect(laneIds(doc)).toEqual(['l3', 'l1', 'l2']);
    moveLane(doc, 'l1', 99);
    expect(layout(doc)).toEqual([['l3', ['e', 'f']], ['l2', ['c', 'd']], ['l1', ['a', 'b']]]);
  });

  it('[B2] removing a lane moves its cards, in their order, after the cards already in the first remaining lane', () => {
    const doc = new Y.Doc();
    seededBoard(doc);
    moveCard(doc, 'd', 'l2', 0); // l2 is [d, c]: the moved cards keep this order, not their ids'
    removeLane(doc, 'l2');
    expect(layout(doc)).toEqual([['l1', ['a', 'b', 'd', 'c']], ['l3', ['e', 'f']]]);
    // Removing the first lane: the first remaining lane is the next one.
    removeLane(doc, 'l1');
    expect(layout(doc)).toEqual([['l3', ['e', 'f', 'a', 'b', 'd', 'c']]]);
  });

  it('[B2] the last lane cannot be removed; removing an unknown lane writes nothing', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Only', 'only');
    addCard(doc, 'only', card('x'), 1, 'x');
    const vector = Y.encodeStateVector(doc);
    removeLane(doc, 'only');
    removeLane(doc, 'missing');
    expect(Y.encodeStateVector(doc)).toEqual(vector);
    expect(layout(doc)).toEqual([['only', ['x']]]);
  });

  it('[B2] a card moved concurrently into a lane another replica removed shows in the first lane for everyone', () => {
    const [a, b, c] = replicas(3);
    seededBoard(a!);
    syncAll([a!, b!, c!]);
    removeLane(a!, 'l2');
    moveCard(b!, 'e', 'l2', 0); // b has not heard of the removal
    syncAll([a!, b!, c!]);
    for (const doc of [a!, b!, c!]) {
      const lanes = layout(doc);
      expect(lanes.map(([id]) => id)).toEqual(['l1', 'l3']);
      expect(lanes[0]![1]).toContain('e');
      expect([...lanes[0]![1]].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(lanes[1]).toEqual(['l3', ['f']]);
    }
    expect(boardJson(readBoard(b!, NO_MODERATION))).toBe(boardJson(readBoard(a!, NO_MODERATION)));
    expect(boardJson(readBoard(c!, NO_MODERATION))).toBe(boardJson(readBoard(a!, NO_MODERATION)));
    // The stranded card can be moved like any other card of its lane, and into the removed lane no more.
    moveCard(c!, 'e', 'l1', 0);
    expect(layout(c!)[0]![1][0]).toBe('e');
    const vector = Y.encodeStateVector(c!);
    moveCard(c!, 'e', 'l2', 0);
    expect(Y.encodeStateVector(c!)).toEqual(vector);
  });

  it('[B2] a card moved concurrently into the removed first lane shows in the next lane', () => {
    const [a, b] = replicas(2);
    seededBoard(a!);
    syncAll([a!, b!]);
    removeLane(a!, 'l1');
    moveCard(b!, 'f', 'l1', 0);
    syncAll([a!, b!]);
    expect(layout(a!)).toEqual(layout(b!));
    expect(layout(a!).map(([id]) => id)).toEqual(['l2', 'l3']);
    expect([...layout(a!)[0]![1]].sort()).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  // Regression: removeLane deleted the lane, so two members (offline) each removing one of the last
  // two lanes left a board with no lanes — and every card vanished for everyone.
  it('[B2] two members each removing one of the last two lanes at once still leaves one lane with every card', () => {
    const [a, b] = replicas(2);
    addLane(a!, 'One', 'one');
    addLane(a!, 'Two', 'two');
    for (const id of ['x', 'y']) addCard(a!, 'one', card(id), 1, id);
    addCard(a!, 'two', card('z'), 1, 'z');
    syncAll([a!, b!]);
    removeLane(a!, 'one');
    removeLane(b!, 'two');
    syncAll([a!, b!]);
    for (const doc of [a!, b!]) {
      const lanes = layout(doc);
      expect(lanes).toHaveLength(1);
      expect([...lanes[0]![1]].sort()).toEqual(['x', 'y', 'z']);
    }
    expect(layout(a!)).toEqual(layout(b!));
    // That lane is now the last one: it cannot be removed, and a new lane takes its cards over when it goes.
    const [[shown]] = layout(a!) as [[string, string[]]];
    removeLane(a!, shown);
    expect(layout(a!).map(([id]) => id)).toEqual([shown]);
    addLane(a!, 'Three', 'three');
    expect(layout(a!)).toEqual([['three', expect.arrayContaining(['x', 'y', 'z'])]]);
  });
});

describe('[B3] readers skip garbage', () => {
  it('[B3] cards that are not Y.Maps, lack a title or author, or have a mistyped place are skipped; other fields default', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Lane', 'lane');
    const good = addCard(doc, 'lane', card('Good'), 1, 'good');
    const raw = doc.getMap<unknown>(CARDS_ROOT);
    raw.set('string', 'a card?');
    raw.set('plain', { title: 'x', author: 'y', place: { lane: 'lane', order: 'a5' } });
    raw.set('nothing', null);
    const rawCard = (id: string, fields: Record<string, unknown>): void => {
      const map = new Y.Map<unknown>();
      raw.set(id, map);
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
    };
    const place = { lane: 'lane', order: 'a9' };
    rawCard('no-title', { author: 'm', place });
    rawCard('number-title', { title: 7, author: 'm', place });
    rawCard('no-author', { title: 'T', place });
    rawCard('no-place', { title: 'T', author: 'm' });
    rawCard('string-place', { title: 'T', author: 'm', place: 'lane' });
    rawCard('numeric-order', { title: 'T', author: 'm', place: { lane: 'lane', order: 3 } });
    rawCard('null-place', { title: 'T', author: 'm', place: null });
    rawCard('odd', { title: 'Odd', author: 'm', place, body: 5, tags: 'not, an, array', authorName: 3, createdAt: Number.NaN, reactions: { '👍:m': true } });
    rawCard('mixed-tags', { title: 'Mixed', author: 'm', place: { lane: 'lane', order: 'a8' }, tags: ['ok', 4, null, 'fine'], createdAt: 'yesterday' });

    let view: BoardView | undefined;
    expect(() => { view = readBoard(doc, NO_MODERATION); }).not.toThrow();
    expect(view!.lanes[0]!.cards.map((c) => c.id)).toEqual([good, 'mixed-tags', 'odd']);
    expect(view!.lanes[0]!.cards[1]).toMatchObject({ tags: ['ok', 'fine'], createdAt: 0 });
    expect(view!.lanes[0]!.cards[2]).toEqual({
      id: 'odd', title: 'Odd', body: '', tags: [], author: 'm', authorName: '', createdAt: 0, place, reactions: {}, moderation: NOT_MODERATED,
    });
  });

  it('[B3] unknown reaction keys are skipped; a card whose reactions are garbage takes a fresh toggle', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Lane', 'lane');
    addCard(doc, 'lane', card('A'), 1, 'a');
    const reactions = cardsOf(doc).get('a')!.get('reactions') as Y.Map<unknown>;
    for (const key of ['👎:m1', 'nocolon', ':m2', 'plus:m3', '👍:m4', '💡:m5']) reactions.set(key, true);
    expect(readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!.reactions).toEqual({ '👍': ['m4'], '💡': ['m5'] });

    cardsOf(doc).get('a')!.set('reactions', 'lots');
    expect(readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!.reactions).toEqual({});
    toggleReaction(doc, 'a', '🎉', 'm6');
    expect(readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!.reactions).toEqual({ '🎉': ['m6'] });
  });

  it('[B3] lanes that are not Y.Maps or lack a string name or order are skipped; their cards show in the first lane', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Real', 'real');
    const raw = doc.getMap<unknown>(LANES_ROOT);
    raw.set('string', 'lane');
    raw.set('plain', { name: 'Plain', order: 'a0' });
    const noName = new Y.Map<unknown>();
    raw.set('no-name', noName);
    noName.set('order', 'Zz');
    const numOrder = new Y.Map<unknown>();
    raw.set('num-order', numOrder);
    numOrder.set('name', 'Numbered');
    numOrder.set('order', 1);
    addCard(doc, 'no-name', card('Stray'), 1, 'stray');
    expect(layout(doc)).toEqual([['real', ['stray']]]);
  });

  it('[B3] a garbage card does not shift where a move lands (writers count the cards readers show)', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Lane', 'lane');
    addLane(doc, 'Other', 'other');
    for (const id of ['a', 'b']) addCard(doc, 'lane', card(id), 1, id);
    addCard(doc, 'other', card('c'), 1, 'c');
    // A card without a title sitting between a and b (a modified client's): readers skip it.
    const [aCard, bCard] = readBoard(doc, NO_MODERATION).lanes[0]!.cards;
    const ghost = new Y.Map<unknown>();
    cardsOf(doc).set('ghost', ghost);
    ghost.set('author', 'm');
    ghost.set('place', { lane: 'lane', order: generateKeyBetween(aCard!.place.order, bCard!.place.order) });
    expect(layout(doc)[0]).toEqual(['lane', ['a', 'b']]);
    moveCard(doc, 'c', 'lane', 2); // dropped after b
    expect(layout(doc)[0]).toEqual(['lane', ['a', 'b', 'c']]);
    moveCard(doc, 'c', 'lane', 1); // dropped between a and b
    expect(layout(doc)[0]).toEqual(['lane', ['a', 'c', 'b']]);
  });

  it('[B3] comments that are not Y.Maps or lack a card or author are skipped; mistyped fields default', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Lane', 'lane');
    addCard(doc, 'lane', card('A'), 1, 'a');
    const good = addComment(doc, comment('a', 'fine'), 5, 'good');
    const raw = doc.getMap<unknown>(COMMENTS_ROOT);
    raw.set('string', 'hi');
    raw.set('plain', { card: 'a', author: 'm', body: 'x' });
    const rawComment = (id: string, fields: Record<string, unknown>): void => {
      const map = new Y.Map<unknown>();
      raw.set(id, map);
      for (const [key, value] of Object.entries(fields)) map.set(key, value);
    };
    rawComment('no-card', { author: 'm', body: 'x' });
    rawComment('numeric-card', { card: 1, author: 'm', body: 'x' });
    rawComment('no-author', { card: 'a', body: 'x' });
    rawComment('odd', { card: 'a', author: 'm', body: ['x'], parent: 3, mentions: 'everyone', createdAt: 'now' });
    let view: BoardView | undefined;
    expect(() => { view = readBoard(doc, NO_MODERATION); }).not.toThrow();
    expect(view!.comments.get('a')!.map((c) => c.id)).toEqual(['odd', good]);
    expect(view!.comments.get('a')![0]).toEqual({
      id: 'odd', card: 'a', parent: null, body: '', mentions: [], author: 'm', authorName: '', createdAt: 0, moderation: NOT_MODERATED,
    });
  });

  it('[B3] readModeration skips non-object records and defaults mistyped fields', () => {
    const moderation = new Y.Doc();
    const raw = moderation.getMap<unknown>(MODERATION_ROOT);
    raw.set('card:a', { hidden: true, by: 'Grace', at: 4, frozen: null });
    raw.set('card:b', 'hidden');
    raw.set('card:c', null);
    raw.set('card:d', { hidden: 'yes', locked: 1, by: 7, at: 'then', frozen: 'text' });
    const records = readModeration(moderation);
    expect([...records.keys()]).toEqual(['card:a', 'card:d']);
    expect(records.get('card:a')).toEqual({ hidden: true, locked: false, by: 'Grace', at: 4, frozen: null });
    expect(records.get('card:d')).toEqual({ hidden: false, locked: false, by: 'a moderator', at: 0, frozen: null });
  });
});

/** A board with one card "a" (two comments c1, c2) and a moderator's view of it. */
function moderatedBoard(): Y.Doc {
  const doc = new Y.Doc();
  addLane(doc, 'Lane', 'lane');
  addCard(doc, 'lane', card('Original', { body: 'original body', tags: ['keep'] }), 1, 'a');
  addCard(doc, 'lane', card('Other'), 2, 'b');
  addComment(doc, comment('a', 'first'), 10, 'c1');
  addComment(doc, comment('a', 'second'), 11, 'c2');
  addComment(doc, comment('b', 'on b'), 12, 'c3');
  return doc;
}

const LOCKED_A = record({ locked: true, frozen: { title: 'Frozen title', body: 'frozen body', tags: ['frozen'], comments: ['c1'] } });

describe('[B4] moderation overlay in readBoard', () => {
  it('[B4] a hidden card shows no title, body or tags, and says it is hidden and by whom', () => {
    const doc = moderatedBoard();
    const view = readBoard(doc, new Map([['card:a', record({ hidden: true })]]));
    const [a, b] = view.lanes[0]!.cards;
    expect(a).toMatchObject({ id: 'a', title: '', body: '', tags: [], moderation: { hidden: true, locked: false, by: 'Mod Grace' } });
    expect(b).toMatchObject({ id: 'b', title: 'Other', moderation: NOT_MODERATED });
  });

  it('[B4] a locked card shows its frozen content whatever the board holds, and only the comments it had when locked', () => {
    const doc = moderatedBoard();
    editCard(doc, 'a', { title: 'Edited after the lock', body: 'edited', tags: ['edited'] });
    addComment(doc, comment('a', 'sneaked in'), 20, 'late');
    const view = readBoard(doc, new Map([['card:a', LOCKED_A]]));
    expect(view.lanes[0]!.cards[0]).toMatchObject({
      title: 'Frozen title', body: 'frozen body', tags: ['frozen'], moderation: { hidden: false, locked: true, by: 'Mod Grace' },
    });
    expect(view.comments.get('a')!.map((c) => c.id)).toEqual(['c1']);
    expect(view.comments.get('b')!.map((c) => c.id)).toEqual(['c3']);
    // Without the record the board's own content shows: the overlay is what changed it.
    expect(readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!.title).toBe('Edited after the lock');
    expect(readBoard(doc, NO_MODERATION).comments.get('a')!.map((c) => c.id)).toEqual(['c1', 'c2', 'late']);
  });

  it('[B4] hidden wins over locked; a record that neither hides nor locks is no moderation', () => {
    const doc = moderatedBoard();
    const both = readBoard(doc, new Map([['card:a', { ...LOCKED_A, hidden: true }], ['card:b', record({})]]));
    expect(both.lanes[0]!.cards[0]).toMatchObject({ title: '', body: '', tags: [], moderation: { hidden: true, locked: true } });
    expect(both.lanes[0]!.cards[1]).toMatchObject({ title: 'Other', moderation: NOT_MODERATED });
  });

  it('[B4] a hidden comment shows an empty body; a locked comment shows its frozen body', () => {
    const doc = moderatedBoard();
    const view = readBoard(doc, new Map([
      ['comment:c1', record({ hidden: true })],
      ['comment:c2', record({ locked: true, frozen: { body: 'frozen words' } })],
    ]));
    const [c1, c2] = view.comments.get('a')!;
    expect(c1).toMatchObject({ id: 'c1', body: '', moderation: { hidden: true, locked: false, by: 'Mod Grace' } });
    expect(c2).toMatchObject({ id: 'c2', body: 'frozen words', moderation: { hidden: false, locked: true } });
    expect(view.comments.get('b')![0]).toMatchObject({ body: 'on b', moderation: NOT_MODERATED });
  });
});

describe('[B5] enforceModeration', () => {
  it('[B5] wipes hidden content, restores locked content and deletes comments added to a locked card; a second call changes nothing', () => {
    const doc = moderatedBoard();
    editCard(doc, 'a', { title: 'Edited after the lock', body: 'edited', tags: ['edited'] });
    addComment(doc, comment('a', 'sneaked in'), 20, 'late');
    addComment(doc, comment('b', 'hide me'), 21, 'c4');
    const records = new Map([
      ['card:a', LOCKED_A],
      ['card:b', record({ hidden: true })],
      ['comment:c4', record({ hidden: true })],
      ['card:gone', record({ hidden: true })], // an entry the board no longer has: ignored
    ]);
    let updates = 0;
    doc.on('update', () => { updates++; });
    enforceModeration(doc, records);
    expect(updates).toBeGreaterThan(0);

    const a = cardsOf(doc).get('a')!;
    expect([a.get('title'), a.get('body'), a.get('tags')]).toEqual(['Frozen title', 'frozen body', ['frozen']]);
    const b = cardsOf(doc).get('b')!;
    expect([b.get('title'), b.get('body'), b.get('tags')]).toEqual(['', '', []]);
    expect(commentsOf(doc).get('c4')!.get('body')).toBe('');
    expect(commentsOf(doc).get('c3')!.get('body')).toBe(''); // a hidden card's comments go with it (they may quote it)
    expect([...commentsOf(doc).keys()].sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'late']);
    expect([commentsOf(doc).get('late')!.get('body'), commentsOf(doc).get('late')!.get('deleted')]).toEqual(['', true]); // marked, not removed
    expect(cardsOf(doc).has('gone')).toBe(false);

    updates = 0;
    enforceModeration(doc, records);
    expect(updates).toBe(0);
  });

  it('[B5] after enforcement the board alone (no overlay) reads as the overlay did', () => {
    const doc = moderatedBoard();
    editCard(doc, 'a', { title: 'Edited', body: 'edited' });
    addComment(doc, comment('a', 'late'), 20, 'late');
    const records = new Map([['card:a', LOCKED_A], ['comment:c3', record({ hidden: true })]]);
    const overlaid = readBoard(doc, records);
    enforceModeration(doc, records);
    const bare = readBoard(doc, NO_MODERATION);
    const content = (view: BoardView) => ({
      cards: view.lanes.flatMap((lane) => lane.cards.map((c) => [c.id, c.title, c.body, c.tags])),
      comments: [...view.comments.entries()].map(([id, list]) => [id, list.map((c) => [c.id, c.body])]),
    });
    expect(content(bare)).toEqual(content(overlaid));
  });

  it('[B5] a lock without frozen comments deletes none; a lock without a frozen record restores nothing', () => {
    const doc = moderatedBoard();
    addComment(doc, comment('a', 'later'), 20, 'later');
    editCard(doc, 'b', { title: 'Edited b' });
    let updates = 0;
    doc.on('update', () => { updates++; });
    enforceModeration(doc, new Map([
      ['card:a', record({ locked: true, frozen: { title: 'Original', body: 'original body', tags: ['keep'] } })],
      ['card:b', record({ locked: true, frozen: null })],
    ]));
    expect(updates).toBe(0);
    expect([...commentsOf(doc).keys()].sort()).toEqual(['c1', 'c2', 'c3', 'later']);
    expect(cardsOf(doc).get('b')!.get('title')).toBe('Edited b');
  });
});

describe('[B6] reactions', () => {
  it('[B6] a reaction is per member: the same member toggling twice cancels, two members count two', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Lane', 'lane');
    addCard(doc, 'lane', card('A'), 1, 'a');
    const reactions = () => readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!.reactions;
    toggleReaction(doc, 'a', '👍', 'm1');
    toggleReaction(doc, 'a', '👍', 'm1');
    expect(reactions()).toEqual({});
    toggleReaction(doc, 'a', '👍', 'm1');
    toggleReaction(doc, 'a', '👍', 'm2');
    toggleReaction(doc, 'a', '💡', 'm1');
    expect(reactions()['👍']).toHaveLength(2);
    expect(reactions()).toEqual({ '👍': ['m1', 'm2'], '💡': ['m1'] });
    const vector = Y.encodeStateVector(doc);
    toggleReaction(doc, 'missing', '👍', 'm1');
    expect(Y.encodeStateVector(doc)).toEqual(vector);
  });

  it('[B6] two members reacting at once (offline) both count after sync', () => {
    const [a, b] = replicas(2);
    addLane(a!, 'Lane', 'lane');
    addCard(a!, 'lane', card('A'), 1, 'a');
    syncAll([a!, b!]);
    toggleReaction(a!, 'a', '❤️', 'm1');
    toggleReaction(b!, 'a', '❤️', 'm2');
    syncAll([a!, b!]);
    for (const doc of [a!, b!]) expect(readBoard(doc, NO_MODERATION).lanes[0]!.cards[0]!.reactions).toEqual({ '❤️': ['m1', 'm2'] });
  });
});

describe('[B6] comments and threads', () => {
  it('[B6] comments are grouped by card, oldest first, with mentions deduplicated and bodies clipped', () => {
    const doc = new Y.Doc();
    addLane(doc, 'Lane', 'lane');
    addCard(doc, 'lane', card('A'), 1, 'a');
    addComment(doc, { ...comment('a', 'later'), mentions: ['m1', 'm1', 'm2'] }, 30, 'x');
    addComment(doc, comment('a', 'c'.repeat(MAX_COMMENT_CHARS + 10)), 10, 'y');
    addComment(doc, comment('a', 'same time, later id'), 30, 'w');
    const list = readBoard(doc, NO_MODERATION).comments.get('a')!;
    expect(list.map((c) => c.id)).toEqual(['y', 'w', 'x']);
    expect(list[0]!.body).toHaveLength(MAX_COMMENT_CHARS);
    expect(list[2]).toMatchObject({ mentions: ['m1', 'm2'], parent: null, author: 'm-bob', authorName: 'Bob', createdAt: 30 });
  });

  const at = (id: string, parent: string | null, createdAt: number): BoardComment => ({
    id, card: 'a', parent, body: id, mentions: [], author: 'm', authorName: 'M', createdAt, moderation: NOT_MODERATED,
  });

  it('[B6] threadOf nests replies under their parents at any depth, each level in time order', () => {
    const comments = [at('t1', null, 1), at('t2', null, 2), at('r1', 't1', 3), at('r2', 't2', 4), at('rr1', 'r1', 5), at('r3', 't1', 6)];
    expect(threadOf(comments).map(({ comment: c, depth }) => [c.id, depth])).toEqual([
      ['t1', 0], ['r1', 1], ['rr1', 2], ['r3', 1], ['t2', 0], ['r2', 1],
    ]);
  });

  it('[B6] a reply whose parent is missing (deleted, hidden by a lock) shows at the top level', () => {
    const comments = [at('t1', null, 1), at('orphan', 'gone', 2), at('child', 'orphan', 3)];
    expect(threadOf(comments).map(({ comment: c, depth }) => [c.id, depth])).toEqual([['t1', 0], ['orphan', 0], ['child', 1]]);
    expect(threadOf([])).toEqual([]);
  });

  it('[B6] threadOf over a locked card keeps replies to comments the lock dropped', () => {
    const doc = moderatedBoard();
    addComment(doc, comment('a', 'reply to c1', 'c1'), 30, 'reply');
    const thread = threadOf(readBoard(doc, new Map([['card:a', { ...LOCKED_A, frozen: { ...LOCKED_A.frozen!, comments: ['c2', 'reply'] } }]])).comments.get('a')!);
    expect(thread.map(({ comment: c, depth }) => [c.id, depth])).toEqual([['c2', 0], ['reply', 0]]);
  });
});

describe('[B6] normalizeTags', () => {
  it('[B6] splits on commas and newlines, trims, lower-cases, drops #, hyphenates spaces and removes duplicates', () => {
    expect(normalizeTags('Onboarding, #Remote work, onboarding')).toEqual(['onboarding', 'remote-work']);
    expect(normalizeTags('a\nB,, ,#,## C  d ')).toEqual(['a', 'b', 'c-d']);
    expect(normalizeTags(['  X ', '#x', 'Y'])).toEqual(['x', 'y']);
  });

  it('[B6] caps the number of tags and their length', () => {
    const many = Array.from({ length: MAX_TAGS + 5 }, (_, i) => `tag${i}`);
    expect(normalizeTags(many)).toEqual(many.slice(0, MAX_TAGS));
    // Duplicates do not use up the cap.
    expect(normalizeTags(['dup', 'dup', ...many])).toHaveLength(MAX_TAGS);
    expect(normalizeTags(['dup', 'DUP', ...many])[1]).toBe('tag0');
    expect(normalizeTags(['l'.repeat(100)])).toEqual(['l'.repeat(MAX_TAG_CHARS)]);
  });

  it('[B6] never cuts a tag through an emoji (half a surrogate pair)', () => {
    const [edge] = normalizeTags([`${'a'.repeat(MAX_TAG_CHARS - 1)}😀😀`]);
    expect(edge).toBe(`${'a'.repeat(MAX_TAG_CHARS - 1)}😀`);
    const [emoji] = normalizeTags(['🎉'.repeat(MAX_TAG_CHARS + 3)]);
    expect(Array.from(emoji!)).toHaveLength(MAX_TAG_CHARS);
    expect(hasLoneSurrogate(emoji!)).toBe(false);
    expect(hasLoneSurrogate(edge!)).toBe(false);
  });
});
