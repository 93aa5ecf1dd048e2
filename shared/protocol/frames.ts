/**
 * Wire protocol: the standard y-websocket protocol plus Guildhall's negotiated ack.
 *
 * One websocket binary frame carries exactly one message:
 *
 *   frame          = varuint(messageType) body
 *   messageType    = 0 (sync) | 1 (awareness) | 2 (auth) | 3 (queryAwareness) | 100 (ack)
 *                  | 101 (access)
 *   sync           = varuint(syncType) varbytes(payload)
 *   syncType       = 0 (step1: payload is a state vector)
 *                  | 1 (step2: payload is an update)
 *                  | 2 (update: payload is an update)
 *   awareness      = varbytes(awarenessUpdate)
 *   auth           = varuint(0 = permission denied) varstring(reason)
 *   queryAwareness = (empty)
 *   ack            = varuint(durableCount)
 *   access         = varuint(0 = none | 1 = read | 2 = write)
 *   varuint        = LEB128, 7 bits per byte, least significant group first, at most 53 bits
 *   varbytes       = varuint(length) byte{length}
 *   varstring      = varbytes holding UTF-8
 *
 * `ack` and `access` are sent only to connections that asked for them (`?caps=ack,access`):
 * stock y-websocket clients log an error for message types they do not know. `access` tells the
 * client what it may do with the document, at connect and whenever that changes (a role change). `durableCount` is cumulative: the number of this
 * connection's sync step2 and sync update frames (in arrival order) whose content is now durable.
 *
 * Decoding is strict: truncated bodies, trailing bytes and unknown types throw FrameError, so the
 * relay can close exactly the connection that sent them.
 */

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  ack: 100,
  access: 101,
} as const;

export const ACCESS_LEVELS = ['none', 'read', 'write'] as const;

export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

export type Frame =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | { type: 'syncStep2'; update: Uint8Array }
  | { type: 'syncUpdate'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'authDenied'; reason: string }
  | { type: 'queryAwareness' }
  | { type: 'ack'; durableCount: number }
  | { type: 'access'; access: (typeof ACCESS_LEVELS)[number] };

/** Frames whose delivery the ack counts: the ones that carry document content from a client. */
export type ContentFrame = Extract<Frame, { type: 'syncStep2' | 'syncUpdate' }>;

export function isContentFrame(frame: Frame): frame is ContentFrame {
  return frame.type === 'syncStep2' || frame.type === 'syncUpdate';
}

export class FrameError extends Error {
  override name = 'FrameError';
}

const MAX_VARUINT_BYTES = 8; // 8 × 7 = 56 bits ≥ Number.MAX_SAFE_INTEGER's 53

class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varUint(): number {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < MAX_VARUINT_BYTES; i++) {
      if (this.pos >= this.bytes.length) throw new FrameError('truncated varuint');
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw new FrameError('varuint out of range');
        return value;
      }
      multiplier *= 128;
    }
    throw new FrameError('varuint too long');
  }

  /** Copies the bytes out, so the result never aliases a pooled socket buffer. */
  varBytes(): Uint8Array {
    const length = this.varUint();
    if (length > this.bytes.length - this.pos) throw new FrameError('truncated byte array');
    // Uint8Array's slice, not Buffer's: Buffer#slice returns a view into the socket's pool.
    const out = Uint8Array.prototype.slice.call(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  varString(): string {
    const bytes = this.varBytes();
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new FrameError('string is not valid UTF-8');
    }
  }

  end(): void {
    if (this.pos !== this.bytes.length) throw new FrameError('trailing bytes after message');
  }
}

class Writer {
  private readonly parts: number[] = [];

  varUint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varuint: ${value}`);
    let rest = value;
    while (rest >= 0x80) {
      this.parts.push((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.parts.push(rest);
    return this;
  }

  finish(tail?: Uint8Array): Uint8Array {
    if (!tail) return Uint8Array.from(this.parts);
    const header = this.varUint(tail.length).parts;
    const out = new Uint8Array(header.length + tail.length);
    out.set(header, 0);
    out.set(tail, header.length);
    return out;
  }
}

export function decodeFrame(bytes: Uint8Array): Frame {
  const reader = new Reader(bytes);
  const messageType = reader.varUint();
  let frame: Frame;
  switch (messageType) {
    case MessageType.sync: {
      const syncType = reader.varUint();
      const payload = reader.varBytes();
      if (syncType === SyncType.step1) frame = { type: 'syncStep1', stateVector: payload };
      else if (syncType === SyncType.step2) frame = { type: 'syncStep2', update: payload };
      else if (syncType === SyncType.update) frame = { type: 'syncUpdate', update: payload };
      else throw new FrameError(`unknown sync type ${syncType}`);
      break;
    }
    case MessageType.awareness:
      frame = { type: 'awareness', update: reader.varBytes() };
      break;
    case MessageType.auth: {
      const status = reader.varUint();
      if (status !== 0) throw new FrameError(`unknown auth status ${status}`);
      frame = { type: 'authDenied', reason: reader.varString() };
      break;
    }
    case MessageType.queryAwareness:
      frame = { type: 'queryAwareness' };
      break;
    case MessageType.ack:
      frame = { type: 'ack', durableCount: reader.varUint() };
      break;
    case MessageType.access: {
      const level = ACCESS_LEVELS[reader.varUint()];
      if (!level) throw new FrameError('unknown access level');
      frame = { type: 'access', access: level };
      break;
    }
    default:
      throw new FrameError(`unknown message type ${messageType}`);
  }
  reader.end();
  return frame;
}

export function encodeFrame(frame: Frame): Uint8Array {
  const w = new Writer();
  switch (frame.type) {
    case 'syncStep1':
      return w.varUint(MessageType.sync).varUint(SyncType.step1).finish(frame.stateVector);
    case 'syncStep2':
      return w.varUint(MessageType.sync).varUint(SyncType.step2).finish(frame.update);
    case 'syncUpdate':
      return w.varUint(MessageType.sync).varUint(SyncType.update).finish(frame.update);
    case 'awareness':
      return w.varUint(MessageType.awareness).finish(frame.update);
    case 'authDenied':
      return w.varUint(MessageType.auth).varUint(0).finish(new TextEncoder().encode(frame.reason));
    case 'queryAwareness':
      return w.varUint(MessageType.queryAwareness).finish();
    case 'ack':
      return w.varUint(MessageType.ack).varUint(frame.durableCount).finish();
    case 'access':
      return w.varUint(MessageType.access).varUint(ACCESS_LEVELS.indexOf(frame.access)).finish();
    default:
      return exhaustive(frame);
  }
}

/**
 * Reads only the header of a frame a client is about to send, to tell whether it carries content
 * (counted by the ack). Never throws: anything unrecognised is simply not content.
 */
export function isContentFrameBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === MessageType.sync &&
    (bytes[1] === SyncType.step2 || bytes[1] === SyncType.update);
}

export function exhaustive(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
