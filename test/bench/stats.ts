/**
 * Latency histogram with a fixed 10 µs resolution up to 2^20 buckets ≈ 10.5 s; anything slower
 * lands in the last bucket (quantiles there report `max`, which stays exact). Recording is one
 * array increment, so receivers stay cheap at 10^5–10^6 samples/s.
 */
const RESOLUTION_MS = 0.01;
const BUCKETS = 1 << 20;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  record(latencyMs: number): void {
    const index = Math.min(BUCKETS - 1, Math.max(0, Math.round(latencyMs / RESOLUTION_MS)));
    this.counts[index]! += 1;
    this.count += 1;
    if (latencyMs > this.max) this.max = latencyMs;
  }

  /** The latency at quantile `q` (0–1), in ms; NaN without samples. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === BUCKETS - 1 ? this.max : i * RESOLUTION_MS;
    }
    return this.max;
  }
}

/** Wall clock in ms with sub-ms precision, comparable across processes on this machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A send stamp carried inside the inserted text, so whatever the server does to an update
 * (forward it, merge several into one frame, re-encode it) the receiver still finds one stamp
 * per update by scanning the frame's bytes: MARK sender "," seq "," sentAtMs END.
 * Yjs stores string content as UTF-8, so the ASCII stamp survives byte for byte.
 */
const MARK = '~@!';
const END = '!@~';
const MARK_BYTES = Buffer.from(MARK);
const END_BYTE = END.charCodeAt(0);

export function encodeStamp(sender: number, seq: number, sentAtMs: number): string {
  return `${MARK}${sender},${seq},${sentAtMs.toFixed(3)}${END}`;
}

export function countStamps(text: string): number {
  let count = 0;
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) count += 1;
  return count;
}

/** Calls `visit` for every stamp in `bytes`; stray bytes that do not parse are skipped. */
export function scanStamps(bytes: Buffer, visit: (sender: number, seq: number, sentAtMs: number) => void): void {
  for (let at = bytes.indexOf(MARK_BYTES); at !== -1; at = bytes.indexOf(MARK_BYTES, at + MARK_BYTES.length)) {
    const start = at + MARK_BYTES.length;
    const end = bytes.indexOf(END_BYTE, start);
    if (end === -1 || end - start > 40) continue;
    const [sender, seq, sentAt] = bytes.toString('latin1', start, end).split(',');
    const parsed = [Number(sender), Number(seq), Number(sentAt)] as const;
    if (parsed.every(Number.isFinite)) visit(parsed[0], parsed[1], parsed[2]);
  }
}
