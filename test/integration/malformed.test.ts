import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import { CloseCode, type CloseCodeName } from '../../shared/protocol/closeCodes.ts';
import { encodeFrame } from '../../shared/protocol/frames.ts';
import { INBOUND_MESSAGES_BURST, MAX_AWARENESS_STATE_BYTES, MAX_FRAME_BYTES } from '../../shared/limits.ts';
import { spawnRelay } from '../helpers/childRelay.ts';
import { connectClient, waitSynced, type TestClient } from '../helpers/clients.ts';
import { connectRaw, upgradeStatus, type RawClient } from '../helpers/rawClient.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { storedDoc } from '../helpers/storage.ts';
import { waitFor } from '../helpers/waitFor.ts';

const DOC = 'home.shared.target';

/** A real one-item update, so frames around it are well-formed except for what a case breaks. */
function realUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'payload');
  return Y.encodeStateAsUpdate(doc);
}

function awarenessUpdateOfSize(stateBytes: number): Uint8Array {
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ blob: 'x'.repeat(stateBytes) });
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
  awareness.destroy();
  return update;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An update (sync type 2) frame whose body is `bytes` long, header included. */
function oversizeFrame(bytes: number): Uint8Array {
  const header = encodeFrame({ type: 'syncUpdate', update: new Uint8Array(0) }).slice(0, 2);
  const length: number[] = [];
  let rest = bytes;
  while (rest >= 0x80) {
    length.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  length.push(rest);
  return concat(header, Uint8Array.from(length), new Uint8Array(bytes));
}

interface BadInput {
  name: string;
  bytes: () => Uint8Array | string;
  expected: CloseCodeName;
}

const BAD_INPUTS: BadInput[] = [
  { name: 'garbage bytes', bytes: () => Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), expected: 'malformedFrame' },
  { name: 'a truncated sync frame', bytes: () => encodeFrame({ type: 'syncUpdate', update: realUpdate() }).slice(0, -3), expected: 'malformedFrame' },
  { name: 'trailing bytes after a frame', bytes: () => concat(encodeFrame({ type: 'syncStep1', stateVector: Uint8Array.of(0) }), Uint8Array.of(0)), expected: 'malformedFrame' },
  { name: 'an unknown message type', bytes: () => Uint8Array.of(5, 0), expected: 'malformedFrame' },
  { name: 'an unknown sync type', bytes: () => Uint8Array.of(0, 3, 0), expected: 'malformedFrame' },
  { name: 'a text frame', bytes: () => 'hello relay', expected: 'malformedFrame' },
  { name: 'an undecodable Yjs update in a valid sync frame', bytes: () => encodeFrame({ type: 'syncUpdate', update: Uint8Array.of(0xff, 0xff, 0xff, 0xff) }), expected: 'malformedFrame' },
  { name: 'an undecodable Yjs update in a sync step 2', bytes: () => encodeFrame({ type: 'syncStep2', update: Uint8Array.of(9, 9, 9, 9) }), expected: 'malformedFrame' },
  { name: 'an undecodable state vector in a sync step 1', bytes: () => encodeFrame({ type: 'syncStep1', stateVector: Uint8Array.of(5, 1) }), expected: 'malformedFrame' },
  { name: 'an undecodable awareness update', bytes: () => encodeFrame({ type: 'awareness', update: Uint8Array.of(1, 7, 1, 3, 0x7b, 0x7b, 0x7b) }), expected: 'malformedFrame' },
  { name: 'an ack, which only the relay may send', bytes: () => encodeFrame({ type: 'ack', durableCount: 1 }), expected: 'malformedFrame' },
  { name: 'an auth message, which only the relay may send', bytes: () => encodeFrame({ type: 'authDenied', reason: 'nope' }), expected: 'malformedFrame' },
  { name: `a frame over ${MAX_FRAME_BYTES} bytes`, bytes: () => oversizeFrame(MAX_FRAME_BYTES + 1), expected: 'frameTooLarge' },
  { name: `an awareness state over ${MAX_AWARENESS_STATE_BYTES} bytes`, bytes: () => encodeFrame({ type: 'awareness', update: awarenessUpdateOfSize(MAX_AWARENESS_STATE_BYTES + 1) }), expected: 'frameTooLarge' },
];

