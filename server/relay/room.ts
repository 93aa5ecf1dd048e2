import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { encodeFrame } from '../../shared/protocol/frames.ts';
import {
  COMPACT_AFTER_TAIL_ROWS, COMPACT_MIN_TAIL_ROWS, MAX_DOCUMENT_BYTES, WARN_DOCUMENT_BYTES,
} from '../../shared/limits.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import { createLogger } from '../log.ts';
import type { DocStore } from '../storage/store.ts';
import type { CommitQueue } from './commitQueue.ts';
import type { Connection } from './connection.ts';
import { STORAGE_ORIGIN, type Origin } from './origins.ts';
import { RoomAwareness } from './roomAwareness.ts';
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

/** Who first wrote with each Yjs clientID, per document (the directory keeps it). */
export interface ClientOwnership {
  clientOwners(doc: string): Promise<Map<number, string>>;
  bindClients(doc: string, clientIds: readonly number[], memberId: string): Promise<void>;
}

export interface RoomDeps {
  store: DocStore;
  ownership: ClientOwnership;
  commits: CommitQueue;
  /** Runs after each committed client update; projections derive server-written facts here. */
  afterClientCommit(room: Room): void;
  onUnloaded(room: Room): void;
  /** How long a document stays loaded after its last client left and its last commit. */
  idleUnloadMs: number;
}

export class DocumentTooLargeError extends Error {}

/**
 * One document in memory. Invariant: its Y.Doc holds committed content only — updates are
 * applied after their commit returned, server changes included — so whatever it tells a client
 * (sync step 2) is durable (R4).
 *
 * One exception Yjs imposes: after integrating a remote update, Y.Text cleans up redundant
 * formatting in a transaction of its own (origin null). Those derived deletions follow
 * deterministically from committed content; they are committed and broadcast to everyone as soon
 * as they appear (`onDerivedUpdate`), or members would never receive them.
 */
export class Room {
  state: RoomState = 'loading';
  readonly doc = new Y.Doc({ gc: true });
  readonly presence: RoomAwareness;
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
  /** clientID → member id: a member may not extend another member's clientID. */
  private clientOwners = new Map<number, string>();
  /** Server changes run one at a time: each is computed from the state its predecessor left. */
  private serverChanges: Promise<void> = Promise.resolve();

