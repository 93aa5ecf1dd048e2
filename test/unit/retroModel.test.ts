import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  claimCard, isDone, readBallot, readClaims, readDrafts, readGroups, readPlacement, readRetroControl, readRetroMeta,
  readRevealedCards, RETRO_NOT_STARTED, retroControlOf, setVotes, writeDraft,
} from '../../shared/retro/model.ts';
import { readCarried } from '../../shared/retro/summary.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import {
  BALLOT_ROOT, CARDS_ROOT, CLAIMS_ROOT, DEFAULT_VOTE_BUDGET, DRAFTS_ROOT, GROUPS_ROOT, MAX_CARD_CHARS, MAX_CARDS_PER_MEMBER,
  parsePersonalRetroName, PERSONAL_STATE_ROOT, personalRetroDocName, PLACEMENT_ROOT,
} from '../../shared/schema/retro.ts';

/**
 * [RT9] A personal document and the board hold whatever a member's client wrote, and the server
 * reads both to build what everyone sees. Each reader must turn garbage into "nothing" or the
 * default, never throw, and never let one member exceed the limits.
 */

const PROMPT_IDS = new Set(['start', 'stop', 'continue']);

/** A member's personal document as a modified client could leave it: raw values, no writers. */
function personalWith(root: string, entries: Record<string, unknown>): Y.Doc {
  const doc = new Y.Doc();
  const map = doc.getMap(root);
  for (const [key, value] of Object.entries(entries)) map.set(key, value);
  return doc;
}

/** A string with an unpaired UTF-16 surrogate cannot cross the wire intact (Yjs writes UTF-8). */
const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('[RT9] drafts', () => {
  it('[RT9] readDrafts skips non-object values, non-string text or prompt, unknown prompts and empty text', () => {
    const personal = personalWith(DRAFTS_ROOT, {
      ok: { prompt: 'start', text: '  pairing on Fridays \n' },
      number: 7,
      nothing: null,
      list: ['start', 'text'],
      textNumber: { prompt: 'start', text: 42 },
      textObject: { prompt: 'start', text: { toString: 'x' } },
      promptMissing: { text: 'no prompt' },
      promptUnknown: { prompt: 'liked', text: 'from another template' },
      empty: { prompt: 'stop', text: '' },
      blank: { prompt: 'stop', text: '   \n\t ' },
    });
    expect(readDrafts(personal, PROMPT_IDS)).toEqual([{ id: 'ok', prompt: 'start', text: 'pairing on Fridays' }]);
    // Without a prompt filter any prompt string is kept; the rest still is not.
    expect(readDrafts(personal, null).map((d) => d.id)).toEqual(['ok', 'promptUnknown']);
  });

  it('[RT9] a nested Y type where a draft should be is ignored, not read as an object', () => {
    const personal = new Y.Doc();
    const nested = new Y.Map<unknown>();
    personal.getMap(DRAFTS_ROOT).set('nested', nested);
    nested.set('prompt', 'start');
    nested.set('text', 'sneaky');
    expect(readDrafts(personal, PROMPT_IDS)).toEqual([]);
  });

  it(`[RT9] more than MAX_CARDS_PER_MEMBER (${MAX_CARDS_PER_MEMBER}) drafts are capped, counting only readable ones, in id order`, () => {
    const entries: Record<string, unknown> = {};
    for (let i = 0; i < MAX_CARDS_PER_MEMBER + 50; i++) entries[`d${String(i).padStart(4, '0')}`] = { prompt: 'start', text: `card ${i}` };
    for (let i = 0; i < 30; i++) entries[`a${i}`] = { prompt: 'start', text: '' }; // sorts first, must not use up the cap
    const read = readDrafts(personalWith(DRAFTS_ROOT, entries), PROMPT_IDS);
    expect(read).toHaveLength(MAX_CARDS_PER_MEMBER);
    expect(read[0]!.id).toBe('d0000');
    expect(read.at(-1)!.id).toBe(`d${String(MAX_CARDS_PER_MEMBER - 1).padStart(4, '0')}`);
  });

  it(`[RT9] text longer than MAX_CARD_CHARS (${MAX_CARD_CHARS}) is trimmed to it, by readDrafts and by writeDraft`, () => {
    const long = `  ${'x'.repeat(MAX_CARD_CHARS + 500)}`;
    const [read] = readDrafts(personalWith(DRAFTS_ROOT, { d: { prompt: 'stop', text: long } }), PROMPT_IDS);
    expect(read!.text).toBe('x'.repeat(MAX_CARD_CHARS));

    const personal = new Y.Doc();
    writeDraft(personal, 'd', 'stop', 'y'.repeat(MAX_CARD_CHARS * 2));
    expect((personal.getMap(DRAFTS_ROOT).get('d') as { text: string }).text).toHaveLength(MAX_CARD_CHARS);
  });

  // Regression: the cut counted UTF-16 code units, leaving half an emoji at the limit; the
  // server's replica kept the lone surrogate while clients got U+FFFD.
  it('[RT9] text cut at MAX_CARD_CHARS keeps whole characters', () => {
    const text = `${'a'.repeat(MAX_CARD_CHARS - 1)}😀 and more`;
    const [read] = readDrafts(personalWith(DRAFTS_ROOT, { d: { prompt: 'stop', text } }), PROMPT_IDS);
    expect(hasLoneSurrogate(read!.text)).toBe(false);
  });
});

