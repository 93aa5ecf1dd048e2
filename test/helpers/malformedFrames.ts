/**
 * Seeded generator of malformed client input for the relay, each frame with the close code the
 * relay must answer it with (README R7, R18), for fuzzing at volume (malformedVolume.test.ts).
 *
 * Every frame is ready to write on a bare TCP socket (wireSocket.ts): websocket framing included,
 * so the websocket layer itself is fuzzed too (reserved bits, unmasked frames, lying lengths).
 * Frames built from random or mutated bytes are judged by an oracle before they are used:
 * the protocol's strict decoder for the frame layer, and Yjs itself (not the relay's validator)
 * for the update inside a content frame. What the oracle finds acceptable is not malformed, so
 * it is drawn again: a malformed sender must never be able to store anything.
 */
import * as encoding from 'lib0/encoding';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { decodeFrame, encodeFrame, type Frame } from '../../shared/protocol/frames.ts';
import { MAX_AWARENESS_CLIENTS_PER_CONNECTION, MAX_AWARENESS_STATE_BYTES, MAX_FRAME_BYTES } from '../../shared/limits.ts';
import { awarenessUpdate } from './awarenessWire.ts';
import { Opcode, wsFrame } from './wireSocket.ts';

/**
 * Codes `ws` closes with by itself for violations of the websocket protocol (RFC 6455 §7.4.1),
 * before a frame reaches the relay's gate. Only 1009 has a name in CloseCode (frameTooLarge).
 */
export const WsCloseCode = { protocolError: 1002, invalidPayload: 1007, messageTooBig: CloseCode.frameTooLarge } as const;

/** What the connection may do with its document: content frames on a read-only one are dropped unread. */
export type Access = 'write' | 'read';

export interface FatalFrame {
  category: string;
  /** The frame as it goes on the wire (websocket framing included). */
  wire: Buffer;
  /** The close code the relay must answer with. */
  expected: number;
}

export interface DroppedFrame {
  category: string;
  wire: Buffer;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/frames.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ name: string; bytes: string }>;
  rejects: Array<{ name: string; bytes: string }>;
};
const GOLDEN = fixture.vectors.map((v) => Buffer.from(v.bytes, 'hex'));
const GOLDEN_REJECTS = fixture.rejects.map((v) => Buffer.from(v.bytes, 'hex'));
/** Updates carried by golden content frames: seeds for update-level mutations. */
const GOLDEN_UPDATES = GOLDEN.flatMap((bytes) => {
  const frame = decodeFrame(bytes);
  return frame.type === 'syncUpdate' || frame.type === 'syncStep2' ? [frame.update] : [];
});

/** The websocket close codes a conforming endpoint may send (RFC 6455 §7.4); others are a protocol error. */
const INVALID_CLOSE_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000, 65535];

type Verdict = number | 'accepted' | 'dropped';

/**
 * How the relay must treat `bytes` as one binary message on a connection with `access`: a close
 * code, 'dropped' (ignored without a close) or 'accepted' (not malformed). Undecided cases
 * (awareness from random bytes, whose verdict depends on the room's clocks) count as accepted.
 */
export function verdict(bytes: Uint8Array, access: Access): Verdict {
  let frame: Frame;
  try {
    frame = decodeFrame(bytes);
  } catch {
    return CloseCode.malformedFrame;
  }
  switch (frame.type) {
    case 'ack':
    case 'access':
    case 'authDenied':
      return CloseCode.malformedFrame;
    case 'syncStep1':
      return stateVectorDecodes(frame.stateVector) ? 'accepted' : CloseCode.malformedFrame;
    case 'syncStep2':
    case 'syncUpdate':
      if (access === 'read') return 'dropped';
      return yjsAccepts(frame.update) ? 'accepted' : CloseCode.malformedFrame;
    case 'awareness':
    case 'queryAwareness':
      return 'accepted';
  }
}

/** A fixed guid: generating a random one is most of what creating a Y.Doc costs. */
const ORACLE_DOC = { guid: 'oracle' };

/** Yjs can apply the update to an empty document and encode the result again. */
function yjsAccepts(update: Uint8Array): boolean {
  try {
    const doc = new Y.Doc(ORACLE_DOC);
    Y.applyUpdate(doc, update);
    Y.applyUpdate(new Y.Doc(ORACLE_DOC), Y.encodeStateAsUpdate(doc));
    return true;
  } catch {
    return false;
  }
}

function stateVectorDecodes(stateVector: Uint8Array): boolean {
  try {
    Y.encodeStateAsUpdate(new Y.Doc(ORACLE_DOC), stateVector);
    return true;
  } catch {
    return false;
  }
}

function varUint(value: number): number[] {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, value);
  return [...encoding.toUint8Array(encoder)];
}

const binary = (bytes: Uint8Array | number[]): Buffer => wsFrame(Uint8Array.from(bytes));

interface Candidate {
  category: string;
  /** A binary message judged by `verdict`, or a finished wire frame with its known answer. */
  message?: Uint8Array | number[];
  wire?: Buffer;
  expected?: number;
}

export class MalformedFrames {
  constructor(private readonly random: () => number) {}

