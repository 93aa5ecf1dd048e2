import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acknowledge, acknowledgedVersion, castBallot, readBallots } from '../../shared/charter/model.ts';
import { ACKNOWLEDGED_ROOT, BALLOTS_ROOT, CHOICES, MAX_REASON_CHARS } from '../../shared/schema/charter.ts';
import { clip } from '../../shared/text.ts';
import { personal } from './charterFixtures.ts';
import { replica, replicas, syncPair } from './meetingReplicas.ts';

/**
 * [CH6] Personal ballots: each member's ballots live in their own personal document, keyed by
 * version number, so they can be cast offline and nobody else can write them. That document is
 * the member's client's to write — a modified client can put anything there — so readBallots,
 * which the server counts from, is the filter: only known choices, only version-number keys, and
 * objections and blocks only with a reason.
 */

const ballotsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(BALLOTS_ROOT);
/** Half of a surrogate pair anywhere in the string (what a UTF-16 cut through an emoji leaves). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('[CH6] readBallots filters what a client wrote', () => {
  it('[CH6] castBallot and readBallots round-trip every choice, one ballot per version', () => {
    const doc = replica(1);
    castBallot(doc, 2, personal('agree'));
    castBallot(doc, 3, personal('abstain'));
    castBallot(doc, 4, personal('object', 'June is too soon'));
    castBallot(doc, 5, personal('block', 'It drops blameless reviews'));
    castBallot(doc, 2, personal('abstain')); // a changed mind replaces the earlier ballot
    expect(readBallots(doc)).toEqual({
      2: personal('abstain'), 3: personal('abstain'), 4: personal('object', 'June is too soon'), 5: personal('block', 'It drops blameless reviews'),
    });
    expect(Object.keys(readBallots(doc)).map(Number).every(Number.isInteger)).toBe(true);
  });

  it('[CH6] an objection or a block without a reason (empty or blank) is no ballot; agree and abstain need none', () => {
    const doc = replica(1);
    castBallot(doc, 2, personal('object', ''));
    castBallot(doc, 3, personal('block', ' \n\t '));
    ballotsMap(doc).set('4', { choice: 'block' }); // no reason field at all
    ballotsMap(doc).set('5', { choice: 'object', reason: 42 }); // not a string
    castBallot(doc, 6, personal('agree'));
    ballotsMap(doc).set('7', { choice: 'abstain', reason: 42 });
    expect(readBallots(doc)).toEqual({ 6: personal('agree'), 7: personal('abstain') });
  });

  it('[CH6] unknown choices and values that are no ballot are dropped', () => {
    const doc = replica(1);
    const junk: unknown[] = [{ choice: 'veto', reason: 'x' }, { choice: 'AGREE' }, { reason: 'no choice' }, { choice: null }, null, 'agree', 3, ['agree']];
    junk.forEach((value, i) => ballotsMap(doc).set(String(10 + i), value));
    castBallot(doc, 2, personal('agree'));
    expect(readBallots(doc)).toEqual({ 2: personal('agree') });
  });

  it('[CH6] keys that are not whole version numbers are dropped', () => {
    const doc = replica(1);
    for (const key of ['1.5', 'abc', 'NaN', 'Infinity', '-Infinity', '2x', 'v2']) ballotsMap(doc).set(key, { choice: 'agree', reason: '' });
    castBallot(doc, 2, personal('agree'));
    expect(readBallots(doc)).toEqual({ 2: personal('agree') });
  });

  // Regression: the key goes through Number(), which reads '' as 0,
  // ' 2 ' and '02' as 2, '0x3' as 3 and '1e1' as 10 — keys castBallot never writes (it writes
  // String(version)). Several keys then name one version, and which of them wins depends on the
  // Y.Map's iteration order, which follows the order its entries were integrated: the server,
  // reloading the document from storage, can read a different ballot than the member's client
  // showed. Expected: only canonical keys (String(Number(key)) === key) are read.
  it('[CH6] keys that only coerce to a number (\'\', \' 2 \', \'02\', \'0x3\', \'1e1\') are not read as version numbers', () => {
    const doc = replica(1);
    for (const key of ['', ' 2 ', '02', '0x3', '1e1']) ballotsMap(doc).set(key, { choice: 'block', reason: `from key "${key}"` });
    castBallot(doc, 5, personal('agree'));
    expect(readBallots(doc)).toEqual({ 5: personal('agree') }); // actual: also 0, 2, 3 and 10
  });

  // Regression, the consequence of the one above: with '2' and '02' in one document, two replicas that
  // hold the same updates read different ballots for version 2 — the one that applied them live
  // (laptop's, then phone's) reads the block, the one that loaded them merged reads the agree.
  it('[CH6] replicas holding the same updates read the same ballots, whatever order the updates arrived in', () => {
    const [laptop, phone] = replicas(2);
    castBallot(laptop!, 2, personal('agree'));
    ballotsMap(phone!).set('02', { choice: 'block', reason: 'from a modified client' });
    const updates = [Y.encodeStateAsUpdate(laptop!), Y.encodeStateAsUpdate(phone!)];
    const live = replica(3);
    for (const update of updates) Y.applyUpdate(live, update);
    const reloaded = replica(4);
    Y.applyUpdate(reloaded, Y.mergeUpdates(updates));
    expect(readBallots(live)).toEqual(readBallots(reloaded)); // actual: block vs agree
  });
});

describe('[CH6] reasons', () => {
  it('[CH6] reasons are read trimmed', () => {
    const doc = replica(1);
    castBallot(doc, 2, personal('object', '  June is too soon \n'));
    expect(readBallots(doc)[2]).toEqual(personal('object', 'June is too soon'));
  });

  it('[CH6] castBallot stores at most MAX_REASON_CHARS; readBallots caps a longer reason a client stored itself', () => {
    const doc = replica(1);
    castBallot(doc, 2, personal('object', 'x'.repeat(MAX_REASON_CHARS + 500)));
    expect((ballotsMap(doc).get('2') as { reason: string }).reason).toHaveLength(MAX_REASON_CHARS);
    expect(readBallots(doc)[2]!.reason).toBe('x'.repeat(MAX_REASON_CHARS));
    ballotsMap(doc).set('3', { choice: 'block', reason: 'y'.repeat(MAX_REASON_CHARS * 5) });
    expect(readBallots(doc)[3]!.reason).toBe('y'.repeat(MAX_REASON_CHARS));
    // Exactly at the cap nothing is cut.
    castBallot(doc, 4, personal('block', 'z'.repeat(MAX_REASON_CHARS)));
    expect(readBallots(doc)[4]!.reason).toHaveLength(MAX_REASON_CHARS);
  });

  // Regression: castBallot cuts the reason with String#slice, in UTF-16
  // code units, so a reason whose 1000th character is an emoji keeps only its high surrogate;
  // the record then shows U+FFFD to everyone. The retro model cuts with clip() from
  // shared/text.ts (code points) for exactly this reason. Expected: clip(reason, MAX_REASON_CHARS).
  it('[CH6] castBallot never cuts a reason through an emoji (half a surrogate pair)', () => {
    const doc = replica(1);
    const reason = `${'a'.repeat(MAX_REASON_CHARS - 1)}😀 and more`;
    castBallot(doc, 2, personal('object', reason));
    const stored = (ballotsMap(doc).get('2') as { reason: string }).reason;
    expect(stored).not.toMatch(LONE_SURROGATE); // actual: 'a' × 999 + '\uD83D'
    expect(stored).toBe(clip(reason, MAX_REASON_CHARS));
  });

  // Regression: the same UTF-16 cut in readBallots, which is what the
  // server counts into the record, for a long reason a client stored without castBallot.
  it('[CH6] readBallots never cuts a stored reason through an emoji (half a surrogate pair)', () => {
    const doc = replica(1);
    const reason = `${'a'.repeat(MAX_REASON_CHARS - 1)}😀${'b'.repeat(50)}`;
    ballotsMap(doc).set('2', { choice: 'block', reason });
    const read = readBallots(doc)[2]!.reason;
    expect(read).not.toMatch(LONE_SURROGATE); // actual: 'a' × 999 + '\uD83D'
    expect(read).toBe(clip(reason, MAX_REASON_CHARS));
  });
});

describe('[CH6] one member, several devices', () => {
  it('[CH6] two replicas of a member\'s personal document casting on different versions merge: both ballots stay', () => {
    const [laptop, phone] = replicas(2);
    castBallot(laptop!, 2, personal('agree'));
    castBallot(phone!, 3, personal('object', 'Written on the train'));
    syncPair(laptop!, phone!);
    const expected = { 2: personal('agree'), 3: personal('object', 'Written on the train') };
    expect(readBallots(laptop!)).toEqual(expected);
    expect(readBallots(phone!)).toEqual(expected);
  });

  it('[CH6] two replicas casting on the same version offline converge on one ballot', () => {
    const [laptop, phone] = replicas(2);
    castBallot(laptop!, 2, personal('agree'));
    castBallot(phone!, 2, personal('block', 'Second thoughts'));
    syncPair(laptop!, phone!);
    // Which one wins is Yjs' tie-break (by client id); what matters is that both devices show it.
    expect(readBallots(laptop!)).toEqual(readBallots(phone!));
    expect(Object.keys(readBallots(laptop!))).toEqual(['2']);
    expect(CHOICES).toContain(readBallots(laptop!)[2]!.choice);
  });

  it('[CH6] acknowledging the norms: none at first, then the version acknowledged last', () => {
    const [laptop, phone] = replicas(2);
    expect(acknowledgedVersion(laptop!)).toBeNull();
    acknowledge(laptop!, 2);
    expect(acknowledgedVersion(laptop!)).toBe(2);
    syncPair(laptop!, phone!);
    expect(acknowledgedVersion(phone!)).toBe(2);
    acknowledge(phone!, 4);
    syncPair(laptop!, phone!);
    expect([acknowledgedVersion(laptop!), acknowledgedVersion(phone!)]).toEqual([4, 4]);
  });

  it('[CH6] an acknowledgement that is not a number reads as none', () => {
    const doc = replica(1);
    for (const value of ['2', null, { version: 2 }, true]) {
      doc.getMap(ACKNOWLEDGED_ROOT).set('version', value);
      expect(acknowledgedVersion(doc), JSON.stringify(value)).toBeNull();
    }
  });

  it('[CH6] ballots and the acknowledgement live apart: acknowledging casts nothing, casting acknowledges nothing', () => {
    const doc = replica(1);
    acknowledge(doc, 3);
    expect(readBallots(doc)).toEqual({});
    const other = replica(2);
    castBallot(other, 3, personal('agree'));
    expect(acknowledgedVersion(other)).toBeNull();
  });
});
