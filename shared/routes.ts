/** URL paths both sides agree on (server routing, client, service worker, dev proxy). */
export const SYNC_PATH = '/sync';
export const API_PATH = '/api';
export const HEALTH_PATH = '/healthz';
/** The relay's clock (`{"now": ms}`), which shared meeting timers are anchored on. */
export const TIME_PATH = '/api/time';
/** Prometheus metrics (README "Operations"). */
export const METRICS_PATH = '/metrics';
/** Client-side routes the server answers with the app shell. */
export const DOCUMENT_ROUTE_PREFIX = '/d/';
export const MINUTES_ROUTE_PREFIX = '/minutes/';
export const DECISIONS_ROUTE_PREFIX = '/decisions/';
export const ACTIONS_ROUTE_PREFIX = '/actions/';
export const RETRO_ROUTE_PREFIX = '/retro/';
export const CHARTER_ROUTE_PREFIX = '/charter/';
export const BOARD_ROUTE_PREFIX = '/board/';
export const LIBRARY_ROUTE_PREFIX = '/library/';
export const SEARCH_ROUTE_PREFIX = '/search/';
export const HEALTH_ROUTE_PREFIX = '/health/';
/** Client routes whose last segment is a document name, which has dots (so looks like a file name). */
export const DOCUMENT_NAME_ROUTE_PREFIXES = [DOCUMENT_ROUTE_PREFIX, MINUTES_ROUTE_PREFIX, RETRO_ROUTE_PREFIX] as const;

/** Paths that carry live data: never served from the service worker's cache. */
export const LIVE_PATH_PREFIXES = [`${SYNC_PATH}/`, `${API_PATH}/`, HEALTH_PATH, METRICS_PATH] as const;

/** decodeURIComponent that answers null instead of throwing on malformed escapes like "%". */
export function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
