/**
 * A minimal websocket client (RFC 6455) on a bare TCP socket, for the load generator: hundreds of
 * receivers in one process must stay cheaper than the server they measure. `ws` costs a stream
 * write, a parser pass and an event per message; here a TCP chunk holding many frames is cut
 * into payload views in one loop, with no copy unless a frame spans chunks.
 *
 * Client → server frames carry the required mask with key 0 (XOR with zero leaves the payload as
 * is, so nothing is copied to mask it). Ping is answered; close ends the socket; text frames and
 * fragmentation are not used by either protocol and are treated as payloads.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const HEADER_END = Buffer.from('\r\n\r\n');

export interface LightSocketHandlers {
  open(): void;
  message(payload: Buffer): void;
  close(code: number): void;
  error(error: Error): void;
}

export class LightSocket {
  private readonly socket: Socket;
  private pending: Buffer | null = null;
  private upgraded = false;
  private ended = false;

  constructor(url: string, private readonly on: LightSocketHandlers) {
    const target = new URL(url);
    this.socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error) => this.on.error(error));
    this.socket.on('close', () => this.finish(1006));
  }

  send(payload: Uint8Array): void {
    if (this.ended) return;
    this.socket.write(Buffer.concat([frameHeader(OPCODE_BINARY, payload.length), payload]));
  }

  terminate(): void {
    this.ended = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    if (!this.upgraded) {
      const end = data.indexOf(HEADER_END);
      if (end === -1) return void (this.pending = data);
      const status = data.toString('latin1', 0, data.indexOf('\r\n'));
      if (!/^HTTP\/1\.1 101/.test(status)) {
        this.on.error(new Error(`upgrade refused: ${status}`));
        return this.terminate();
      }
      this.upgraded = true;
      this.on.open();
      data = data.subarray(end + HEADER_END.length);
    }
    let at = 0;
    while (!this.ended) {
      if (data.length - at < 2) break;
      const opcode = data[at]! & 0x0f;
      let length = data[at + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        length = Number(data.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (data.length - at < header + length) break;
      const payload = data.subarray(at + header, at + header + length);
      at += header + length;
      if (opcode === OPCODE_PING) this.control(OPCODE_PONG, payload);
      else if (opcode === OPCODE_CLOSE) this.finish(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
      else if (opcode !== OPCODE_PONG) this.on.message(payload);
    }
    if (at < data.length && !this.ended) this.pending = Buffer.from(data.subarray(at));
  }

  private control(opcode: number, payload: Buffer): void {
    this.socket.write(Buffer.concat([frameHeader(opcode, payload.length), payload]));
  }

  private finish(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.destroy();
    this.on.close(code);
  }
}

/** FIN + opcode, masked length, and a zero mask key. */
function frameHeader(opcode: number, length: number): Buffer {
  const extended = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + 4);
  header[0] = 0x80 | opcode;
  if (extended === 0) header[1] = 0x80 | length;
  else if (extended === 2) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return header;
}