describe('[RT9] ballots, claims and done', () => {
  it('[RT9] readBallot keeps positive whole dots only', () => {
    const personal = personalWith(BALLOT_ROOT, {
      ok: 2, negative: -1, zero: 0, fraction: 1.5, nan: Number.NaN, infinity: Number.POSITIVE_INFINITY,
      text: '2', object: { dots: 2 }, flag: true, nothing: null,
    });
    expect(readBallot(personal)).toEqual({ ok: 2 });
  });

  it('[RT9] setVotes with zero or fewer dots removes the topic rather than storing it', () => {
    const personal = new Y.Doc();
    setVotes(personal, 'a', 2);
    setVotes(personal, 'b', 1);
    setVotes(personal, 'a', 0);
    setVotes(personal, 'b', -3);
    expect(personal.getMap(BALLOT_ROOT).size).toBe(0);
  });

  it('[RT9] readClaims counts only `true`; isDone only `true`', () => {
    const personal = personalWith(CLAIMS_ROOT, { yes: true, one: 1, text: 'true', no: false, nothing: null });
    claimCard(personal, 'claimed');
    expect([...readClaims(personal)].sort()).toEqual(['claimed', 'yes']);
    for (const done of [1, 'true', 'yes', {}, null]) expect(isDone(personalWith(PERSONAL_STATE_ROOT, { done }))).toBe(false);
    expect(isDone(personalWith(PERSONAL_STATE_ROOT, { done: true }))).toBe(true);
  });
});

describe('[RT9] control', () => {
  const controlWith = (entries: Record<string, unknown>): Y.Map<unknown> => {
    const doc = new Y.Doc();
    for (const [key, value] of Object.entries(entries)) retroControlOf(doc).set(key, value);
    return retroControlOf(doc);
  };

  it('[RT9] an empty control reads as not started', () => {
    expect(readRetroControl(controlWith({}))).toEqual(RETRO_NOT_STARTED);
  });

  it.each<[string, unknown]>([
    ['an unknown phase', 'party'], ['a phase of the wrong case', 'Vote'], ['a number', 3], ['null', null], ['an object', { phase: 'vote' }],
  ])('[RT9] %s as the phase reads as lobby', (_label, phase) => {
    expect(readRetroControl(controlWith({ phase })).phase).toBe('lobby');
  });

  it.each<[string, unknown, { total: number; perTopic: number }]>([
    ['a missing budget', undefined, DEFAULT_VOTE_BUDGET],
    ['a string budget', 'lots', DEFAULT_VOTE_BUDGET],
    ['null', null, DEFAULT_VOTE_BUDGET],
    ['negative numbers', { total: -1, perTopic: -5 }, DEFAULT_VOTE_BUDGET],
    ['fractions', { total: 2.5, perTopic: 0.5 }, DEFAULT_VOTE_BUDGET],
    ['numbers past 100', { total: 1000, perTopic: 101 }, DEFAULT_VOTE_BUDGET],
    ['numeric strings', { total: '5', perTopic: '1' }, DEFAULT_VOTE_BUDGET],
    ['one good field', { total: 5, perTopic: 'x' }, { total: 5, perTopic: DEFAULT_VOTE_BUDGET.perTopic }],
    ['zeros (a real choice)', { total: 0, perTopic: 0 }, { total: 0, perTopic: 0 }],
    ['the limits', { total: 100, perTopic: 100 }, { total: 100, perTopic: 100 }],
  ])('[RT9] %s as the budget reads field by field, falling back to DEFAULT_VOTE_BUDGET', (_label, budget, expected) => {
    expect(readRetroControl(controlWith({ phase: 'vote', budget })).budget).toEqual(expected);
  });

  it('[RT9] a non-string current topic reads as none', () => {
    for (const currentTopic of [1, null, {}, true]) expect(readRetroControl(controlWith({ currentTopic })).currentTopic).toBeNull();
    expect(readRetroControl(controlWith({ currentTopic: 'g1' })).currentTopic).toBe('g1');
  });
});

