/**
 * Which rows of a document's log a room's Y.Doc holds. With several nodes appending to one
 * document, rows arrive out of order (a local commit can overtake a peer's row still on the bus),
 * so this is "every row through `through`, plus some above it"; anything above is a gap that
 * catch-up fills from the database.
 */
export class AppliedSeqs {
  through = 0;
  private readonly above = new Set<number>();

  has(seq: number): boolean {
    return seq <= this.through || this.above.has(seq);
  }

  add(seq: number): void {
    if (this.has(seq)) return;
    if (seq !== this.through + 1) {
      this.above.add(seq);
      return;
    }
    this.through = seq;
    this.absorb();
  }

  /** Everything through `seq` is held (a full read of the document). */
  raiseTo(seq: number): void {
    if (seq <= this.through) return;
    this.through = seq;
    for (const held of this.above) if (held <= seq) this.above.delete(held);
    this.absorb();
  }

  /** No gaps: every row through the highest held one is held. */
  get complete(): boolean {
    return this.above.size === 0;
  }

  private absorb(): void {
    while (this.above.delete(this.through + 1)) this.through++;
  }
}
