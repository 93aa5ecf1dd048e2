import type { WebSocket } from 'ws';
import type { Access } from '../../shared/access.ts';
import type { Member } from '../directory/directory.ts';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import type { Capability } from '../../shared/protocol/capabilities.ts';
import { decodeFrame, encodeFrame, exhaustive, FrameError, type Frame } from '../../shared/protocol/frames.ts';
import {
  CLOSE_HANDSHAKE_TIMEOUT_MS, INBOUND_MESSAGES_BURST, INBOUND_MESSAGES_PER_SECOND,
  MISSED_PINGS_BEFORE_TERMINATE, SLOW_CONSUMER_GRACE_MS,
  SLOW_CONSUMER_HARD_BYTES, SLOW_CONSUMER_SOFT_BYTES,
} from '../../shared/limits.ts';
import { createLogger } from '../log.ts';
import type { Room } from './room.ts';
import { TokenBucket } from './tokenBucket.ts';

const log = createLogger('relay:connection');

/** What the upgrade established about a connection. */
export interface Handshake {
  capabilities: ReadonlySet<Capability>;
  member: Member | null;
  expiresAt: number | null;
  clientSchema: number | null;
}
/** setTimeout's upper bound (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
let nextConnectionId = 1;

/**
 * One client socket on one document: the gate (DESIGN §2 step 1) and the outbound side
 * (acks, slow-consumer protection, liveness). Never throws across the socket: every fault
 * becomes a close with a named code.
 */
export class Connection {
  readonly id = nextConnectionId++;
  /** Content frames (sync step 2 / update) received so far: the ack's counting unit. */
  private contentFramesReceived = 0;
  private durableCount = 0;
  private ackScheduled = false;
  private missedPings = 0;
  private overSoftLimitSince: number | null = null;
  private readonly bucket = new TokenBucket(INBOUND_MESSAGES_PER_SECOND, INBOUND_MESSAGES_BURST);
  /** Frames that arrived before the room finished loading, processed in order once it has. */
  private backlog: Uint8Array[] | null = [];
  closed = false;

  private expiryTimer: NodeJS.Timeout | null = null;

  readonly capabilities: ReadonlySet<Capability>;
  /** The member behind the token; null in an open community. */
  readonly member: Member | null;
  /** The document schema the client understands (`?schema=`); null when it did not say. */
  readonly clientSchema: number | null;
  /** Set when the document's schema is newer than the client's: it may only read. */
  private schemaLimited = false;

  constructor(
    private readonly ws: WebSocket,
    readonly room: Room,
    private currentAccess: Access,
    handshake: Handshake,
  ) {
    this.capabilities = handshake.capabilities;
    this.member = handshake.member;
    this.clientSchema = handshake.clientSchema;
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('pong', () => { this.missedPings = 0; });
    ws.on('close', () => this.onClosed());
    ws.on('error', (error) => log.debug('socket error', { conn: this.id, error }));
    if (handshake.expiresAt !== null) this.closeAt(handshake.expiresAt);
  }

  get access(): Access {
    return this.schemaLimited && this.currentAccess === 'write' ? 'read' : this.currentAccess;
  }

  /** A role change on a live socket: from now on its content frames are accepted or dropped. */
  setAccess(access: Access): void {
    this.currentAccess = access;
    if (this.capabilities.has('access')) this.send(encodeFrame({ type: 'access', access: this.access }));
  }

  /**
   * The client is older than the document's schema: it opens the document read-only, so it
   * never deletes content it does not understand (DESIGN §5). Called before `start()`.
   */
  limitToReading(): void {
    this.schemaLimited = true;
  }

  /** Called by the room once its document is loaded: from now on frames are handled directly. */
  start(): void {
    if (this.capabilities.has('access')) this.send(encodeFrame({ type: 'access', access: this.access }));
    const backlog = this.backlog ?? [];
    this.backlog = null;
    for (const bytes of backlog) {
      if (this.closed) return;
      this.handle(bytes);
    }
  }

  send(bytes: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (!this.withinBufferLimits()) return;
    this.ws.send(bytes);
  }

