/** Limits and timings (DESIGN §6), each once, with its unit in its name. */

const MiB = 1024 * 1024;

export const MAX_FRAME_BYTES = 8 * MiB;
export const MAX_DOCUMENT_BYTES = 64 * MiB;
export const WARN_DOCUMENT_BYTES = 8 * MiB;
export const MAX_CONNECTIONS_PER_DOCUMENT = 500;
export const INBOUND_MESSAGES_PER_SECOND = 100;
export const INBOUND_MESSAGES_BURST = 300;
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;

/** A consumer buffered past the soft limit for the grace period, or past the hard limit, is cut off. */
export const SLOW_CONSUMER_SOFT_BYTES = 4 * MiB;
export const SLOW_CONSUMER_HARD_BYTES = 8 * MiB;
export const SLOW_CONSUMER_GRACE_MS = 10_000;
/** After sending a close frame, a peer that does not complete the handshake is terminated. */
export const CLOSE_HANDSHAKE_TIMEOUT_MS = 1_000;

export const IDLE_DOCUMENT_UNLOAD_MS = 30_000;
export const PING_INTERVAL_MS = 30_000;
export const MISSED_PINGS_BEFORE_TERMINATE = 2;

/** Compaction triggers (DESIGN §3). */
export const COMPACT_AFTER_TAIL_ROWS = 500;

/** How long SIGTERM waits for in-flight commits before exiting anyway. */
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 5_000;
export const COMPACT_MIN_TAIL_ROWS = 16;
