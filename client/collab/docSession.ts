import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  CAPABILITIES_PARAM, Capability, SCHEMA_PARAM, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX,
} from '../../shared/protocol/capabilities.ts';
import { SCHEMA_VERSION } from '../../shared/schema/documents.ts';
import { ACCESS_LEVELS, MessageType } from '../../shared/protocol/frames.ts';
import { SYNC_PATH } from '../../shared/routes.ts';
import { ackCountingWebSocket } from './ackCountingSocket.ts';
import { PendingChanges } from './pendingChanges.ts';
import { deriveStatus, type ConnectionFacts, type DocStatus } from './status.ts';

export interface Identity {
  name: string;
  color: string;
}

const UNSAVED_KEY_PREFIX = 'guildhall:unsaved:';


/** The member's token rides as a subprotocol, out of URLs that proxies log; none for open communities. */
function subprotocols(token: string | null): string[] {
  return token ? [SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`] : [];
}

function syncServerUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SYNC_PATH}`;
}

/**
 * One open document (DESIGN §5): Y.Doc → IndexedDB (loaded first) → websocket provider, created
 * together and destroyed together. Tracks local-loaded and remote-synced separately, and which
 * local changes the relay has acknowledged as durable.
 */
export class DocSession {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  provider: WebsocketProvider | null = null;
  /** Resolves once the local copy (IndexedDB) is loaded into `doc`. */
  readonly whenLocalLoaded: Promise<void>;
  private readonly persistence: IndexeddbPersistence;
  private readonly pending: PendingChanges;
  private readonly listeners = new Set<() => void>();
  private facts: ConnectionFacts;
  private status: DocStatus;
  private destroyed = false;

  /** `memberToken` is asked again before every reconnect, so a renewed token is used at once. */
  constructor(readonly name: string, identity: Identity, private readonly memberToken: () => string | null = () => null) {
    this.pending = new PendingChanges(Number(localStorage.getItem(UNSAVED_KEY_PREFIX + name) ?? 0));
    this.facts = {
      localLoaded: false, hasContent: false, browserOnline: navigator.onLine, socketOpen: false, remoteSynced: false,
      unsaved: this.pending.count, handshakeAcked: false, readOnly: false, deviceWritesPending: 0,
      stoppedReason: null,
    };
    this.status = deriveStatus(this.facts);
    this.awareness.setLocalStateField('user', identity);
    this.persistence = new IndexeddbPersistence(name, this.doc);
    this.doc.on('update', this.onDocUpdate);
    window.addEventListener('online', this.onBrowserOnline);
    window.addEventListener('offline', this.onBrowserOffline);
    this.whenLocalLoaded = this.persistence.whenSynced.then(() => undefined);
    void this.whenLocalLoaded.then(() => {
      if (this.destroyed) return;
      this.update({ localLoaded: true, hasContent: this.doc.store.clients.size > 0 });
      this.connectProvider();
    });
  }

  getStatus = (): DocStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setIdentity(identity: Identity): void {
    this.awareness.setLocalStateField('user', identity);
  }

  /**
   * Stops syncing for good: the member lost access (removed from the community). What this
   * device holds stays readable; only a new session may connect again.
   */
  stop(reason: string): void {
    this.provider?.disconnect();
    this.update({ stoppedReason: reason, socketOpen: false, remoteSynced: false });
  }

  destroy(): void {
    this.destroyed = true;
    window.removeEventListener('online', this.onBrowserOnline);
    window.removeEventListener('offline', this.onBrowserOffline);
    this.doc.off('update', this.onDocUpdate);
    this.provider?.destroy();
    void this.persistence.destroy();
    this.awareness.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private connectProvider(): void {
    const provider = new WebsocketProvider(syncServerUrl(), this.name, this.doc, {
      awareness: this.awareness,
      connect: navigator.onLine && this.facts.stoppedReason === null,
      disableBc: true, // tabs sync through the relay, so "saved" always means durable there
      params: { [CAPABILITIES_PARAM]: `${Capability.ack},${Capability.access}`, [SCHEMA_PARAM]: String(SCHEMA_VERSION) },
      protocols: subprotocols(this.memberToken()),
      WebSocketPolyfill: ackCountingWebSocket({
        contentFrameSent: (kind) => this.pending.frameSent(kind),
      }),
    });
    provider.messageHandlers[MessageType.ack] = (_encoder, decoder) => {
      this.pending.acknowledged(decoding.readVarUint(decoder));
      this.update({ unsaved: this.pending.count, handshakeAcked: this.pending.handshakeAcked });
    };
    // The relay says what this member may do here, at connect and whenever their role changes.
    provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
      const readOnly = ACCESS_LEVELS[decoding.readVarUint(decoder)] !== 'write';
      const upgraded = this.facts.readOnly && !readOnly && this.facts.socketOpen;
      this.update({ readOnly });
      // Made a writer on a live socket (a member became facilitator): the relay dropped what this
      // connection sent while it could only read, so connect again for a handshake that counts.
      if (upgraded) {
        provider.disconnect();
        provider.connect();
      }
    };
    provider.on('status', ({ status }) => {
      if (status === 'connecting') {
        this.pending.connectionReset();
        this.update({ handshakeAcked: false });
      }
      if (status === 'connected') this.update({ stoppedReason: null });
      // The relay may have dropped our presence (the old socket died) at the same awareness
      // clock we would resend; bumping the clock makes others see us again at once.
      if (status === 'connected') this.awareness.setLocalState(this.awareness.getLocalState());
      this.update({ socketOpen: status === 'connected', remoteSynced: provider.synced });
    });
    provider.on('connection-close', () => {
      provider.protocols = subprotocols(this.memberToken());
      this.pending.connectionReset();
      this.update({ handshakeAcked: false });
    });
    provider.on('sync', (synced) => this.update(synced ? { remoteSynced: true, hasContent: true } : { remoteSynced: false }));
    provider.on('closed', ({ code, reason }) => this.update({ stoppedReason: reason || `closed (${code})` }));
    this.provider = provider;
  }

  /** Counts local changes; remote ones (origin: provider) and IndexedDB loads are not ours. */
  private readonly onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider || origin === this.persistence) return;
    this.pending.localChange();
    // A change made here (a meeting created from its series while offline) is content too.
    this.update({ unsaved: this.pending.count, hasContent: true });
    this.trackDeviceWrite();
  };

  /**
   * y-indexeddb (whose update listener ran before ours) has just queued this change's write. A
   * read-only transaction on the same store completes only after every write queued before it,
   * so its completion means the change is on the device.
   */
  private trackDeviceWrite(): void {
    const db = this.persistence.db;
    if (!db) return;
    this.update({ deviceWritesPending: this.facts.deviceWritesPending + 1 });
    const done = (): void => {
      if (!this.destroyed) this.update({ deviceWritesPending: this.facts.deviceWritesPending - 1 });
    };
    try {
      const probe = db.transaction('updates', 'readonly');
      probe.oncomplete = done;
      probe.onabort = done;
    } catch {
      done(); // the database is closing: nothing more will be written by this session
    }
  }

  private readonly onBrowserOnline = (): void => {
    this.update({ browserOnline: true });
    // After a permanent refusal (4400–4499) only a deliberate action may retry, not the network.
    if (this.facts.stoppedReason === null) this.provider?.connect();
  };

  /** `context.setOffline` and flaky networks leave sockets open: drop them ourselves. */
  private readonly onBrowserOffline = (): void => {
    this.update({ browserOnline: false, socketOpen: false, remoteSynced: false });
    this.provider?.disconnect();
  };

  private update(changes: Partial<ConnectionFacts>): void {
    const previousUnsaved = this.facts.unsaved;
    this.facts = { ...this.facts, ...changes };
    if (this.facts.unsaved !== previousUnsaved) {
      if (this.facts.unsaved === 0) localStorage.removeItem(UNSAVED_KEY_PREFIX + this.name);
      else localStorage.setItem(UNSAVED_KEY_PREFIX + this.name, String(this.facts.unsaved));
    }
    const next = deriveStatus(this.facts);
    const same = (Object.keys(next) as Array<keyof DocStatus>).every((key) => next[key] === this.status[key]);
    if (same && Object.keys(next).length === Object.keys(this.status).length) return;
    this.status = next;
    for (const listener of this.listeners) listener();
  }
}
