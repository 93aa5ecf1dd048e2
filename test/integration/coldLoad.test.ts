import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACCESS_LEVELS, MessageType } from '../../shared/protocol/frames.ts';
import { META_ROOT, SCHEMA_VERSION } from '../../shared/schema/documents.ts';
import { connectClient, waitConverged, waitSynced, type TestClient } from '../helpers/clients.ts';
import { connectRaw, rawSync } from '../helpers/rawClient.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { storedDoc } from '../helpers/storage.ts';
import { waitFor } from '../helpers/waitFor.ts';

const IDLE_UNLOAD_MS = 100;

/**
 * A meeting document written, left idle (compacted with its summary and unloaded) and then served
 * by a restarted relay: what a member finds the morning after.
 */
async function restedDocument(): Promise<{ relay: TestRelay; doc: string; text: string }> {
  const first = await startTestRelay({ idleUnloadMs: IDLE_UNLOAD_MS });
  const response = await fetch(`${first.url}/api/documents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'meeting' }),
  });
  const { name: doc } = await response.json() as { name: string };
  const writer = connectClient(first.wsUrl, doc, { params: { schema: String(SCHEMA_VERSION) } });
  await waitSynced(writer);
  const text = 'Agreed: the guild meets fortnightly.';
  writer.doc.getText('cold-notes').insert(0, text);
  await waitFor(async () => (await storedDoc(first.store, doc)).getText('cold-notes').toString() === text);
  writer.provider.destroy();
  await waitFor(() => first.relay.stats.documents === 0, { message: 'the idle document was compacted and unloaded' });
  await first.stop();
  const relay = await startTestRelay({ dataDir: first.dataDir, idleUnloadMs: IDLE_UNLOAD_MS });
  const stored = await relay.store.load(doc);
  expect(stored.tail).toEqual([]);
  expect(stored.snapshotSummary?.schemaVersion).toBe(SCHEMA_VERSION);
  return { relay, doc, text };
}

function accessOf(client: TestClient): () => string | null {
  let access: string | null = null;
  client.provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
    access = ACCESS_LEVELS[decoding.readVarUint(decoder)] ?? null;
  };
  return () => access;
}

describe('a document that rests as a snapshot (cold load)', () => {
  it('[R29] is served whole to a client that has nothing, with the access its schema allows, and writes after it still land', async () => {
    const { relay, doc, text } = await restedDocument();
    // First contact: a member with nothing, and a client older than the document's schema.
    const fresh = connectRaw(relay.wsUrl, doc);
    const replica = new Y.Doc();
    await rawSync(fresh, replica);
    expect(replica.getText('cold-notes').toString()).toBe(text);
    expect(replica.getMap(META_ROOT).get('schemaVersion')).toBe(SCHEMA_VERSION);
    const old = connectClient(relay.wsUrl, doc, { params: { caps: 'access', schema: String(SCHEMA_VERSION - 1) } });
    const oldAccess = accessOf(old);
    await waitSynced(old);
    await waitFor(() => oldAccess() !== null);
    expect(oldAccess()).toBe('read');

    // Then someone writes: the document is decoded and the write stored after everything before it.
    const member = connectClient(relay.wsUrl, doc, { params: { schema: String(SCHEMA_VERSION) } });
    await waitSynced(member);
    member.doc.getText('cold-notes').insert(text.length, ' Next: retro.');
    await waitConverged([member.doc, old.doc]);
    expect(old.doc.getText('cold-notes').toString()).toBe(`${text} Next: retro.`);
    await waitFor(async () => (await storedDoc(relay.store, doc)).getText('cold-notes').toString() === `${text} Next: retro.`);
  });

  it('[R29] merges what a returning member wrote offline into the stored document', async () => {
    const { relay, doc, text } = await restedDocument();
    // The member had synced the document before and kept editing offline.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(await storedDoc(relay.store, doc)));
    offline.getText('cold-notes').insert(0, '[offline] ');
    const returning = connectClient(relay.wsUrl, doc, { doc: offline });
    const other = connectClient(relay.wsUrl, doc);
    await waitSynced(returning, other);
    await waitConverged([returning.doc, other.doc]);
    expect(other.doc.getText('cold-notes').toString()).toBe(`[offline] ${text}`);
    await waitFor(async () => (await storedDoc(relay.store, doc)).getText('cold-notes').toString() === `[offline] ${text}`);
  });
});
