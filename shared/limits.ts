/** Limits and timings (DESIGN §6), each once, with its unit in its name. */

const MiB = 1024 * 1024;

export const MAX_FRAME_BYTES = 8 * MiB;
export const MAX_DOCUMENT_BYTES = 64 * MiB;
export const WARN_DOCUMENT_BYTES = 8 * MiB;
export const MAX_CONNECTIONS_PER_DOCUMENT = 500;
export const INBOUND_MESSAGES_PER_SECOND = 100;
export const INBOUND_MESSAGES_BURST = 300;
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;
/** HTTP API writes (POST/PATCH/DELETE) per client address. */
export const API_WRITES_PER_SECOND = 5;
export const API_WRITES_BURST = 30;
/** One provider uses one awareness clientID; a few more allow reconnect overlaps. */
export const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 4;
/** y-protocols' outdated timeout: a departed client's clock is kept this long against late echoes. */
export const AWARENESS_FORGET_AFTER_MS = 30_000;
/**
 * A document's presence changes go to its members as one frame per window at most
 * (relay/roomAwareness.ts); a document quiet for a window sends at once.
 */
export const AWARENESS_BROADCAST_WINDOW_MS = 50;

/** A consumer buffered past the soft limit for the grace period, or past the hard limit, is cut off. */
export const SLOW_CONSUMER_SOFT_BYTES = 4 * MiB;
export const SLOW_CONSUMER_HARD_BYTES = 8 * MiB;
export const SLOW_CONSUMER_GRACE_MS = 10_000;
/** After sending a close frame, a peer that does not complete the handshake is terminated. */
export const CLOSE_HANDSHAKE_TIMEOUT_MS = 1_000;

/**
 * A room written to continuously sends its members one merged update per window (relay/fanOut.ts);
 * a quiet room sends at once. The window is sized so that one room's socket writes take at most
 * this share of the event loop — a 4-member room's writes cost microseconds and wait for nothing,
 * a 200-member room's cost a millisecond or two and wait for the next window — and never longer
 * than the cap.
 */
export const BROADCAST_LOOP_SHARE = 0.25;
export const BROADCAST_WINDOW_MAX_MS = 8;

export const IDLE_DOCUMENT_UNLOAD_MS = 30_000;
/**
 * An automatic end-of-session version is kept at most this often per document: a member on a
 * flaky connection ends "sessions" every few seconds, and history should hold sessions of work.
 */
export const SESSION_VERSION_MIN_INTERVAL_MS = 10 * 60 * 1000;
export const PING_INTERVAL_MS = 30_000;
export const MISSED_PINGS_BEFORE_TERMINATE = 2;

/** Compaction triggers (DESIGN §3): rows, or tail bytes ≥ snapshot bytes once this many rows exist. */
export const COMPACT_AFTER_TAIL_ROWS = 500;
export const COMPACT_MIN_TAIL_ROWS = 16;

/** How long SIGTERM waits for in-flight commits before exiting anyway. */
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 5_000;

/** Scale-out (DESIGN §4). Updates above this size cross the bus by reference: receivers read the row. */
export const BUS_INLINE_UPDATE_BYTES = 64 * 1024;
/** A sequence gap is repaired from the database after this wait (the missing message is usually in flight). */
export const GAP_REPAIR_DELAY_MS = 50;
/** How often each node compares its loaded documents' heads with the database. */
export const ANTI_ENTROPY_INTERVAL_MS = 1_000;
/** Nodes announce themselves this often; one silent for NODE_DEAD_AFTER_MS loses its presence entries. */
export const NODE_HEARTBEAT_MS = 2_000;
export const NODE_DEAD_AFTER_MS = 7_000;
/** Opening a document waits this long for the bus subscription; past it, anti-entropy covers. */
export const BUS_SUBSCRIBE_TIMEOUT_MS = 1_000;
/** One node compacts a document; its lease lasts this long and is renewed by each compaction. */
export const COMPACTION_LEASE_MS = 60_000;