/** Two honest members on DOC, synced, plus an offender on the same document, attached. */
async function honestPairAndOffender(wsUrl: string): Promise<{ a: TestClient; b: TestClient; offender: RawClient }> {
  const a = connectClient(wsUrl, DOC);
  const b = connectClient(wsUrl, DOC);
  await waitSynced(a, b);
  a.doc.getText('t').insert(0, 'before');
  await waitFor(() => b.doc.getText('t').toString() === 'before', { message: 'honest edit before' });
  const offender = connectRaw(wsUrl, DOC);
  await offender.nextFrame('syncStep1'); // attached to the live room
  return { a, b, offender };
}

/** An edit each way between the honest members still arrives. */
async function expectHonestMembersStillSync(a: TestClient, b: TestClient, tag: string): Promise<void> {
  a.doc.getText('t').insert(0, `${tag}-a `);
  await waitFor(() => b.doc.getText('t').toString().includes(`${tag}-a`), { message: `${tag}: a's edit reaches b` });
  b.doc.getText('t').insert(0, `${tag}-b `);
  await waitFor(() => a.doc.getText('t').toString().includes(`${tag}-b`), { message: `${tag}: b's edit reaches a` });
  expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
}

async function expectHealthy(httpUrl: string): Promise<void> {
  const response = await fetch(`${httpUrl}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok' });
}

describe('a misbehaving client is cut off alone', () => {
  it.each(BAD_INPUTS)('[R7] closes the sender of $name with $expected, and everyone else keeps editing', async ({ name, bytes, expected }) => {
    const relay = await startTestRelay();
    const { a, b, offender } = await honestPairAndOffender(relay.wsUrl);

    offender.sendBytes(bytes());

    const { code } = await offender.closed;
    expect(code, `close code for ${name}`).toBe(CloseCode[expected]);
    await expectHonestMembersStillSync(a, b, 'after');
    await expectHealthy(relay.url);
    const stored = await storedDoc(relay.store, DOC);
    expect(stored.getText('t').toString()).toBe('after-b after-a before');
  });

  it(`[R18] closes a client that sends more than ${INBOUND_MESSAGES_BURST} messages in a burst with rateLimited`, async () => {
    const relay = await startTestRelay();
    const { a, b, offender } = await honestPairAndOffender(relay.wsUrl);
    const step1 = encodeFrame({ type: 'syncStep1', stateVector: Y.encodeStateVector(new Y.Doc()) });

    for (let i = 0; i < INBOUND_MESSAGES_BURST + 100; i++) offender.sendBytes(step1);

    expect((await offender.closed).code).toBe(CloseCode.rateLimited);
    await expectHonestMembersStillSync(a, b, 'after');
    await expectHealthy(relay.url);
  });

  it('[R18] lets a client send a burst below the limit', async () => {
    const relay = await startTestRelay();
    const { offender: busy } = await honestPairAndOffender(relay.wsUrl);
    const step1 = encodeFrame({ type: 'syncStep1', stateVector: Y.encodeStateVector(new Y.Doc()) });
    const from = busy.received.length;
    const burst = INBOUND_MESSAGES_BURST - 50;

    for (let i = 0; i < burst; i++) busy.sendBytes(step1);

    await waitFor(() => busy.received.slice(from).filter((r) => r.frame?.type === 'syncStep2').length === burst,
      { message: 'every step 1 answered' });
    expect(busy.closeInfo).toBeNull();
  });
});

describe('document names are checked at the upgrade', () => {
  const BAD_PATHS = [
    '/sync/../x',
    '/sync/%2e%2e/home.shared.a',
    '/sync/Home.shared.a',
    '/sync/a%2Eshared.b',
    '/sync/home.shared.a%2Fb',
    '/sync/home.shared.a/b',
    '/sync/home.secret.a',
    `/sync/home.shared.${'a'.repeat(65)}`,
    '/sync/',
    '/sync',
    '/ws/home.shared.a',
    '/home.shared.a',
  ];

  it('[R8] answers HTTP 400 to every malformed document name and stores nothing', async () => {
    const relay = await startTestRelay();
    for (const path of BAD_PATHS) {
      expect(await upgradeStatus(relay.url, path), path).toBe(400);
    }
    expect(await relay.store.listDocuments()).toEqual([]);
    expect(relay.relay.stats.documents).toBe(0);
    // The same request with a valid name is upgraded: the 400s were about the names.
    expect(await upgradeStatus(relay.url, '/sync/home.shared.a')).toBe(101);
  });
});

describe('poison that gets past the frame decoder (run in a child process: it may crash the relay)', () => {
  /*
   * Regression (fixed in 4fbe1a0): an auth frame whose reason is not valid UTF-8 made
   * TextDecoder({ fatal: true }) throw a TypeError, which Connection.handle rethrew from the `ws`
   * 'message' listener: an uncaught exception that exited the relay process, so one 4-byte frame
   * from any client took every document offline.
   */
  it('[R7] closes the sender of an auth frame with invalid UTF-8 and keeps serving everyone else', async () => {
    const relay = await spawnRelay();
    const { a, b, offender } = await honestPairAndOffender(relay.wsUrl);

    offender.sendBytes(Uint8Array.of(2, 0, 1, 0xff));

    const closed = await waitFor(() => offender.closeInfo, { timeoutMs: 5_000, message: 'the sender closed' });
    await expectHealthy(relay.url); // before the fix: fetch failed, the process had exited
    expect(closed.code).toBe(CloseCode.malformedFrame);
    await expectHonestMembersStillSync(a, b, 'after');
  });

  /*
   * Regression: this update decodes, but its one item names a parent on its own client at a
   * later clock; Yjs does not check that and throws in applyUpdate. It must be refused before
   * it is stored (DESIGN §2 "reject poison before it is stored").
   */
  it('[R7] refuses an update that decodes but cannot be applied, before storing it', async () => {
    const relay = await spawnRelay();
    const { a, b, offender } = await honestPairAndOffender(relay.wsUrl);
    // One string item from client 1 at clock 0 whose parent is (client 1, clock 31).
    const poison = Uint8Array.of(1, 1, 1, 0, 4, 0, 1, 31, 1, 120, 0);

    offender.send({ type: 'syncUpdate', update: poison });

    await expectHonestMembersStillSync(a, b, 'after');
    await expectHealthy(relay.url);
    const closed = await waitFor(() => offender.closeInfo, { timeoutMs: 3_000, message: 'the poison sender closed' });
    expect(closed.code).toBe(CloseCode.malformedFrame);
    // Nothing of it reached the log: every stored row applies.
    expect(await relay.stop('SIGTERM')).toBe(0);
    const store = new SqliteStore(join(relay.dataDir, 'guildhall.sqlite'));
    onTestFinished(() => store.close());
    const stored = await store.load(DOC);
    const replay = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(replay, stored.snapshot);
    for (const row of stored.tail) expect(() => Y.applyUpdate(replay, row.update), `row ${row.seq}`).not.toThrow();
    expect(replay.getText('t').toString()).toBe('after-b after-a before');
  });
});

describe('updates and presence that would hurt the relay later', () => {
  it('[R7] refuses an update with an empty delete range before storing it', async () => {
    const relay = await startTestRelay();
    const { a, b, offender } = await honestPairAndOffender(relay.wsUrl);
    const headBefore = await relay.store.headSeq(DOC);
    // No structs; a delete set of one range of length 0 for client 1 (Yjs throws encoding it).
    offender.send({ type: 'syncUpdate', update: Uint8Array.of(0, 1, 1, 1, 0, 0) });
    expect((await offender.closed).code).toBe(CloseCode.malformedFrame);
    expect(await relay.store.headSeq(DOC)).toBe(headBefore);
    await expectHonestMembersStillSync(a, b, 'empty-range');
  });

  it('[R16] a connection may not speak for more than a handful of presence identities', async () => {
    const relay = await startTestRelay();
    const { a, b, offender } = await honestPairAndOffender(relay.wsUrl);
    const states = new Map<number, { clock: number; state: unknown }>();
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    for (let id = 1; id <= 5; id++) states.set(id, { clock: 1, state: { user: { name: `sock puppet ${id}` } } });
    // Five clientIDs in one update: one more than MAX_AWARENESS_CLIENTS_PER_CONNECTION allows.
    awareness.states = new Map([...states].map(([id, s]) => [id, s.state as Record<string, unknown>]));
    awareness.meta = new Map([...states].map(([id, s]) => [id, { clock: s.clock, lastUpdated: Date.now() }]));
    offender.send({ type: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(awareness, [...states.keys()]) });
    awareness.destroy();
    expect((await offender.closed).code).toBe(CloseCode.malformedFrame);
    const room = await relay.relay.roomFor(DOC);
    expect([...room.presence.awareness.getStates().keys()].some((id) => states.has(id))).toBe(false);
    await expectHonestMembersStillSync(a, b, 'puppets');
  });
});
