import { describe, expect, it } from 'vitest';
import { deriveStatus, type ConnectionFacts, type DocStatus } from '../../client/collab/status.ts';

/**
 * DESIGN §5: one status per document; "saved" only when connected, in sync, and every local change
 * acknowledged (README E4: never on an IndexedDB write or an open socket alone).
 */

const SAVED_FACTS: ConnectionFacts = {
  localLoaded: true, hasContent: true, browserOnline: true, socketOpen: true, remoteSynced: true, unsaved: 0, stoppedReason: null,
};

function status(changes: Partial<ConnectionFacts>): DocStatus {
  return deriveStatus({ ...SAVED_FACTS, ...changes });
}

describe('deriveStatus: each phase (DESIGN §5)', () => {
  it('saved: loaded, online, socket open, synced, nothing unacknowledged', () => {
    expect(status({})).toEqual({ phase: 'saved', ready: true, unsaved: 0 });
  });

  it('loading: the local copy is not read yet, whatever else is true', () => {
    expect(status({ localLoaded: false })).toEqual({ phase: 'loading', ready: false, unsaved: 0 });
    expect(status({ localLoaded: false, stoppedReason: 'forbidden', browserOnline: false, unsaved: 2 }))
      .toEqual({ phase: 'loading', ready: false, unsaved: 2 });
  });

  it('stopped: the relay refused for good, with its reason, even while offline', () => {
    expect(status({ stoppedReason: 'document size limit reached', unsaved: 3 }))
      .toEqual({ phase: 'stopped', ready: true, unsaved: 3, reason: 'document size limit reached' });
    expect(status({ stoppedReason: 'closed (4403)', browserOnline: false, socketOpen: false }))
      .toEqual({ phase: 'stopped', ready: true, unsaved: 0, reason: 'closed (4403)' });
  });

  it('offline: the browser is offline, even if the socket still looks open', () => {
    expect(status({ browserOnline: false, unsaved: 1 })).toEqual({ phase: 'offline', ready: true, unsaved: 1 });
    expect(status({ browserOnline: false, socketOpen: false, remoteSynced: false }))
      .toEqual({ phase: 'offline', ready: true, unsaved: 0 });
  });

  it('connecting: online but the socket is not open', () => {
    expect(status({ socketOpen: false, remoteSynced: false })).toEqual({ phase: 'connecting', ready: true, unsaved: 0 });
    expect(status({ socketOpen: false, unsaved: 5 })).toEqual({ phase: 'connecting', ready: true, unsaved: 5 });
  });

  it('syncing: connected but the initial sync is not done', () => {
    expect(status({ remoteSynced: false })).toEqual({ phase: 'syncing', ready: true, unsaved: 0 });
  });

  it('[E4] syncing: connected and synced but some local change is not acknowledged yet — never "saved" early', () => {
    expect(status({ unsaved: 1 })).toEqual({ phase: 'syncing', ready: true, unsaved: 1 });
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
    expect(status({ hasContent: false, remoteSynced: false })).toEqual({ phase: 'syncing', ready: false, unsaved: 0 });
    expect(status({ hasContent: false, socketOpen: false, remoteSynced: false }).ready).toBe(false);
    expect(status({ hasContent: false, browserOnline: false }).ready).toBe(false);
    // … and editable offline when the local copy has content.
    expect(status({ browserOnline: false, socketOpen: false, remoteSynced: false }).ready).toBe(true);
  });
});
