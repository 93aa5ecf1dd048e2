import * as Y from 'yjs';
import { SyncStep, type Dialect } from './dialect.ts';
import { LightSocket } from './lightSocket.ts';

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
 * One bench connection speaking the sync protocol on a LightSocket. `synced` resolves when the
 * server's sync step 2 (its answer to our step 1) has arrived.
 */
export class WireClient {
  private readonly socket: LightSocket;
  readonly synced: Promise<void>;
  closeCode: number | null = null;
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
    this.socket = new LightSocket(url, {
      open: () => {
        options.onOpen?.();
        for (const frame of dialect.openFrames(doc)) this.socket.send(frame);
        this.socket.send(dialect.sync(doc, SyncStep.step1, Y.encodeStateVector(ydoc)));
      },
      message: (data) => {
        options.onFrame?.(data);
        const message = dialect.readSync(data);
        if (message === null) return;
        if (message.step === SyncStep.step1) {
          this.socket.send(dialect.sync(doc, SyncStep.step2, Y.encodeStateAsUpdate(ydoc, message.payload)));
          return;
        }
        options.onSync?.(message.step, message.payload);
        if (message.step === SyncStep.step2) resolveSynced();
      },
      close: (code) => {
        this.closeCode = code;
        rejectSynced(new Error(`closed ${code} before synced`));
      },
      error: (error) => rejectSynced(error),
    });
  }

  sendUpdate(update: Uint8Array): void {
    this.socket.send(this.options.dialect.sync(this.options.doc, SyncStep.update, update));
  }

  close(): void {
    this.socket.terminate();
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
