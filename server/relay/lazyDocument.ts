import * as Y from 'yjs';
import { META_ROOT } from '../../shared/schema/documents.ts';
import { createLogger } from '../log.ts';
import type { SnapshotSummary, StoredDocument } from '../storage/store.ts';
import { STORAGE_ORIGIN, type Origin } from './origins.ts';

const log = createLogger('relay:room');

type ServableSnapshot = StoredDocument & { snapshot: Uint8Array; snapshotSummary: SnapshotSummary };

/**
 * A room's Y.Doc, decoded from storage only when something needs its content — a write, a
 * client that holds part of it already, a server change, a peer's row. Decoding a long-edited
 * document takes tens of milliseconds (the paper trace: ~60 ms), while a client that has nothing
 * can be sent the stored snapshot as it is, and the snapshot's summary answers what the relay
 * must say before that (its state vector, who may write). Only a snapshot with a summary and no
 * log rows after it is held back; anything else is decoded at once.
 */
export class LazyDocument {
  /** The instance itself exists from the start: presence and listeners attach to it. */
  readonly ydoc: Y.Doc;
  private undecoded: ServableSnapshot | null = null;

  constructor(private readonly name: string) {
    // Named after the document: the default GUID is a random UUID, which costs a noticeable
    // share of opening a room when hundreds open at once, and nothing on the server reads it.
    this.ydoc = new Y.Doc({ gc: true, guid: name });
  }

  /** The document in memory, decoded first if it was held back. */
  get decoded(): Y.Doc {
    if (this.undecoded) {
      const stored = this.undecoded;
      this.undecoded = null;
      this.merge(stored, STORAGE_ORIGIN);
    }
    return this.ydoc;
  }

  get schemaVersion(): unknown {
    return this.undecoded ? this.undecoded.snapshotSummary.schemaVersion : this.ydoc.getMap(META_ROOT).get('schemaVersion');
  }

  get stateVector(): Uint8Array {
    return this.undecoded ? this.undecoded.snapshotSummary.stateVector : Y.encodeStateVector(this.ydoc);
  }

  /** A document just read from storage: held back when it can be served as stored, else decoded. */
  load(stored: StoredDocument): void {
    if (stored.snapshot && stored.snapshotSummary && stored.tail.length === 0) {
      this.undecoded = { ...stored, snapshot: stored.snapshot, snapshotSummary: stored.snapshotSummary };
    } else {
      this.merge(stored, STORAGE_ORIGIN);
    }
  }

  /** The stored snapshot, when it is the whole answer to `stateVector` (a client holding nothing). */
  storedAnswer(stateVector: Uint8Array): Uint8Array | null {
    return this.undecoded && isEmptyStateVector(stateVector) ? this.undecoded.snapshot : null;
  }

  /** Applies stored content (snapshot and rows) in one transaction; a row that fails is skipped. */
  merge(stored: StoredDocument, origin: Origin): void {
    const doc = this.decoded;
    doc.transact(() => {
      if (stored.snapshot) this.applyRow(stored.snapshot, stored.snapshotSeq, origin);
      for (const row of stored.tail) this.applyRow(row.update, row.seq, origin);
    }, origin);
  }

  /**
   * Validation runs before anything is stored, but a row that still fails to apply must not
   * make the whole document unloadable: it is skipped and reported.
   */
  applyRow(update: Uint8Array, seq: number, origin: Origin): void {
    try {
      Y.applyUpdate(this.decoded, update, origin);
    } catch (error) {
      log.error('stored update does not apply; skipped', { doc: this.name, seq, error });
    }
  }

  destroy(): void {
    this.undecoded = null;
    this.ydoc.destroy();
  }
}

/** A client with nothing yet: its state vector has no entries (Y.encodeStateVector of an empty doc). */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}