  constructor(readonly name: string, private readonly deps: RoomDeps) {
    this.presence = new RoomAwareness(this.doc, (frame) => this.broadcast(frame, null));
    this.doc.on('update', this.onDerivedUpdate);
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
      const schema = this.doc.getMap(META_ROOT).get('schemaVersion');
      if (connection.clientSchema !== null && typeof schema === 'number' && schema > connection.clientSchema) {
        connection.limitToReading();
      }
      connection.send(encodeFrame({ type: 'syncStep1', stateVector: Y.encodeStateVector(this.doc) }));
      if (this.presence.awareness.getStates().size > 0) this.sendAwarenessStates(connection);
      connection.start();
    }, () => connection.close(CloseCode.storageUnavailable, 'document could not be loaded'));
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.presence.release(connection);
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
    let authors: Set<number>;
    try {
      ({ changesDoc, authors } = inspectUpdate(this.doc, update));
    } catch {
      return connection.close(CloseCode.malformedFrame, 'undecodable update');
    }
    if (connection.member && !this.claimClients(connection.member.id, authors)) {
      return connection.close(CloseCode.forbidden, 'update extends another member\'s clientID');
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
        try {
          if (seq !== null) {
            this.recordCommitted(seq, update);
            this.applyAndBroadcast(update, { kind: 'client', connection }, connection);
            this.deps.afterClientCommit(this);
          }
        } finally {
          // Stored is stored: the sender learns it even if applying or a projection failed.
          connection.acknowledge(index);
          this.afterCommit();
        }
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
   * A server-side change (API, projections). `mutate` runs on a scratch copy of the document;
   * the resulting update goes through the same commit queue and reaches this room's document
   * and its members only after the commit, like a client's.
   */
  change(origin: Origin, mutate: (doc: Y.Doc) => void): Promise<void> {
    const run = this.serverChanges.then(() => this.changeNow(origin, mutate));
    this.serverChanges = run.catch(() => undefined);
    return run;
  }

  applyAwareness(connection: Connection, update: Uint8Array): void {
    this.presence.apply(connection, update);
  }

  /** Answers a query for presence, or greets a joining client; a query is answered even when empty. */
  sendAwarenessStates(connection: Connection): void {
    connection.send(this.presence.snapshotFrame());
  }

  /** Closes every connection and unloads at once (shutdown). */
  unload(code: number = CloseCode.goingAway): void {
    for (const connection of [...this.connections]) connection.close(code, 'document unloading');
    this.finishUnload();
  }

  async flushAndCompact(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.deps.commits.drain();
    if (this.state !== 'unloaded' && this.tailRows > 0) await this.compact();
  }

  private async changeNow(origin: Origin, mutate: (doc: Y.Doc) => void): Promise<void> {
    await this.ready;
    if (this.state !== 'live') throw new Error(`room ${this.name} is ${this.state}`);
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
    const before = Y.encodeStateVector(scratch);
    scratch.transact(() => mutate(scratch), origin);
    const update = Y.encodeStateAsUpdate(scratch, before);
    scratch.destroy();
    if (!inspectUpdate(this.doc, update).changesDoc) {
      this.scheduleIdleCheck();
      return;
    }
    if (this.storedBytes + update.length > MAX_DOCUMENT_BYTES) {
      throw new DocumentTooLargeError(`${this.name} would exceed its size limit`);
    }
    await this.commitServerUpdate(update, origin);
  }

  /**
   * Binds each new clientID to the member who first writes with it, in memory at once (so the
   * check stays in frame order) and in the directory behind it. False if one belongs to another.
   */
  private claimClients(memberId: string, authors: Set<number>): boolean {
    const fresh: number[] = [];
    for (const client of authors) {
      const owner = this.clientOwners.get(client);
      if (owner === undefined) fresh.push(client);
      else if (owner !== memberId) return false;
    }
    if (fresh.length === 0) return true;
    for (const client of fresh) this.clientOwners.set(client, memberId);
    this.deps.ownership.bindClients(this.name, fresh, memberId)
      .catch((error: unknown) => log.error('clientID binding not stored', { doc: this.name, error }));
    return true;
  }

  /** Every transaction of ours carries an origin; a null one is Yjs deriving a change itself. */
  private readonly onDerivedUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== null) return;
    // Already in the document; if it is not stored, the next load derives it again.
    this.commitServerUpdate(update, null)
      .catch((error: unknown) => log.warn('derived update not stored', { doc: this.name, error }));
  };

  /**
   * Commits an update the server produced, then applies it (unless the document already has it:
   * `applyWith` null) and sends it to every member.
   */
  private commitServerUpdate(update: Uint8Array, applyWith: Origin | null): Promise<void> {
    this.inFlight++;
    return new Promise<void>((resolve, reject) => this.deps.commits.enqueue({
      doc: this.name,
      update,
      committed: (seq) => {
        this.inFlight--;
        try {
          this.recordCommitted(seq!, update);
          if (applyWith) Y.applyUpdate(this.doc, update, applyWith);
          this.broadcast(encodeFrame({ type: 'syncUpdate', update }), null);
        } finally {
          this.afterCommit();
          resolve();
        }
      },
      failed: (error) => {
        this.inFlight--;
        this.afterCommit();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    }));
  }

  private async load(): Promise<void> {
    try {
      const [stored, owners] = await Promise.all([this.deps.store.load(this.name), this.deps.ownership.clientOwners(this.name)]);
      this.clientOwners = owners;
      this.doc.transact(() => {
        if (stored.snapshot) this.applyStored(stored.snapshot, stored.snapshotSeq);
        for (const row of stored.tail) this.applyStored(row.update, row.seq);
      }, STORAGE_ORIGIN);
      this.headSeq = stored.tail.at(-1)?.seq ?? stored.snapshotSeq;
      this.snapshotBytes = stored.snapshot?.length ?? 0;
      this.tailRows = stored.tail.length;
      this.tailBytes = stored.tail.reduce((sum, row) => sum + row.update.length, 0);
      this.state = 'live';
      this.scheduleIdleCheck(); // loaded for a server change, or every client already left
    } catch (error) {
      log.error('document failed to load', { doc: this.name, error });
      this.finishUnload();
      throw error;
    }
  }

  /**
   * Validation runs before anything is stored, but a row that still fails to apply must not
   * make the whole document unloadable: it is skipped and reported.
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

  private applyAndBroadcast(update: Uint8Array, origin: Origin, sender: Connection | null): void {
    Y.applyUpdate(this.doc, update, origin);
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

  /** Merges everything through the current head into the snapshot (DESIGN §3). */
  private async compact(): Promise<void> {
    if (this.compacting) return;
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
    this.presence.destroy();
    this.doc.off('update', this.onDerivedUpdate);
    this.doc.destroy();
    this.deps.onUnloaded(this);
    this.resolveClosed();
  }
}
