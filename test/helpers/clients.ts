import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './waitFor.ts';

/** `ws` typed as the DOM WebSocket class that y-websocket and client code expect. */
export const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/**
 * The official y-websocket provider in Node, with `ws` as its WebSocket (Node 20 has none).
 * Destroyed when the test finishes.
 */
export function connectClient(
  wsUrl: string,
  docName: string,
  { doc = new Y.Doc(), params = {}, connect = true, WebSocketPolyfill = NodeWebSocket }: {
    doc?: Y.Doc;
    params?: Record<string, string>;
    connect?: boolean;
    /** Defaults to `ws`; pass a subclass of it to observe what goes on the wire. */
    WebSocketPolyfill?: typeof globalThis.WebSocket;
  } = {},
): TestClient {
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    WebSocketPolyfill,
    disableBc: true,
    params,
    connect,
    maxBackoffTime: 200,
  });
  let destroyed = false;
  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    provider.destroy();
  };
  onTestFinished(destroy);
  return { doc, provider, destroy };
}

/** `ws` that keeps every frame it receives, to prove what never reached a member's device. */
export function recordingSocket(received: Buffer[]): typeof globalThis.WebSocket {
  class RecordingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => received.push(Buffer.from(data)));
    }
  }
  return RecordingWebSocket as unknown as typeof globalThis.WebSocket;
}

export async function waitSynced(...clients: TestClient[]): Promise<void> {
  await waitFor(() => clients.every((c) => c.provider.synced), { message: 'providers synced' });
}

/** Waits until every doc holds the same state (same structs and same deletions) as the first. */
export async function waitConverged(docs: Y.Doc[], timeoutMs = 10_000): Promise<void> {
  await waitFor(() => docs.every((d) => Y.equalSnapshots(Y.snapshot(d), Y.snapshot(docs[0]!))),
    { timeoutMs, message: 'documents converged' });
}
