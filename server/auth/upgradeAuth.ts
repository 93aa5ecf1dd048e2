import type { IncomingMessage } from 'node:http';
import { accessFor, openAccessFor, type Access } from '../../shared/access.ts';
import type { DocName } from '../../shared/docNames.ts';
import { SUBPROTOCOL, TOKEN_PARAM, TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/protocol/capabilities.ts';
import { principalOf, type Directory, type Member } from '../directory/directory.ts';
import { currentMember } from './members.ts';

/** Who may open which document, checked once per websocket upgrade (and again on revocation). */
export interface UpgradeAuthOptions {
  directory: Directory;
  authSecret: Uint8Array;
  /** Communities anyone who reaches the relay may use without a token (README "Access"). */
  openCommunities: ReadonlySet<string>;
  /** Browser origins allowed to open sockets; empty: the page must come from the relay's own host. */
  allowedOrigins: ReadonlySet<string>;
}

export type UpgradeDecision =
  | { ok: true; access: Access; member: Member | null; expiresAt: number | null }
  | { ok: false; status: 401 | 403; reason: string };

export async function authorizeUpgrade(
  options: UpgradeAuthOptions, request: IncomingMessage, url: URL, doc: DocName,
): Promise<UpgradeDecision> {
  if (!originAllowed(options, request)) return { ok: false, status: 403, reason: 'origin not allowed' };
  if (options.openCommunities.has(doc.community)) {
    const access = openAccessFor(doc);
    return access === 'none' ? { ok: false, status: 403, reason: 'no access' } : { ok: true, access, member: null, expiresAt: null };
  }
  const token = tokenFrom(request, url);
  if (!token) return { ok: false, status: 401, reason: 'token required' };
  const check = await currentMember(options.directory, options.authSecret, token, doc.community);
  if (!check.ok) return check;
  const access = accessFor(principalOf(check.member), doc);
  if (access === 'none') return { ok: false, status: 403, reason: 'no access to this document' };
  return { ok: true, access, member: check.member, expiresAt: check.expiresAt };
}

/** The relay's reply to the offered subprotocols: ours when offered, else none (stock clients). */
export function selectSubprotocol(offered: ReadonlySet<string>): string | false {
  return offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}

function tokenFrom(request: IncomingMessage, url: URL): string | null {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const fromProtocol = offered.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
  if (fromProtocol) return fromProtocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  return url.searchParams.get(TOKEN_PARAM);
}

/**
 * Cross-site websocket hijacking: a page on another site could open a socket with the member's
 * cookies or stored token. Browsers always send Origin; scripts and servers usually do not, and
 * they hold their tokens themselves.
 */
function originAllowed(options: UpgradeAuthOptions, request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (options.allowedOrigins.size > 0) return options.allowedOrigins.has(origin);
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
