import * as Y from 'yjs';
import { SyncStep, type Dialect } from './dialect.ts';
import { openWireSocket, type WireSocket } from '../helpers/wireSocket.ts';

export interface WireClientOptions {
  url: string;
  doc: string;
  dialect: Dialect;
  /** The client's own document: what it answers the server's step 1 with, and its step 1. */
  ydoc: Y.Doc;
  /** The upgrade completed; the client's sync step 1 is sent right after. */
  onOpen?: () => void;
  /** Every frame after the socket opened, before any decoding (receivers only scan bytes). */
  onFrame?: (bytes: Buffer) => void;
  /** Sync messages, decoded; only for clients that apply what they receive (the observer). */
  onSync?: (step: number, payload: Uint8Array) => void;
}

/**
 * One bench connection speaking the sync protocol on a bare-TCP websocket (test/helpers/
 * wireSocket.ts): hundreds of receivers in one process must stay cheaper than the server they
 * measure, and `ws` costs a stream write, a parser pass and an event per message where this cuts
 * a TCP chunk holding many frames into payload views in one loop. `synced` resolves when the
 * server's sync step 2 (its answer to our step 1) has arrived.
 */
export class WireClient {
  private readonly socket: WireSocket;
  readonly synced: Promise<void>;
  /** The server's close code (1006: the connection dropped without one); null while open or closed by us. */
  closeCode: number | null = null;
  private closedByUs = false;
  private readonly options: WireClientOptions;

  constructor(options: WireClientOptions) {
    this.options = options;
    const { url, doc, dialect, ydoc } = options;
    let resolveSynced!: () => void;
    let rejectSynced!: (error: Error) => void;
    this.synced = new Promise((resolve, reject) => {
      resolveSynced = resolve;
      rejectSynced = reject;
    });
    this.synced.catch(() => undefined);
    const target = new URL(url);
    this.socket = openWireSocket(Number(target.port), `${target.pathname}${target.search}`);
    this.socket.onMessage((data) => {
      options.onFrame?.(data);
      const message = dialect.readSync(data);
      if (message === null) return;
      if (message.step === SyncStep.step1) {
        this.socket.send(dialect.sync(doc, SyncStep.step2, Y.encodeStateAsUpdate(ydoc, message.payload)));
        return;
      }
      options.onSync?.(message.step, message.payload);
      if (message.step === SyncStep.step2) resolveSynced();
    });
    void this.socket.upgraded.then((status) => {
      if (status !== 101) return rejectSynced(new Error(`upgrade answered ${status}`));
      options.onOpen?.();
      for (const frame of dialect.openFrames(doc)) this.socket.send(frame);
      this.socket.send(dialect.sync(doc, SyncStep.step1, Y.encodeStateVector(ydoc)));
    });
    void this.socket.closed.then((code) => {
      if (this.closedByUs) return;
      this.closeCode = code ?? 1006;
      rejectSynced(new Error(`closed ${this.closeCode} before synced`));
    });
  }

  sendUpdate(update: Uint8Array): void {
    this.socket.send(this.options.dialect.sync(this.options.doc, SyncStep.update, update));
  }

  close(): void {
    this.closedByUs = true;
    this.socket.destroy();
  }
}

/** Opens `count` clients at most `concurrency` at a time; resolves when all are synced. */
export async function openAll<T extends WireClient>(count: number, concurrency: number, make: (index: number) => T): Promise<T[]> {
  const clients: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      const client = make(index);
      clients[index] = client;
      await client.synced;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return clients;
}
