import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { encodeFrame } from '../../shared/protocol/frames.ts';
import {
  COMPACT_AFTER_TAIL_ROWS, COMPACT_MIN_TAIL_ROWS, MAX_DOCUMENT_BYTES,
  WARN_DOCUMENT_BYTES,
} from '../../shared/limits.ts';
import { createLogger } from '../log.ts';
import type { DocStore } from '../storage/store.ts';
import type { CommitQueue } from './commitQueue.ts';
import type { Connection } from './connection.ts';
import { STORAGE_ORIGIN, type Origin } from './origins.ts';
import { inspectUpdate } from './updates.ts';

const log = createLogger('relay:room');

/**
 * loading  → the document is being read from storage; connections wait, their frames queue.
 * live     → serving.
 * draining → idle: pending commits finish and a final compaction runs; new connections wait
 *            for `closed` and then get a fresh room.
 * unloaded → gone from memory.
 */
export type RoomState = 'loading' | 'live' | 'draining' | 'unloaded';

export interface RoomDeps {
  store: DocStore;
  commits: CommitQueue;
  /** Runs after each committed client update; projections derive server-written facts here. */
  afterClientCommit(room: Room): void;
  onUnloaded(room: Room): void;
  /** How long a document stays loaded after its last client left and its last commit. */
  idleUnloadMs: number;
}

/**
 * One document in memory. Its Y.Doc only ever holds committed content, so whatever it tells a
 * client (sync step 2) is durable. The one exception is `change()`, documented there.
 */
export class Room {
  state: RoomState = 'loading';
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  readonly ready: Promise<void>;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private headSeq = 0;
  private tailRows = 0;
  private tailBytes = 0;
  private snapshotBytes = 0;
  /** Entries handed to the commit queue and not yet committed or failed. */
  private inFlight = 0;
  private compacting = false;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Awareness clientIDs each connection controls, so they are removed when it leaves. */
  private readonly awarenessOwners = new Map<Connection, Set<number>>();
  private readonly changedAwareness = new Set<number>();
  private awarenessFlushScheduled = false;

  constructor(readonly name: string, private readonly deps: RoomDeps) {
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.closed = new Promise((resolve) => { this.resolveClosed = resolve; });
    this.ready = this.load();
    this.ready.catch(() => undefined); // failures are handled where `ready` is awaited
  }

  get storedBytes(): number {
    return this.snapshotBytes + this.tailBytes;
  }

