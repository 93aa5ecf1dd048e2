import * as Y from 'yjs';
import { BROADCAST_LOOP_SHARE, BROADCAST_WINDOW_MAX_MS } from '../../shared/limits.ts';
import { encodeFrame } from '../../shared/protocol/frames.ts';
import { WindowedFlush } from './windowedFlush.ts';

/** Where a room's merged updates go; Connection satisfies it. */
export interface FanOutTarget {
  send(frame: Uint8Array): void;
}

/**
 * How long a room's next frame may wait, given what sending one costs (an average, in ms): long
 * enough that its writes take at most BROADCAST_LOOP_SHARE of the event loop, at most the cap.
 */
export function broadcastWindowMs(sendCostMs: number): number {
  return Math.min(BROADCAST_WINDOW_MAX_MS, sendCostMs / BROADCAST_LOOP_SHARE);
}

/** Weight of the newest send in the running average of a room's send cost. */
const COST_AVERAGE_WEIGHT = 0.2;
/**
 * A send that cost more than this gets the longest window anyway; counting one outlier (a GC
 * pause, a large paste) at its full cost would keep a small room's updates waiting for many
 * sends after it.
 */
const MAX_COUNTED_SEND_MS = BROADCAST_WINDOW_MAX_MS * BROADCAST_LOOP_SHARE;

/**
 * A room's outbound document updates, coalesced. What a busy room's fan-out costs is one socket
 * write per member per frame (the kernel's loopback and TCP work happen inside that write), so
 * a room that is being written to continuously sends every member one merged update per window
 * instead of one frame per update: 200 members typing 5 updates/s each cost 200 writes per
 * window, not 200 × 1,000 per second.
 *
 * A room that sent nothing during the last window sends at once (in the next turn of the event
 * loop, so everything one group commit produced still goes as one frame): a quiet room adds no
 * latency; a busy one adds at most one window (WindowedFlush). The window follows what sending
 * costs (`windowFor` of the measured average; rooms use broadcastWindowMs): a small room's
 * writes are cheap, so its updates are not held back at all.
 *
 * Every member receives the merged update, its authors included (applying one's own update again
 * changes nothing), except when a frame holds one connection's updates only.
 */
export class FanOut<Target extends FanOutTarget> {
  private pending: Uint8Array[] = [];
  /** The one connection every pending update came from; null once they have several sources. */
  private soleSender: Target | null | undefined = undefined;
  private arrivals: number[] = [];
  private readonly window: WindowedFlush;
  /** Running average of what one send (merge, encode, every member's write) took, in ms; null before the first. */
  private sendCostMs: number | null = null;

  constructor(
    private readonly targets: () => Iterable<Target>,
    windowFor: (sendCostMs: number) => number,
    /** Per update: milliseconds from its arrival to the frame carrying it (relay metrics). */
    private readonly onSent: (waitedMs: number) => void = () => undefined,
  ) {
    this.window = new WindowedFlush(() => windowFor(this.sendCostMs ?? 0), () => this.send());
  }

  /** A committed update for every member; `sender` (null: the server or a peer node) is not sent its own. */
  push(update: Uint8Array, sender: Target | null, arrivedAt = performance.now()): void {
    this.pending.push(update);
    this.arrivals.push(arrivedAt);
    this.soleSender = this.soleSender === undefined || this.soleSender === sender ? sender : null;
    this.window.schedule();
  }

  /** Sends what is pending now (also before the room's connections close). */
  flush(): void {
    this.window.now();
  }

  private send(): boolean {
    if (this.pending.length === 0) return false;
    const updates = this.pending;
    const except = this.soleSender ?? null;
    const arrivals = this.arrivals;
    this.pending = [];
    this.arrivals = [];
    this.soleSender = undefined;
    const now = performance.now();
    const frame = encodeFrame({ type: 'syncUpdate', update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates) });
    for (const target of this.targets()) {
      if (target !== except) target.send(frame);
    }
    const costMs = Math.min(MAX_COUNTED_SEND_MS, performance.now() - now);
    this.sendCostMs = this.sendCostMs === null ? costMs : this.sendCostMs + (costMs - this.sendCostMs) * COST_AVERAGE_WEIGHT;
    for (const arrivedAt of arrivals) this.onSent(now - arrivedAt);
    return true;
  }

  /** Drops what is pending (the room is gone). */
  destroy(): void {
    this.window.cancel();
    this.pending = [];
    this.arrivals = [];
  }
}
