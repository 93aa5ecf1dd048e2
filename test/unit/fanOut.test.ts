import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeFrame } from '../../shared/protocol/frames.ts';
import { BROADCAST_LOOP_SHARE, BROADCAST_WINDOW_MAX_MS } from '../../shared/limits.ts';
import { broadcastWindowMs, FanOut } from '../../server/relay/fanOut.ts';

class Member {
  readonly frames: Uint8Array[] = [];
  /** How long a write to this member keeps the event loop busy (a socket write's kernel work). */
  constructor(public writeCostMs = 0) {}

  send(frame: Uint8Array): void {
    const until = performance.now() + this.writeCostMs;
    while (performance.now() < until) { /* the write's cost */ }
    this.frames.push(frame);
  }

  /** What the member's replica holds after applying every frame it received. */
  text(): string {
    const doc = new Y.Doc();
    for (const bytes of this.frames) {
      const frame = decodeFrame(bytes);
      if (frame.type === 'syncUpdate') Y.applyUpdate(doc, frame.update);
    }
    return doc.getText('t').toString();
  }
}

/** Updates of one writer's document, each appending `parts[i]`. */
function updatesAppending(...parts: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const part of parts) doc.getText('t').insert(doc.getText('t').length, part);
  return updates;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('fan-out of committed updates', () => {
  it('a quiet room sends an update to the other members within the same turn of the event loop', async () => {
    const [author, other] = [new Member(), new Member()];
    const fanOut = new FanOut(() => [author, other], () => 50);
    const [update] = updatesAppending('hello');
    fanOut.push(update!, author);
    await nextTurn();
    expect(other.text()).toBe('hello');
    expect(author.frames).toHaveLength(0); // nothing but its own update: not sent back
  });

  it('a busy room sends every member one merged update per window, authors included', async () => {
    const [a, b, watcher] = [new Member(), new Member(), new Member()];
    const fanOut = new FanOut(() => [a, b, watcher], () => 40);
    const [first, ...rest] = updatesAppending('1', '2', '3', '4');
    fanOut.push(first!, a);
    await nextTurn(); // quiet room: sent at once
    fanOut.push(rest[0]!, a);
    fanOut.push(rest[1]!, b);
    await sleep(10);
    expect(watcher.frames).toHaveLength(1); // the window since the first frame is still open
    fanOut.push(rest[2]!, b);
    await sleep(60);
    expect(watcher.frames).toHaveLength(2);
    expect(watcher.text()).toBe('1234');
    expect(a.frames).toHaveLength(1); // its own first update was not echoed; the merged one was
    expect(b.frames).toHaveLength(2);
  });

  it('flush sends what is pending at once; destroy drops it', async () => {
    const member = new Member();
    const fanOut = new FanOut(() => [member], () => 1_000);
    const [one, two, three] = updatesAppending('a', 'b', 'c');
    fanOut.push(one!, null);
    fanOut.flush();
    fanOut.push(two!, null);
    fanOut.flush();
    expect(member.text()).toBe('ab');
    fanOut.push(three!, null);
    fanOut.destroy();
    await sleep(20);
    expect(member.frames).toHaveLength(2);
  });

  it('reports how long each update waited for its frame', async () => {
    const waited: number[] = [];
    const fanOut = new FanOut(() => [new Member()], () => 30, (ms) => waited.push(ms));
    const [one, two] = updatesAppending('a', 'b');
    fanOut.push(one!, null);
    await nextTurn();
    fanOut.push(two!, null);
    await sleep(50);
    expect(waited).toHaveLength(2);
    expect(waited[1]).toBeGreaterThanOrEqual(20);
  });

  it('the window is sized by what sending costs: a loop share, never past the cap', () => {
    expect(broadcastWindowMs(0)).toBe(0);
    expect(broadcastWindowMs(1)).toBeCloseTo(1 / BROADCAST_LOOP_SHARE);
    expect(broadcastWindowMs(100)).toBe(BROADCAST_WINDOW_MAX_MS);
  });

  it('sizes each window by the measured cost of sending to every member', async () => {
    const asked: number[] = [];
    // Writing to each of these members keeps the loop busy for 0.6 ms, as a slow socket write would.
    const fanOut = new FanOut(() => [new Member(0.6), new Member(0.6)], (costMs) => {
      asked.push(costMs);
      return 0;
    });
    const [one, two] = updatesAppending('a', 'b');
    fanOut.push(one!, null);
    await nextTurn();
    fanOut.push(two!, null);
    await nextTurn();
    fanOut.destroy();
    expect(asked[0]).toBe(0); // nothing sent yet: nothing to hold back
    expect(asked.at(-1)).toBeGreaterThanOrEqual(1.2);
  });

  it('one costly send does not hold a small room back for long', async () => {
    const asked: number[] = [];
    const member = new Member(50); // the first send stalls for 50 ms (a GC pause, a huge paste)
    const fanOut = new FanOut(() => [member], (costMs) => {
      asked.push(costMs);
      return 0;
    });
    for (const [i, update] of updatesAppending(...'abcdefghijklmnop'.split('')).entries()) {
      fanOut.push(update, null);
      await nextTurn();
      if (i === 0) member.writeCostMs = 0;
    }
    fanOut.destroy();
    expect(broadcastWindowMs(asked[1]!)).toBe(BROADCAST_WINDOW_MAX_MS); // right after the stall: the longest window
    expect(broadcastWindowMs(asked.at(-1)!)).toBeLessThan(BROADCAST_WINDOW_MAX_MS / 2); // 15 cheap sends later
  });
});
