/**
 * What a member sees about one document's safety (DESIGN §5):
 *   loading    – reading the local copy from IndexedDB
 *   offline    – the browser is offline; edits are kept locally
 *   connecting – trying to reach the relay
 *   syncing    – connected; exchanging state or waiting for acks
 *   saved      – connected, in sync, and every local change acknowledged as durable
 *   stopped    – the relay refused the connection for good (reason says why)
 */
export type SyncPhase = 'loading' | 'offline' | 'connecting' | 'syncing' | 'saved' | 'stopped';

export interface DocStatus {
  phase: SyncPhase;
  /** Local changes not yet acknowledged as durable by the relay. */
  unsaved: number;
  reason?: string;
}

export interface ConnectionFacts {
  localLoaded: boolean;
  browserOnline: boolean;
  socketOpen: boolean;
  remoteSynced: boolean;
  unsaved: number;
  stoppedReason: string | null;
}

export function deriveStatus(f: ConnectionFacts): DocStatus {
  const unsaved = f.unsaved;
  if (!f.localLoaded) return { phase: 'loading', unsaved };
  if (f.stoppedReason !== null) return { phase: 'stopped', unsaved, reason: f.stoppedReason };
  if (!f.browserOnline) return { phase: 'offline', unsaved };
  if (!f.socketOpen) return { phase: 'connecting', unsaved };
  if (!f.remoteSynced || unsaved > 0) return { phase: 'syncing', unsaved };
  return { phase: 'saved', unsaved };
}
