/**
 * Seeded convergence fuzz, CI-sized (the engine and its guarantees: ./convergence.ts).
 *
 *   FUZZ_SEEDS=N   how many seeds (default DEFAULT_CI_SEEDS)
 *   FUZZ_FROM=S    first seed (default 1); CI may rotate it to cover new schedules over time
 *
 * Seeds run side by side (vitest's maxConcurrency, 5), each with its own relay, port and data
 * dir: a seed spends about half its time waiting (the schedule's pauses, reconnect backoff,
 * fsync on the seeds that run on disk), which the others fill. The one cost is that an uncaught
 * exception fails every seed running at that moment; replay each alone to see whose it was.
 *
 * A failure names its seed and a one-line repro (`node --import tsx test/fuzz/run.ts --seed S`).
 * Pin every seed that ever failed in `pinned seeds` below, named after what it found, so the
 * fix is proven and stays proven. Long runs: `npm run fuzz -- --seeds 2000 --from 1000`.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { copyOf, describeDifference, runConvergenceSeed } from './convergence.ts';

// Before the imports above are evaluated: the relay's loggers read LOG_LEVEL when they load, and
// at `info` every reconnect of every fuzzed client is a log line.
vi.hoisted(() => {
  process.env.LOG_LEVEL ??= 'warn';
});

const DEFAULT_CI_SEEDS = 200;

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const count = envInteger('FUZZ_SEEDS', DEFAULT_CI_SEEDS);
const from = envInteger('FUZZ_FROM', 1);

describe('convergence fuzz: 8 clients, random edits on every shared type, disconnects, relay restarts', () => {
  let ran = 0;
  let passed = 0;
  afterAll(() => {
    process.stdout.write(`convergence fuzz: ${ran} seeds ran (${from}…${from + count - 1}), ${passed} passed\n`);
  });

  for (let seed = from; seed < from + count; seed++) {
    it.concurrent(`seed ${seed}`, async () => {
      ran++;
      await runConvergenceSeed(seed);
      passed++;
    });
  }
});

/**
 * Seeds that failed once, each named after the bug it found. A seed fixes the schedule of edits,
 * disconnects and restarts but not how the kernel interleaves socket reads with it, so each runs
 * a few times.
 */
const PINNED_RUNS = 3;

describe('pinned seeds', () => {
  // Found during development: every seed below failed at "convergence" with delete sets that
  // differ under equal state vectors. Cause: the room's own Y.Doc runs Yjs's formatting cleanup
  // after applying a client update and the relay neither stores nor broadcasts those deletions;
  // worse, a client's identical cleanup then counts as a no-op and is dropped too. Expected to
  // pass once the relay commits and broadcasts the updates its document makes by itself.
  const roomCleanupNeverBroadcast = 'relay-side Yjs formatting cleanup never reaches connected clients';
  // The seeds that found it (1, 31, 38, 104, 169) stopped scheduling the case when the fuzz
  // engine changed; 8 and 10 fail with the fix removed (checked 2026-11-23), so they stand in.
  for (const seed of [8, 10]) {
    it(`seed ${seed}: ${roomCleanupNeverBroadcast}`, async () => {
      for (let run = 0; run < PINNED_RUNS; run++) await runConvergenceSeed(seed);
    });
  }

  it(`seed 1, minimized: ${roomCleanupNeverBroadcast}`, async () => {
    const docName = 'home.shared.cleanup';
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, docName);
    const b = connectClient(relay.wsUrl, docName);
    await waitSynced(a, b);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('abcdef')]);
    a.doc.getXmlFragment('xml').insert(0, [paragraph]);
    await waitFor(() => b.doc.getXmlFragment('xml').toString() === '<paragraph>abcdef</paragraph>');
    const textOf = (doc: Y.Doc): Y.XmlText => (doc.getXmlFragment('xml').get(0) as Y.XmlElement).get(0) as Y.XmlText;

    // Concurrent: B makes "a" italic offline while A deletes it. When B's update reaches the
    // relay, the room's doc removes the now pointless italic marks by itself.
    b.provider.disconnect();
    textOf(b.doc).format(0, 1, { italic: true });
    textOf(a.doc).delete(0, 1);
    await waitFor(async () => (await relay.store.headSeq(docName)) >= 2, { message: "A's delete committed" });
    b.provider.connect();
    await waitSynced(b);

    const room = await relay.relay.roomFor(docName);
    const differences = (): { a: string | null; b: string | null } => {
      const relayState = copyOf(room.doc);
      const result = { a: describeDifference(relayState, a.doc), b: describeDifference(relayState, b.doc) };
      relayState.destroy();
      return result;
    };
    await waitFor(() => Object.values(differences()).every((d) => d === null), { timeoutMs: 3_000 }).catch(() => undefined);
    expect(differences()).toEqual({ a: null, b: null });
  });
});
