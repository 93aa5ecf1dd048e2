import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { inspectUpdate } from '../../server/relay/updates.ts';
import { MessageType, type Frame } from '../../shared/protocol/frames.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { captureUpdates, connectRaw, insertionsReceived, rawSync, type RawClient } from '../helpers/rawClient.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { storedDoc } from '../helpers/storage.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** True when everything in `update` is already in `doc`: nothing it carries is missing. */
function contains(doc: Y.Doc, update: Uint8Array): boolean {
  return !inspectUpdate(() => doc, update).changesDoc;
}

/**
 * Snapshots storage the instant each frame of `type` arrives (the SQLite store reads
 * synchronously when called, so the read happens before any later commit can land).
 */
function storageAtArrival(relay: TestRelay, client: RawClient, docName: string, type: 'ack' | 'syncUpdate') {
  const seen: Array<Promise<{ frame: Frame; stored: Y.Doc }>> = [];
  client.onFrame(({ frame }) => {
    if (frame?.type === type) seen.push(storedDoc(relay.store, docName).then((stored) => ({ frame, stored })));
  });
  return seen;
}

/**
 * A round trip that proves the relay has written out everything it meant to send before it:
 * the relay answers a query in order with whatever it already queued for this socket.
 */
async function fence(client: RawClient): Promise<void> {
  const from = client.received.length;
  client.send({ type: 'queryAwareness' });
  await client.nextFrame('awareness', from);
}

