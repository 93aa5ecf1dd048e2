/**
 * What a member sees about one document's safety (DESIGN §5):
 *   loading    – reading the local copy from IndexedDB
 *   offline    – the browser is offline; edits are kept locally (`onDevice` once IndexedDB
 *                has them)
 *   connecting – trying to reach the relay
 *   syncing    – connected; exchanging state or waiting for acks
 *   saved      – connected, in sync, and every local change acknowledged as durable (for a
 *                read-only document: in sync)
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
  readOnly: boolean;
  /** Local changes not yet acknowledged as durable by the relay. */
  unsaved: number;
  /** Every local change has reached IndexedDB: a reload or crash keeps it. */
  onDevice: boolean;
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
  /** This connection's sync step 2 was acknowledged: the relay holds all local content. */
  handshakeAcked: boolean;
  /** Documents this member may only read send nothing to acknowledge. */
  readOnly: boolean;
  /** IndexedDB writes of local changes still in flight. */
  deviceWritesPending: number;
  stoppedReason: string | null;
}

export function deriveStatus(f: ConnectionFacts): DocStatus {
  const base = {
    ready: f.localLoaded && f.hasContent, readOnly: f.readOnly, unsaved: f.unsaved, onDevice: f.deviceWritesPending === 0,
  };
  if (!f.localLoaded) return { phase: 'loading', ...base };
  if (f.stoppedReason !== null) return { phase: 'stopped', ...base, reason: f.stoppedReason };
  if (!f.browserOnline) return { phase: 'offline', ...base };
  if (!f.socketOpen) return { phase: 'connecting', ...base };
  const durable = f.readOnly || (f.handshakeAcked && f.unsaved === 0);
  if (!f.remoteSynced || !durable) return { phase: 'syncing', ...base };
  return { phase: 'saved', ...base };
}

/** Which phase a page made of several documents shows: the one that needs attention most. */
const PHASE_RANK: Record<SyncPhase, number> = { saved: 0, syncing: 1, connecting: 2, offline: 3, stopped: 4, loading: 5 };

/**
 * One status for a page that works on several documents (a meeting: its notes, its control and
 * the community register): Saved only when every one is saved, with their unsaved changes added
 * up. Readiness and read-only come from the page's own document (`primary`).
 */
export function combineStatuses(primary: DocStatus, others: DocStatus[]): DocStatus {
  const all = [primary, ...others];
  const worst = all.reduce((a, b) => (PHASE_RANK[b.phase] > PHASE_RANK[a.phase] ? b : a));
  return {
    phase: worst.phase,
    ready: primary.ready,
    readOnly: primary.readOnly,
    unsaved: all.reduce((sum, s) => sum + s.unsaved, 0),
    onDevice: all.every((s) => s.onDevice),
    ...(worst.reason !== undefined ? { reason: worst.reason } : {}),
  };
}
