import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { Room } from '../../server/relay/room.ts';
import { encodeFrame, MessageType } from '../../shared/protocol/frames.ts';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { awarenessFrame, readAwarenessFrame } from '../helpers/awarenessWire.ts';
import { mulberry32 } from '../helpers/random.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { storedDoc } from '../helpers/storage.ts';
import { trackTimers } from '../helpers/timerLedger.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { openWireSocket, type WireSocket } from '../helpers/wireSocket.ts';

/**
 * Churn soak: CHURN_CYCLES (default 10,000) connect/disconnect cycles against an in-process relay,
 * spread over documents that load and unload all along (idle unload after 25 ms here), some
 * cycles editing or announcing presence, some leaving badly. Afterwards the relay must hold
 * nothing for them: no rooms or connections, no pending timers, every Room and Connection
 * it made collectable, process handles and listeners as before, and the heap back to baseline.
 *
 * In-process, so that the relay's objects can be watched for collection (a FinalizationRegistry,
 * registered through Room.prototype.attach) without any hook in production code. The clients are
 * bare sockets (wireSocket.ts): nothing of theirs outlives a cycle, so what remains is the relay's.
 *
 *   CHURN_CYCLES=N  cycles after a warm-up of 1,000 (10,000 by default)
 *   CHURN_SEED=S    replays a run's choices of document and cycle kind (the seed is printed)
 */
