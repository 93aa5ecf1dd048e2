/**
 * Capabilities a client may ask for in the websocket URL's query (`/sync/<doc>?caps=ack`).
 * A stock y-websocket client asks for none and so never receives a frame it does not know.
 */
export const CAPABILITIES_PARAM = 'caps';
export const Capability = { ack: 'ack', access: 'access' } as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

export function parseCapabilities(value: string | null): Set<Capability> {
  const known = new Set<string>(Object.values(Capability));
  return new Set((value ?? '').split(',').filter((c): c is Capability => known.has(c)));
}

/**
 * Member tokens reach the relay without appearing in URLs that proxies log: as a websocket
 * subprotocol `guildhall.token.<jwt>` offered beside `guildhall` (which the relay selects).
 * Scripts may use `?token=<jwt>` instead.
 */
export const SUBPROTOCOL = 'guildhall';
/** `?schema=N`: the document schema version the client understands (shared/schema). */
export const SCHEMA_PARAM = 'schema';
export const TOKEN_SUBPROTOCOL_PREFIX = 'guildhall.token.';
export const TOKEN_PARAM = 'token';