describe('the ack capability', () => {
  it('[R5] never sends an ack frame to a client that did not ask for it', async () => {
    const relay = await startTestRelay();
    const local = new Y.Doc();
    local.getText('t').insert(0, 'offline work');
    const updates = captureUpdates(local);
    const stock = connectRaw(relay.wsUrl, 'home.shared.stock');

    await rawSync(stock, local); // content frame 1: step 2 with the offline work
    for (let i = 0; i < 5; i++) local.getText('t').insert(0, `${i} `);
    for (const update of updates) stock.send({ type: 'syncUpdate', update });
    await waitFor(async () => (await relay.store.headSeq('home.shared.stock')) === 6, { message: 'all six stored' });
    await fence(stock);

    expect(stock.received.length).toBeGreaterThan(2);
    expect(stock.received.map((r) => r.messageType)).not.toContain(MessageType.ack);
    expect(stock.received.every((r) => r.frame !== null)).toBe(true);
  });

  it('[R5] keeps the official y-websocket provider free of "Unable to compute message" errors', async () => {
    const errors = vi.spyOn(console, 'error');
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.stock-provider');
    const b = connectClient(relay.wsUrl, 'home.shared.stock-provider');
    await waitSynced(a, b);
    for (let i = 0; i < 5; i++) a.doc.getArray('a').push([i]);
    await waitFor(async () => (await relay.store.headSeq('home.shared.stock-provider')) === 5);
    // b's edit is committed after all of a's, so any ack for a's frames would precede it on a's socket.
    b.doc.getArray('a').push(['from b']);
    await waitFor(() => a.doc.getArray('a').length === 6);

    expect(errors.mock.calls.flat().join(' ')).not.toContain('Unable to compute message');
    errors.mockRestore();
  });

  it('[R5] acks exactly the content frames a client sent, each only once its content is stored', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.acked';
    const local = new Y.Doc();
    local.getText('t').insert(0, 'offline work');
    const writer = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    const acks = storageAtArrival(relay, writer, doc, 'ack');
    const serverStep1 = await writer.nextFrame('syncStep1');

    // Content frame 1 is the step 2, then one update frame per edit.
    const contentFrames = [Y.encodeStateAsUpdate(local, serverStep1.stateVector)];
    writer.send({ type: 'syncStep2', update: contentFrames[0]! });
    const updates = captureUpdates(local);
    for (let i = 0; i < 20; i++) {
      local.getText('t').insert(i % 3, `<${i}>`);
      contentFrames.push(updates.at(-1)!);
      writer.send({ type: 'syncUpdate', update: updates.at(-1)! });
    }

    await waitFor(() => writer.received.some((r) => r.frame?.type === 'ack' && r.frame.durableCount === contentFrames.length),
      { message: `an ack for all ${contentFrames.length} content frames` });
    const arrivals = await Promise.all(acks);
    let previous = 0;
    for (const { frame, stored } of arrivals) {
      if (frame.type !== 'ack') throw new Error('unreachable');
      expect(frame.durableCount).toBeGreaterThan(previous); // cumulative, never repeated or reordered
      previous = frame.durableCount;
      contentFrames.slice(0, frame.durableCount).forEach((update, i) => {
        expect(contains(stored, update), `frame ${i + 1} stored when ack ${frame.durableCount} arrived`).toBe(true);
      });
    }
    expect(previous).toBe(contentFrames.length);
    expect(await relay.store.headSeq(doc)).toBe(contentFrames.length);
    expect((await storedDoc(relay.store, doc)).getText('t').toString()).toBe(local.getText('t').toString());
  });

  it('[R4] delivers an edit to the other members only after it is stored', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.broadcast';
    const observer = connectRaw(relay.wsUrl, doc);
    await rawSync(observer, new Y.Doc());
    const arrivals = storageAtArrival(relay, observer, doc, 'syncUpdate');
    const writer = connectClient(relay.wsUrl, doc);
    await waitSynced(writer);

    for (let i = 0; i < 30; i++) writer.doc.getArray('a').push([`item ${i}`]);

    await waitFor(() => insertionsReceived(observer) === 30, { message: 'observer got all 30 updates' });
    for (const { frame, stored } of await Promise.all(arrivals)) {
      if (frame.type !== 'syncUpdate') throw new Error('unreachable');
      expect(contains(stored, frame.update), 'update stored before it was broadcast').toBe(true);
    }
  });

  it('[R6] acks a resent update without storing it twice', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.resend';
    const local = new Y.Doc();
    const updates = captureUpdates(local);
    const writer = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    await rawSync(writer, local); // frame 1: an empty step 2 (a no-op)
    local.getText('t').insert(0, 'once');

    writer.send({ type: 'syncUpdate', update: updates[0]! }); // frame 2
    await waitFor(() => lastAck(writer) === 2, { message: 'ack 2' });
    expect(await relay.store.headSeq(doc)).toBe(1);

    writer.send({ type: 'syncUpdate', update: updates[0]! }); // frame 3: the same bytes again
    await waitFor(() => lastAck(writer) === 3, { message: 'ack 3' });
    expect(await relay.store.headSeq(doc)).toBe(1);
    expect((await storedDoc(relay.store, doc)).getText('t').toString()).toBe('once');
  });

  it('[R6] acks a reconnecting client\'s step 2 that only repeats known deletions, without storing it', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.reconnect';
    const local = new Y.Doc();
    const updates = captureUpdates(local);
    const first = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    await rawSync(first, local);
    local.getText('t').insert(0, 'hello world');
    local.getText('t').delete(5, 6); // leaves "hello" and a delete set
    for (const update of updates) first.send({ type: 'syncUpdate', update });
    await waitFor(() => lastAck(first) === 1 + updates.length, { message: 'first connection fully acked' });
    const head = await relay.store.headSeq(doc);
    expect(head).toBe(2);
    first.ws.close();

    const second = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    const serverStep1 = await second.nextFrame('syncStep1');
    const step2 = Y.encodeStateAsUpdate(local, serverStep1.stateVector);
    const decoded = Y.decodeUpdate(step2);
    expect(decoded.structs).toHaveLength(0); // nothing new …
    expect(decoded.ds.clients.size).toBe(1); // … but the whole delete set, as a reconnect sends it
    second.send({ type: 'syncStep2', update: step2 });

    await waitFor(() => lastAck(second) === 1, { message: 'step 2 acked' });
    expect(await relay.store.headSeq(doc)).toBe(head);
    expect((await storedDoc(relay.store, doc)).getText('t').toString()).toBe('hello');
  });

  it('[R6] stores a deletion of content the relay already has (a delete-only update is not a no-op)', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.delete';
    const local = new Y.Doc();
    const updates = captureUpdates(local);
    const writer = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    await rawSync(writer, local);
    local.getText('t').insert(0, 'hello');
    writer.send({ type: 'syncUpdate', update: updates[0]! });
    await waitFor(() => lastAck(writer) === 2);

    local.getText('t').delete(2, 1); // splits the stored item: the relay must not mistake it for known
    writer.send({ type: 'syncUpdate', update: updates[1]! });
    await waitFor(() => lastAck(writer) === 3);
    local.getText('t').delete(0, 5);
    writer.send({ type: 'syncUpdate', update: updates[2]! });
    await waitFor(() => lastAck(writer) === 4);

    expect(await relay.store.headSeq(doc)).toBe(3);
    const late = connectClient(relay.wsUrl, doc);
    await waitSynced(late);
    expect(late.doc.getText('t').toString()).toBe('');
    expect((await storedDoc(relay.store, doc)).getText('t').toString()).toBe('');
  });
});

function lastAck(client: RawClient): number {
  let last = 0;
  for (const { frame } of client.received) if (frame?.type === 'ack') last = frame.durableCount;
  return last;
}
