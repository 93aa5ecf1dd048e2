import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { indexDocName } from '../../shared/docNames.ts';
import { INDEX_DOCUMENTS_ROOT, MEETING_NOTES_ROOT, META_ROOT } from '../../shared/schema/documents.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { API_ORIGIN } from '../../server/relay/origins.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

const INDEX = indexDocName('home');

async function createMeeting(relay: TestRelay, body: unknown): Promise<Response> {
  return fetch(`${relay.url}/api/documents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}

describe('documents: created on the server, listed in the community index', () => {
  it('[R10] creating meeting notes seeds the template once, on the server, and lists them in the index', async () => {
    const relay = await startTestRelay();
    const response = await createMeeting(relay, { kind: 'meeting', title: 'Kick-off' });
    expect(response.status).toBe(201);
    const { name } = await response.json() as { name: string };

    // Two members open the new document at the same moment: the template appears once.
    const a = connectClient(relay.wsUrl, name);
    const b = connectClient(relay.wsUrl, name);
    const index = connectClient(relay.wsUrl, INDEX);
    await waitSynced(a, b, index);
    const notes = a.doc.getXmlFragment(MEETING_NOTES_ROOT).toString();
    expect(notes.match(/<heading level="2">Notes<\/heading>/g)).toHaveLength(1);
    expect(notes).toContain('Parking lot');
    expect(b.doc.getXmlFragment(MEETING_NOTES_ROOT).toString()).toBe(notes);
    expect(a.doc.getMap(META_ROOT).get('title')).toBe('Kick-off');
    expect(index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(name)).toMatchObject({ kind: 'meeting', title: 'Kick-off' });
  });

  it('[R11] renaming a document in its own title updates the index (projection)', async () => {
    const relay = await startTestRelay();
    const { name } = await (await createMeeting(relay, { kind: 'meeting' })).json() as { name: string };
    const member = connectClient(relay.wsUrl, name);
    const index = connectClient(relay.wsUrl, INDEX);
    await waitSynced(member, index);
    expect(index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(name)).toMatchObject({ title: 'Untitled meeting' });
    member.doc.getMap(META_ROOT).set('title', 'Design review');
    await waitFor(() => (index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(name) as { title: string }).title === 'Design review');

    // Typing in the notes must not cost index work on every keystroke: only title changes do.
    const indexChanges = vi.spyOn(relay.relay, 'change');
    for (let i = 0; i < 20; i++) member.doc.getXmlFragment('notes').insert(0, [new Y.XmlText(`${i}`)]);
    await waitFor(async () => (await relay.store.headSeq(name)) >= 22);
    expect(indexChanges).not.toHaveBeenCalled();
  });

  it('[R12] the index is read-only for clients: their updates are dropped and never stored', async () => {
    const relay = await startTestRelay();
    await createMeeting(relay, { kind: 'meeting', title: 'Real' });
    const forger = connectClient(relay.wsUrl, INDEX);
    const reader = connectClient(relay.wsUrl, INDEX);
    await waitSynced(forger, reader);
    const headBefore = await relay.store.headSeq(INDEX);
    forger.doc.getMap(INDEX_DOCUMENTS_ROOT).set('home.shared.forged', { kind: 'meeting', title: 'Forged', createdAt: 1 });
    // A later, legitimate server write proves the forged frame was processed (and dropped) by now.
    await createMeeting(relay, { kind: 'meeting', title: 'After' });
    await waitFor(() => [...reader.doc.getMap(INDEX_DOCUMENTS_ROOT).values()].some((e) => (e as { title: string }).title === 'After'));
    expect(reader.doc.getMap(INDEX_DOCUMENTS_ROOT).has('home.shared.forged')).toBe(false);
    const stored = new Y.Doc();
    const { snapshot, tail } = await relay.store.load(INDEX);
    if (snapshot) Y.applyUpdate(stored, snapshot);
    for (const row of tail) Y.applyUpdate(stored, row.update);
    expect(stored.getMap(INDEX_DOCUMENTS_ROOT).has('home.shared.forged')).toBe(false);
    expect(await relay.store.headSeq(INDEX)).toBe(headBefore + 1);
  });

  it('[R13] bad API input gets a clear 4xx and creates nothing', async () => {
    const relay = await startTestRelay();
    const cases: Array<[unknown, number, RegExp]> = [
      [{ kind: 'spreadsheet' }, 400, /kind must be one of/],
      [{ kind: 'meeting', title: 42 }, 400, /title must be a string/],
      [{ kind: 'meeting', title: 'x'.repeat(201) }, 400, /longer than 200/],
      [[1, 2], 400, /body must be a JSON object/],
    ];
    for (const [body, status, message] of cases) {
      const response = await createMeeting(relay, body);
      expect(response.status).toBe(status);
      expect((await response.json() as { error: string }).error).toMatch(message);
    }
    const notJson = await fetch(`${relay.url}/api/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    const wrongType = await fetch(`${relay.url}/api/documents`, { method: 'POST', body: 'kind=meeting' });
    expect(wrongType.status).toBe(415);
    expect(await relay.store.listDocuments()).toEqual([]);
  });
});