  attach(connection: Connection): void {
    this.connections.add(connection);
    this.cancelIdle();
    this.ready.then(() => {
      if (connection.closed) return;
      connection.send(encodeFrame({ type: 'syncStep1', stateVector: Y.encodeStateVector(this.doc) }));
      if (this.awareness.getStates().size > 0) this.sendAwarenessStates(connection);
      connection.start();
    }, () => connection.close(CloseCode.storageUnavailable, 'document could not be loaded'));
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    const owned = this.awarenessOwners.get(connection);
    this.awarenessOwners.delete(connection);
    if (owned && owned.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...owned], null);
    }
    this.scheduleIdleCheck();
  }

  answerStep1(connection: Connection, stateVector: Uint8Array): void {
    let update: Uint8Array;
    try {
      update = Y.encodeStateAsUpdate(this.doc, stateVector);
    } catch {
      return connection.close(CloseCode.malformedFrame, 'undecodable state vector');
    }
    connection.send(encodeFrame({ type: 'syncStep2', update }));
  }

  /**
   * Write path (DESIGN §2) for the `index`-th content frame of `connection`: validate, then
   * queue for group commit; apply, broadcast and ack only once the commit returned.
   */
  submit(connection: Connection, index: number, update: Uint8Array): void {
    let changesDoc: boolean;
    try {
      changesDoc = inspectUpdate(this.doc, update).changesDoc;
    } catch {
      return connection.close(CloseCode.malformedFrame, 'undecodable update');
    }
    if (changesDoc && this.storedBytes + update.length > MAX_DOCUMENT_BYTES) {
      return connection.close(CloseCode.documentTooLarge, 'document size limit reached');
    }
    this.inFlight++;
    this.deps.commits.enqueue({
      doc: this.name,
      update: changesDoc ? update : null,
      committed: (seq) => {
        this.inFlight--;
        if (seq !== null) {
          this.recordCommitted(seq, update);
          this.applyCommitted(update, { kind: 'client', connection });
          this.deps.afterClientCommit(this);
        }
        connection.acknowledge(index);
        this.afterCommit();
      },
      failed: (error) => {
        this.inFlight--;
        log.error('commit failed; connection must resync', { doc: this.name, error });
        // No ack, no broadcast. Closing makes the client reconnect and resend (sync step 2).
        connection.close(CloseCode.storageUnavailable, 'update not stored');
        this.afterCommit();
      },
    });
  }

  /**
   * A server-side change (API, projections). Unlike client updates it is applied to the
   * in-memory document before the commit, because the update only exists once a transaction
   * produced it. If the commit then fails, the room is closed and reloads from storage; the
   * change was not acknowledged to anyone, and clients that already saw it simply hold it.
   */
  async change(origin: Origin, mutate: (doc: Y.Doc) => void): Promise<void> {
    await this.ready;
    if (this.state !== 'live') throw new Error(`room ${this.name} is ${this.state}`);
    const updates: Uint8Array[] = [];
    const capture = (update: Uint8Array): void => { updates.push(update); };
    this.doc.on('update', capture);
    try {
      this.doc.transact(() => mutate(this.doc), origin);
    } finally {
      this.doc.off('update', capture);
    }
    if (updates.length === 0) return;
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    this.inFlight++;
    await new Promise<void>((resolve, reject) => this.deps.commits.enqueue({
      doc: this.name,
      update,
      committed: (seq) => {
        this.inFlight--;
        this.recordCommitted(seq!, update);
        this.broadcast(encodeFrame({ type: 'syncUpdate', update }), null);
        this.afterCommit();
        resolve();
      },
      failed: (error) => {
        this.inFlight--;
        log.error('server change not stored; reloading document', { doc: this.name, error });
        this.unload(CloseCode.storageUnavailable);
        reject(error);
      },
    }));
  }

  applyAwareness(connection: Connection, update: Uint8Array): void {
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
    } catch {
      connection.close(CloseCode.malformedFrame, 'undecodable awareness update');
    }
  }

  sendAwarenessStates(connection: Connection): void {
    const clients = [...this.awareness.getStates().keys()];
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
    connection.send(encodeFrame({ type: 'awareness', update }));
  }

  /** Closes every connection and unloads at once (shutdown, storage failure). */
  unload(code: number = CloseCode.goingAway): void {
    for (const connection of [...this.connections]) connection.close(code, 'document unloading');
    this.finishUnload();
  }

  async flushAndCompact(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.deps.commits.drain();
    if (this.state !== 'unloaded' && this.tailRows > 0) await this.compact();
  }

  private async load(): Promise<void> {
    try {
      const stored = await this.deps.store.load(this.name);
      this.doc.transact(() => {
        if (stored.snapshot) this.applyStored(stored.snapshot, stored.snapshotSeq);
        for (const row of stored.tail) this.applyStored(row.update, row.seq);
      }, STORAGE_ORIGIN);
      this.headSeq = stored.tail.at(-1)?.seq ?? stored.snapshotSeq;
      this.snapshotBytes = stored.snapshot?.length ?? 0;
      this.tailRows = stored.tail.length;
      this.tailBytes = stored.tail.reduce((sum, row) => sum + row.update.length, 0);
      this.state = 'live';
    } catch (error) {
      log.error('document failed to load', { doc: this.name, error });
      this.finishUnload();
      throw error;
    }
  }

  /**
   * Validation decodes every update before it is stored, but a row that still fails to apply
   * must not make the whole document unloadable: it is skipped and reported.
   */
  private applyStored(update: Uint8Array, seq: number): void {
    try {
      Y.applyUpdate(this.doc, update, STORAGE_ORIGIN);
    } catch (error) {
      log.error('stored update does not apply; skipped', { doc: this.name, seq, error });
    }
  }

  private recordCommitted(seq: number, update: Uint8Array): void {
    if (seq !== this.headSeq + 1) {
      // Only this process writes this store, so a gap means a bug, not a race.
      log.error('sequence gap', { doc: this.name, expected: this.headSeq + 1, got: seq });
    }
    this.headSeq = seq;
    this.tailRows++;
    this.tailBytes += update.length;
    if (this.storedBytes > WARN_DOCUMENT_BYTES && this.storedBytes - update.length <= WARN_DOCUMENT_BYTES) {
      log.warn('document is large', { doc: this.name, bytes: this.storedBytes });
    }
  }

  private applyCommitted(update: Uint8Array, origin: Origin): void {
    Y.applyUpdate(this.doc, update, origin);
    const sender = origin.kind === 'client' ? origin.connection : null;
    this.broadcast(encodeFrame({ type: 'syncUpdate', update }), sender);
  }

  private broadcast(frame: Uint8Array, except: Connection | null): void {
    for (const connection of this.connections) {
      if (connection !== except) connection.send(frame);
    }
  }

  private afterCommit(): void {
    const bytesRuleDue = this.snapshotBytes > 0 && this.tailBytes >= this.snapshotBytes;
    if (this.tailRows >= COMPACT_AFTER_TAIL_ROWS || (bytesRuleDue && this.tailRows >= COMPACT_MIN_TAIL_ROWS)) {
      void this.compact();
    }
    this.scheduleIdleCheck();
  }

  /**
   * Merges everything through the current head into the snapshot. Skipped while a server change
   * is in flight, since the in-memory document then holds content not yet committed.
   */
  private async compact(): Promise<void> {
    if (this.compacting || this.inFlight > 0) return;
    this.compacting = true;
    const throughSeq = this.headSeq;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const rows = this.tailRows;
    const bytes = this.tailBytes;
    try {
      await this.deps.store.compact(this.name, throughSeq, snapshot);
      this.snapshotBytes = snapshot.length;
      this.tailRows -= rows;
      this.tailBytes -= bytes;
    } catch (error) {
      log.error('compaction failed; the log stays as it was', { doc: this.name, error });
    } finally {
      this.compacting = false;
    }
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const connection = origin as Connection | null;
    if (connection && this.connections.has(connection)) {
      let owned = this.awarenessOwners.get(connection);
      if (!owned) this.awarenessOwners.set(connection, (owned = new Set()));
      // `updated` too: a member reconnecting within the awareness timeout re-announces a state
      // the room still holds, and this connection must own it, or its drop leaves a ghost.
      for (const client of [...added, ...updated]) owned.add(client);
      for (const client of removed) owned.delete(client);
    }
    for (const client of [...added, ...updated, ...removed]) this.changedAwareness.add(client);
    this.scheduleAwarenessFlush();
  };

  /**
   * Awareness changes are coalesced per document per tick and sent to every connection, the
   * sender included: y-websocket clients count their own echoed state as liveness.
   */
  private scheduleAwarenessFlush(): void {
    if (this.awarenessFlushScheduled) return;
    this.awarenessFlushScheduled = true;
    setImmediate(() => {
      this.awarenessFlushScheduled = false;
      const clients = [...this.changedAwareness];
      this.changedAwareness.clear();
      if (clients.length === 0 || this.state === 'unloaded') return;
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
      this.broadcast(encodeFrame({ type: 'awareness', update }), null);
    });
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private scheduleIdleCheck(): void {
    if (this.connections.size > 0 || this.state !== 'live') return;
    this.cancelIdle();
    this.idleTimer = setTimeout(() => void this.drainIfIdle(), this.deps.idleUnloadMs);
    this.idleTimer.unref();
  }

  private async drainIfIdle(): Promise<void> {
    if (this.connections.size > 0 || this.inFlight > 0 || this.state !== 'live') return;
    this.state = 'draining';
    await this.flushAndCompact();
    this.finishUnload();
  }

  private finishUnload(): void {
    if (this.state === 'unloaded') return;
    this.state = 'unloaded';
    this.cancelIdle();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.deps.onUnloaded(this);
    this.resolveClosed();
  }
}
