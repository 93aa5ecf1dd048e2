import { request } from 'node:http';
import * as decoding from 'lib0/decoding';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeFrame, encodeFrame, type Frame } from '../../shared/protocol/frames.ts';
import { waitFor } from './waitFor.ts';

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface ReceivedFrame {
  /** The frame's first varuint, read without the strict decoder, so unknown types show too. */
  messageType: number;
  bytes: Uint8Array;
  /** The strictly decoded frame, or null when it did not decode. */
  frame: Frame | null;
}

/**
 * A protocol-level client: a bare `ws` socket that records every frame it receives and speaks
 * only what the test tells it to. Terminated when the test finishes.
 */
export interface RawClient {
  ws: WebSocket;
  received: ReceivedFrame[];
  readonly closeInfo: CloseInfo | null;
  opened: Promise<void>;
  closed: Promise<CloseInfo>;
  send(frame: Frame): void;
  sendBytes(bytes: Uint8Array | string): void;
  /** Waits for the first received frame, at or after index `from`, that matches. */
  nextFrame<T extends Frame['type']>(type: T, from?: number, timeoutMs?: number): Promise<Extract<Frame, { type: T }>>;
  /** Called synchronously for every frame as it arrives (before waiters poll). */
  onFrame(listener: (frame: ReceivedFrame) => void): void;
}

export function connectRaw(
  wsUrl: string,
  docName: string,
  { caps, maxPayload }: { caps?: string; maxPayload?: number } = {},
): RawClient {
  const url = `${wsUrl}/${docName}${caps === undefined ? '' : `?caps=${caps}`}`;
  const ws = new WebSocket(url, { perMessageDeflate: false, ...(maxPayload ? { maxPayload } : {}) });
  const received: ReceivedFrame[] = [];
  const listeners: Array<(frame: ReceivedFrame) => void> = [];
  let closeInfo: CloseInfo | null = null;
  ws.on('error', () => undefined); // reported through `closed`
  ws.on('message', (data, isBinary) => {
    // A text frame from the relay would be a protocol violation: recorded as message type -1.
    const bytes = new Uint8Array(Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as Buffer)]));
    let frame: Frame | null;
    try {
      frame = decodeFrame(bytes);
    } catch {
      frame = null;
    }
    const messageType = isBinary && bytes.length > 0 ? decoding.readVarUint(decoding.createDecoder(bytes)) : -1;
    const entry = { messageType, bytes, frame };
    received.push(entry);
    for (const listener of listeners) listener(entry);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error(`socket to ${url} closed before it opened`)));
  });
  opened.catch(() => undefined);
  const closed = new Promise<CloseInfo>((resolve) => {
    ws.once('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
    });
  });
  onTestFinished(() => ws.terminate());

  return {
    ws,
    received,
    get closeInfo() {
      return closeInfo;
    },
    opened,
    closed,
    send: (frame) => ws.send(encodeFrame(frame)),
    sendBytes: (bytes) => ws.send(bytes, { binary: typeof bytes !== 'string' }),
    async nextFrame(type, from = 0, timeoutMs = 10_000) {
      const entry = await waitFor(() => received.slice(from).find((r) => r.frame?.type === type),
        { timeoutMs, message: `a ${type} frame` });
      return entry.frame as Extract<Frame, { type: typeof type }>;
    },
    onFrame: (listener) => void listeners.push(listener),
  };
}

/**
 * Completes the y-websocket handshake for `doc` on a raw client: answers the relay's step 1 with
 * our step 2 (one content frame) and asks for the relay's state with our step 1, applying it.
 */
export async function rawSync(client: RawClient, doc: Y.Doc): Promise<void> {
  await client.opened;
  const start = client.received.length;
  client.send({ type: 'syncStep1', stateVector: Y.encodeStateVector(doc) });
  const serverStep1 = await client.nextFrame('syncStep1');
  client.send({ type: 'syncStep2', update: Y.encodeStateAsUpdate(doc, serverStep1.stateVector) });
  const serverStep2 = await client.nextFrame('syncStep2', start);
  Y.applyUpdate(doc, serverStep2.update, 'relay');
}

/** Everything `doc` emits as updates, in order, each one what a provider would send as a frame. */
export function captureUpdates(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'relay') updates.push(update);
  });
  return updates;
}

/**
 * Sends a websocket upgrade request for `path` exactly as written (no URL normalisation, unlike a
 * WebSocket client) and resolves with the HTTP status the server answered.
 */
export function upgradeStatus(httpUrl: string, path: string): Promise<number> {
  const { hostname, port } = new URL(httpUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      host: hostname,
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
      },
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

/**
 * Inserted elements (characters, array entries) an update carries. The relay may merge several
 * committed updates into one frame, so "each update arrived once" is counted in operations, not frames.
 */
export function insertionsIn(update: Uint8Array): number {
  return Y.decodeUpdate(update).structs.reduce((sum, struct) => sum + (struct instanceof Y.Item ? struct.length : 0), 0);
}

/** Insertions carried by every update frame a raw client received so far. */
export function insertionsReceived(client: RawClient): number {
  return client.received.reduce((sum, { frame }) => sum + (frame?.type === 'syncUpdate' ? insertionsIn(frame.update) : 0), 0);
}
