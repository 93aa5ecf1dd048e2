import { describe, expect, it } from 'vitest';
import { coalescedByKey } from '../../server/projections/coalesced.ts';

describe('projection refreshes, one at a time per key', () => {
  it('[P1] calls during a run fold into one more run with the latest value, and each call settles after the run that covers it', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => { release = resolve; });
    const run = coalescedByKey((v: { key: string; n: number }) => v.key, async (v) => {
      runs.push(`${v.key}${v.n}`);
      if (v.n === 1) await first;
    });
    const a1 = run({ key: 'a', n: 1 });
    const a2 = run({ key: 'a', n: 2 });
    const a3 = run({ key: 'a', n: 3 });
    const b1 = run({ key: 'b', n: 1 }); // another key runs alongside
    expect(runs).toEqual(['a1', 'b1']);
    let a3Settled = false;
    void a3.then(() => { a3Settled = true; });
    release();
    await Promise.all([a1, a2, a3, b1]);
    expect(a3Settled).toBe(true);
    expect(runs).toEqual(['a1', 'b1', 'a3']); // a2 and a3 folded into one run, with a3's value
  });
});
