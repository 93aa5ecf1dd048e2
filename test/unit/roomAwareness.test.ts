import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Connection } from '../../server/relay/connection.ts';
import { RoomAwareness } from '../../server/relay/roomAwareness.ts';
import { AWARENESS_BROADCAST_WINDOW_MS, MAX_AWARENESS_STATE_BYTES } from '../../shared/limits.ts';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { decodeFrame } from '../../shared/protocol/frames.ts';
import { awarenessUpdate } from '../helpers/awarenessWire.ts';

const WINDOW_MS = AWARENESS_BROADCAST_WINDOW_MS;

/** A connection as RoomAwareness sees it: an open-community socket that records how it was closed. */
function fakeConnection(): Connection & { closedWith: number[] } {
  const closedWith: number[] = [];
  return { member: null, closedWith, close: (code: number) => void closedWith.push(code) } as unknown as Connection & { closedWith: number[] };
}

function update(states: Array<[id: number, clock: number, state: unknown]>): Uint8Array {
  return awarenessUpdate(states.map(([id, clock, state]) => [id, clock, JSON.stringify(state)]));
}

/** What a member who applied every broadcast frame knows: state per client. */
function statesIn(frames: Uint8Array[]): Map<number, unknown> {
  const member = new awarenessProtocol.Awareness(new Y.Doc());
  member.setLocalState(null);
  for (const bytes of frames) {
    const frame = decodeFrame(bytes);
    if (frame.type === 'awareness') awarenessProtocol.applyAwarenessUpdate(member, frame.update, 'relay');
  }
  const states = new Map(member.getStates());
  member.destroy();
  return states;
}

describe('presence broadcasts of a room (RoomAwareness)', () => {
  let broadcasts: Uint8Array[];
  let published: Uint8Array[];
  let room: RoomAwareness;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
    broadcasts = [];
    published = [];
    room = new RoomAwareness(new Y.Doc(), {
      broadcast: (frame) => void broadcasts.push(frame),
      publish: (bytes) => void published.push(bytes),
    });
  });

  afterEach(() => {
    room.destroy();
    vi.useRealTimers();
  });

  it('[R30] a quiet room sends a change in the next turn of the event loop, to every member and to the other nodes', () => {
    room.apply(fakeConnection(), update([[1, 1, { cursor: 3 }]]));
    expect(broadcasts).toHaveLength(0); // the rest of this turn's changes may join it
    vi.advanceTimersByTime(0);
    expect(broadcasts).toHaveLength(1);
    expect(published).toHaveLength(1);
    expect(statesIn(broadcasts).get(1)).toEqual({ cursor: 3 });
  });

  it(`[R30] a busy room sends one frame per ${WINDOW_MS} ms at most, holding every member's newest state`, () => {
    const members = [fakeConnection(), fakeConnection(), fakeConnection()];
    const clocks = [0, 0, 0];
    const move = (i: number): void => room.apply(members[i]!, update([[i + 1, ++clocks[i]!, { cursor: clocks[i] }]]));

    // 20 moves a second each for two seconds, a member every 5 ms.
    for (let t = 0; t < 2_000; t += 5) {
      move((t / 5) % 3);
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(WINDOW_MS);

    expect(broadcasts.length).toBeLessThanOrEqual(2_000 / WINDOW_MS + 1);
    expect(broadcasts.length).toBeGreaterThanOrEqual(2_000 / WINDOW_MS - 1); // still live, not held back
    expect(published).toHaveLength(broadcasts.length);
    expect(statesIn(broadcasts)).toEqual(new Map(members.map((_, i) => [i + 1, { cursor: clocks[i] }])));
    expect(members.flatMap((m) => m.closedWith)).toEqual([]);
  });

  it('[R30] within a window nothing more is sent; the changes go together once it has passed', () => {
    const member = fakeConnection();
    room.apply(member, update([[1, 1, { cursor: 1 }]]));
    vi.advanceTimersByTime(0);
    room.apply(member, update([[1, 2, { cursor: 2 }]]));
    room.apply(fakeConnection(), update([[2, 1, { cursor: 9 }]]));
    vi.advanceTimersByTime(WINDOW_MS - 1);
    expect(broadcasts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(broadcasts).toHaveLength(2);
    expect(statesIn(broadcasts.slice(1))).toEqual(new Map([[1, { cursor: 2 }], [2, { cursor: 9 }]]));
  });

  it('[R16] a member who leaves is removed in the next frame', () => {
    const member = fakeConnection();
    room.apply(member, update([[1, 1, { cursor: 1 }]]));
    vi.advanceTimersByTime(0);
    room.release(member);
    vi.advanceTimersByTime(WINDOW_MS);
    expect(broadcasts).toHaveLength(2);
    expect(statesIn(broadcasts).has(1)).toBe(false);
  });

  it('destroying the room cancels the frame it was holding back', () => {
    const member = fakeConnection();
    room.apply(member, update([[1, 1, { cursor: 1 }]]));
    vi.advanceTimersByTime(0);
    room.apply(member, update([[1, 2, { cursor: 2 }]]));
    room.destroy();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(WINDOW_MS);
    expect(broadcasts).toHaveLength(1);
  });

  it(`[R7][R16] a state over ${MAX_AWARENESS_STATE_BYTES} bytes closes its sender with frameTooLarge; many small states in one update are fine`, () => {
    // A stock provider in a busy room re-broadcasts everyone's states in one update (an echo).
    const others = Array.from({ length: 60 }, (_, i): [number, number, unknown] => [100 + i, 1, { user: { name: `Member ${i} of the guild`, color: '#2f6f4e' }, cursor: { anchor: i, head: i } }]);
    for (const state of others) room.apply(fakeConnection(), update([state]));
    const echo = update(others);
    expect(echo.length).toBeGreaterThan(MAX_AWARENESS_STATE_BYTES);
    const echoer = fakeConnection();
    room.apply(echoer, echo);
    expect(echoer.closedWith).toEqual([]);

    const tooLarge = fakeConnection();
    room.apply(tooLarge, update([[7, 1, { blob: 'x'.repeat(MAX_AWARENESS_STATE_BYTES) }]]));
    expect(tooLarge.closedWith).toEqual([CloseCode.frameTooLarge]);
    expect(room.awareness.getStates().has(7)).toBe(false);
  });
});
