import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import { INBOUND_MESSAGES_BURST } from '../../shared/limits.ts';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { indexDocName } from '../../shared/docNames.ts';
import { spawnRelay, type ChildRelay } from '../helpers/childRelay.ts';
import { connectClient, waitConverged, type TestClient } from '../helpers/clients.ts';
import { MalformedFrames, type Access } from '../helpers/malformedFrames.ts';
import { mulberry32 } from '../helpers/random.ts';
import { storedDoc } from '../helpers/storage.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { openWireSocket } from '../helpers/wireSocket.ts';

/**
 * Malformed input at volume (README R7, R18): at least MALFORMED_FRAMES malformed frames
 * (default 100,000) from thousands of connections against the real server process, while honest
 * members co-edit the same documents and others with the official provider the whole time.
 *
 *   MALFORMED_FRAMES=N  how many malformed frames (about 5,000 connections per 100,000)
 *   MALFORMED_SEED=S    replays a run's frames (the seed is printed)
 *
 * Most malformed frames end their connection, and opening connections is what costs, so the
 * volume comes from three kinds of volley, one connection each:
 *   - one fatal frame (28 kinds: random and mutated golden vectors, broken varuints, unknown
 *     types, lying lengths, server-only and text frames, poison updates, bad presence, and
 *     websocket-level violations), to a document honest members edit, the index, or a fresh one;
 *   - on the read-only index: 100–280 content frames with junk updates, which the relay drops
 *     unread, then one fatal frame;
 *   - on the index: more content frames than the burst allows (R18).
 */
const TARGET_FRAMES = Number(process.env.MALFORMED_FRAMES ?? 100_000);
const SEED = Number(process.env.MALFORMED_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PARALLEL_CONNECTIONS = 64;
/** Every DROP_EVERY-th volley is a dropped-frames volley, every RATE_EVERY-th a rate-limit one. */
const DROP_EVERY = 10;
const RATE_EVERY = 600;
/** A connection the relay has not closed by then counts as a failure (it would wait forever). */
const VOLLEY_DEADLINE_MS = 15_000;

const MAIN = 'home.shared.fuzz-main';
const SIDE = 'home.shared.fuzz-side';
const INDEX = indexDocName('home');
const FRESH_DOCS = Array.from({ length: 8 }, (_, i) => `home.shared.fuzz-fresh-${i}`);

interface Volley {
  doc: string;
  /** How many malformed frames the relay reads on this connection. */
  frames: number;
  wire: Buffer;
  expected: number;
  category: string;
}

/** Volley number `i`, drawn in order from the seeded generator (so a seed replays the same frames). */
function planVolley(i: number, frames: MalformedFrames, random: () => number): Volley {
  if (i % RATE_EVERY === RATE_EVERY - 1) {
    const dropped = Array.from({ length: INBOUND_MESSAGES_BURST + 100 }, () => frames.dropped().wire);
    // Frames after the one over the limit are never read: only those up to it count.
    return { doc: INDEX, frames: INBOUND_MESSAGES_BURST + 1, wire: Buffer.concat(dropped), expected: CloseCode.rateLimited, category: 'burst over the rate limit' };
  }
  if (i % DROP_EVERY === DROP_EVERY - 1) {
    const dropped = Array.from({ length: 100 + Math.floor(random() * 181) }, () => frames.dropped().wire);
    const fatal = frames.fatal('read');
    return { doc: INDEX, frames: dropped.length + 1, wire: Buffer.concat([...dropped, fatal.wire]), expected: fatal.expected, category: `dropped frames, then ${fatal.category}` };
  }
  const roll = random();
  const doc = roll < 0.35 ? MAIN : roll < 0.5 ? SIDE : roll < 0.6 ? INDEX : FRESH_DOCS[Math.floor(random() * FRESH_DOCS.length)]!;
  const access: Access = doc === INDEX ? 'read' : 'write';
  const fatal = frames.fatal(access);
  return { doc, frames: 1, wire: fatal.wire, expected: fatal.expected, category: fatal.category };
}

interface Outcome {
  volley: Volley;
  /** The close code the relay sent; null: none (connection dropped), 'status N': upgrade refused, 'timeout'. */
  got: number | null | string;
}

async function runVolley(port: number, volley: Volley): Promise<Outcome> {
  const socket = openWireSocket(port, `/sync/${volley.doc}`);
  const status = await socket.upgraded;
  if (status !== 101) return { volley, got: `status ${status}` };
  socket.write(volley.wire);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), VOLLEY_DEADLINE_MS); });
  const got = await Promise.race([socket.closed, deadline]);
  clearTimeout(timer);
  socket.destroy();
  return { volley, got };
}

interface Honest {
  client: TestClient;
  name: string;
  pushed: number;
  closes: number;
}

/**
 * An honest member: the official provider, with a name in its presence; `editOnce` makes its edits.
 */
function honestMember(relay: ChildRelay, doc: string, name: string): Honest {
  const client = connectClient(relay.wsUrl, doc);
  const member: Honest = { client, name, pushed: 0, closes: 0 };
  client.provider.on('connection-close', () => { member.closes++; });
  client.provider.on('connection-error', () => { member.closes++; });
  client.provider.awareness.setLocalStateField('user', { name });
  return member;
}

