import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import { ACCESS_RANK, accessFor } from '../../shared/access.ts';
import { parseDocName, type DocName } from '../../shared/docNames.ts';
import { CAPABILITIES_PARAM, parseCapabilities, SCHEMA_PARAM } from '../../shared/protocol/capabilities.ts';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { SYNC_PATH } from '../../shared/routes.ts';
import {
  ANTI_ENTROPY_INTERVAL_MS, IDLE_DOCUMENT_UNLOAD_MS, MAX_CONNECTIONS_PER_DOCUMENT, MAX_FRAME_BYTES, PING_INTERVAL_MS, SHUTDOWN_FLUSH_TIMEOUT_MS,
} from '../../shared/limits.ts';
import { createLogger } from '../log.ts';
import { authorizeUpgrade, selectSubprotocol, type UpgradeAuthOptions } from '../auth/upgradeAuth.ts';
import type { ClusterBus } from '../cluster/bus.ts';
import { NO_METRICS, type RelayMetrics } from '../metrics.ts';
import { principalOf, type MembershipChange } from '../directory/directory.ts';
import type { DocStore } from '../storage/store.ts';
import { CommitQueue } from './commitQueue.ts';
import { Connection } from './connection.ts';
import type { Origin } from './origins.ts';
import { Room } from './room.ts';

const log = createLogger('relay');
const SYNC_PATH_PREFIX = `${SYNC_PATH}/`;

export interface RelayOptions {
  store: DocStore;
  auth: UpgradeAuthOptions;
  /** Projections run after each committed client update (server/projections). */
  projections?: ReadonlyArray<(room: Room, relay: Relay) => void>;
  /** Called when a document members edited unloads after its last client left (version history). */
  onSessionEnd?: (room: Room, relay: Relay) => void;
  /** Defaults to IDLE_DOCUMENT_UNLOAD_MS; tests shorten it. */
  idleUnloadMs?: number;
  /**
   * Set when other relay nodes share the store (DESIGN §4): rows they commit arrive over the bus
   * (null: none, then anti-entropy alone carries them, within ANTI_ENTROPY_INTERVAL_MS).
   */
  cluster?: { nodeId: string; bus: ClusterBus | null };
  metrics?: RelayMetrics;
}

/** Rooms by document name, websocket upgrades, liveness and shutdown. */
export class Relay {
  private readonly rooms = new Map<string, Room>();
  private readonly wss = new WebSocketServer({
    noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handleProtocols: selectSubprotocol,
  });
  readonly commits: CommitQueue;
  private accepting = true;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stopListening: Array<() => void> = [];

  constructor(private readonly options: RelayOptions) {
    const metrics = options.metrics ?? NO_METRICS;
    this.commits = new CommitQueue(options.store, (stats) => metrics.committed(stats));
    this.every(PING_INTERVAL_MS, () => this.heartbeat());
    this.stopListening.push(options.auth.directory.onChange((change) => void this.reviewMember(change)));
    const bus = options.cluster?.bus;
    if (options.cluster) this.every(ANTI_ENTROPY_INTERVAL_MS, () => void this.antiEntropy());
    if (bus) {
      this.stopListening.push(
        bus.onNodeGone((node) => { for (const room of this.rooms.values()) room.presence.releasePeer(node); }),
        bus.onReconnected(() => this.afterBusOutage(bus)),
      );
    }
  }

