import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { encodeFrame } from '../../shared/protocol/frames.ts';
import { GAP_REPAIR_DELAY_MS, MAX_DOCUMENT_BYTES } from '../../shared/limits.ts';
import { createLogger } from '../log.ts';
import type { ClusterBus, DocumentListener, RemoteUpdate } from '../cluster/bus.ts';
import type { LogRow, StoredDocument } from '../storage/store.ts';
import { AppliedSeqs } from './appliedSeqs.ts';
import { ClientIdOwners, type ClientOwnership } from './clientIdOwners.ts';
import type { CommitQueue } from './commitQueue.ts';
import type { Connection } from './connection.ts';
import { broadcastWindowMs, FanOut } from './fanOut.ts';
import { PEER_ORIGIN, type Origin } from './origins.ts';
import { LogTail, type CompactionDeps } from './logTail.ts';
import { RoomAwareness } from './roomAwareness.ts';
import { summarize } from './snapshotSummary.ts';
import { LazyDocument } from './lazyDocument.ts';
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

export interface RoomDeps extends CompactionDeps {
  ownership: ClientOwnership;
  commits: CommitQueue;
  /** Runs after each committed client update; projections derive server-written facts here. */
  afterClientCommit(room: Room): void;
  /** The end of an editing session: members wrote here, and the last one left long enough ago to unload. */
  onSessionEnd(room: Room): void;
  onUnloaded(room: Room): void;
  /** How long a document stays loaded after its last client left and its last commit. */
  idleUnloadMs: number;
  /** The other relay nodes (DESIGN §4); null when this process is the only one. */
  bus: ClusterBus | null;
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
  /** Whether a member's update was committed since this room loaded (a session worth a version). */
  private editedThisSession = false;
  private readonly document: LazyDocument;
  readonly presence: RoomAwareness;
  readonly connections = new Set<Connection>();
  /** Committed updates on their way to the members, coalesced while the room is busy. */
  private readonly fanOut: FanOut<Connection>;
  readonly ready: Promise<void>;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  /** Log rows the document holds; with several nodes they can arrive out of order. */
  private readonly applied = new AppliedSeqs();
  /** Peer rows that arrived while loading, integrated once the load is in. */
  private arrivedWhileLoading: RemoteUpdate[] | null = [];
  private catchUpTimer: NodeJS.Timeout | null = null;
  private catchingUp: Promise<void> | null = null;
  private readonly tail: LogTail;
  private readonly clientIds: ClientIdOwners;
  /** Entries handed to the commit queue and not yet committed or failed. */
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Server changes run one at a time: each is computed from the state its predecessor left. */
  private serverChanges: Promise<void> = Promise.resolve();

  /**
   * Who wrote with each Yjs clientID in this document (a live view), so a projection can trace a
   * value to its writer: a member's update is bound before it is committed.
   */
  get clientOwners(): ReadonlyMap<number, string> {
    return this.clientIds.known;
  }

  constructor(readonly name: string, private readonly deps: RoomDeps) {
    this.document = new LazyDocument(name);
    this.tail = new LogTail(name, deps);
    this.clientIds = new ClientIdOwners(name, deps.ownership);
    this.fanOut = new FanOut(() => this.connections, broadcastWindowMs, (waitedMs) => deps.metrics.fannedOut(waitedMs / 1000));
    const bus = deps.bus;
    this.presence = new RoomAwareness(this.document.ydoc, {
      broadcast: (frame) => { for (const connection of this.connections) connection.send(frame); },
      publish: bus ? (update) => bus.publishAwareness(name, update) : null,
    });
    this.document.ydoc.on('update', this.onDerivedUpdate);
    this.closed = new Promise((resolve) => { this.resolveClosed = resolve; });
    this.ready = this.load();
    this.ready.catch(() => undefined); // failures are handled where `ready` is awaited
  }

  /** The document in memory (decoded on first use: LazyDocument). */
  get doc(): Y.Doc {
    return this.document.decoded;
  }

  get storedBytes(): number {
    return this.tail.storedBytes;
  }

