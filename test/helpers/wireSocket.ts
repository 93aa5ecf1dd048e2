/**
 * A websocket client written byte by byte (RFC 6455) on a bare TCP socket, for tests that put on
 * the wire what no client library would send (reserved bits, unmasked frames, lying length
 * headers, unknown opcodes) and for tests that open thousands of connections: no timers, nothing
 * per socket but the TCP socket and a parse buffer, so a finished socket leaves nothing behind.
 *
 * Answers pings, and answers the server's close frame with one of its own, as a conforming
 * client does, so the server completes its closing handshake instead of waiting it out.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

const HEADER_END = Buffer.from('\r\n\r\n');

export interface FrameOptions {
  opcode?: number;
  fin?: boolean;
  /** The three reserved bits (RSV1–RSV3), 0–7; a conforming peer without extensions sends 0. */
  rsv?: number;
  /** Clients must mask every frame; false sends it in the clear. */
  masked?: boolean;
  /** The payload length written in the header, when it should lie about the payload that follows. */
  declaredLength?: number;
}

/** One websocket frame as a client sends it (masked with a random key unless told otherwise). */
export function wsFrame(payload: Uint8Array, { opcode = Opcode.binary, fin = true, rsv = 0, masked = true, declaredLength }: FrameOptions = {}): Buffer {
  const length = declaredLength ?? payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf);
  header[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  key.copy(header, 2 + lengthBytes);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([header, body]);
}

export interface WireSocket {
  socket: Socket;
  /** The HTTP status the server answered the upgrade with (101: upgraded); 0 if none came. */
  upgraded: Promise<number>;
  /**
   * The code in the server's close frame, once the connection has ended; null when it ended
   * without one (the server terminated it, or we did).
   */
  closed: Promise<number | null>;
  /**
   * Called for every binary or text message the server sends, with a view of its payload. The
   * first listener also gets those that came before it (with the upgrade answer, say).
   */
  onMessage(listener: (payload: Buffer, opcode: number) => void): void;
  /** Sends one frame. */
  send(payload: Uint8Array, options?: FrameOptions): void;
  /** Writes bytes as they are (several frames at once, or anything else). */
  write(bytes: Uint8Array): void;
  /** Starts a clean close with `code`; `closed` resolves once the server answered. */
  close(code?: number): void;
  /** Drops the TCP connection without a closing handshake, as a dead network does. */
  destroy(): void;
}

/** Opens `ws://127.0.0.1:<port><path>` and upgrades it; every failure shows in `upgraded`/`closed`. */
export function openWireSocket(port: number, path: string): WireSocket {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  const listeners: Array<(payload: Buffer, opcode: number) => void> = [];
  let early: Array<[Buffer, number]> | null = [];
  let buffered: Buffer | null = null;
  let status = 0;
  let closeCode: number | null = null;
  let closeSent = false;
  let resolveUpgraded!: (status: number) => void;
  const upgraded = new Promise<number>((resolve) => { resolveUpgraded = resolve; });
  const closed = new Promise<number | null>((resolve) => {
    socket.once('close', () => {
      resolveUpgraded(status);
      resolve(closeCode);
    });
  });
  socket.on('error', () => undefined); // a reset shows as `closed` without a code
  socket.on('connect', () => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });

  const sendClose = (code: number): void => {
    if (closeSent || socket.destroyed) return;
    closeSent = true;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    socket.write(wsFrame(body, { opcode: Opcode.close }));
  };

  /** Cuts whole frames off `data`; returns what is left of an incomplete one. */
  const readFrames = (data: Buffer): Buffer | null => {
    let at = 0;
    while (data.length - at >= 2) {
      const opcode = data[at]! & 0x0f;
      let length = data[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (data.length < start + 2) break;
        length = data.readUInt16BE(start);
        start += 2;
      } else if (length === 127) {
        if (data.length < start + 8) break;
        length = Number(data.readBigUInt64BE(start));
        start += 8;
      }
      if (data.length < start + length) break;
      const payload = data.subarray(start, start + length);
      at = start + length;
      if (opcode === Opcode.close) {
        closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : null;
        sendClose(closeCode ?? 1000);
        socket.end();
      } else if (opcode === Opcode.ping) {
        socket.write(wsFrame(payload, { opcode: Opcode.pong }));
      } else if (opcode !== Opcode.pong) {
        if (early) early.push([Buffer.from(payload), opcode]);
        for (const listener of listeners) listener(payload, opcode);
      }
    }
    return at < data.length ? data.subarray(at) : null;
  };

  socket.on('data', (chunk: Buffer) => {
    let data = buffered ? Buffer.concat([buffered, chunk]) : chunk;
    buffered = null;
    if (status === 0) {
      const end = data.indexOf(HEADER_END);
      if (end < 0) {
        buffered = data;
        return;
      }
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data.subarray(0, end).toString('latin1'))?.[1] ?? -1);
      resolveUpgraded(status);
      data = data.subarray(end + HEADER_END.length);
      if (status !== 101) return void socket.destroy();
    }
    buffered = readFrames(data);
  });

  return {
    socket,
    upgraded,
    closed,
    onMessage(listener) {
      listeners.push(listener);
      for (const [payload, opcode] of early ?? []) listener(payload, opcode);
      early = null;
    },
    send: (payload, options) => socket.write(wsFrame(payload, options)),
    write: (bytes) => socket.write(bytes),
    close: (code = 1000) => sendClose(code),
    destroy: () => socket.destroy(),
  };
}
