/**
 * Which local changes the relay has acknowledged as durable (DESIGN §2, the ack capability).
 *
 * The relay acks cumulatively: "your first N content frames on this connection are durable".
 * So for each content frame sent on the current connection we remember which local changes it
 * carried:
 *   - a sync update frame carries exactly the change that produced it;
 *   - a sync step 2 carries everything the server lacked, i.e. every change made so far.
 * A new connection starts counting frames from zero; unacked changes stay pending, and the next
 * connection's step 2 carries them again.
 *
 * Changes left unacknowledged by an earlier page load (kept as a count in `restoredCount`) are
 * covered by the first acknowledged step 2 of this load. That count is only a hint (another tab
 * or a cleared localStorage can lose it), so "everything is durable" additionally requires
 * `handshakeAcked`: the current connection's step 2 — which carries whatever the relay lacked,
 * whoever made it — has been acknowledged.
 */
type Coverage = { kind: 'single'; change: number } | { kind: 'allThrough'; change: number };

export class PendingChanges {
  private lastChange = 0;
  private readonly pending = new Set<number>();
  private framesSent: Coverage[] = [];
  private framesAcked = 0;
  private restored: number;
  private stepTwoAcked = false;

  constructor(restoredCount = 0) {
    this.restored = restoredCount;
  }

  get count(): number {
    return this.pending.size + this.restored;
  }

  get handshakeAcked(): boolean {
    return this.stepTwoAcked;
  }

  localChange(): void {
    this.pending.add(++this.lastChange);
  }

  frameSent(kind: 'step2' | 'update'): void {
    this.framesSent.push(kind === 'update'
      ? { kind: 'single', change: this.lastChange }
      : { kind: 'allThrough', change: this.lastChange });
  }

  acknowledged(durableCount: number): void {
    const through = Math.min(durableCount, this.framesSent.length);
    for (; this.framesAcked < through; this.framesAcked++) {
      const coverage = this.framesSent[this.framesAcked]!;
      if (coverage.kind === 'single') {
        this.pending.delete(coverage.change);
        continue;
      }
      this.restored = 0;
      this.stepTwoAcked = true;
      for (const change of this.pending) if (change <= coverage.change) this.pending.delete(change);
    }
  }

  connectionReset(): void {
    this.framesSent = [];
    this.framesAcked = 0;
    this.stepTwoAcked = false;
  }
}
