import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadAuthSecret } from '../../server/auth/secret.ts';
import { mintToken } from '../../server/auth/tokens.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

async function communityWithTwoMembers(relay: TestRelay) {
  const { community, owner } = await relay.directory.createCommunity(
    { name: 'Guild', domain: 'Testing', description: '' }, { displayName: 'Ada Lovelace', color: '#2f6f4e' });
  const other = await relay.directory.addMember(community.id, { displayName: 'Grace Hopper', color: '#2b6cb0', role: 'member' });
  const secret = loadAuthSecret(relay.dataDir, undefined);
  return {
    doc: `${community.id}.shared.notes`,
    ada: { member: owner, token: await mintToken(secret, owner) },
    grace: { member: other, token: await mintToken(secret, other) },
  };
}

describe('presence identity comes from the token, not from the client', () => {
  it('[R25] a member cannot appear under another name or colour', async () => {
    const relay = await startTestRelay();
    const { doc, ada, grace } = await communityWithTwoMembers(relay);
    const a = connectClient(relay.wsUrl, doc, { params: { token: ada.token } });
    const g = connectClient(relay.wsUrl, doc, { params: { token: grace.token } });
    await waitSynced(a, g);
    g.provider.awareness.setLocalStateField('user', { name: 'Ada Lovelace', color: '#2f6f4e' });
    g.provider.awareness.setLocalStateField('cursor', { anchor: 3 });
    const seen = (): Record<string, unknown> | undefined =>
      a.provider.awareness.getStates().get(g.doc.clientID) as Record<string, unknown> | undefined;
    await waitFor(() => seen()?.cursor !== undefined, { message: 'Ada sees Grace\'s cursor' });
    expect(seen()).toMatchObject({
      cursor: { anchor: 3 },
      user: { name: 'Grace Hopper', color: '#2b6cb0', memberId: grace.member.id },
    });
  });

  it('[R25] a member cannot set or clear presence that another member\'s connection owns', async () => {
    const relay = await startTestRelay();
    const { doc, ada, grace } = await communityWithTwoMembers(relay);
    const a = connectClient(relay.wsUrl, doc, { params: { token: ada.token } });
    const g = connectClient(relay.wsUrl, doc, { params: { token: grace.token } });
    await waitSynced(a, g);
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    await waitFor(() => g.provider.awareness.getStates().get(a.doc.clientID) !== undefined, { message: 'Grace sees Ada' });

    // Grace's client forges a newer state for Ada's clientID, then a removal of it.
    const forged = g.provider.awareness;
    const adaClock = forged.meta.get(a.doc.clientID)!.clock;
    forged.states.set(a.doc.clientID, { user: { name: 'Ada (hijacked)' } });
    forged.meta.set(a.doc.clientID, { clock: adaClock + 5, lastUpdated: Date.now() });
    forged.emit('update', [{ added: [], updated: [a.doc.clientID], removed: [] }, 'local']);
    forged.emit('update', [{ added: [], updated: [], removed: [a.doc.clientID] }, 'local']);
    // A later legitimate change of Grace's is the fence: her frames were processed by then.
    g.provider.awareness.setLocalStateField('cursor', { anchor: 9 });
    await waitFor(() => (a.provider.awareness.getStates().get(g.doc.clientID) as { cursor?: { anchor: number } } | undefined)?.cursor?.anchor === 9);
    const room = await relay.relay.roomFor(doc);
    expect(room.presence.awareness.getStates().get(a.doc.clientID)).toMatchObject({ cursor: { anchor: 1 }, user: { name: 'Ada Lovelace' } });
  });
});

describe('Yjs clientIDs belong to the member who first used them', () => {
  it('[R26] a member cannot extend another member\'s clientID, also after a relay restart', async () => {
    const first = await startTestRelay();
    const { doc, ada, grace } = await communityWithTwoMembers(first);
    const a = connectClient(first.wsUrl, doc, { params: { token: ada.token } });
    await waitSynced(a);
    a.doc.getText('t').insert(0, 'Ada wrote this.');
    await waitFor(async () => (await first.store.headSeq(doc)) === 1);
    a.destroy();
    await first.stop();

    const relay = await startTestRelay({ dataDir: first.dataDir });
    // A modified client writes with Ada's clientID past her clock 15 before it ever syncs (an
    // honest Yjs doc changes its clientID on seeing its own in remote state), then connects.
    const writeAs = async (token: string): Promise<number> => {
      const forged = new Y.Doc();
      forged.clientID = a.doc.clientID;
      forged.getText('t').insert(0, 'Signed, Ada. Signed, Ada. ');
      const client = connectClient(relay.wsUrl, doc, { doc: forged, params: { token }, connect: false });
      const closed = new Promise<number>((resolve) => client.provider.on('connection-close', (event) => resolve(event?.code ?? 0)));
      client.provider.connect();
      const outcome = await Promise.race([closed, waitFor(async () => (await relay.store.headSeq(doc)) === 2).then(() => 0)]);
      forged.clientID = client.provider.awareness.clientID; // y-websocket's teardown expects this one
      client.destroy();
      return outcome;
    };
    expect(await writeAs(grace.token)).toBe(4403);
    expect(await relay.store.headSeq(doc)).toBe(1);
    // Ada herself may go on writing with her clientID.
    expect(await writeAs(ada.token)).toBe(0);
    expect(await relay.store.headSeq(doc)).toBe(2);
  });
});