describe('document lifecycle', () => {
  it('[R14] an idle document is compacted and unloaded, then loads again with everything', async () => {
    const relay = await startTestRelay({ idleUnloadMs: 50 });
    const writer = connectClient(relay.wsUrl, 'home.shared.idle');
    await waitSynced(writer);
    for (let i = 0; i < 20; i++) writer.doc.getArray<number>('numbers').push([i]);
    await waitFor(async () => (await relay.store.headSeq('home.shared.idle')) >= 20);
    writer.destroy();
    await waitFor(() => relay.relay.stats.documents === 0, { message: 'document unloaded' });
    const stored = await relay.store.load('home.shared.idle');
    expect(stored.tail).toHaveLength(0);
    expect(stored.snapshotSeq).toBeGreaterThanOrEqual(20);

    const reader = connectClient(relay.wsUrl, 'home.shared.idle');
    await waitSynced(reader);
    expect(reader.doc.getArray('numbers').toArray()).toEqual([...Array(20).keys()]);
  });
});

describe('server-side changes keep the durable-before-broadcast rule', () => {
  it('[R4] a server change is not visible to anyone before its commit, and never when the commit fails', async () => {
    const relay = await startTestRelay();
    const doc = 'home.shared.server-change';
    const store = relay.store as { append: typeof relay.store.append };
    const realAppend = store.append.bind(relay.store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    store.append = async () => {
      await gate;
      throw new Error('disk full');
    };
    const change = relay.relay.change(doc, API_ORIGIN, (d) => d.getMap(META_ROOT).set('title', 'UNCOMMITTED'));
    const observer = connectClient(relay.wsUrl, doc);
    await waitSynced(observer);
    expect(observer.doc.getMap(META_ROOT).get('title')).toBeUndefined();
    release();
    await expect(change).rejects.toThrow('disk full');
    store.append = realAppend;
    // The next server change succeeds, and it is the only one anybody ever sees.
    await relay.relay.change(doc, API_ORIGIN, (d) => d.getMap(META_ROOT).set('title', 'Committed'));
    await waitFor(() => observer.doc.getMap(META_ROOT).get('title') === 'Committed');
    const late = connectClient(relay.wsUrl, doc);
    await waitSynced(late);
    expect(late.doc.getMap(META_ROOT).get('title')).toBe('Committed');
  });

  it('[R14] a document loaded only for a server change that changed nothing still unloads when idle', async () => {
    const relay = await startTestRelay({ idleUnloadMs: 50 });
    await relay.relay.change('home.shared.noop', API_ORIGIN, () => undefined);
    await waitFor(() => relay.relay.stats.documents === 0, { message: 'document unloaded' });
  });
});
