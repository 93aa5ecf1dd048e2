/**
 * Which rows of a document's log a room's Y.Doc holds. With several nodes appending to one
 * document, rows arrive out of order (a local commit can overtake a peer's row still on the bus),
 * so this is "every row through `through`, plus some above it", and the highest row heard of.
 * While `behind`, catch-up reads the rest from the database.
 */
export class AppliedSeqs {
  through = 0;
  /** The highest sequence heard of: held, announced on the bus, or read as the database's head. */
  known = 0;
  private readonly above = new Set<number>();

  has(seq: number): boolean {
    return seq <= this.through || this.above.has(seq);
  }

  /** A row exists (it may not be held yet). */
  heardOf(seq: number): void {
    this.known = Math.max(this.known, seq);
  }

  add(seq: number): void {
    this.heardOf(seq);
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
    this.heardOf(seq);
    if (seq <= this.through) return;
    this.through = seq;
    for (const held of this.above) if (held <= seq) this.above.delete(held);
    this.absorb();
  }

  /** Some row heard of is not held. */
  get behind(): boolean {
    return this.known > this.through;
  }

  private absorb(): void {
    while (this.above.delete(this.through + 1)) this.through++;
  }
}