  attach(connection: Connection): void {
    this.connections.add(connection);
    this.cancelIdle();
    this.ready.then(() => {
      if (connection.closed) return;
      const schema = this.document.schemaVersion;
      if (connection.clientSchema !== null && typeof schema === 'number' && schema > connection.clientSchema) {
        connection.limitToReading();
      }
      connection.send(encodeFrame({ type: 'syncStep1', stateVector: this.document.stateVector }));
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
    const stored = this.document.storedAnswer(stateVector);
    if (stored) return connection.send(encodeFrame({ type: 'syncStep2', update: stored }));
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
      // Lazily: a client that has nothing answers our step 1 with an empty update, which needs no document.
      ({ changesDoc, authors } = inspectUpdate(() => this.doc, update));
    } catch {
      return connection.close(CloseCode.malformedFrame, 'undecodable update');
    }
    const claim = connection.member
      ? this.clientIds.claim(connection.member.id, authors, (client) => this.doc.store.clients.has(client))
      : null;
    if (claim === false) return connection.close(CloseCode.forbidden, 'update extends another member\'s clientID');
    if (claim === 'unverified') {
      // Written on another node, owner not heard here yet: ask the directory; the client resends.
      this.clientIds.verify(authors);
      return connection.close(CloseCode.storageUnavailable, 'clientID owner being verified; resend');
    }
    if (changesDoc && this.storedBytes + update.length > MAX_DOCUMENT_BYTES) {
      return connection.close(CloseCode.documentTooLarge, 'document size limit reached');
    }
    const arrivedAt = performance.now();
    this.inFlight++;
    this.deps.commits.enqueue({
      doc: this.name,
      update: changesDoc ? update : null,
      committed: (seq) => {
        this.inFlight--;
        try {
          if (seq !== null) {
            if (this.recordCommitted(seq, update)) {
              Y.applyUpdate(this.doc, update, { kind: 'client', connection });
              this.fanOut.push(update, connection, arrivedAt);
            }
            this.deps.bus?.publishUpdate(this.name, seq, update, claim);
            this.editedThisSession = true;
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
    this.fanOut.flush();
    for (const connection of [...this.connections]) connection.close(code, 'document unloading');
    this.finishUnload();
  }

  async flushAndCompact(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.deps.commits.drain();
    if (this.state !== 'unloaded' && !this.tail.isEmpty) await this.compact();
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
    if (!inspectUpdate(() => this.doc, update).changesDoc) {
      this.scheduleIdleCheck();
      return;
    }
    if (this.storedBytes + update.length > MAX_DOCUMENT_BYTES) {
      throw new DocumentTooLargeError(`${this.name} would exceed its size limit`);
    }
    await this.commitServerUpdate(update, origin);
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
          if (this.recordCommitted(seq!, update)) {
            if (applyWith) Y.applyUpdate(this.doc, update, applyWith);
            this.fanOut.push(update, null);
          }
          this.deps.bus?.publishUpdate(this.name, seq!, update, null);
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

  /**
   * DESIGN §4 order: subscribe to the bus first, then read snapshot + tail in one consistent read,
   * then integrate what the bus delivered meanwhile; nothing committed in between can be missed.
   */
  private async load(): Promise<void> {
    try {
      await this.deps.bus?.join(this.name, this.peerListener);
      const [stored] = await Promise.all([this.deps.store.load(this.name), this.clientIds.load()]);
      this.document.load(stored);
      this.counted(stored);
      this.state = 'live';
      const arrived = this.arrivedWhileLoading ?? [];
      this.arrivedWhileLoading = null;
      for (const message of arrived.sort((a, b) => a.seq - b.seq)) this.onPeerUpdate(message);
      this.deps.bus?.queryAwareness(this.name);
      this.scheduleIdleCheck(); // loaded for a server change, or every client already left
    } catch (error) {
      log.error('document failed to load', { doc: this.name, error });
      this.finishUnload();
      throw error;
    }
  }

  /**
   * Reads snapshot + tail and merges it into the document; returns what the document did not
   * have yet, for its members. Also the recovery when rows a peer's catch-up needs were
   * compacted away.
   */
  private async readStored(origin: Origin): Promise<Uint8Array> {
    const stored = await this.deps.store.load(this.name);
    const before = Y.encodeStateVector(this.doc);
    this.document.merge(stored, origin);
    this.counted(stored);
    return Y.encodeStateAsUpdate(this.doc, before);
  }

  /** The rows a read from storage covered: in the document (or held back) and in the stored size. */
  private counted(stored: StoredDocument): void {
    this.applied.raiseTo(stored.tail.at(-1)?.seq ?? stored.snapshotSeq);
    this.tail.loaded(stored);
  }

  /** The bus's view of the document (DocumentListener); presence goes to RoomAwareness. */
  private readonly peerListener: DocumentListener = {
    update: (message) => this.onPeerUpdate(message),
    awareness: (node, update) => this.presence.applyPeer(node, update),
    awarenessQuery: () => this.presence.publishOwn(),
  };

  private onPeerUpdate(message: RemoteUpdate): void {
    if (message.claim) this.clientIds.heard(message.claim);
    if (this.arrivedWhileLoading) return void this.arrivedWhileLoading.push(message);
    this.applied.heardOf(message.seq);
    if (this.state !== 'live' || this.applied.has(message.seq)) return;
    if (message.update === null) return void this.catchUp(); // too large for the bus: read it
    this.integratePeerRow({ seq: message.seq, update: message.update });
  }

  /** A row another node committed: applied, counted and sent to this node's members. */
  private integratePeerRow(row: LogRow): void {
    if (this.applied.has(row.seq)) return;
    this.document.applyRow(row.update, row.seq, PEER_ORIGIN);
    this.count(row.seq, row.update);
    this.fanOut.push(row.update, null);
    // Not afterCommit(): a peer's writing must not keep a room this node's members left loaded.
    this.compactIfDue();
  }

  /**
   * Fills gaps from the database: the rows after the last contiguous one. If those were
   * compacted away meanwhile, the whole document is read again and merged. Also called by the
   * relay's anti-entropy when the database's head is ahead of this room.
   */
  catchUp(): Promise<void> {
    if (this.catchingUp) return this.catchingUp;
    this.catchingUp = this.readMissingRows()
      .catch((error: unknown) => log.warn('catch-up failed; anti-entropy retries', { doc: this.name, error }))
      .finally(() => { this.catchingUp = null; });
    return this.catchingUp;
  }

  /** The database's head for this document, from anti-entropy. */
  noticeHead(head: number): void {
    this.applied.heardOf(head);
    if (this.applied.behind && this.state === 'live') void this.catchUp();
  }

  private async readMissingRows(): Promise<void> {
    if (this.state !== 'live') return;
    const from = this.applied.through;
    const rows = await this.deps.store.readSince(this.name, from);
    if (this.state !== 'live') return;
    // Rows we know exist but cannot read were compacted into the snapshot by another node.
    const compactedAway = rows.length > 0 ? rows[0]!.seq > from + 1 : this.applied.known > from;
    if (compactedAway) {
      const merged = await this.readStored(PEER_ORIGIN);
      if (merged.length > 2) this.fanOut.push(merged, null); // 2 bytes: empty
      return;
    }
    const missing = rows.filter((row) => !this.applied.has(row.seq));
    for (const row of missing) this.integratePeerRow(row);
    if (missing.length > 0) this.deps.metrics.caughtUp(missing.length);
  }

  private scheduleCatchUp(): void {
    if (this.catchUpTimer || this.state !== 'live') return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      if (this.applied.behind) void this.catchUp();
    }, GAP_REPAIR_DELAY_MS);
    this.catchUpTimer.unref();
  }

  /**
   * Records a row this node committed. False when catch-up already integrated it (it read the
   * row back before the commit's own callback ran): then it is applied and sent already.
   */
  private recordCommitted(seq: number, update: Uint8Array): boolean {
    if (this.applied.has(seq)) return false;
    this.count(seq, update);
    return true;
  }

  private count(seq: number, update: Uint8Array): void {
    this.applied.add(seq);
    if (this.applied.behind) this.scheduleCatchUp();
    this.tail.appended(update.length);
  }

  private afterCommit(): void {
    this.compactIfDue();
    this.scheduleIdleCheck();
  }

  private compactIfDue(): void {
    if (this.tail.due) void this.compact();
  }

  /**
   * Merges the document into the snapshot (DESIGN §3), through the last contiguous row: the
   * snapshot holds all of them (and maybe rows above, which the log keeps as well; applying them
   * twice changes nothing).
   */
  private compact(): Promise<void> {
    return this.tail.compact(() => ({ throughSeq: this.applied.through, snapshot: Y.encodeStateAsUpdate(this.doc), summary: summarize(this.doc) }));
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
    if (this.editedThisSession) this.deps.onSessionEnd(this);
    await this.flushAndCompact();
    this.finishUnload();
  }

  private finishUnload(): void {
    if (this.state === 'unloaded') return;
    this.state = 'unloaded';
    this.cancelIdle();
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.deps.bus?.leave(this.name);
    this.presence.destroy();
    this.fanOut.destroy();
    this.document.ydoc.off('update', this.onDerivedUpdate);
    this.document.destroy();
    this.deps.onUnloaded(this);
    this.resolveClosed();
  }
}

