import { readFileSync } from 'node:fs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  decodeFrame, encodeFrame, FrameError, isContentFrame, isContentFrameBytes, type Frame,
} from '../../shared/protocol/frames.ts';

/**
 * Golden vectors: test/fixtures/frames.json holds bytes produced by lib0/y-protocols (see
 * test/fixtures/generateFrames.ts), so these tests pin our codec to what stock y-websocket peers
 * send and expect, not to itself.
 */

type JsonFrame = Record<string, string | number>;
interface Vector { name: string; frame: JsonFrame; bytes: string }
interface Reject { name: string; bytes: string }

const fixture = JSON.parse(readFileSync(new URL('../fixtures/frames.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
  rejects: Reject[];
};

/** Frame fields that carry bytes; the fixture writes them as hex. */
const BYTE_FIELDS = new Set(['stateVector', 'update']);

/** Every Frame variant, checked by the compiler: adding a variant fails here until it has vectors. */
const FRAME_TYPES = Object.keys({
  syncStep1: true, syncStep2: true, syncUpdate: true, awareness: true, authDenied: true,
  queryAwareness: true, ack: true, access: true,
} satisfies Record<Frame['type'], true>);

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function frameFromJson(json: JsonFrame): Frame {
  const entries = Object.entries(json).map(([key, value]) =>
    [key, BYTE_FIELDS.has(key) ? fromHex(String(value)) : value]);
  return Object.fromEntries(entries) as Frame;
}

function frameToJson(frame: Frame): JsonFrame {
  const entries = Object.entries(frame).map(([key, value]: [string, unknown]) =>
    [key, value instanceof Uint8Array ? toHex(value) : value]);
  return Object.fromEntries(entries) as JsonFrame;
}

function decodeError(bytes: Uint8Array): unknown {
  try {
    decodeFrame(bytes);
  } catch (error) {
    return error;
  }
  return null;
}

/** A y-protocols message, written the way y-websocket writes it. */
function yMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

const { vectors, rejects } = fixture;

describe('wire protocol golden vectors (shared/protocol/frames.ts, test/fixtures/frames.json)', () => {
  it('the fixture covers every Frame variant', () => {
    expect(new Set(vectors.map((v) => v.frame.type))).toEqual(new Set(FRAME_TYPES));
  });

  it('the fixture covers one-byte and multi-byte ack counts', () => {
    const counts = vectors.filter((v) => v.frame.type === 'ack').map((v) => v.frame.durableCount);
    expect(counts).toEqual(expect.arrayContaining([0, 127, 128, 300, 2 ** 31]));
  });

  it.each(vectors)('encodes "$name" to the reference bytes', ({ frame, bytes }) => {
    expect(toHex(encodeFrame(frameFromJson(frame)))).toBe(bytes);
  });

  it.each(vectors)('decodes the reference bytes of "$name"', ({ frame, bytes }) => {
    const decoded = decodeFrame(fromHex(bytes));
    for (const field of BYTE_FIELDS) {
      if (field in decoded) expect((decoded as Record<string, unknown>)[field]).toBeInstanceOf(Uint8Array);
    }
    expect(frameToJson(decoded)).toEqual(frame);
  });

  it.each(vectors)('[R7] rejects every proper prefix of "$name" with FrameError', ({ bytes }) => {
    const full = fromHex(bytes);
    const decodedPrefixes: number[] = [];
    for (let length = 0; length < full.length; length++) {
      const error = decodeError(full.subarray(0, length));
      if (error === null) decodedPrefixes.push(length);
      else expect(error, `prefix of ${length} bytes`).toBeInstanceOf(FrameError);
    }
    // No proper prefix of a canonical frame can itself be a frame: every frame ends with a
    // complete varuint or a field whose length prefix fixes where the frame ends.
    expect(decodedPrefixes).toEqual([]);
  });

  it.each(vectors)('[R7] rejects "$name" followed by one more byte with FrameError', ({ bytes }) => {
    for (const extra of [0x00, 0x01, 0xff]) {
      const error = decodeError(fromHex(bytes + extra.toString(16).padStart(2, '0')));
      expect(error).toBeInstanceOf(FrameError);
      expect((error as Error).message).toMatch(/trailing bytes/);
    }
  });
});

describe('[R7] frames the decoder rejects (test/fixtures/frames.json "rejects")', () => {
  it.each(rejects)('rejects $name with FrameError', ({ bytes }) => {
    expect(decodeError(fromHex(bytes))).toBeInstanceOf(FrameError);
  });

  it('rejects a 9-byte varuint as too long rather than reading on', () => {
    expect(() => decodeFrame(fromHex('64808080808080808000'))).toThrow(/varuint too long/);
  });

  it('rejects an 8-byte varuint above 2^53 - 1 as out of range', () => {
    expect(() => decodeFrame(fromHex('648080808080808010'))).toThrow(/out of range/);
  });

  it('rejects a length prefix larger than the rest of the frame', () => {
    expect(() => decodeFrame(fromHex('000205aabbcc'))).toThrow(/truncated byte array/);
  });
});

describe('decoding returns independent values', () => {
  // Only a plain Uint8Array input is covered. With a Node Buffer — what `ws` delivers — Reader.varBytes'
  // `this.bytes.slice` is Buffer#slice, which returns a view, so the payload aliases the socket
  // buffer; the Buffer case belongs here once frames.ts copies with Uint8Array.prototype.slice.
  it('a decoded payload does not change when the input bytes are reused', () => {
    const bytes = fromHex('000203aabbcc');
    const frame = decodeFrame(bytes);
    bytes.fill(0);
    expect(frameToJson(frame)).toEqual({ type: 'syncUpdate', update: 'aabbcc' });
  });

  it('decodes a frame that sits at an offset inside a larger buffer', () => {
    const backing = fromHex('ffff000203aabbccffff');
    expect(frameToJson(decodeFrame(backing.subarray(2, 8)))).toEqual({ type: 'syncUpdate', update: 'aabbcc' });
  });
});

describe('encoding refuses values the protocol cannot carry', () => {
  it.each([-1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY])('refuses an ack count of %s', (count) => {
    expect(() => encodeFrame({ type: 'ack', durableCount: count })).toThrow(RangeError);
  });
});

describe('interoperability with y-protocols (what stock y-websocket peers send and read)', () => {
  it('a sync step 1 from y-protocols decodes, and our step 2 answer is applied by y-protocols', () => {
    const relay = docWithText('from the relay');
    const client = docWithText('from the client');
    const step1 = decodeFrame(yMessage((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, client);
    }));
    expect(step1.type).toBe('syncStep1');
    if (step1.type !== 'syncStep1') return;
    expect(toHex(step1.stateVector)).toBe(toHex(Y.encodeStateVector(client)));

    const answer = encodeFrame({ type: 'syncStep2', update: Y.encodeStateAsUpdate(relay, step1.stateVector) });
    const decoder = decoding.createDecoder(answer);
    expect(decoding.readVarUint(decoder)).toBe(0);
    const kind = syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), client, 'test');
    expect(kind).toBe(syncProtocol.messageYjsSyncStep2);
    expect(client.getText('t').toString()).toContain('from the relay');
  });

  it('y-protocols answers our sync step 1 with a step 2 that decodes and converges the documents', () => {
    const relay = docWithText('relay text');
    const client = docWithText('client text');
    const reply = yMessage((e) => {
      encoding.writeVarUint(e, 0);
      const decoder = decoding.createDecoder(encodeFrame({ type: 'syncStep1', stateVector: Y.encodeStateVector(relay) }));
      expect(decoding.readVarUint(decoder)).toBe(0);
      syncProtocol.readSyncMessage(decoder, e, client, 'test');
    });
    const step2 = decodeFrame(reply);
    expect(step2.type).toBe('syncStep2');
    if (step2.type !== 'syncStep2') return;
    Y.applyUpdate(relay, step2.update);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(relay, Y.encodeStateVector(client)));
    expect(relay.getText('t').toString()).toBe(client.getText('t').toString());
    expect(relay.getText('t').toString()).toContain('client text');
  });

  it('an update message from y-protocols decodes to the exact update, and ours is applied by y-protocols', () => {
    const sender = new Y.Doc();
    const receiver = new Y.Doc();
    const sent: Uint8Array[] = [];
    sender.on('update', (update: Uint8Array) => {
      sent.push(yMessage((e) => { encoding.writeVarUint(e, 0); syncProtocol.writeUpdate(e, update); }));
    });
    sender.getText('t').insert(0, 'typed');
    sender.getMap('m').set('k', 1);
    expect(sent).toHaveLength(2);
    for (const message of sent) {
      const frame = decodeFrame(message);
      expect(frame.type).toBe('syncUpdate');
      if (frame.type !== 'syncUpdate') return;
      const decoder = decoding.createDecoder(encodeFrame(frame));
      decoding.readVarUint(decoder);
      expect(syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), receiver, 'test'))
        .toBe(syncProtocol.messageYjsUpdate);
    }
    expect(receiver.getText('t').toString()).toBe('typed');
    expect(receiver.getMap('m').get('k')).toBe(1);
  });

  it('an awareness message from y-protocols decodes and applies to another Awareness', () => {
    const local = new awarenessProtocol.Awareness(new Y.Doc());
    const remote = new awarenessProtocol.Awareness(new Y.Doc());
    try {
      local.setLocalState({ user: { name: 'Grace', color: '#ee6352' } });
      const frame = decodeFrame(yMessage((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(local, [local.clientID]));
      }));
      expect(frame.type).toBe('awareness');
      if (frame.type !== 'awareness') return;
      awarenessProtocol.applyAwarenessUpdate(remote, frame.update, 'test');
      expect(remote.getStates().get(local.clientID)).toEqual({ user: { name: 'Grace', color: '#ee6352' } });
    } finally {
      local.destroy();
      remote.destroy();
    }
  });

  it('a permission-denied message from y-protocols decodes, and ours is read by y-protocols', () => {
    const reason = 'read-only: ✋🏽 viewers cannot edit';
    const frame = decodeFrame(yMessage((e) => {
      encoding.writeVarUint(e, 2);
      authProtocol.writePermissionDenied(e, reason);
    }));
    expect(frame).toEqual({ type: 'authDenied', reason });

    const decoder = decoding.createDecoder(encodeFrame({ type: 'authDenied', reason }));
    expect(decoding.readVarUint(decoder)).toBe(2);
    const denied: string[] = [];
    authProtocol.readAuthMessage(decoder, new Y.Doc(), (_doc, r) => denied.push(r));
    expect(denied).toEqual([reason]);
  });

  it.each(vectors.filter((v) => v.frame.type === 'ack'))(
    '[R5] the client reads "$name" with lib0 readVarUint as docSession does',
    ({ frame }) => {
      const decoder = decoding.createDecoder(encodeFrame(frameFromJson(frame)));
      expect(decoding.readVarUint(decoder)).toBe(100);
      expect(decoding.readVarUint(decoder)).toBe(frame.durableCount);
      expect(decoding.hasContent(decoder)).toBe(false);
    },
  );
});

describe('isContentFrameBytes (client-side ack counting)', () => {
  it.each(vectors)('agrees with decodeFrame + isContentFrame on "$name"', ({ bytes }) => {
    const raw = fromHex(bytes);
    expect(isContentFrameBytes(raw)).toBe(isContentFrame(decodeFrame(raw)));
  });

  it('counts sync step 2 and sync update frames only', () => {
    const step2 = vectors.filter((v) => isContentFrameBytes(fromHex(v.bytes))).map((v) => v.frame.type);
    expect(new Set(step2)).toEqual(new Set(['syncStep2', 'syncUpdate']));
  });

  it.each([
    ['', false], ['00', false], ['0000', false], ['0001', true], ['0002', true], ['0003', false],
    ['0101', false], ['0201', false], ['6401', false], ['ffffffff', false],
  ] as const)('reads only the header: %s → %s, never throwing', (hex, expected) => {
    expect(isContentFrameBytes(fromHex(hex))).toBe(expected);
  });
});
