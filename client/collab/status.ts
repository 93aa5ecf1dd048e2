/**
 * What a member sees about one document's safety (DESIGN §5):
 *   loading    – reading the local copy from IndexedDB
 *   offline    – the browser is offline; edits are kept locally
 *   connecting – trying to reach the relay
 *   syncing    – connected; exchanging state or waiting for acks
 *   saved      – connected, in sync, and every local change acknowledged as durable
 *   stopped    – the relay refused the connection for good (reason says why)
 *
 * `ready` says whether the document can be shown and edited: it has a local copy, or it has
 * synced with the relay once. A document never opened on this device is not editable before
 * its first sync, so nobody types into an empty shell that the server's template then joins.
 */
export type SyncPhase = 'loading' | 'offline' | 'connecting' | 'syncing' | 'saved' | 'stopped';

export interface DocStatus {
  phase: SyncPhase;
  ready: boolean;
  /** Local changes not yet acknowledged as durable by the relay. */
  unsaved: number;
  reason?: string;
}

export interface ConnectionFacts {
  localLoaded: boolean;
  /** The local copy had content, or the relay's state arrived at least once. */
  hasContent: boolean;
  browserOnline: boolean;
  socketOpen: boolean;
  remoteSynced: boolean;
  unsaved: number;
  stoppedReason: string | null;
}

export function deriveStatus(f: ConnectionFacts): DocStatus {
  const unsaved = f.unsaved;
  const ready = f.localLoaded && f.hasContent;
  if (!f.localLoaded) return { phase: 'loading', ready, unsaved };
  if (f.stoppedReason !== null) return { phase: 'stopped', ready, unsaved, reason: f.stoppedReason };
  if (!f.browserOnline) return { phase: 'offline', ready, unsaved };
  if (!f.socketOpen) return { phase: 'connecting', ready, unsaved };
  if (!f.remoteSynced || unsaved > 0) return { phase: 'syncing', ready, unsaved };
  return { phase: 'saved', ready, unsaved };
}
