import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import type { Connection } from '../../server/relay/connection.ts';
import { SLOW_CONSUMER_GRACE_MS, SLOW_CONSUMER_HARD_BYTES, SLOW_CONSUMER_SOFT_BYTES } from '../../shared/limits.ts';
import { captureUpdates, connectRaw, rawSync } from '../helpers/rawClient.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { storedDoc } from '../helpers/storage.ts';
import { waitFor } from '../helpers/waitFor.ts';

const MiB = 1024 * 1024;
const UPDATE_BYTES = 1 * MiB;
const UPDATES = 32;

/**
 * Observation only: the relay's server-side socket for `connection` (a private field), with its
 * `send` wrapped to record the most bytes ever queued for that peer. The relay keeps no other
 * per-peer buffer, so this is the memory a reader that never reads can make it hold.
 */
function watchBuffered(connection: Connection): { max: number; readonly now: number } {
  const ws = (connection as unknown as { ws: WebSocket }).ws;
  const watch = {
    max: 0,
    get now() {
      return ws.bufferedAmount;
    },
  };
  const send = ws.send.bind(ws);
  ws.send = ((data: Parameters<WebSocket['send']>[0], ...rest: unknown[]) => {
    (send as (...args: unknown[]) => void)(data, ...rest);
    watch.max = Math.max(watch.max, ws.bufferedAmount);
  }) as WebSocket['send'];
  return watch;
}

describe('a member who stops reading', () => {
  it('[R17] is cut off before the relay buffers more than the hard limit for them, and the writer loses nothing', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.firehose';

    const slow = connectRaw(relay.wsUrl, doc);
    await slow.nextFrame('syncStep1');
    const room = await relay.relay.roomFor(doc);
    expect(room.connections.size).toBe(1);
    const buffered = watchBuffered([...room.connections][0]!);
    slow.ws.pause(); // stops reading the TCP socket: the kernel buffers fill, then the relay's
    const slowEndedAt = slow.closed.then(() => Date.now());

    const local = new Y.Doc();
    const updates = captureUpdates(local);
    const writer = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    await rawSync(writer, local); // content frame 1
    for (let i = 0; i < UPDATES; i++) {
      local.getArray<string>('blobs').push([String(i % 10).repeat(UPDATE_BYTES)]);
      writer.send({ type: 'syncUpdate', update: updates[i]! });
    }

    await waitFor(() => writer.received.some((r) => r.frame?.type === 'ack' && r.frame.durableCount === UPDATES + 1),
      { timeoutMs: 30_000, message: 'every update acked' });
    // The relay dropped the reader by itself, without any help from it.
    await waitFor(() => relay.relay.stats.connections === 1, { message: 'slow reader dropped' });
    expect(slow.closeInfo).toBeNull(); // it has not read anything yet, not even that
    expect(buffered.max).toBeGreaterThan(SLOW_CONSUMER_HARD_BYTES); // the limit was really reached …
    expect(buffered.max).toBeLessThanOrEqual(SLOW_CONSUMER_HARD_BYTES + UPDATE_BYTES + 1024); // … by one frame at most

    const resumedAt = Date.now();
    slow.ws.resume();
    expect(await slowEndedAt).toBeGreaterThanOrEqual(resumedAt);
    expect(await relay.store.headSeq(doc)).toBe(UPDATES);
    const stored = await storedDoc(relay.store, doc);
    expect(stored.getArray('blobs').length).toBe(UPDATES);
    process.stdout.write(`slow consumer: most bytes buffered for it ${buffered.max} ` +
      `(hard limit ${SLOW_CONSUMER_HARD_BYTES}), close seen by it: ${JSON.stringify(slow.closeInfo)}\n`);
  });

  /*
   * Regression: the grace period is enforced by its own timer, not only when the relay next
   * sends to the peer (which on a quiet document may be the 30 s ping sweep).
   */
  it('[R17] is cut off once it has stayed over the soft limit for the grace period, even when the document goes quiet', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.trickle';
    const slow = connectRaw(relay.wsUrl, doc);
    await slow.nextFrame('syncStep1');
    const room = await relay.relay.roomFor(doc);
    const buffered = watchBuffered([...room.connections][0]!);
    slow.ws.pause();

    const local = new Y.Doc();
    const updates = captureUpdates(local);
    const writer = connectRaw(relay.wsUrl, doc, { caps: 'ack' });
    await rawSync(writer, local);
    // Write until the relay holds more than the soft limit (and less than the hard one) for it.
    // The relay's grace period starts when a write crosses the soft limit, so the lower bound
    // below counts from just before the write that crossed it (seen after its ack, possibly late).
    let overSoftSince: number | null = null;
    for (let i = 0; buffered.now <= SLOW_CONSUMER_SOFT_BYTES + MiB / 2; i++) {
      const sentAt = Date.now();
      local.getArray<string>('blobs').push([String(i % 10).repeat(MiB / 4)]);
      writer.send({ type: 'syncUpdate', update: updates[i]! });
      await waitFor(() => lastAck(writer) === i + 2, { message: `ack ${i + 2}` });
      if (overSoftSince === null && buffered.max > SLOW_CONSUMER_SOFT_BYTES) overSoftSince = sentAt;
    }
    expect(buffered.now).toBeLessThan(SLOW_CONSUMER_HARD_BYTES);

    // Nothing else happens on the document: the relay alone must notice.
    await waitFor(() => relay.relay.stats.connections === 1,
      { timeoutMs: SLOW_CONSUMER_GRACE_MS + 3_000, message: 'slow reader dropped after the grace period' });
    expect(Date.now() - overSoftSince!).toBeGreaterThanOrEqual(SLOW_CONSUMER_GRACE_MS - 100);
  }, 30_000);
});

function lastAck(client: ReturnType<typeof connectRaw>): number {
  let last = 0;
  for (const { frame } of client.received) if (frame?.type === 'ack') last = frame.durableCount;
  return last;
}
