import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startBalancer, type Balancer } from '../../server/cluster/devBalancer.ts';
import { randomId } from '../../shared/ids.ts';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';
import { createMeeting, expect, expectNotes, joinAt, status, test, typeAtEnd } from './fixtures.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url));
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two relay nodes on the machine's PostgreSQL (a fresh schema) and Redis (a fresh prefix). */
class TwoNodeCluster {
  readonly schema = `guildhall_e2e_${randomId(10)}`;
  readonly dataDirs = [mkdtempSync(join(tmpdir(), 'guildhall-node-')), mkdtempSync(join(tmpdir(), 'guildhall-node-'))];
  nodes: ServerProcess[] = [];
  balancer: Balancer | null = null;

  async start(): Promise<void> {
    const env = { DATABASE_URL, DATABASE_SCHEMA: this.schema, REDIS_URL, REDIS_PREFIX: `guildhall-e2e-${this.schema}` };
    for (const dataDir of this.dataDirs) this.nodes.push(await startServerProcess({ dataDir, clientDir: CLIENT_DIR, env }));
    // Failover order: everything goes to the first node while it lives, then to the second.
    this.balancer = await startBalancer({
      port: 0, mode: 'failover', backends: this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    });
  }

  async dispose(): Promise<void> {
    await this.balancer?.close();
    for (const node of this.nodes) await node.stop('SIGKILL');
    for (const dir of this.dataDirs) rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`);
    await admin.end();
  }
}

test('[E7] members on two relay nodes co-edit, and a node\'s death loses nothing', async ({ browser }) => {
  const cluster = new TwoNodeCluster();
  await cluster.start();
  try {
    // Ada comes in through the balancer (on the first node while it lives); Grace is on the second.
    const ada = await joinAt(browser, `http://127.0.0.1:${cluster.balancer!.port}`, 'Ada Lovelace', 0);
    const grace = await joinAt(browser, `http://127.0.0.1:${cluster.nodes[1]!.port}`, 'Grace Hopper', 3);

    await createMeeting(ada.page, 'Two-node call');
    // The community index and the notes, written through node 1, reach Grace on node 2.
    await grace.page.getByRole('link', { name: /Two-node call/ }).click();
    await typeAtEnd(ada.page, 'Ada on node one.');
    await expectNotes(grace.page, 'Ada on node one.');
    await typeAtEnd(grace.page, ' Grace on node two.');
    await expectNotes(ada.page, 'Grace on node two.');
    const people = grace.page.getByRole('list', { name: 'People in this document' });
    await expect(people.getByRole('listitem', { name: 'Ada Lovelace' })).toBeVisible();
    await expect(status(ada.page)).toHaveText('Saved');

    await cluster.nodes[0]!.stop('SIGKILL');
    await typeAtEnd(ada.page, ' Typed after node one died.');
    await expectNotes(grace.page, 'Typed after node one died.');
    await expect(status(ada.page)).toHaveText('Saved');
    await expectNotes(grace.page, 'Ada on node one.');
    await ada.context.close();
    await grace.context.close();
  } finally {
    await cluster.dispose();
  }
});
