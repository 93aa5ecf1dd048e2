import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, waitConverged, waitSynced } from '../helpers/clients.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

describe('sync through the relay with the official y-websocket provider', () => {
  it('[R1] syncs every shared type between two clients', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.types');
    const b = connectClient(relay.wsUrl, 'home.shared.types');
    await waitSynced(a, b);
    a.doc.transact(() => {
      a.doc.getText('text').insert(0, 'hello');
      a.doc.getMap('map').set('k', { nested: [1, 2] });
      a.doc.getArray('array').push(['x', 2, true]);
      const el = new Y.XmlElement('paragraph');
      el.setAttribute('align', 'left');
      el.insert(0, [new Y.XmlText('xml')]);
      a.doc.getXmlFragment('xml').insert(0, [el]);
    });
    await waitFor(() => b.doc.getText('text').length === 5);
    b.doc.getText('text').insert(5, ' world');
    await waitConverged([a.doc, b.doc]);
    expect(b.doc.getText('text').toString()).toBe('hello world');
    expect(b.doc.getMap('map').toJSON()).toEqual({ k: { nested: [1, 2] } });
    expect(b.doc.getArray('array').toJSON()).toEqual(['x', 2, true]);
    expect(b.doc.getXmlFragment('xml').toString()).toBe('<paragraph align="left">xml</paragraph>');
  });

  it('[R2] a late joiner gets everything after every writer left', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.late');
    await waitSynced(a);
    a.doc.getText('t').insert(0, 'kept');
    await waitFor(async () => (await relay.store.headSeq('home.shared.late')) >= 1);
    a.destroy();
    await waitFor(() => relay.relay.stats.connections === 0);
    const late = connectClient(relay.wsUrl, 'home.shared.late');
    await waitSynced(late);
    expect(late.doc.getText('t').toString()).toBe('kept');
  });

  it('[R3] documents are isolated from each other', async () => {
    const relay = await startTestRelay();
    const a = connectClient(relay.wsUrl, 'home.shared.one');
    const b = connectClient(relay.wsUrl, 'home.shared.two');
    await waitSynced(a, b);
    a.doc.getText('t').insert(0, 'only in one');
    const c = connectClient(relay.wsUrl, 'home.shared.one');
    await waitSynced(c);
    await waitFor(() => c.doc.getText('t').toString() === 'only in one');
    expect(b.doc.getText('t').toString()).toBe('');
  });
});
