import { describe, expect, it } from 'vitest';
import { deriveStatus, type ConnectionFacts, type DocStatus } from '../../client/collab/status.ts';

/**
 * DESIGN §5: one status per document; "saved" only when connected, in sync, and every local change
 * acknowledged (README E4: never on an IndexedDB write or an open socket alone).
 */

const SAVED_FACTS: ConnectionFacts = {
  localLoaded: true, hasContent: true, browserOnline: true, socketOpen: true, remoteSynced: true, unsaved: 0, handshakeAcked: true, readOnly: false, deviceWritesPending: 0, stoppedReason: null,
};

function status(changes: Partial<ConnectionFacts>): DocStatus {
  return deriveStatus({ ...SAVED_FACTS, ...changes });
}

describe('deriveStatus: each phase (DESIGN §5)', () => {
  it('saved: loaded, online, socket open, synced, nothing unacknowledged', () => {
    expect(status({})).toEqual({ phase: 'saved', ready: true, readOnly: false, unsaved: 0, onDevice: true });
  });

  it('loading: the local copy is not read yet, whatever else is true', () => {
    expect(status({ localLoaded: false })).toEqual({ phase: 'loading', ready: false, readOnly: false, unsaved: 0, onDevice: true });
    expect(status({ localLoaded: false, stoppedReason: 'forbidden', browserOnline: false, unsaved: 2 }))
      .toEqual({ phase: 'loading', ready: false, readOnly: false, unsaved: 2, onDevice: true });
  });

  it('stopped: the relay refused for good, with its reason, even while offline', () => {
    expect(status({ stoppedReason: 'document size limit reached', unsaved: 3 }))
      .toEqual({ phase: 'stopped', ready: true, readOnly: false, unsaved: 3, onDevice: true, reason: 'document size limit reached' });
    expect(status({ stoppedReason: 'closed (4403)', browserOnline: false, socketOpen: false }))
      .toEqual({ phase: 'stopped', ready: true, readOnly: false, unsaved: 0, onDevice: true, reason: 'closed (4403)' });
  });

  it('offline: the browser is offline, even if the socket still looks open', () => {
    expect(status({ browserOnline: false, unsaved: 1 })).toEqual({ phase: 'offline', ready: true, readOnly: false, unsaved: 1, onDevice: true });
    expect(status({ browserOnline: false, socketOpen: false, remoteSynced: false }))
      .toEqual({ phase: 'offline', ready: true, readOnly: false, unsaved: 0, onDevice: true });
  });

  it('connecting: online but the socket is not open', () => {
    expect(status({ socketOpen: false, remoteSynced: false })).toEqual({ phase: 'connecting', ready: true, readOnly: false, unsaved: 0, onDevice: true });
    expect(status({ socketOpen: false, unsaved: 5 })).toEqual({ phase: 'connecting', ready: true, readOnly: false, unsaved: 5, onDevice: true });
  });

  it('syncing: connected but the initial sync is not done', () => {
    expect(status({ remoteSynced: false })).toEqual({ phase: 'syncing', ready: true, readOnly: false, unsaved: 0, onDevice: true });
  });

  it('[E4] syncing: connected and synced but some local change is not acknowledged yet — never "saved" early', () => {
    expect(status({ unsaved: 1 })).toEqual({ phase: 'syncing', ready: true, readOnly: false, unsaved: 1, onDevice: true });
  });

  it('carries the unsaved count through every phase and a reason only when stopped', () => {
    const cases: Array<Partial<ConnectionFacts>> = [
      { localLoaded: false }, { stoppedReason: 'x' }, { browserOnline: false }, { socketOpen: false },
      { remoteSynced: false }, {},
    ];
    for (const facts of cases) {
      const result = status({ ...facts, unsaved: 7 });
      expect(result.unsaved).toBe(7);
      expect('reason' in result).toBe(result.phase === 'stopped');
    }
  });

  it('ready: only once the local copy is loaded and there is content, local or synced once', () => {
    expect(status({ localLoaded: false, hasContent: true }).ready).toBe(false);
    // A document never opened on this device: not editable before its first sync …
    expect(status({ hasContent: false, remoteSynced: false })).toEqual({ phase: 'syncing', ready: false, readOnly: false, unsaved: 0, onDevice: true });
    expect(status({ hasContent: false, socketOpen: false, remoteSynced: false }).ready).toBe(false);
    expect(status({ hasContent: false, browserOnline: false }).ready).toBe(false);
    // … and editable offline when the local copy has content.
    expect(status({ browserOnline: false, socketOpen: false, remoteSynced: false }).ready).toBe(true);
  });

  it('[E4] is not saved before this connection\'s own sync step 2 was acknowledged, whatever the restored count says', () => {
    expect(status({ handshakeAcked: false, unsaved: 0 }).phase).toBe('syncing');
  });

  it('a read-only document is up to date once synced: it has nothing to acknowledge', () => {
    expect(status({ readOnly: true, handshakeAcked: false })).toMatchObject({ phase: 'saved', readOnly: true });
    expect(status({ readOnly: true, remoteSynced: false }).phase).toBe('syncing');
  });

  it('[E2] says changes are on the device only once IndexedDB has them', () => {
    expect(status({ browserOnline: false, unsaved: 2, deviceWritesPending: 1 })).toMatchObject({ phase: 'offline', onDevice: false });
    expect(status({ browserOnline: false, unsaved: 2 })).toMatchObject({ phase: 'offline', onDevice: true });
  });
});
