/**
 * Every reason the relay closes a websocket, in one table.
 *
 * The ranges follow y-websocket's reconnect rule: 4400–4499 mean "reconnecting cannot fix this"
 * (the stock provider stops retrying), 4500–4599 mean "try again later". The last two digits
 * mirror the HTTP status they resemble, so a code reads at a glance in logs.
 */
export const CloseCode = {
  /** Server shutting down (SIGTERM): reconnect, possibly to another node. */
  goingAway: 1001,
  /** Frame larger than MAX_FRAME_BYTES (sent by `ws` itself when maxPayload is exceeded). */
  frameTooLarge: 1009,
  /** Frame that does not decode: truncated, trailing bytes, unknown type, text frame, bad update. */
  malformedFrame: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  /** The document reached MAX_DOCUMENT_BYTES; further writes are refused. */
  documentTooLarge: 4413,
  /** Storage failed to commit this client's update: not acknowledged; resync on reconnect. */
  storageUnavailable: 4500,
  /** The document has MAX_CONNECTIONS_PER_DOCUMENT connections already. */
  documentFull: 4503,
  /** The client stopped reading and the server would have to buffer too much for it. */
  slowConsumer: 4508,
  /** More inbound messages than the token bucket allows. */
  rateLimited: 4529,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
