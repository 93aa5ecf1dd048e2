import { describe, expect, it, onTestFinished } from 'vitest';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { connectAckWriter, itemsOf } from '../helpers/ackWriter.ts';
import { spawnRelay } from '../helpers/childRelay.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { storedDocInDataDir } from '../helpers/storage.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const SHUTDOWN_BUDGET_MS = 6_000;

describe('document lifecycle', () => {
  it('[R15] gives ten members who open a stored document at the same instant its content, loading it once', async () => {
    const dataDir = tempDir();
    const doc = 'home.shared.stampede';
    const first = await startTestRelay({ dataDir });
    const author = connectClient(first.wsUrl, doc);
    await waitSynced(author);
    author.doc.getText('t').insert(0, 'minutes of the last meeting');
    author.doc.getMap('meta').set('title', 'Retro');
    await waitFor(async () => (await first.store.headSeq(doc)) === 2, { message: 'stored by the first relay' });
    author.destroy();
    await first.stop();

    const relay = await startTestRelay({ dataDir });
    const load = relay.store.load.bind(relay.store);
    let loads = 0;
    let allConnected!: () => void;
    const everyoneWaiting = new Promise<void>((resolve) => { allConnected = resolve; });
    // Hold the load until all ten sockets are attached, so every one of them arrives mid-load.
    relay.store.load = async (name) => {
      loads++;
      const stored = await load(name);
      await everyoneWaiting;
      return stored;
    };

    const members = Array.from({ length: 10 }, () => connectClient(relay.wsUrl, doc));
    const textAtSync: string[] = [];
    for (const member of members) {
      member.provider.on('sync', (synced: boolean) => {
        if (synced) textAtSync.push(member.doc.getText('t').toString());
      });
    }
    await waitFor(() => relay.relay.stats.connections === 10, { message: 'ten sockets attached' });
    expect(members.some((m) => m.provider.synced)).toBe(false);
    allConnected();

    await waitSynced(...members);
    expect(loads).toBe(1);
    expect(textAtSync).toEqual(Array(10).fill('minutes of the last meeting'));
    for (const member of members) expect(member.doc.getMap('meta').get('title')).toBe('Retro');
  });

  it('[R19] on SIGTERM exits 0 promptly, tells every member "going away" and keeps everything it acknowledged', async () => {
    const relay = await spawnRelay();
    const doc = 'home.shared.shutdown';
    const writer = connectAckWriter(relay.wsUrl, doc);
    const reader = connectClient(relay.wsUrl, doc);
    const readerCloseCodes: Array<number | null> = [];
    reader.provider.on('connection-close', (event) => readerCloseCodes.push(event?.code ?? null));
    await waitSynced(writer.client, reader);

    let written = 0;
    const stream = setInterval(() => writer.push(`item ${written++}`), 2);
    onTestFinished(() => clearInterval(stream));
    await waitFor(() => writer.acked.size >= 50, { message: 'some writes acknowledged' });

    const signalledAt = Date.now();
    const exit = await relay.stop('SIGTERM');
    const tookMs = Date.now() - signalledAt;
    clearInterval(stream);

    expect(exit).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_BUDGET_MS);
    await waitFor(() => writer.closeCodes.length > 0 && readerCloseCodes.length > 0, { message: 'both saw the close' });
    expect(writer.closeCodes[0]).toBe(CloseCode.goingAway);
    expect(readerCloseCodes[0]).toBe(CloseCode.goingAway);

    const stored = itemsOf(await storedDocInDataDir(relay.dataDir, doc));
    const lost = [...writer.acked].filter((item) => !stored.has(item));
    expect(lost).toEqual([]);
    expect(writer.pendingChanges.count).toBe(writer.pushed.length - writer.acked.size);
    process.stdout.write(`SIGTERM: exited in ${tookMs} ms; ${writer.pushed.length} written, ` +
      `${writer.acked.size} acked, ${stored.size} stored, ${lost.length} acked lost\n`);
  });
});