describe('[RT9] board and results', () => {
  it('[RT9] readRetroMeta keeps well-formed prompts only and reads an unknown anonymity as anonymous', () => {
    const doc = new Y.Doc();
    const meta = doc.getMap(META_ROOT);
    meta.set('title', 42);
    meta.set('prompts', [{ id: 'start', text: 'Start' }, null, 'stop', { id: 1, text: 'x' }, { id: 'y' }]);
    meta.set('anonymity', 'Named');
    expect(readRetroMeta(meta)).toEqual({ title: '', prompts: [{ id: 'start', text: 'Start' }], anonymity: 'anonymous' });
    meta.set('prompts', 'start,stop');
    expect(readRetroMeta(meta).prompts).toEqual([]);
  });

  it('[RT9] readGroups gives a nameless group an empty name; readPlacement drops non-string groups', () => {
    const doc = new Y.Doc();
    const groups = doc.getMap(GROUPS_ROOT);
    groups.set('g2', { name: 'Deploys' });
    groups.set('g1', null);
    groups.set('g3', { name: 7 });
    groups.set('g0', 'just a string');
    expect(readGroups(groups)).toEqual([{ id: 'g0', name: '' }, { id: 'g1', name: '' }, { id: 'g2', name: 'Deploys' }, { id: 'g3', name: '' }]);
    const placement = doc.getMap(PLACEMENT_ROOT);
    placement.set('c1', 'g2');
    placement.set('c2', 2);
    placement.set('c3', null);
    placement.set('c4', { group: 'g2' });
    expect(readPlacement(placement)).toEqual({ c1: 'g2' });
  });

  it('[RT9] readRevealedCards skips cards without text or prompt and normalises author and late', () => {
    const results = personalWith(CARDS_ROOT, {
      ok: { prompt: 'stop', text: 't', author: 'Mia', late: true },
      odd: { prompt: 'stop', text: 't', author: 5, late: 'yes' },
      noText: { prompt: 'stop' },
      noPrompt: { text: 't' },
      nothing: null,
    });
    expect(Object.fromEntries(readRevealedCards(results))).toEqual({
      ok: { prompt: 'stop', text: 't', author: 'Mia', late: true },
      odd: { prompt: 'stop', text: 't', author: null, late: false },
    });
  });

  it('[RT9] readCarried keeps only topics with a string label and string cards', () => {
    const doc = new Y.Doc();
    const meta = doc.getMap(META_ROOT);
    meta.set('carried', [{ label: 'Deploys', cards: ['a', 'b'] }, { label: 'x', cards: ['a', 1] }, { label: 2, cards: [] }, null, { label: 'y' }]);
    expect(readCarried(meta)).toEqual([{ label: 'Deploys', cards: ['a', 'b'] }]);
    meta.set('carried', 'Deploys');
    expect(readCarried(meta)).toEqual([]);
  });
});

describe('[RT9] personal retro document names', () => {
  it('[RT9] personalRetroDocName and parsePersonalRetroName round-trip', () => {
    const name = personalRetroDocName('home', 'k3x9q2m7a1b4', 'r7k2m9q4x1b3');
    expect(name).toBe('home.personal.k3x9q2m7a1b4-retro-r7k2m9q4x1b3');
    expect(parsePersonalRetroName(name)).toEqual({ community: 'home', memberId: 'k3x9q2m7a1b4', retroId: 'r7k2m9q4x1b3' });
  });

  it.each([
    'home.shared.k3x9q2m7a1b4-retro-r1', // a board name, not personal
    'home.control.k3x9q2m7a1b4-retro-r1',
    'home.personal.k3x9q2m7a1b4', // the member's own personal document
    'home.personal.k3x9q2m7a1b4-notes', // another purpose
    'home.personal.k3x9q2m7a1b4-retro-', // no retro id
    'home.personal.-retro-r1', // no member id (also outside the name grammar)
    'home.personal.k3x9q2m7a1b4-Retro-r1',
    'home.personal.k3x9q2m7a1b4-retro-r1/../x',
    'personal.k3x9q2m7a1b4-retro-r1',
    '',
  ])('[RT9] parsePersonalRetroName rejects %j', (name) => {
    expect(parsePersonalRetroName(name)).toBeNull();
  });

  it('[RT9] personalRetroDocName refuses parts outside the name grammar rather than make an aliasable name', () => {
    expect(() => personalRetroDocName('home', 'Mia', 'r1')).toThrow(RangeError);
    expect(() => personalRetroDocName('home', 'mia', 'r.1')).toThrow(RangeError);
    expect(() => personalRetroDocName('home', 'm'.repeat(60), 'r1')).toThrow(RangeError); // id over 64 characters
  });
});