  /** One frame that must make the relay close a connection with `access`. */
  fatal(access: Access): FatalFrame {
    for (;;) {
      const candidate = this.pick(this.fatalKinds)(access);
      if (candidate.wire) return { category: candidate.category, wire: candidate.wire, expected: candidate.expected! };
      const message = Uint8Array.from(candidate.message!);
      const answer = candidate.expected ?? verdict(message, access);
      if (typeof answer === 'number') return { category: candidate.category, wire: binary(message), expected: answer };
    }
  }

  /** A content frame with a bad update, for a read-only connection: dropped before it is decoded. */
  dropped(): DroppedFrame {
    const syncType = this.random() < 0.5 ? 'syncUpdate' : 'syncStep2';
    const { category, update } = this.pick([
      () => ({ category: 'junk update', update: this.bytes(1, 48) }),
      () => ({ category: 'mutated update', update: this.mutate(this.pick(GOLDEN_UPDATES)) }),
      () => ({ category: 'poison update', update: this.poisonUpdate() }),
    ])();
    return { category: `${category} on a read-only connection`, wire: binary(encodeFrame({ type: syncType, update })) };
  }

  private readonly fatalKinds: Array<(access: Access) => Candidate> = [
    () => ({ category: 'random bytes', message: this.bytes(0, 64) }),
    () => ({ category: 'mutated golden vector', message: this.mutate(this.pick(GOLDEN)) }),
    () => ({ category: 'golden reject vector', message: this.pick(GOLDEN_REJECTS), expected: CloseCode.malformedFrame }),
    () => ({ category: 'truncated varuint', message: [...this.varUintContext(), ...this.continuationBytes(1, 7)], expected: CloseCode.malformedFrame }),
    () => ({ category: 'overlong varuint', message: [...this.varUintContext(), ...this.overlongVarUint(), ...this.bytes(0, 4)], expected: CloseCode.malformedFrame }),
    () => ({ category: 'unknown message type', message: [...varUint(this.unknownMessageType()), ...this.bytes(0, 8)], expected: CloseCode.malformedFrame }),
    () => ({ category: 'unknown sync type', message: [0, ...varUint(3 + this.int(2 ** 14)), ...this.bytes(0, 8)], expected: CloseCode.malformedFrame }),
    () => ({ category: 'length prefix beyond the frame', message: this.lengthBeyondFrame(), expected: CloseCode.malformedFrame }),
    () => ({ category: 'trailing bytes', message: [...this.pick(GOLDEN), ...this.bytes(1, 4)], expected: CloseCode.malformedFrame }),
    () => ({ category: 'server-only message', message: this.serverOnly(), expected: CloseCode.malformedFrame }),
    () => ({ category: 'text frame', wire: wsFrame(Buffer.from(this.text()), { opcode: Opcode.text }), expected: CloseCode.malformedFrame }),
    () => ({ category: 'poison update', message: encodeFrame({ type: this.contentType(), update: this.poisonUpdate() }) }),
    () => ({ category: 'undecodable update', message: encodeFrame({ type: this.contentType(), update: this.bytes(1, 48) }) }),
    () => ({ category: 'mutated update', message: encodeFrame({ type: this.contentType(), update: this.mutate(this.pick(GOLDEN_UPDATES)) }) }),
    () => ({ category: 'undecodable state vector', message: encodeFrame({ type: 'syncStep1', stateVector: this.bytes(1, 16) }) }),
    () => ({ category: 'awareness: truncated', message: encodeFrame({ type: 'awareness', update: this.truncatedAwareness() }), expected: CloseCode.malformedFrame }),
    () => ({ category: 'awareness: state is not JSON', message: encodeFrame({ type: 'awareness', update: awarenessUpdate([[this.clientId(), 1 + this.int(100), `'${this.text()}`]]) }), expected: CloseCode.malformedFrame }),
    () => ({ category: 'awareness: too many clients', message: this.tooManyAwarenessClients(), expected: CloseCode.malformedFrame }),
    () => ({ category: 'awareness: state too large', message: this.oversizeAwareness(), expected: CloseCode.frameTooLarge }),
    () => ({ category: 'websocket: text with invalid UTF-8', wire: wsFrame(Uint8Array.of(0x61, 0xc3, 0x28, 0xff), { opcode: Opcode.text }), expected: WsCloseCode.invalidPayload }),
    () => ({ category: 'websocket: reserved bits set', wire: wsFrame(this.pick(GOLDEN), { rsv: 1 + this.int(7) }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: unmasked frame', wire: wsFrame(this.pick(GOLDEN), { masked: false }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: reserved opcode', wire: wsFrame(this.bytes(0, 8), { opcode: this.pick([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: continuation without a start', wire: wsFrame(this.pick(GOLDEN), { opcode: Opcode.continuation }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: fragmented control frame', wire: wsFrame(this.bytes(0, 8), { opcode: Opcode.ping, fin: false }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: control frame over 125 bytes', wire: wsFrame(this.bytes(126, 200), { opcode: Opcode.ping }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: close with an invalid code', wire: wsFrame(Buffer.from([...u16(this.pick(INVALID_CLOSE_CODES))]), { opcode: Opcode.close }), expected: WsCloseCode.protocolError }),
    () => ({ category: 'websocket: length over the frame limit', wire: wsFrame(this.bytes(0, 8), { declaredLength: MAX_FRAME_BYTES + 1 + this.int(2 ** 40) }), expected: WsCloseCode.messageTooBig }),
  ];

  private int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private bytes(min: number, max: number): Uint8Array {
    const out = new Uint8Array(min + this.int(max - min + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.int(256);
    return out;
  }

  private contentType(): 'syncUpdate' | 'syncStep2' {
    return this.random() < 0.7 ? 'syncUpdate' : 'syncStep2';
  }

  /** 1–3 of: flip a bit, overwrite, insert or delete a byte, cut the end off. */
  private mutate(original: Uint8Array): Uint8Array {
    const bytes = [...original];
    for (let n = 1 + this.int(3); n > 0; n--) {
      const at = this.int(bytes.length + 1);
      switch (this.int(5)) {
        case 0: if (at < bytes.length) bytes[at] = bytes[at]! ^ (1 << this.int(8)); break;
        case 1: if (at < bytes.length) bytes[at] = this.int(256); break;
        case 2: bytes.splice(at, 0, this.int(256)); break;
        case 3: bytes.splice(at, 1); break;
        default: bytes.length = Math.min(bytes.length, at);
      }
    }
    return Uint8Array.from(bytes);
  }

  /** Where a varuint is read: the message type, a sync type, a payload length, an ack count. */
  private varUintContext(): number[] {
    return this.pick([[], [0], [0, this.int(3)], [1], [100], [101]]);
  }

  private continuationBytes(min: number, max: number): number[] {
    return Array.from({ length: min + this.int(max - min + 1) }, () => 0x80 | this.int(128));
  }

  /** Nine or more bytes, or eight encoding more than 2^53 − 1. */
  private overlongVarUint(): number[] {
    if (this.random() < 0.5) return [...this.continuationBytes(8, 12), this.int(128)];
    return [...this.continuationBytes(7, 7), 0x10 + this.int(0x70)];
  }

  private unknownMessageType(): number {
    return this.random() < 0.5 ? 4 + this.int(96) : 102 + this.int(2 ** 21);
  }

  private lengthBeyondFrame(): number[] {
    const header = this.pick([[0, 0], [0, 1], [0, 2], [1], [2, 0]]);
    const body = this.bytes(0, 16);
    const claimed = this.pick([body.length + 1 + this.int(64), 2 ** 31, 2 ** 53 - 1, MAX_FRAME_BYTES + 1]);
    return [...header, ...varUint(claimed), ...body];
  }

  private serverOnly(): number[] {
    return this.pick([
      () => [100, ...varUint(this.int(2 ** 32))],
      () => [101, this.int(3)],
      () => [...encodeFrame({ type: 'authDenied', reason: this.text() })],
    ])();
  }

  /** Printable ASCII: a well-formed text frame, which the protocol does not use. */
  private text(): string {
    return String.fromCharCode(...Array.from({ length: this.int(40) }, () => 0x20 + this.int(95)));
  }

  private clientId(): number {
    return 1 + this.int(2 ** 31);
  }

  /**
   * Updates that decode but break Yjs later: an item referring to its own client's later clock
   * (as origin, right origin or parent), or a delete set with an empty range.
   */
  private poisonUpdate(): Uint8Array {
    const client = varUint(this.clientId());
    // The client's first item (clock 0): a later first clock would only make Yjs wait for the gap.
    const later = varUint(this.int(50));
    const content = [1, 0x61 + this.int(26)];
    return Uint8Array.from(this.pick([
      () => [1, 1, ...client, 0, 0x84, ...client, ...later, ...content, 0],
      () => [1, 1, ...client, 0, 0x44, ...client, ...later, ...content, 0],
      () => [1, 1, ...client, 0, 4, 0, ...client, ...later, ...content, 0],
      () => [0, 1, ...client, 1, ...varUint(this.int(1_000)), 0],
    ])());
  }

  private truncatedAwareness(): Uint8Array {
    const full = awarenessUpdate([[this.clientId(), 1 + this.int(100), JSON.stringify({ cursor: { anchor: this.int(99) } })]]);
    return full.subarray(0, this.int(full.length));
  }

  private tooManyAwarenessClients(): Uint8Array {
    const states = Array.from({ length: MAX_AWARENESS_CLIENTS_PER_CONNECTION + 1 + this.int(4) },
      (): [number, number, string] => [this.clientId(), 1, JSON.stringify({ user: { name: 'puppet' } })]);
    return encodeFrame({ type: 'awareness', update: awarenessUpdate(states) });
  }

  private oversizeAwareness(): Uint8Array {
    const state = JSON.stringify({ blob: 'x'.repeat(MAX_AWARENESS_STATE_BYTES + this.int(1024)) });
    return encodeFrame({ type: 'awareness', update: awarenessUpdate([[this.clientId(), 1, state]]) });
  }
}

function u16(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}