/** One tick of typing: an item of its own in `log-<name>`, a random insert or deletion in shared text, a cursor move. */
function editOnce(member: Honest, random: () => number): void {
  const { doc, provider } = member.client;
  if (!provider.synced) return;
  doc.getArray<string>(`log-${member.name}`).push([`${member.name}-${member.pushed++}`]);
  const text = doc.getText('t');
  if (text.length > 40 && random() < 0.4) {
    text.delete(Math.floor(random() * (text.length - 5)), 1 + Math.floor(random() * 4));
  } else {
    text.insert(Math.floor(random() * (text.length + 1)), member.name.slice(0, 1 + Math.floor(random() * 3)));
  }
  if (random() < 0.5) provider.awareness.setLocalStateField('cursor', { anchor: Math.floor(random() * (text.length + 1)) });
}

function clientIdsOf(doc: Y.Doc): number[] {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()].sort((a, b) => a - b);
}

describe('malformed input at volume, against the server process', () => {
  it(`[R7][R18] ${TARGET_FRAMES} malformed frames close each sender with its named code; honest members editing throughout never notice, and nothing malformed is stored`, async () => {
    process.stdout.write(`malformed volume: seed ${SEED} (replay with MALFORMED_SEED=${SEED}), ${TARGET_FRAMES} frames\n`);
    const relay = await spawnRelay();
    const errorLines: string[] = [];
    relay.child.stderr!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.includes('"level":"error"')) errorLines.push(line);
    });
    const random = mulberry32(SEED);
    const editRandom = mulberry32(SEED ^ 0x5eed);

    const honest = [
      honestMember(relay, MAIN, 'ada'), honestMember(relay, MAIN, 'bo'), honestMember(relay, MAIN, 'cy'),
      honestMember(relay, SIDE, 'di'), honestMember(relay, SIDE, 'ed'),
    ];
    await waitFor(() => honest.every((m) => m.client.provider.synced), { message: 'honest members synced' });
    const editing = setInterval(() => { for (const member of honest) editOnce(member, editRandom); }, 50);
    onTestFinished(() => clearInterval(editing));

    const generator = new MalformedFrames(random);
    const outcomes = new Map<string, number>();
    const mismatches: Outcome[] = [];
    let planned = 0;
    let framesSent = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (framesSent < TARGET_FRAMES) {
        const volley = planVolley(planned++, generator, random);
        framesSent += volley.frames;
        const outcome = await runVolley(relay.port, volley);
        const key = `${outcome.got}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (outcome.got !== volley.expected) mismatches.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_CONNECTIONS }, worker));
    const barrageSeconds = (Date.now() - started) / 1000;
    clearInterval(editing);

    // The process kept serving: still running, healthy, and it logged no unexpected error.
    expect(relay.running, 'the relay process is still running').toBe(true);
    const health = await fetch(`${relay.url}/healthz`);
    expect(health.status).toBe(200);
    expect(errorLines, errorLines.slice(0, 5).join('\n')).toEqual([]);
    // Every malformed sender was closed, each with the code its first bad frame calls for.
    const samples = mismatches.slice(0, 8).map(({ volley, got }) =>
      `${volley.category} on ${volley.doc}: expected ${volley.expected}, got ${got}; last frame ${volley.wire.subarray(-48).toString('hex')}`);
    expect(mismatches.length, `seed ${SEED}:\n${samples.join('\n')}`).toBe(0);

    // Honest members were never disconnected, and every edit of theirs converged …
    expect(honest.map((m) => `${m.name}: ${m.closes}`), 'disconnections of honest members').toEqual(honest.map((m) => `${m.name}: 0`));
    await waitConverged(honest.slice(0, 3).map((m) => m.client.doc));
    await waitConverged(honest.slice(3).map((m) => m.client.doc));
    for (const member of honest) {
      expect(member.client.doc.getArray(`log-${member.name}`).length, member.name).toBe(member.pushed);
    }
    const edits = honest.reduce((sum, m) => sum + m.pushed, 0);
    process.stdout.write(`malformed volume: ${framesSent} frames in ${planned} connections over ${barrageSeconds.toFixed(1)} s; ` +
      `closes ${JSON.stringify(Object.fromEntries(outcomes))}; process running, 0 crashes; ${edits} honest edits converged\n`);
    const expected = { [MAIN]: honest[0]!.client.doc, [SIDE]: honest[3]!.client.doc };
    for (const member of honest) member.client.destroy();

    // … and is stored: exactly what they wrote, nothing else, every row applicable.
    expect(await relay.stop('SIGTERM')).toBe(0);
    const store = new SqliteStore(join(relay.dataDir, 'guildhall.sqlite'));
    onTestFinished(() => store.close());
    expect((await store.listDocuments()).sort()).toEqual([MAIN, SIDE].sort());
    for (const [name, doc] of Object.entries(expected)) {
      const stored = await storedDoc(store, name); // throws if any stored row fails to apply
      expect(Y.equalSnapshots(Y.snapshot(stored), Y.snapshot(doc)), `${name} stored as the members have it`).toBe(true);
      expect(clientIdsOf(stored), `${name}: only the members' clientIDs`).toEqual(clientIdsOf(doc));
    }
  }, 60_000 + TARGET_FRAMES);
});
