import { describe, expect, it } from 'vitest';
import { AppliedSeqs } from '../../server/relay/appliedSeqs.ts';

describe('AppliedSeqs: which log rows a room holds', () => {
  it('advances through contiguous rows and reports no gap', () => {
    const seqs = new AppliedSeqs();
    for (const seq of [1, 2, 3]) seqs.add(seq);
    expect(seqs.through).toBe(3);
    expect(seqs.behind).toBe(false);
  });

  it('holds rows past a gap and absorbs them once the gap is filled, in any order', () => {
    const seqs = new AppliedSeqs();
    seqs.add(1);
    seqs.add(4);
    seqs.add(3);
    expect(seqs.through).toBe(1);
    expect(seqs.behind).toBe(true);
    expect(seqs.has(3)).toBe(true);
    expect(seqs.has(2)).toBe(false);
    seqs.add(2);
    expect(seqs.through).toBe(4);
    expect(seqs.behind).toBe(false);
  });

  it('treats a row added twice as held once', () => {
    const seqs = new AppliedSeqs();
    seqs.add(2);
    seqs.add(2);
    seqs.add(1);
    expect(seqs.through).toBe(2);
    expect(seqs.behind).toBe(false);
  });

  it('raiseTo (a full reload) covers the gap and keeps rows held above it', () => {
    const seqs = new AppliedSeqs();
    seqs.add(1);
    seqs.add(5);
    seqs.add(8);
    seqs.raiseTo(4);
    expect(seqs.through).toBe(5);
    expect(seqs.behind).toBe(true);
    seqs.raiseTo(9);
    expect(seqs.through).toBe(9);
    expect(seqs.behind).toBe(false);
    seqs.raiseTo(3);
    expect(seqs.through).toBe(9);
  });

  it('is behind while a row heard of (bus, database head) is not held, and not once it is', () => {
    const seqs = new AppliedSeqs();
    seqs.add(1);
    seqs.heardOf(3);
    expect(seqs.behind).toBe(true);
    seqs.add(2);
    expect(seqs.behind).toBe(true);
    seqs.add(3);
    expect(seqs.behind).toBe(false);
    seqs.heardOf(2); // old news changes nothing
    expect(seqs.behind).toBe(false);
  });
});
