import { describe, expect, it, onTestFinished } from 'vitest';
import { startBalancer } from '../../server/cluster/devBalancer.ts';
import { connectAckWriter, itemsOf } from '../helpers/ackWriter.ts';
import { spawnRelay, type ChildRelay } from '../helpers/childRelay.ts';
import { connectClient, waitConverged, waitSynced } from '../helpers/clients.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { mulberry32 } from '../helpers/random.ts';
import { freshPrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * A relay node dies (`kill -9`) while its clients type (DESIGN §4, issue 8): they reconnect
 * through the load balancer to the surviving node and nothing they were told is durable is lost.
 * CLUSTER_TRIALS sets the number of kills (3 in the normal run); CLUSTER_SEED replays one.
 */
const TRIALS = Number(process.env.CLUSTER_TRIALS ?? 3);
const SEED = Number(process.env.CLUSTER_SEED ?? Math.floor(Math.random() * 2 ** 31));

function clusterEnv(): Record<string, string> {
  return {
    DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: freshSchema(), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshPrefix(),
  };
}

function backend(node: ChildRelay): { host: string; port: number } {
  return { host: '127.0.0.1', port: node.port };
}

describe('a relay node dies', () => {
  it(`[K6] loses no acknowledged update: clients move to the other node and converge within 10 s (${TRIALS} kills)`, async () => {
    console.log(`cluster chaos seed ${SEED} (CLUSTER_SEED=${SEED} replays the kill points)`);
    const random = mulberry32(SEED);
    const env = clusterEnv();
    const survivor = await spawnRelay({ env });
    const results: Array<{ trial: number; ackedAtKill: number; lost: number; convergedMs: number }> = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const victim = await spawnRelay({ env });
      // The victim first: the balancer hands out backends in turn, and skips one that refuses.
      const balancer = await startBalancer({ port: 0, backends: [backend(victim), backend(survivor)] });
      onTestFinished(() => balancer.close());
      const doc = `home.shared.node-death-${trial}`;
      const writer = connectAckWriter(`ws://127.0.0.1:${balancer.port}/sync`, doc);
      const reader = connectClient(survivor.wsUrl, doc);
      await waitSynced(writer.client, reader);

      const killAfterAcks = 20 + Math.floor(random() * 200);
      let ackedAtKill: string[] = [];
      let writing = true;
      writer.onAck(() => {
        if (victim.running && writer.acked.size >= killAfterAcks && ackedAtKill.length === 0) {
          ackedAtKill = [...writer.acked];
          victim.child.kill('SIGKILL');
        }
      });
      const timer = setInterval(() => {
        if (!writing) return;
        for (let i = 0, burst = 1 + Math.floor(random() * 3); i < burst; i++) writer.push(`t${trial}-${writer.pushed.length}`);
      }, 2);
      onTestFinished(() => clearInterval(timer));
      await victim.exited;
      const killedAt = Date.now();
      // Typing goes on through the reconnect, then stops; everything must meet on the survivor.
      await new Promise((resolve) => setTimeout(resolve, 300));
      writing = false;
      clearInterval(timer);
      await waitConverged([writer.client.doc, reader.doc], 10_000);
      const convergedMs = Date.now() - killedAt;
      await waitFor(() => writer.unacked().length === 0, { message: 'every write acknowledged by the survivor' });

      const fresh = connectClient(survivor.wsUrl, doc);
      await waitSynced(fresh);
      const stored = itemsOf(fresh.doc);
      const lost = ackedAtKill.filter((item) => !stored.has(item)).length;
      results.push({ trial, ackedAtKill: ackedAtKill.length, lost, convergedMs });
      expect(stored.size).toBe(writer.pushed.length);
      expect(convergedMs).toBeLessThan(10_000);
      writer.client.destroy();
      reader.destroy();
      fresh.destroy();
      await balancer.close();
    }
    const acked = results.reduce((sum, r) => sum + r.ackedAtKill, 0);
    const lost = results.reduce((sum, r) => sum + r.lost, 0);
    console.log(`cluster chaos: ${results.length} node kills, ${acked} updates acknowledged before the kills, ${lost} lost; ` +
      `converged after ${results.map((r) => r.convergedMs).join(' / ')} ms`);
    expect(lost).toBe(0);
  });

  it('[K3] its members\' presence disappears from the other nodes within 15 s', async () => {
    const env = clusterEnv();
    const [victim, survivor] = [await spawnRelay({ env }), await spawnRelay({ env })];
    const doc = 'home.shared.dead-presence';
    const onVictim = connectClient(victim.wsUrl, doc);
    const onSurvivor = connectClient(survivor.wsUrl, doc);
    await waitSynced(onVictim, onSurvivor);
    onVictim.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => onSurvivor.provider.awareness.getStates().has(onVictim.doc.clientID), { message: 'survivor sees Ada' });
    await victim.stop('SIGKILL');
    const killedAt = Date.now();
    // The client's own y-protocols timeout is 30 s: only the relay's node heartbeat can be this quick.
    await waitFor(() => !onSurvivor.provider.awareness.getStates().has(onVictim.doc.clientID),
      { timeoutMs: 15_000, message: 'Ada\'s presence gone from the survivor' });
    console.log(`dead node's presence gone after ${Date.now() - killedAt} ms`);
  });
});
