import type { DocName } from './docNames.ts';
import type { Principal } from './roles.ts';

/**
 * What a connection may do with a document (DESIGN §1 access classes), decided by the relay per
 * connection from the document's name and the member's current role:
 *
 * | class    | read                      | write                                   |
 * | shared   | every member and viewer   | owner, facilitator, member              |
 * | control  | every member and viewer   | owner, facilitator                      |
 * | personal | its one member            | its one member (id `<memberId>` or `<memberId>-<purpose>`) |
 *   (personal ids starting `server-` belong to no member: what only the server may read)
 * | index    | every member and viewer   | nobody (server projections and the API) |
 */
export type Access = 'none' | 'read' | 'write';

export function accessFor(principal: Principal, doc: DocName): Access {
  if (principal.community !== doc.community) return 'none';
  const { role } = principal;
  switch (doc.accessClass) {
    case 'shared':
      return role === 'viewer' ? 'read' : 'write';
    case 'control':
      return role === 'owner' || role === 'facilitator' ? 'write' : 'read';
    case 'personal':
      return isOwnPersonalDoc(principal.memberId, doc.id) ? 'write' : 'none';
    case 'index':
      return 'read';
  }
}

/**
 * Open communities (the demo `home`, while the membership UI lands) need no token: anyone who
 * reaches the relay may write shared and control documents; the index stays server-written and
 * personal documents do not exist there.
 */
export function openAccessFor(doc: DocName): Access {
  switch (doc.accessClass) {
    case 'shared':
    case 'control':
      return 'write';
    case 'index':
      return 'read';
    case 'personal':
      return 'none';
  }
}

/** Personal documents no member owns, e.g. the content moderators hid (schema/board.ts). */
export const SERVER_ONLY_PREFIX = 'server-';

function isOwnPersonalDoc(memberId: string, docId: string): boolean {
  if (docId.startsWith(SERVER_ONLY_PREFIX)) return false;
  return docId === memberId || docId.startsWith(`${memberId}-`);
}

/** Ordering, to tell a downgrade from an upgrade. */
export const ACCESS_RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };
