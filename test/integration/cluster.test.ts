import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { connectAckWriter, itemsOf, ITEMS_ARRAY } from '../helpers/ackWriter.ts';
import { connectClient, waitConverged, waitSynced, type TestClient } from '../helpers/clients.ts';
import { createCommunityWithRoles } from '../helpers/members.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { connectRaw, insertionsReceived } from '../helpers/rawClient.ts';
import { freshPrefix, startPrivateRedis, TEST_REDIS_URL } from '../helpers/redis.ts';
import { startTestRelay, type ClusterConfig, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * Several relay nodes on the machine's real PostgreSQL and Redis (DESIGN §4), in this process:
 * each test gets a fresh schema and channel prefix, so its nodes form a cluster of their own.
 * (Node death by SIGKILL is in clusterChaos.test.ts.)
 */

function freshCluster(redisUrl = TEST_REDIS_URL): ClusterConfig {
  return { databaseUrl: TEST_DATABASE_URL, databaseSchema: freshSchema(), redisUrl, redisPrefix: freshPrefix() };
}

function startNode(cluster: ClusterConfig): Promise<TestRelay> {
  return startTestRelay({ cluster });
}

const items = (client: TestClient): Y.Array<string> => client.doc.getArray<string>(ITEMS_ARRAY);

/** A raw client that applies what it receives; `insertions` counts what its update frames carried. */
function updateCounter(node: TestRelay, doc: string): { insertions: () => number; doc: Y.Doc } {
  const raw = connectRaw(node.wsUrl, doc);
  const replica = new Y.Doc();
  raw.onFrame(({ frame }) => {
    if (frame?.type === 'syncUpdate' || frame?.type === 'syncStep2') Y.applyUpdate(replica, frame.update);
  });
  return { insertions: () => insertionsReceived(raw), doc: replica };
}

describe('several relay nodes (PostgreSQL + Redis)', () => {
  it('[K1] clients on different nodes co-edit and converge, and each update reaches each client once', async () => {
    const cluster = freshCluster();
    const [a, b] = [await startNode(cluster), await startNode(cluster)];
    const doc = 'home.shared.coedit';
    const onA = connectClient(a.wsUrl, doc);
    const onB = connectClient(b.wsUrl, doc);
    const watcherOnB = updateCounter(b, doc);
    await waitSynced(onA, onB);
    // 300 single-item transactions from each side, interleaved: more than enough to compact.
    for (let i = 0; i < 300; i++) {
      items(onA).push([`a${i}`]);
      items(onB).push([`b${i}`]);
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitConverged([onA.doc, onB.doc, watcherOnB.doc], 15_000);
    expect(items(onA).length).toBe(600);
    // The watcher got every update once: 300 from B's client (local fan-out) + 300 from A's (bus).
    expect(watcherOnB.insertions()).toBe(600);
    // And a third node that opens the document cold reads all of it from the database.
    const c = await startNode(cluster);
    const late = connectClient(c.wsUrl, doc);
    await waitConverged([onA.doc, late.doc]);

    // What an operator's Prometheus sees on B: its own 300 commits, A's 300 over the bus, one
    // compaction between the two nodes.
    const metricsOf = async (node: TestRelay): Promise<string> => (await fetch(`${node.url}/metrics`)).text();
    const value = (text: string, series: string): number => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const [textA, textB] = [await metricsOf(a), await metricsOf(b)];
    expect(value(textB, 'guildhall_updates_committed_total')).toBeGreaterThanOrEqual(300);
    expect(value(textB, 'guildhall_connections')).toBe(2);
    expect(value(textB, 'guildhall_documents_loaded')).toBe(1);
    expect(value(textB, 'guildhall_bus_messages_total{direction="in",kind="update"}') + value(textB, 'guildhall_catch_up_rows_total'))
      .toBeGreaterThanOrEqual(300);
    expect(value(textB, 'guildhall_bus_lag_seconds_count')).toBeGreaterThan(0);
    expect(value(textB, 'guildhall_fanout_seconds_count')).toBeGreaterThanOrEqual(300);
    expect(value(textA, 'guildhall_compactions_total{result="done"}') + value(textB, 'guildhall_compactions_total{result="done"}'))
      .toBeGreaterThanOrEqual(1);
    expect(textB).toContain('guildhall_commit_seconds_bucket');
    expect(textB).toContain('guildhall_process_resident_memory_bytes');
  });

  it('[K1] an update too large for the bus (over 64 KiB) crosses by reference: the other node reads it from the database', async () => {
    const cluster = freshCluster();
    const [a, b] = [await startNode(cluster), await startNode(cluster)];
    const doc = 'home.shared.large';
    const onA = connectClient(a.wsUrl, doc);
    const onB = connectClient(b.wsUrl, doc);
    await waitSynced(onA, onB);
    const large = 'x'.repeat(100 * 1024);
    onA.doc.getText('t').insert(0, large);
    await waitFor(() => onB.doc.getText('t').length === large.length, { message: 'B has the large update' });
    const metricsOfB = await (await fetch(`${b.url}/metrics`)).text();
    expect(metricsOfB).toMatch(/^guildhall_catch_up_rows_total [1-9]/m); // read back, not carried
  });

  it('[K2] a node that joins a hot document (a writer at 50 updates/s on another node) converges every time', async () => {
    const cluster = freshCluster();
    const a = await startNode(cluster);
    const doc = 'home.shared.hot';
    const writer = connectAckWriter(a.wsUrl, doc);
    await waitSynced(writer.client);
    let n = 0;
    const timer = setInterval(() => writer.push(`w${n++}`), 20);
    try {
      for (let trial = 0; trial < 5; trial++) {
        const joining = await startNode(cluster);
        const reader = connectClient(joining.wsUrl, doc);
        await waitSynced(reader);
        // Everything acknowledged until now must arrive at the joining node, and so must what follows.
        const ackedNow = [...writer.acked];
        await waitFor(() => ackedNow.every((item) => itemsOf(reader.doc).has(item)), { message: `trial ${trial}: reader has all acked items` });
        const later = writer.pushed.length + 10;
        await waitFor(() => itemsOf(reader.doc).size >= later, { message: `trial ${trial}: reader keeps following` });
        reader.destroy();
        await joining.stop();
      }
    } finally {
      clearInterval(timer);
    }
    const final = connectClient((await startNode(cluster)).wsUrl, doc);
    await waitConverged([writer.client.doc, final.doc]);
  });

  it('[K3] shows presence across nodes, to members already there and to ones who join later', async () => {
    const cluster = freshCluster();
    const [a, b] = [await startNode(cluster), await startNode(cluster)];
    const doc = 'home.shared.presence';
    const onA = connectClient(a.wsUrl, doc);
    await waitSynced(onA);
    onA.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    const onB = connectClient(b.wsUrl, doc);
    const nameSeenBy = (client: TestClient, id: number): unknown =>
      (client.provider.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;
    await waitFor(() => nameSeenBy(onB, onA.doc.clientID) === 'Ada', { message: 'B sees A (who was there first)' });
    onB.provider.awareness.setLocalStateField('user', { name: 'Bo' });
    await waitFor(() => nameSeenBy(onA, onB.doc.clientID) === 'Bo', { message: 'A sees B join' });
    onB.destroy();
    await waitFor(() => !onA.provider.awareness.getStates().has(onB.doc.clientID), { message: 'A sees B leave' });
  });

  it('[K3] drops the presence of a node that stops (its goodbye) at once', async () => {
    const cluster = freshCluster();
    const [a, b] = [await startNode(cluster), await startNode(cluster)];
    const doc = 'home.shared.goodbye';
    const onA = connectClient(a.wsUrl, doc);
    const onB = connectClient(b.wsUrl, doc);
    await waitSynced(onA, onB);
    onA.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => onB.provider.awareness.getStates().has(onA.doc.clientID), { message: 'B sees A' });
    onA.provider.shouldConnect = false; // the member stays away: only the node's departure can clear them
    await a.stop();
    await waitFor(() => !onB.provider.awareness.getStates().has(onA.doc.clientID), { timeoutMs: 5_000, message: 'A gone for B' });
  });

  it('[K4] revoking a member on one node closes their sockets on every node', async () => {
    const cluster = freshCluster();
    const [a, b] = [await startNode(cluster), await startNode(cluster)];
    const community = await createCommunityWithRoles(a);
    const doc = `${community.id}.shared.notes`;
    const raw = connectRaw(b.wsUrl, `${doc}?token=${community.member.token}`);
    await raw.opened;
    await a.directory.removeMember(community.id, community.member.member.id);
    const closed = await raw.closed;
    expect(closed.code).toBe(CloseCode.forbidden);
  });

  it('[K5] a node catches up on rows another node compacted away before it could read them (no bus at all)', async () => {
    const { redisUrl: _none, ...withoutBus } = freshCluster();
    const reading = await startNode(withoutBus);
    const writing = await startTestRelay({ cluster: withoutBus, idleUnloadMs: 20 });
    const doc = 'home.shared.compacted-away';
    const reader = connectClient(reading.wsUrl, doc);
    await waitSynced(reader);
    const writer = connectAckWriter(writing.wsUrl, doc);
    await waitSynced(writer.client);
    for (const item of ['one', 'two', 'three']) writer.push(item);
    await waitFor(() => writer.unacked().length === 0, { message: 'writes acknowledged' });
    writer.client.destroy(); // the writing node unloads at once and compacts everything into its snapshot
    await waitFor(() => itemsOf(reader.doc).size === 3, { message: 'reader has the compacted rows' });
  });

  it('[K5] keeps nodes in step without Redis: pub/sub connections killed repeatedly, then Redis restarted', async () => {
    const redis = await startPrivateRedis();
    const cluster = freshCluster(redis.url);
    const [a, b] = [await startNode(cluster), await startNode(cluster)];
    const doc = 'home.shared.outage';
    const writer = connectAckWriter(a.wsUrl, doc);
    const reader = connectClient(b.wsUrl, doc);
    await waitSynced(writer.client, reader);
    let n = 0;
    const write = (): void => writer.push(`w${n++}`);
    const timer = setInterval(write, 10);
    const admin = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    admin.on('error', () => undefined);
    try {
      for (let kill = 0; kill < 5; kill++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      }
      await redis.stop();
      // Redis is down: updates still reach the other node, by anti-entropy from the database.
      const whileDown = writer.pushed.length + 20;
      await waitFor(() => itemsOf(reader.doc).size >= whileDown, { message: 'reader follows while Redis is down' });
      await redis.restart();
      const afterRestart = writer.pushed.length + 20;
      await waitFor(() => itemsOf(reader.doc).size >= afterRestart, { message: 'reader follows after the restart' });
    } finally {
      clearInterval(timer);
      admin.disconnect();
    }
    await waitFor(() => writer.unacked().length === 0, { message: 'every write acknowledged' });
    await waitConverged([writer.client.doc, reader.doc]);
    expect(itemsOf(reader.doc).size).toBe(writer.pushed.length);
  });
});

describe('clientID ownership across nodes', () => {
  it('[K4] a member cannot extend a clientID another member wrote with on another node, even when the bus missed it', async () => {
    const { redisUrl: _none, ...withoutBus } = freshCluster(); // no bus: B learns A's rows only from the database
    const [a, b] = [await startNode(withoutBus), await startNode(withoutBus)];
    const community = await createCommunityWithRoles(a);
    const doc = `${community.id}.shared.clientids`;
    const watcher = connectRaw(b.wsUrl, `${doc}?token=${community.viewer.token}`); // keeps B's room loaded
    await watcher.opened;

    const victim = new Y.Doc();
    const honest = connectRaw(a.wsUrl, `${doc}?token=${community.member.token}`);
    await honest.opened;
    let update: Uint8Array | null = null;
    victim.on('update', (u: Uint8Array) => { update = u; });
    victim.getText('t').insert(0, 'written by Mia');
    honest.send({ type: 'syncUpdate', update: update! });
    await waitFor(() => watcher.received.some((f) => f.frame?.type === 'syncUpdate'), { message: 'B caught up from the database' });

    // Otto forges a continuation of Mia's clientID on node B.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim));
    forged.clientID = victim.clientID; // after applying: Yjs renames a doc that meets its own clientID
    const before = Y.encodeStateVector(forged);
    forged.getText('t').insert(0, '[forged] ');
    const attempt = async (): Promise<number> => {
      const spoofer = connectRaw(b.wsUrl, `${doc}?token=${community.other.token}`);
      await spoofer.opened;
      spoofer.send({ type: 'syncUpdate', update: Y.encodeStateAsUpdate(forged, before) });
      const stillOpen = new Promise<number>((resolve) => setTimeout(() => resolve(-1), 3_000)); // -1: accepted
      return Promise.race([spoofer.closed.then(({ code }) => code), stillOpen]);
    };
    const first = await attempt();
    const second = first === CloseCode.forbidden ? first : await attempt(); // after the directory was asked
    expect(second).toBe(CloseCode.forbidden);
    const reader = connectClient(a.wsUrl, doc, { params: { token: community.owner.token } });
    await waitSynced(reader);
    expect(reader.doc.getText('t').toString()).toBe('written by Mia');
  });
});
