/**
 * Runs a flush at most once per window (relay/fanOut.ts for document updates, RoomAwareness for
 * presence): when the last flush that sent something is a window old, the next runs at once —
 * in the next turn of the event loop, so one turn's changes go together — otherwise when the
 * window ends. A quiet room adds no latency; a busy one sends one frame per window. The window
 * is asked for each time, so its owner may size it by what flushing costs.
 */
export class WindowedFlush {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private cancelPending: (() => void) | null = null;

  /** `flush` returns whether it sent anything (an empty flush does not open a window). */
  constructor(private readonly windowMs: () => number, private readonly flush: () => boolean) {}

  schedule(): void {
    if (this.cancelPending) return;
    const wait = this.lastSentAt + this.windowMs() - performance.now();
    if (wait <= 0) {
      const immediate = setImmediate(() => this.now());
      this.cancelPending = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => this.now(), wait);
      this.cancelPending = () => clearTimeout(timer);
    }
  }

  /** Flushes at once, whatever the window says (before connections close). */
  now(): void {
    this.cancel();
    if (this.flush()) this.lastSentAt = performance.now();
  }

  cancel(): void {
    this.cancelPending?.();
    this.cancelPending = null;
  }
}
