import pg from 'pg';
import { createLogger } from '../log.ts';

const log = createLogger('directory.listen');

/** Reconnect backoff after the listening connection drops: doubles from the first to the cap. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface ChannelHandlers {
  notification(payload: string): void;
  /** The connection dropped and is back: notifications sent in between were lost. */
  reconnected(): void;
}

/**
 * One dedicated connection LISTENing on a channel. Not a pooled one: LISTEN belongs to the
 * session, and a pool would hand the connection to other work and drop it when idle.
 *
 * When the connection drops (database restart, failover, a terminated backend) it reconnects
 * with jittered backoff, forever until closed, and then calls `reconnected` — PostgreSQL keeps
 * no notifications for a session that was gone, so the owner must assume anything changed.
 */
export class PgChannelListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly handlers: ChannelHandlers,
  ) {}

  /** Resolves once listening; the first connection must succeed (a misconfiguration fails at start). */
  static async start(config: pg.ClientConfig, channel: string, handlers: ChannelHandlers): Promise<PgChannelListener> {
    const listener = new PgChannelListener(config, channel, handlers);
    await listener.connect();
    return listener;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private connect(): Promise<void> {
    const client = new pg.Client(this.config);
    // Events of a replaced or closing client are ignored; the handlers stay attached so that a
    // late 'error' from a dead socket is never unhandled (which would crash the process).
    client.on('notification', (message) => {
      if (client === this.client && message.channel === this.channel) this.handlers.notification(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    this.connecting = (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      if (this.closed) await client.end();
      else this.client = client;
    })().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (client !== this.client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    log.warn('membership listener lost its connection; reconnecting', { error: error ?? 'connection ended' });
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed) return;
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.failures);
    // Jitter: after a database restart, every node of a cluster reconnects at once otherwise.
    const delayMs = ceiling / 2 + Math.random() * (ceiling / 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().then(() => {
        if (this.closed) return;
        this.failures = 0;
        log.info('membership listener reconnected');
        this.handlers.reconnected();
      }, (error: unknown) => {
        this.failures++;
        log.warn('membership listener could not reconnect', { error });
        this.reconnectLater();
      });
    }, delayMs);
  }
}
