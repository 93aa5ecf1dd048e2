import { Redis } from 'ioredis';
import { randomId } from '../../shared/ids.ts';
import {
  BUS_INLINE_UPDATE_BYTES, BUS_SUBSCRIBE_TIMEOUT_MS, NODE_DEAD_AFTER_MS, NODE_HEARTBEAT_MS,
} from '../../shared/limits.ts';
import { createLogger } from '../log.ts';
import {
  decodeBusMessage, encodeBusMessage, type BusMessage, type ClientClaim, type ClusterBus, type DocumentListener,
} from './bus.ts';

const log = createLogger('cluster:bus');

/** Observations for /metrics; the bus itself needs none of them. */
export interface BusObserver {
  published(kind: BusMessage['kind']): void;
  received(kind: BusMessage['kind'], lagSeconds: number | null): void;
}

/**
 * The bus on Redis pub/sub: one channel per open document plus one for node heartbeats, all
 * under a key prefix (one cluster per prefix).
 *
 * Outages: both connections reconnect forever and fail commands at once while down (no offline
 * queue: a publish held for minutes is worthless, and memory must not grow). Subscriptions are
 * this class's own list, renewed on every (re)connect; the relay then runs anti-entropy, since
 * whatever the bus carried meanwhile was lost.
 */
export class RedisBus implements ClusterBus {
  readonly nodeId = randomId(10);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly documents = new Map<string, DocumentListener>();
  private readonly lastSeen = new Map<string, number>();
  private readonly goneListeners = new Set<(node: string) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly heartbeatTimer: NodeJS.Timeout;
  private everReady = false;
  private closed = false;

  constructor(url: string, private readonly prefix: string, private readonly observer?: BusObserver) {
    const options = {
      enableOfflineQueue: false,
      autoResubscribe: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
      connectionName: `guildhall-${this.nodeId}`,
    };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => log.debug('redis connection error', { error: error.message }));
    }
    this.subscriber.on('ready', () => void this.onSubscriberReady());
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    this.heartbeatTimer = setInterval(() => this.heartbeat(), NODE_HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  async join(doc: string, listener: DocumentListener): Promise<void> {
    this.documents.set(doc, listener);
    if (this.subscriber.status !== 'ready') return; // subscribed on (re)connect
    const subscribed = this.subscriber.subscribe(this.docChannel(doc))
      .catch((error: unknown) => log.debug('subscribe failed; anti-entropy covers', { doc, error }));
    const timeout = new Promise((resolve) => setTimeout(resolve, BUS_SUBSCRIBE_TIMEOUT_MS).unref());
    await Promise.race([subscribed, timeout]);
  }

  leave(doc: string): void {
    if (!this.documents.delete(doc) || this.subscriber.status !== 'ready') return;
    this.subscriber.unsubscribe(this.docChannel(doc)).catch(() => undefined);
  }

  publishUpdate(doc: string, seq: number, update: Uint8Array, claim: ClientClaim | null): void {
    const inline = update.length <= BUS_INLINE_UPDATE_BYTES;
    this.publish(this.docChannel(doc), {
      kind: 'update', message: { node: this.nodeId, seq, update: inline ? update : null, sentAt: Date.now(), claim },
    });
  }

  publishAwareness(doc: string, update: Uint8Array): void {
    this.publish(this.docChannel(doc), { kind: 'awareness', node: this.nodeId, update });
  }

  queryAwareness(doc: string): void {
    this.publish(this.docChannel(doc), { kind: 'awarenessQuery', node: this.nodeId });
  }

  onNodeGone(listener: (node: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  onReconnected(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    // Best effort: peers drop this node's presence at once instead of after the dead-node timeout.
    this.publish(this.nodesChannel, { kind: 'goodbye', node: this.nodeId });
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private get nodesChannel(): string {
    return `${this.prefix}:nodes`;
  }

  private docChannel(doc: string): string {
    return `${this.prefix}:doc:${doc}`;
  }

  private async onSubscriberReady(): Promise<void> {
    const channels = [this.nodesChannel, ...[...this.documents.keys()].map((doc) => this.docChannel(doc))];
    try {
      await this.subscriber.subscribe(...channels);
    } catch (error) {
      log.warn('resubscribe failed; retrying on the next connect', { error });
      return;
    }
    this.heartbeat();
    if (this.everReady) {
      log.info('bus reconnected', { node: this.nodeId, documents: this.documents.size });
      for (const listener of this.reconnectListeners) listener();
    }
    this.everReady = true;
  }

  private publish(channel: string, message: BusMessage): void {
    if (this.publisher.status !== 'ready') return; // the database has it; the bus is only a hint
    this.publisher.publish(channel, Buffer.from(encodeBusMessage(message)))
      .then(() => this.observer?.published(message.kind), () => undefined);
  }

  private heartbeat(): void {
    this.publish(this.nodesChannel, { kind: 'heartbeat', node: this.nodeId });
    const now = Date.now();
    for (const [node, seen] of this.lastSeen) {
      if (now - seen > NODE_DEAD_AFTER_MS) this.nodeGone(node, 'silent');
    }
  }

  private nodeGone(node: string, why: string): void {
    if (!this.lastSeen.delete(node)) return;
    log.info('node gone', { node, why });
    for (const listener of this.goneListeners) listener(node);
  }

  private receive(channel: string, bytes: Buffer): void {
    let message: BusMessage;
    try {
      message = decodeBusMessage(bytes);
    } catch (error) {
      return log.warn('undecodable bus message dropped', { channel, error });
    }
    const node = message.kind === 'update' ? message.message.node : message.node;
    if (node === this.nodeId) return; // our own publish
    const lag = message.kind === 'update' ? Math.max(0, Date.now() - message.message.sentAt) / 1000 : null;
    this.observer?.received(message.kind, lag);
    if (message.kind === 'goodbye') return this.nodeGone(node, 'goodbye');
    this.lastSeen.set(node, Date.now());
    if (message.kind === 'heartbeat') return;
    const listener = this.documents.get(channel.slice(`${this.prefix}:doc:`.length));
    if (!listener) return; // left meanwhile
    switch (message.kind) {
      case 'update': return listener.update(message.message);
      case 'awareness': return listener.awareness(node, message.update);
      case 'awarenessQuery': return listener.awarenessQuery(node);
    }
  }
}
