import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { encodeFrame, MessageType } from '../../shared/protocol/frames.ts';

/**
 * Presence on the wire without y-protocols' Awareness, for tests that play hundreds of members
 * from bare sockets: an awareness update is a count, then per client (clientID, clock, JSON text).
 */

/** The update for `states`; the JSON text is taken as given, so it may be anything. */
export function awarenessUpdate(states: Array<[id: number, clock: number, json: string]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, states.length);
  for (const [id, clock, json] of states) {
    encoding.writeVarUint(encoder, id);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}

/** The awareness frame a client sends to announce `state` for `id` at `clock`. */
export function awarenessFrame(id: number, clock: number, state: unknown): Uint8Array {
  return encodeFrame({ type: 'awareness', update: awarenessUpdate([[id, clock, JSON.stringify(state)]]) });
}

/**
 * Calls `visit` with the clientID and clock of every state in a relay's awareness frame, without
 * parsing the states; false when the frame is not an awareness frame.
 */
export function readAwarenessFrame(frame: Uint8Array, visit: (id: number, clock: number) => void): boolean {
  if (frame[0] !== MessageType.awareness) return false;
  const decoder = decoding.createDecoder(decoding.readVarUint8Array(decoding.createDecoder(frame.subarray(1))));
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    const id = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    decoding.readVarUint8Array(decoder); // the state
    visit(id, clock);
  }
  return true;
}