  /** Marks this connection's content frames up to `count` durable; one ack frame per tick. */
  acknowledge(count: number): void {
    this.durableCount = Math.max(this.durableCount, count);
    if (this.ackScheduled || !this.capabilities.has('ack')) return;
    this.ackScheduled = true;
    queueMicrotask(() => {
      this.ackScheduled = false;
      this.send(encodeFrame({ type: 'ack', durableCount: this.durableCount }));
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    log.info('closing connection', { conn: this.id, doc: this.room.name, code, reason });
    this.closed = true;
    this.ws.close(code, reason);
    // A peer that never answers the close frame (dead link, stopped reading) is cut off.
    setTimeout(() => this.ws.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS).unref();
    this.room.leave(this);
  }

  /** Called by the relay's ping sweep; a peer that missed too many pongs is terminated. */
  heartbeat(): void {
    if (this.missedPings >= MISSED_PINGS_BEFORE_TERMINATE) {
      log.info('terminating unresponsive connection', { conn: this.id, doc: this.room.name });
      this.ws.terminate();
      return;
    }
    this.missedPings++;
    this.withinBufferLimits();
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.bucket.take()) return this.close(CloseCode.rateLimited, 'too many messages');
    if (!isBinary) return this.close(CloseCode.malformedFrame, 'text frames are not part of the protocol');
    const bytes = toBytes(data);
    if (this.backlog) this.backlog.push(bytes);
    else this.handle(bytes);
  }

  private handle(bytes: Uint8Array): void {
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      // Whatever the decoder throws, it is this client's frame that is bad: never let it
      // escape the socket listener (an uncaught throw there would end the process).
      if (!(error instanceof FrameError)) log.error('decoder threw unexpectedly', { conn: this.id, error });
      return this.close(CloseCode.malformedFrame, error instanceof FrameError ? error.message : 'undecodable frame');
    }
    switch (frame.type) {
      case 'syncStep1':
        return this.room.answerStep1(this, frame.stateVector);
      case 'syncStep2':
      case 'syncUpdate':
        // Read-only connections: dropped before the update is decoded (DESIGN §1).
        if (this.access !== 'write') return;
        return this.room.submit(this, ++this.contentFramesReceived, frame.update);
      case 'awareness':
        // The 4 KiB limit is per state (RoomAwareness checks it): one update may carry many.
        return this.room.applyAwareness(this, frame.update);
      case 'queryAwareness':
        return this.room.sendAwarenessStates(this);
      case 'authDenied':
      case 'ack':
      case 'access':
        return this.close(CloseCode.malformedFrame, `${frame.type} is a server-to-client message`);
      default:
        return exhaustive(frame);
    }
  }

  /**
   * A client that stops reading makes `ws` buffer everything sent to it. Past the hard limit, or
   * past the soft limit for the grace period, it is cut off rather than grow the heap.
   */
  private withinBufferLimits(): boolean {
    const buffered = this.ws.bufferedAmount;
    if (buffered <= SLOW_CONSUMER_SOFT_BYTES) {
      this.overSoftLimitSince = null;
      return true;
    }
    const now = Date.now();
    if (this.overSoftLimitSince === null) {
      this.overSoftLimitSince = now;
      // A quiet document sends nothing more that would re-check: look again when grace ends.
      setTimeout(() => { if (!this.closed) this.withinBufferLimits(); }, SLOW_CONSUMER_GRACE_MS + 1).unref();
    }
    if (buffered > SLOW_CONSUMER_HARD_BYTES || now - this.overSoftLimitSince >= SLOW_CONSUMER_GRACE_MS) {
      this.close(CloseCode.slowConsumer, 'client is not reading');
      this.ws.terminate(); // its close frame would queue behind megabytes it is not reading
      return false;
    }
    return true;
  }

  /** A socket never outlives its token; timers longer than Node allows are re-armed in steps. */
  private closeAt(expiresAt: number): void {
    const delay = expiresAt - Date.now();
    if (delay <= 0) return void queueMicrotask(() => this.close(CloseCode.unauthorized, 'token expired'));
    this.expiryTimer = setTimeout(() => this.closeAt(expiresAt), Math.min(delay, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }

  private onClosed(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (!this.closed) {
      this.closed = true;
      this.room.leave(this);
    }
  }
}

function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data as Buffer;
}