  get stats(): { documents: number; connections: number } {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.connections.size;
    return { documents: this.rooms.size, connections };
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.accepting) return refuse(socket, 503, 'Service Unavailable');
    const url = parseTarget(request.url);
    const docName = url?.pathname.slice(SYNC_PATH_PREFIX.length) ?? '';
    const parsed = url?.pathname.startsWith(SYNC_PATH_PREFIX) ? parseDocName(docName) : null;
    if (!url || !parsed) return refuse(socket, 400, 'Bad Request');
    const capabilities = parseCapabilities(url.searchParams.get(CAPABILITIES_PARAM));
    // Nothing is sent before the decision: a refused client learns only the HTTP status.
    authorizeUpgrade(this.options.auth, request, url, parsed).then((decision) => {
      if (!decision.ok) return refuse(socket, decision.status, decision.status === 401 ? 'Unauthorized' : 'Forbidden');
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        void this.roomFor(docName).then((room) => {
          if (room.connections.size >= MAX_CONNECTIONS_PER_DOCUMENT) {
            ws.close(CloseCode.documentFull, 'too many connections to this document');
            return;
          }
          const connection = new Connection(ws, room, decision.access, {
            capabilities, member: decision.member, expiresAt: decision.expiresAt, clientSchema: parseSchema(url),
          });
          room.attach(connection);
          // The membership may have changed while the upgrade waited (e.g. for an unloading room).
          if (connection.member) void this.review(connection);
        });
      });
    }, (error: unknown) => {
      log.error('authorization failed', { error });
      refuse(socket, 503, 'Service Unavailable');
    });
  }

  /**
   * A member's role changed or they were removed: every live socket of theirs is closed or its
   * access re-decided at once, on this node (DESIGN §1 revocation).
   */
  private async reviewMember(change: MembershipChange): Promise<void> {
    const affected = [...this.rooms.values()].flatMap((room) => [...room.connections].filter((c) =>
      c.member !== null && (change.memberId === null || (c.member.id === change.memberId && c.member.communityId === change.communityId))));
    for (const connection of affected) await this.review(connection);
  }

  /** Re-decides one member connection's access from the directory: close, downgrade or upgrade. */
  private async review(connection: Connection): Promise<void> {
    const { id, communityId } = connection.member!;
    const member = await this.options.auth.directory.getMember(communityId, id);
    const doc = parseDocName(connection.room.name) as DocName;
    const access = member && member.removedAt === null ? accessFor(principalOf(member), doc) : 'none';
    if (access === 'none') {
      connection.close(CloseCode.forbidden, member?.removedAt != null ? 'removed from the community' : 'no access any more');
    } else if (ACCESS_RANK[access] !== ACCESS_RANK[connection.access]) {
      connection.setAccess(access);
    }
  }

  /**
   * DESIGN §4: compares every loaded document's head with the database; a room behind (a lost
   * bus message, a bus outage) reads the missing rows. Lost messages cost latency, never data.
   */
  private async antiEntropy(): Promise<void> {
    const live = [...this.rooms.values()].filter((room) => room.state === 'live');
    if (live.length === 0) return;
    try {
      const heads = await this.options.store.headSeqs(live.map((room) => room.name));
      for (const room of live) room.noticeHead(heads.get(room.name) ?? 0);
    } catch (error) {
      log.warn('anti-entropy read failed', { error });
    }
  }

  /** Whatever the bus carried during the outage is lost: catch up now, re-announce presence. */
  private afterBusOutage(bus: ClusterBus): void {
    void this.antiEntropy();
    for (const room of this.rooms.values()) {
      room.presence.publishOwn();
      bus.queryAwareness(room.name);
    }
  }

  /** Applies a server-side change to a document through the durable write path. */
  async change(docName: string, origin: Origin, mutate: (doc: Y.Doc) => void): Promise<void> {
    const room = await this.roomFor(docName);
    await room.change(origin, mutate);
  }

  /**
   * Reads a document as this node holds it — committed content only (R4) — loading it when it is
   * not in memory (it unloads again once idle). Projections read members' personal documents so.
   */
  async read<T>(docName: string, read: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.roomFor(docName);
    await room.ready;
    return read(room.doc);
  }

  /** Every document that has content (exports). */
  listDocuments(): Promise<string[]> {
    return this.options.store.listDocuments();
  }

  /** The live room for a document, waiting out a room that is unloading. */
  async roomFor(docName: string): Promise<Room> {
    for (;;) {
      const existing = this.rooms.get(docName);
      if (!existing) break;
      if (existing.state === 'loading' || existing.state === 'live') return existing;
      await existing.closed;
    }
    const room = new Room(docName, {
      store: this.options.store,
      ownership: this.options.auth.directory,
      commits: this.commits,
      afterClientCommit: (r) => { for (const project of this.options.projections ?? []) project(r, this); },
      onSessionEnd: (r) => this.options.onSessionEnd?.(r, this),
      onUnloaded: (r) => { if (this.rooms.get(r.name) === r) this.rooms.delete(r.name); },
      idleUnloadMs: this.options.idleUnloadMs ?? IDLE_DOCUMENT_UNLOAD_MS,
      bus: this.options.cluster?.bus ?? null,
      nodeId: this.options.cluster?.nodeId ?? 'local',
      metrics: this.options.metrics ?? NO_METRICS,
    });
    this.rooms.set(docName, room);
    return room;
  }

  /**
   * SIGTERM: refuse new sockets, let queued commits finish (bounded), compact, then close every
   * client with "going away" so it reconnects elsewhere or later.
   */
  async shutdown(): Promise<void> {
    this.accepting = false;
    for (const timer of this.timers) clearInterval(timer);
    for (const stop of this.stopListening) stop();
    const flushed = Promise.all([...this.rooms.values()].map((room) => room.flushAndCompact()));
    const timeout = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_TIMEOUT_MS).unref());
    await Promise.race([flushed, timeout]);
    for (const room of [...this.rooms.values()]) room.unload(CloseCode.goingAway);
    this.wss.close();
    log.info('relay stopped');
  }

  private every(intervalMs: number, run: () => void): void {
    const timer = setInterval(run, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private heartbeat(): void {
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) connection.heartbeat();
    }
  }
}

/** `?schema=N`: the document schema version the client understands. */
function parseSchema(url: URL): number | null {
  const value = Number(url.searchParams.get(SCHEMA_PARAM) ?? NaN);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** Origin-form targets only ("/sync/…?…"); anything else is refused rather than thrown. */
function parseTarget(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(target, 'http://relay');
  } catch {
    return null;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
