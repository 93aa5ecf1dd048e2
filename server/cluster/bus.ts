import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The fan-out bus between relay nodes (DESIGN §4). It is a latency hint, never the truth: a
 * message may be lost, and the receiver repairs any gap from the database. Every message names
 * its sending node, so a node ignores its own (no echoes).
 */

/** The clientIDs an update's author bound on the sending node: other nodes enforce them too. */
export interface ClientClaim {
  memberId: string;
  clients: number[];
}

export interface RemoteUpdate {
  node: string;
  seq: number;
  /** Null when the update was too large for the bus: read row `seq` from the database. */
  update: Uint8Array | null;
  /** The sender's clock at publish (bus lag). */
  sentAt: number;
  claim: ClientClaim | null;
}

/** What a node that has a document open hears about it from the other nodes. */
export interface DocumentListener {
  update(message: RemoteUpdate): void;
  awareness(node: string, update: Uint8Array): void;
  /** Another node opened the document and asks for the presence states this node holds. */
  awarenessQuery(node: string): void;
}

export interface ClusterBus {
  readonly nodeId: string;
  /** Subscribes to a document's channel; resolves once subscribed, or after a bounded wait. */
  join(doc: string, listener: DocumentListener): Promise<void>;
  leave(doc: string): void;
  publishUpdate(doc: string, seq: number, update: Uint8Array, claim: ClientClaim | null): void;
  publishAwareness(doc: string, update: Uint8Array): void;
  queryAwareness(doc: string): void;
  /** A node stopped (said goodbye) or fell silent: its presence entries must go. */
  onNodeGone(listener: (node: string) => void): () => void;
  /** The bus came back after an outage: whatever it carried meanwhile was lost. */
  onReconnected(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Message kinds on the wire; the numbers are the format. */
const KIND = { update: 0, updateByReference: 1, awareness: 2, awarenessQuery: 3, heartbeat: 4, goodbye: 5 } as const;

export type BusMessage =
  | { kind: 'update'; message: RemoteUpdate }
  | { kind: 'awareness'; node: string; update: Uint8Array }
  | { kind: 'awarenessQuery'; node: string }
  | { kind: 'heartbeat'; node: string }
  | { kind: 'goodbye'; node: string };

export function encodeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  switch (message.kind) {
    case 'update': {
      const { node, seq, update, sentAt, claim } = message.message;
      encoding.writeVarUint(encoder, update ? KIND.update : KIND.updateByReference);
      encoding.writeVarString(encoder, node);
      encoding.writeVarUint(encoder, seq);
      encoding.writeFloat64(encoder, sentAt);
      encoding.writeVarString(encoder, claim?.memberId ?? '');
      encoding.writeVarUint(encoder, claim?.clients.length ?? 0);
      for (const client of claim?.clients ?? []) encoding.writeVarUint(encoder, client);
      if (update) encoding.writeVarUint8Array(encoder, update);
      break;
    }
    case 'awareness':
      encoding.writeVarUint(encoder, KIND.awareness);
      encoding.writeVarString(encoder, message.node);
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    default:
      encoding.writeVarUint(encoder, KIND[message.kind]);
      encoding.writeVarString(encoder, message.node);
  }
  return encoding.toUint8Array(encoder);
}

/** Throws on anything malformed; the caller drops such a message (the database has the truth). */
export function decodeBusMessage(bytes: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(bytes);
  const kind = decoding.readVarUint(decoder);
  const node = decoding.readVarString(decoder);
  switch (kind) {
    case KIND.update:
    case KIND.updateByReference: {
      const seq = decoding.readVarUint(decoder);
      const sentAt = decoding.readFloat64(decoder);
      const memberId = decoding.readVarString(decoder);
      const clients = Array.from({ length: decoding.readVarUint(decoder) }, () => decoding.readVarUint(decoder));
      const update = kind === KIND.update ? decoding.readVarUint8Array(decoder) : null;
      const claim = memberId ? { memberId, clients } : null;
      return { kind: 'update', message: { node, seq, update, sentAt, claim } };
    }
    case KIND.awareness:
      return { kind: 'awareness', node, update: decoding.readVarUint8Array(decoder) };
    case KIND.awarenessQuery:
      return { kind: 'awarenessQuery', node };
    case KIND.heartbeat:
      return { kind: 'heartbeat', node };
    case KIND.goodbye:
      return { kind: 'goodbye', node };
    default:
      throw new Error(`unknown bus message kind ${kind}`);
  }
}
