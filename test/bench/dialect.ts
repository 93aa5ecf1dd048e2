/**
 * The two wire dialects the bench speaks, at the byte level and nothing more, so a bench client
 * costs one buffer scan per frame instead of a provider:
 *
 *   y-websocket (Guildhall, @y/websocket-server): frame = varuint(type) body, one document per
 *     socket, the document named by the URL path.
 *   hocuspocus: frame = varstring(documentName) varuint(type) body, several documents per socket;
 *     each document is opened with an auth frame (type 2, token subtype 0), which the server
 *     needs even without an onAuthenticate hook (messages before it are queued). Type 4
 *     (SyncReply) carries sync messages like type 0; type 8 (SyncStatus) answers each update.
 *
 * sync body = varuint(0 step1 | 1 step2 | 2 update) varbytes(payload) in both.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type DialectName = 'y-websocket' | 'hocuspocus';

export const SyncStep = { step1: 0, step2: 1, update: 2 } as const;

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
const HOCUSPOCUS_SYNC_REPLY = 4;

export interface SyncMessage {
  step: number;
  payload: Uint8Array;
}

export interface Dialect {
  name: DialectName;
  /** Frames a client sends right after the socket opens, before its sync step 1. */
  openFrames(doc: string): Uint8Array[];
  sync(doc: string, step: number, payload: Uint8Array): Uint8Array;
  /** The sync message a frame carries, or null for every other message type. */
  readSync(frame: Uint8Array): SyncMessage | null;
}

function syncFrame(prefix: (encoder: encoding.Encoder) => void, step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  prefix(encoder);
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function readSyncBody(decoder: decoding.Decoder): SyncMessage {
  const step = decoding.readVarUint(decoder);
  return { step, payload: decoding.readVarUint8Array(decoder) };
}

export const yWebsocketDialect: Dialect = {
  name: 'y-websocket',
  openFrames: () => [],
  sync: (_doc, step, payload) => syncFrame(() => undefined, step, payload),
  readSync(frame) {
    const decoder = decoding.createDecoder(frame);
    return decoding.readVarUint(decoder) === MESSAGE_SYNC ? readSyncBody(decoder) : null;
  },
};

export const hocuspocusDialect: Dialect = {
  name: 'hocuspocus',
  openFrames(doc) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, doc);
    encoding.writeVarUint(encoder, MESSAGE_AUTH);
    encoding.writeVarUint(encoder, 0); // token
    encoding.writeVarString(encoder, '');
    return [encoding.toUint8Array(encoder)];
  },
  sync: (doc, step, payload) => syncFrame((encoder) => encoding.writeVarString(encoder, doc), step, payload),
  readSync(frame) {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    return type === MESSAGE_SYNC || type === HOCUSPOCUS_SYNC_REPLY ? readSyncBody(decoder) : null;
  },
};

export function dialectByName(name: DialectName): Dialect {
  return name === 'hocuspocus' ? hocuspocusDialect : yWebsocketDialect;
}