const CYCLES = Number(process.env.CHURN_CYCLES ?? 10_000);
const SEED = Number(process.env.CHURN_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WARM_UP_CYCLES = 1_000;
const PARALLEL = 32;
const DOCS = Array.from({ length: 40 }, (_, i) => `home.shared.churn-${i}`);
const IDLE_UNLOAD_MS = 25;
/**
 * The heap after GC (objects; compiled code left out, it grows while the JIT warms up) may exceed
 * its baseline by this much. Measured here: 0.2–0.5 MiB whether the soak runs 3,000, 10,000 or
 * 20,000 cycles, i.e. one-time; 10,000 cycles each leaking 100 bytes would add another 1 MB.
 */
const HEAP_GROWTH_BOUND_BYTES = 1024 * 1024;

type CycleKind = 'look' | 'edit' | 'presence' | 'drop after upgrade' | 'abort upgrade' | 'malformed frame';
const KINDS: Array<[CycleKind, number]> = [
  ['look', 0.4], ['edit', 0.2], ['presence', 0.2], ['drop after upgrade', 0.1], ['abort upgrade', 0.05], ['malformed frame', 0.05],
];

function pickKind(random: () => number): CycleKind {
  let roll = random();
  for (const [kind, share] of KINDS) if ((roll -= share) < 0) return kind;
  return 'look';
}

/** Resolves with the first message from the server that `matches`, or null if the socket ends first. */
function firstMessage(socket: WireSocket, matches: (payload: Buffer) => boolean): Promise<Buffer | null> {
  return new Promise((resolve) => {
    socket.onMessage((payload) => { if (matches(payload)) resolve(Buffer.from(payload)); });
    void socket.closed.then(() => resolve(null));
  });
}

/** One connect/disconnect cycle; returns null when it went as it should, else what went wrong. */
async function cycle(port: number, doc: string, kind: CycleKind, n: number): Promise<string | null> {
  const socket = openWireSocket(port, `/sync/${doc}${kind === 'edit' ? '?caps=ack' : ''}`);
  if (kind === 'abort upgrade') {
    socket.socket.once('connect', () => socket.destroy()); // after the request is written, before the answer
    await socket.closed;
    return null;
  }
  if (await socket.upgraded !== 101) return `${kind}: upgrade refused`;
  switch (kind) {
    case 'look': {
      const step1 = await firstMessage(socket, (p) => p[0] === MessageType.sync);
      socket.close(1000);
      await socket.closed;
      return step1 ? null : 'look: no sync step 1';
    }
    case 'edit': {
      const local = new Y.Doc({ guid: doc });
      local.clientID = 1_000_000 + n;
      local.getArray<string>('items').push([`item ${n}`]);
      const acked = firstMessage(socket, (p) => p[0] === MessageType.ack);
      socket.send(encodeFrame({ type: 'syncUpdate', update: Y.encodeStateAsUpdate(local) }));
      const ack = await acked;
      socket.close(1000);
      await socket.closed;
      return ack ? null : 'edit: no ack';
    }
    case 'presence': {
      const id = 1_000_000 + n;
      let seen = false;
      const echoed = firstMessage(socket, (p) => readAwarenessFrame(p, (client) => { seen ||= client === id; }) && seen);
      socket.send(awarenessFrame(id, 1, { user: { name: `visitor ${id}` }, cursor: { anchor: 1, head: 2 } }));
      const echo = await echoed;
      socket.destroy(); // a dead network: no closing handshake
      return echo ? null : 'presence: state not broadcast';
    }
    case 'drop after upgrade':
      socket.destroy();
      return null;
    case 'malformed frame': {
      socket.send(Uint8Array.of(5, 0));
      const code = await socket.closed;
      return code === CloseCode.malformedFrame ? null : `malformed frame: closed with ${code}`;
    }
  }
}

function countBy(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function processListeners(): Record<string, number> {
  return Object.fromEntries(process.eventNames().map((name) => [String(name), process.listenerCount(name)]));
}

describe('connection churn', () => {
  it(`[R31] ${CYCLES} connect/disconnect cycles over ${DOCS.length} documents leave no room, connection, timer, listener or memory behind`, async () => {
    process.stdout.write(`churn soak: seed ${SEED} (replay with CHURN_SEED=${SEED}), ${CYCLES} cycles\n`);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const timers = trackTimers();
    const relay = await startTestRelay({ idleUnloadMs: IDLE_UNLOAD_MS });

    // Every Room and every Connection the relay makes, watched for collection.
    const alive = { rooms: 0, connections: 0 };
    let roomsMade = 0;
    const watched = new WeakSet<object>();
    const registry = new FinalizationRegistry<keyof typeof alive>((what) => { alive[what]--; });
    const watch = (target: object, what: keyof typeof alive): void => {
      if (watched.has(target)) return;
      watched.add(target);
      alive[what]++;
      registry.register(target, what);
    };
    const attach = Room.prototype.attach;
    Room.prototype.attach = function (this: Room, connection) {
      if (!watched.has(this)) roomsMade++;
      watch(this, 'rooms');
      watch(connection, 'connections');
      attach.call(this, connection);
    };
    onTestFinished(() => { Room.prototype.attach = attach; });

    const random = mulberry32(SEED);
    const failures: string[] = [];
    const edits = new Map<string, number>();
    const kinds: Record<string, number> = {};
    let started = 0;
    const run = async (cycles: number): Promise<void> => {
      const end = started + cycles;
      const worker = async (): Promise<void> => {
        while (started < end) {
          const n = started++;
          const doc = DOCS[Math.floor(random() * DOCS.length)]!;
          const kind = pickKind(random);
          if (n >= WARM_UP_CYCLES) kinds[kind] = (kinds[kind] ?? 0) + 1;
          const failure = await cycle(relay.port, doc, kind, n);
          if (failure) failures.push(failure);
          else if (kind === 'edit') edits.set(doc, (edits.get(doc) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
    };

    /**
     * Gives the relay time to let go (rooms unload IDLE_UNLOAD_MS after their last client; a
     * closing socket's handshake timer runs for a second), then says what it still holds.
     */
    const settle = async (): Promise<void> => {
      const nothingLeft = (): boolean => relay.relay.stats.documents === 0 && relay.relay.stats.connections === 0;
      await waitFor(nothingLeft).catch(() => undefined);
      expect(relay.relay.stats, 'rooms and connections left').toEqual({ documents: 0, connections: 0 });
      await waitFor(async () => {
        gc();
        await new Promise((resolve) => setImmediate(resolve)); // finalization callbacks run in a later task
        return alive.rooms === 0 && alive.connections === 0;
      }).catch(() => undefined);
      expect(alive, 'Rooms and Connections not collected').toEqual({ rooms: 0, connections: 0 });
    };
    const heapAfterGc = (): number => {
      for (let i = 0; i < 4; i++) gc();
      return getHeapSpaceStatistics().filter((x) => !x.space_name.startsWith('code')).reduce((sum, x) => sum + x.space_used_size, 0);
    };

    await run(WARM_UP_CYCLES);
    await settle();
    const mark = timers.mark();
    const baseline = {
      heap: heapAfterGc(), resources: countBy(process.getActiveResourcesInfo()), listeners: processListeners(), rooms: roomsMade,
    };

    const soakStarted = Date.now();
    await run(CYCLES);
    const soakSeconds = (Date.now() - soakStarted) / 1000;
    expect(failures.slice(0, 10), `${failures.length} cycles failed (seed ${SEED})`).toEqual([]);

    await settle();
    await waitFor(() => timers.pending(mark).length === 0).catch(() => undefined);
    expect(timers.pending(mark).slice(0, 3), 'timers of the churn still pending').toEqual([]);
    const resourcesNow = (): string => JSON.stringify(countBy(process.getActiveResourcesInfo()));
    await waitFor(() => resourcesNow() === JSON.stringify(baseline.resources)).catch(() => undefined);
    expect(countBy(process.getActiveResourcesInfo()), 'handles, requests and timers of the process').toEqual(baseline.resources);
    expect(processListeners()).toEqual(baseline.listeners);
    const heap = heapAfterGc();
    process.stdout.write(`churn soak: ${CYCLES} cycles ${JSON.stringify(kinds)} in ${soakSeconds.toFixed(1)} s, ` +
      `${roomsMade - baseline.rooms} room loads; heap after GC ${(baseline.heap / 2 ** 20).toFixed(2)} MiB before, ` +
      `${(heap / 2 ** 20).toFixed(2)} MiB after (${((heap - baseline.heap) / 1024).toFixed(0)} KiB); rooms, connections, timers, handles: none left\n`);
    expect(heap - baseline.heap, 'heap growth after GC, bytes').toBeLessThanOrEqual(HEAP_GROWTH_BOUND_BYTES);

    // What was written during the churn is all stored.
    for (const [doc, count] of edits) expect((await storedDoc(relay.store, doc)).getArray('items').length, doc).toBe(count);
  }, 60_000 + (WARM_UP_CYCLES + CYCLES) * 10);
});
