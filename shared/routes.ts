/** URL paths both sides agree on (server routing, client, service worker, dev proxy). */
export const SYNC_PATH = '/sync';
export const API_PATH = '/api';
export const HEALTH_PATH = '/healthz';
/** Prometheus metrics (README "Operations"). */
export const METRICS_PATH = '/metrics';
/** Client-side routes the server answers with the app shell. */
export const DOCUMENT_ROUTE_PREFIX = '/d/';

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
