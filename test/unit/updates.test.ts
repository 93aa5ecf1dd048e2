import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inspectUpdate } from '../../server/relay/updates.ts';

/**
 * inspectUpdate decides whether a client's update is stored (DESIGN §2 step 2 "validate",
 * DESIGN §3 "no-op updates (reconnect resends already stored) are not appended", README R6).
 */

/** A server document like Room's: gc on. */
function serverDoc(...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

function clientDoc(): Y.Doc {
  return new Y.Doc();
}

/** The update `change` produces on `doc`, exactly as a y-websocket client would send it. */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const capture = (update: Uint8Array): void => { updates.push(update); };
  doc.on('update', capture);
  doc.transact(change);
  doc.off('update', capture);
  if (updates.length !== 1) throw new Error(`change produced ${updates.length} updates`);
  return updates[0]!;
}

/** Whether applying `update` would actually change `server`: the truth inspectUpdate predicts. */
function applyingChanges(server: Y.Doc, update: Uint8Array): boolean {
  const copy = serverDoc(Y.encodeStateAsUpdate(server));
  let changed = false;
  copy.on('update', () => { changed = true; });
  Y.applyUpdate(copy, update);
  return changed;
}

function expectVerdict(server: Y.Doc, update: Uint8Array, changesDoc: boolean): void {
  expect(inspectUpdate(() => server, update).changesDoc).toBe(changesDoc);
  // The verdict agrees with what applying the update really does.
  expect(applyingChanges(server, update)).toBe(changesDoc);
}

describe('inspectUpdate: is a client update worth storing? (DESIGN §2, §3)', () => {
  it('new structs change the document', () => {
    const client = clientDoc();
    const update = updateOf(client, () => client.getText('t').insert(0, 'hello'));
    expectVerdict(serverDoc(), update, true);
  });

  it('new structs from a client the server already knows change the document', () => {
    const client = clientDoc();
    const first = updateOf(client, () => client.getText('t').insert(0, 'hello'));
    const second = updateOf(client, () => client.getText('t').insert(5, ' world'));
    expectVerdict(serverDoc(first), second, true);
  });

  it('an update that overlaps what the server has and extends it changes the document', () => {
    const client = clientDoc();
    const first = updateOf(client, () => client.getText('t').insert(0, 'hello'));
    const second = updateOf(client, () => client.getText('t').insert(5, ' world'));
    expectVerdict(serverDoc(first), Y.mergeUpdates([first, second]), true);
  });

  it('[R6] a resend of already applied updates does not change the document', () => {
    const client = clientDoc();
    const first = updateOf(client, () => client.getText('t').insert(0, 'hello'));
    const second = updateOf(client, () => client.getMap('m').set('k', [1, 2]));
    const server = serverDoc(first, second);
    expectVerdict(server, first, false);
    expectVerdict(server, second, false);
    expectVerdict(server, Y.mergeUpdates([first, second]), false);
  });

  it('[R6] a merged resend with a gap (Skip structs) of updates the server has does not change the document', () => {
    const client = clientDoc();
    const text = client.getText('t');
    const first = updateOf(client, () => text.insert(0, 'aaa'));
    const second = updateOf(client, () => text.insert(3, 'bbb'));
    const third = updateOf(client, () => text.insert(6, 'ccc'));
    const withGap = Y.mergeUpdates([first, third]);
    expect(Y.decodeUpdate(withGap).structs.some((s) => s instanceof Y.Skip)).toBe(true);
    expectVerdict(serverDoc(first, second, third), withGap, false);
  });

  it('[R6] a sync step 2 carrying only deletions the server already has does not change the document', () => {
    const client = clientDoc();
    const text = client.getText('t');
    text.insert(0, 'hello brave new world');
    text.delete(6, 6);
    client.getMap('m').set('gone', 1);
    client.getMap('m').delete('gone');
    const server = serverDoc(Y.encodeStateAsUpdate(client));

    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    const { structs, ds } = Y.decodeUpdate(step2);
    expect(structs).toEqual([]);
    expect(ds.clients.size).toBeGreaterThan(0); // the whole delete set rides along: not trivially empty
    expectVerdict(server, step2, false);
  });

  it('[R6] a full-state resend after the server garbage-collected the deleted content does not change the document', () => {
    const client = clientDoc();
    const text = client.getText('t');
    text.insert(0, 'abcdefghij');
    text.delete(2, 5);
    const server = serverDoc(Y.encodeStateAsUpdate(client));
    expectVerdict(server, Y.encodeStateAsUpdate(client), false);
  });

  it('deleting content the server has but has not deleted changes the document', () => {
    const client = clientDoc();
    const text = client.getText('t');
    text.insert(0, 'hello world');
    const server = serverDoc(Y.encodeStateAsUpdate(client));
    const deletion = updateOf(client, () => text.delete(0, 6));
    expect(Y.decodeUpdate(deletion).structs).toEqual([]);
    expectVerdict(server, deletion, true);

    // The same deletion arriving as a sync step 2 (delete set only) is just as new.
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expectVerdict(server, step2, true);
  });

  it('a full state from a client that garbage-collected content the server still shows changes the document', () => {
    const client = new Y.Doc({ gc: true });
    const nested = new Y.Map<string>();
    client.getMap('m').set('nested', nested);
    nested.set('a', 'x');
    nested.set('b', 'y');
    const server = serverDoc(Y.encodeStateAsUpdate(client));
    client.getMap('m').delete('nested'); // the nested map's content becomes GC structs on the client
    const full = Y.encodeStateAsUpdate(client);
    expect(Y.decodeUpdate(full).structs.some((s) => s instanceof Y.GC)).toBe(true);
    expectVerdict(server, full, true);
  });

  it('a delete set that covers deleted and not-yet-deleted content changes the document', () => {
    const client = clientDoc();
    const text = client.getText('t');
    text.insert(0, 'abcdef');
    text.delete(0, 2);
    const server = serverDoc(Y.encodeStateAsUpdate(client));
    text.delete(0, 2); // removes "cd", adjacent to the already-deleted "ab"
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expectVerdict(server, step2, true);
  });

  it('[R6] deleting content from another client that the server already deleted does not change the document', () => {
    const alice = clientDoc();
    alice.getText('t').insert(0, 'shared text');
    const bob = clientDoc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const deletion = updateOf(bob, () => bob.getText('t').delete(0, 7));
    const server = serverDoc(Y.encodeStateAsUpdate(alice), deletion);
    expectVerdict(server, deletion, false);
  });

  it('throws on garbage bytes', () => {
    const server = serverDoc();
    expect(() => inspectUpdate(() => server, Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toThrow();
    expect(() => inspectUpdate(() => server, new TextEncoder().encode('{"not":"an update"}'))).toThrow();
  });

  it('throws on a real update cut short', () => {
    const client = clientDoc();
    const update = updateOf(client, () => client.getText('t').insert(0, 'a longer piece of text'));
    expect(() => inspectUpdate(serverDoc, update.subarray(0, update.length - 3))).toThrow();
  });
});

describe('inspectUpdate: authors', () => {
  it('names the clientIDs whose operations an update carries, not those whose items it deletes', () => {
    const server = new Y.Doc();
    const ada = new Y.Doc();
    ada.clientID = 11;
    ada.getText('t').insert(0, 'ada');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(ada));
    const grace = new Y.Doc();
    grace.clientID = 22;
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));
    const before = Y.encodeStateVector(grace);
    grace.getText('t').delete(0, 1);
    grace.getText('t').insert(0, 'g');
    expect([...inspectUpdate(() => server, Y.encodeStateAsUpdate(grace, before)).authors]).toEqual([22]);
  });
});
