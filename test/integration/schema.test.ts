import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { ACCESS_LEVELS, MessageType } from '../../shared/protocol/frames.ts';
import { META_ROOT, SCHEMA_VERSION } from '../../shared/schema/documents.ts';
import { connectClient, waitSynced, type TestClient } from '../helpers/clients.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

async function createMeeting(relay: TestRelay): Promise<string> {
  const response = await fetch(`${relay.url}/api/documents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'meeting' }),
  });
  return (await response.json() as { name: string }).name;
}

/** A client announcing `schema` (or nothing), recording the access the relay grants it. */
function clientWithSchema(relay: TestRelay, doc: string, schema: number | null): TestClient & { access: () => string | null } {
  let access: string | null = null;
  const params: Record<string, string> = { caps: 'access' };
  if (schema !== null) params.schema = String(schema);
  const client = connectClient(relay.wsUrl, doc, { params });
  client.provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
    access = ACCESS_LEVELS[decoding.readVarUint(decoder)] ?? null;
  };
  return { ...client, access: () => access };
}

describe('document schema versions', () => {
  it('[R27] a client older than the document\'s schema may only read it; current clients and scripts write', async () => {
    const relay = await startTestRelay();
    const doc = await createMeeting(relay);
    const old = clientWithSchema(relay, doc, SCHEMA_VERSION - 1);
    const current = clientWithSchema(relay, doc, SCHEMA_VERSION);
    const script = clientWithSchema(relay, doc, null);
    await waitSynced(old, current, script);
    await waitFor(() => old.access() !== null && current.access() !== null && script.access() !== null);
    expect([old.access(), current.access(), script.access()]).toEqual(['read', 'write', 'write']);

    // The old client's edit (it might drop fields it does not know) is not stored or passed on.
    const headBefore = await relay.store.headSeq(doc);
    old.doc.getMap(META_ROOT).delete('schemaVersion');
    current.doc.getMap(META_ROOT).set('title', 'Fence');
    await waitFor(() => script.doc.getMap(META_ROOT).get('title') === 'Fence');
    expect(script.doc.getMap(META_ROOT).get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(await relay.store.headSeq(doc)).toBe(headBefore + 1);
  });
});
