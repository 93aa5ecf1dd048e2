/**
 * Version history (issue 10): every shared document of a community keeps versions, and an
 * archivist can seal the whole community as of a moment. Documents:
 *
 *   <community>.index.history                  the list: versions and seals (only the server writes)
 *   <community>.personal.server-version-<id>   one version's content, a copy of the document as it
 *                                              was (no client opens it; members read it through
 *                                              the API, which checks that they may)
 *
 * History is never rewritten: restoring a version writes its content as a new change, and a
 * version is never changed or removed.
 */
import { SERVER_ONLY_PREFIX } from '../access.ts';
import { formatDocName } from '../docNames.ts';

export function historyDocName(community: string): string {
  return formatDocName({ community, accessClass: 'index', id: 'history' });
}

export function versionDocName(community: string, versionId: string): string {
  return formatDocName({ community, accessClass: 'personal', id: `${SERVER_ONLY_PREFIX}version-${versionId}` });
}

/** versionId → VersionRecord */
export const VERSIONS_ROOT = 'versions';
/** sealId → SealRecord */
export const SEALS_ROOT = 'seals';

export const VERSION_KINDS = ['session', 'named', 'meeting-ended', 'retro-closed', 'before-restore', 'sealed'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];
export const VERSION_KIND_NAMES: Record<VersionKind, string> = {
  session: 'End of an editing session', named: 'Named version', 'meeting-ended': 'Meeting ended',
  'retro-closed': 'Retrospective closed', 'before-restore': 'Before a restore', sealed: 'Sealed archive',
};

export interface VersionRecord {
  id: string;
  /** The document this is a version of. */
  doc: string;
  kind: VersionKind;
  /** A named version's or a seal's name; '' otherwise. */
  name: string;
  /** The document's title then. */
  title: string;
  at: number;
  /** Who made it: a member's display name, or 'Guildhall' for automatic versions. */
  by: string;
  /**
   * A short hash of the document's state vector then, so an unchanged document gets no new
   * version (a hash, not the vector: the vector grows with every device, and every member syncs this list).
   */
  contentKey: string;
  seal?: string;
}

export interface SealRecord { id: string; name: string; at: number; by: string; versions: string[] }

export const MAX_VERSION_NAME_CHARS = 120;
