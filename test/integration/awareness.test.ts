import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { connectClient, waitSynced, type TestClient } from '../helpers/clients.ts';
import { connectRaw } from '../helpers/rawClient.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/** Every awareness change a client observes, in order, so a transient removal is not missed. */
function recordChanges(client: TestClient): AwarenessChange[] {
  const changes: AwarenessChange[] = [];
  client.provider.awareness.on('change', (change: AwarenessChange) => changes.push(change));
  return changes;
}

/** Counts how often the provider's socket closed (it reconnects by itself afterwards). */
function reconnections(client: TestClient): { count: number } {
  const counter = { count: 0 };
  client.provider.on('connection-close', () => { counter.count++; });
  return counter;
}

function stateOf(client: TestClient, clientId: number): Record<string, unknown> | undefined {
  return client.provider.awareness.getStates().get(clientId);
}

/** Cuts the TCP connection under a `ws` socket without a close frame, as a dead network would. */
function dropTcp(ws: WebSocket): void {
  (ws as unknown as { _socket: Socket })._socket.destroy();
}

describe('presence (awareness) through the relay', () => {
  it('[R16] shows a peer joining, changing and leaving presence to the other members', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.presence');
    const b = connectClient(relay.wsUrl, 'home.shared.presence');
    await waitSynced(a, b);
    const ada = a.doc.clientID;

    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#f00' });
    await waitFor(() => (stateOf(b, ada)?.user as { name?: string } | undefined)?.name === 'Ada',
      { message: 'b sees Ada arrive' });

    a.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 7 });
    await waitFor(() => stateOf(b, ada)?.cursor !== undefined, { message: 'b sees Ada move' });
    expect(stateOf(b, ada)).toEqual({ user: { name: 'Ada', color: '#f00' }, cursor: { anchor: 3, head: 7 } });

    a.provider.awareness.setLocalState(null);
    await waitFor(() => !b.provider.awareness.getStates().has(ada), { message: 'b sees Ada leave' });
    // b's own state is untouched by Ada leaving.
    expect(b.provider.awareness.getStates().has(b.doc.clientID)).toBe(true);
  });

  it('[R16] a member who joins later sees who is already there', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.presence-late');
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitSynced(a);
    await waitFor(async () => (await relay.relay.roomFor('home.shared.presence-late')).presence.awareness.getStates().size === 1);
    const late = connectClient(relay.wsUrl, 'home.shared.presence-late');
    await waitSynced(late);
    await waitFor(() => stateOf(late, a.doc.clientID)?.user !== undefined, { message: 'late joiner sees Ada' });
    expect(stateOf(late, a.doc.clientID)?.user).toEqual({ name: 'Ada' });
  });

  it('[R16] removes the presence of a member whose TCP connection drops, and shows it again once they move after reconnecting', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.presence-drop');
    const b = connectClient(relay.wsUrl, 'home.shared.presence-drop');
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitSynced(a, b);
    const ada = a.doc.clientID;
    await waitFor(() => stateOf(b, ada)?.user !== undefined, { message: 'b sees Ada' });
    const changes = recordChanges(b);
    const reconnected = reconnections(a);

    dropTcp(a.provider.ws as unknown as WebSocket);

    await waitFor(() => changes.some((c) => c.removed.includes(ada)), { message: 'b sees Ada removed' });
    await waitFor(() => reconnected.count > 0 && a.provider.synced, { message: 'Ada reconnected' });
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    await waitFor(() => stateOf(b, ada)?.cursor !== undefined, { message: 'b sees Ada again' });
    expect(stateOf(b, ada)).toEqual({ user: { name: 'Ada' }, cursor: { anchor: 1, head: 1 } });
  });

  /*
   * Regression: after a reconnect the relay sees the member's state as `updated`, not `added`;
   * ownership must follow it, or the second drop leaves a ghost cursor until the 30 s sweep.
   */
  it('[R16] removes the presence of a member whose connection drops a second time', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.presence-drop2');
    const b = connectClient(relay.wsUrl, 'home.shared.presence-drop2');
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitSynced(a, b);
    const ada = a.doc.clientID;
    await waitFor(() => stateOf(b, ada)?.user !== undefined, { message: 'b sees Ada' });
    const reconnected = reconnections(a);
    dropTcp(a.provider.ws as unknown as WebSocket);
    await waitFor(() => !b.provider.awareness.getStates().has(ada), { message: 'b sees Ada removed' });
    await waitFor(() => reconnected.count > 0 && a.provider.synced, { message: 'Ada reconnected' });
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    await waitFor(() => stateOf(b, ada)?.cursor !== undefined, { message: 'b sees Ada again' });

    // Second drop, and this time Ada is gone for good (lid closed).
    dropTcp(a.provider.ws as unknown as WebSocket);
    a.destroy();

    await waitFor(() => !b.provider.awareness.getStates().has(ada),
      { timeoutMs: 3_000, message: 'b sees Ada removed after her second drop' });
  });

  it('[R16] removes every state a raw client announced when its TCP connection drops', async () => {
    const relay = await startTestRelay();
    const b = connectClient(relay.wsUrl, 'home.shared.presence-raw');
    await waitSynced(b);
    const raw = connectRaw(relay.wsUrl, 'home.shared.presence-raw');
    await raw.opened;
    // One socket may speak for several awareness clients (e.g. several tabs behind one proxy).
    const ghosts = [4242, 4343];
    for (const ghost of ghosts) {
      const ghostDoc = new Y.Doc();
      ghostDoc.clientID = ghost;
      const awareness = new awarenessProtocol.Awareness(ghostDoc);
      awareness.setLocalState({ user: { name: `ghost ${ghost}` } });
      raw.send({ type: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(awareness, [ghost]) });
      awareness.destroy();
    }
    await waitFor(() => ghosts.every((g) => stateOf(b, g) !== undefined), { message: 'b sees both ghosts' });

    dropTcp(raw.ws);

    await waitFor(() => ghosts.every((g) => !b.provider.awareness.getStates().has(g)), { message: 'ghosts removed' });
    await waitFor(() => relay.relay.stats.connections === 1, { message: 'relay forgot the dropped socket' });
  });

  it('[R16] answers a query for presence with every current state', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.presence-query');
    const b = connectClient(relay.wsUrl, 'home.shared.presence-query');
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    b.provider.awareness.setLocalStateField('user', { name: 'Bob' });
    await waitSynced(a, b);
    await waitFor(() => stateOf(a, b.doc.clientID)?.user !== undefined && stateOf(b, a.doc.clientID)?.user !== undefined);

    const raw = connectRaw(relay.wsUrl, 'home.shared.presence-query');
    // On attach the relay volunteers the current states once; the query must get its own answer.
    await raw.nextFrame('awareness');
    const from = raw.received.length;
    raw.send({ type: 'queryAwareness' });
    const answer = await raw.nextFrame('awareness', from);

    const seen = new awarenessProtocol.Awareness(new Y.Doc());
    seen.setLocalState(null);
    awarenessProtocol.applyAwarenessUpdate(seen, answer.update, 'relay');
    const states = seen.getStates();
    expect(states.get(a.doc.clientID)).toEqual({ user: { name: 'Ada' } });
    expect(states.get(b.doc.clientID)).toEqual({ user: { name: 'Bob' } });
    seen.destroy();
  });

  it('[R16] a late echo of a departed member\'s presence does not bring them back', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.presence-echo');
    const b = connectClient(relay.wsUrl, 'home.shared.presence-echo');
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitSynced(a, b);
    const ada = a.doc.clientID;
    await waitFor(() => stateOf(b, ada)?.user !== undefined, { message: 'b sees Ada' });
    const adaClock = b.provider.awareness.meta.get(ada)!.clock;
    // Her connection dies without a goodbye: the relay removes her state itself.
    dropTcp(a.provider.ws as unknown as WebSocket);
    a.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(ada), { message: 'b sees Ada leave' });

    // A stock provider that received Ada's state just before she left re-broadcasts it now.
    const echo = new awarenessProtocol.Awareness(new Y.Doc());
    echo.states.set(ada, { user: { name: 'Ada' } });
    echo.meta.set(ada, { clock: adaClock, lastUpdated: Date.now() });
    const echoer = connectRaw(relay.wsUrl, 'home.shared.presence-echo');
    await echoer.nextFrame('syncStep1');
    echoer.send({ type: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(echo, [ada]) });
    echo.destroy();
    // Fence: the answer to a query on the same socket comes after the echo was handled.
    const answered = echoer.received.length;
    echoer.send({ type: 'queryAwareness' });
    await echoer.nextFrame('awareness', answered);
    const room = await relay.relay.roomFor('home.shared.presence-echo');
    expect(room.presence.awareness.getStates().has(ada)).toBe(false);
    expect(b.provider.awareness.getStates().has(ada)).toBe(false);
  });
});
