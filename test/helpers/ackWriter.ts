import * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';
import { ackCountingWebSocket } from '../../client/collab/ackCountingSocket.ts';
import { PendingChanges } from '../../client/collab/pendingChanges.ts';
import { CAPABILITIES_PARAM, Capability } from '../../shared/protocol/capabilities.ts';
import { MessageType } from '../../shared/protocol/frames.ts';
import { connectClient, NodeWebSocket, type TestClient } from './clients.ts';

export const ITEMS_ARRAY = 'items';

/** What one content frame carried: exactly one item (an update) or every item so far (a step 2). */
type Coverage = { kind: 'single'; index: number } | { kind: 'through'; index: number };

/**
 * A stock y-websocket provider that negotiates the ack capability exactly as the app's
 * DocSession does (caps=ack, ackCountingWebSocket, a handler for message type 100), writing
 * distinct strings into a Y.Array one transaction at a time and recording which of them the relay
 * has acknowledged as durable.
 *
 * Tracked per item, independently of the client's own bookkeeping, which it cross-checks:
 * `pendingChanges.count` must always equal the number of items not yet acknowledged.
 */
export interface AckWriter {
  client: TestClient;
  items: Y.Array<string>;
  /** Every item pushed, in order. */
  pushed: string[];
  /** Items the relay acknowledged as durable. */
  acked: Set<string>;
  /** Close codes of every connection the provider saw closed (null: closed locally). */
  closeCodes: Array<number | null>;
  /** The client's own pending-change tracker, fed the same events. */
  pendingChanges: PendingChanges;
  push(item: string): void;
  /** Runs `listener` synchronously each time an ack frame has been processed. */
  onAck(listener: () => void): void;
  /** Items pushed but not (yet) acknowledged. */
  unacked(): string[];
}

export function connectAckWriter(wsUrl: string, docName: string): AckWriter {
  const pushed: string[] = [];
  const acked = new Set<string>();
  const closeCodes: Array<number | null> = [];
  const pendingChanges = new PendingChanges();
  const ackListeners: Array<() => void> = [];
  let frames: Coverage[] = [];
  let framesAcked = 0;

  const client = connectClient(wsUrl, docName, {
    params: { [CAPABILITIES_PARAM]: Capability.ack },
    WebSocketPolyfill: ackCountingWebSocket({
      contentFrameSent(kind) {
        // An update frame is sent synchronously inside push(), so it carries the last item; a
        // step 2 carries everything the relay lacked, i.e. (with what it already holds) all items.
        const index = pushed.length - 1;
        frames.push(kind === 'update' ? { kind: 'single', index } : { kind: 'through', index });
        pendingChanges.frameSent(kind);
      },
    }, NodeWebSocket),
  });
  const { provider } = client;
  provider.messageHandlers[MessageType.ack] = (_encoder, decoder) => {
    const durableCount = decoding.readVarUint(decoder);
    for (; framesAcked < Math.min(durableCount, frames.length); framesAcked++) {
      const coverage = frames[framesAcked]!;
      if (coverage.kind === 'single') acked.add(pushed[coverage.index]!);
      else for (let i = 0; i <= coverage.index; i++) acked.add(pushed[i]!);
    }
    pendingChanges.acknowledged(durableCount);
    for (const listener of ackListeners) listener();
  };
  const connectionReset = (): void => {
    frames = [];
    framesAcked = 0;
    pendingChanges.connectionReset();
  };
  provider.on('status', ({ status }) => {
    if (status === 'connecting') connectionReset();
  });
  provider.on('connection-close', (event) => {
    closeCodes.push(event?.code ?? null);
    connectionReset();
  });

  const items = client.doc.getArray<string>(ITEMS_ARRAY);
  return {
    client,
    items,
    pushed,
    acked,
    closeCodes,
    pendingChanges,
    push(item) {
      pushed.push(item);
      pendingChanges.localChange();
      items.push([item]);
    },
    onAck: (listener) => void ackListeners.push(listener),
    unacked: () => pushed.filter((item) => !acked.has(item)),
  };
}

/** The items of a stored or synced document, for counting what survived. */
export function itemsOf(doc: Y.Doc): Set<string> {
  return new Set(doc.getArray<string>(ITEMS_ARRAY).toArray());
}
