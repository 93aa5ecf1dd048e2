import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/docNames.ts';
import { restoreRoots } from '../../shared/history/restore.ts';
import { readVersionRecords } from '../../shared/history/versions.ts';
import { randomId } from '../../shared/ids.ts';
import { SESSION_VERSION_MIN_INTERVAL_MS } from '../../shared/limits.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import {
  historyDocName, SEALS_ROOT, versionDocName, VERSIONS_ROOT, type SealRecord, type VersionKind, type VersionRecord,
} from '../../shared/schema/history.ts';
import { readModeration } from '../../shared/board/model.ts';
import { boardDocNames } from '../../shared/schema/board.ts';
import { HttpError } from '../http/router.ts';
import { afterBoardRestore, enforceModeration } from './board.ts';
import { createLogger } from '../log.ts';
import type { Origin } from '../relay/origins.ts';
import type { Relay } from '../relay/relay.ts';
import type { Room } from '../relay/room.ts';

const log = createLogger('history');
const ORIGIN: Origin = { kind: 'projection', name: 'history' };
/** Automatic kinds skip a document that has not changed since its last version. */
const AUTOMATIC: ReadonlySet<VersionKind> = new Set(['session', 'meeting-ended', 'retro-closed']);

/** Documents with history: a community's shared documents (personal, control and index ones are parts of others). */
export function hasHistory(docName: string): boolean {
  return parseDocName(docName)?.accessClass === 'shared';
}

/** A document's content as a version keeps it. */
interface Snapshot { state: Uint8Array; contentKey: string; title: string }

/** Equal for two states with the same state vector (the same content, in Yjs): 64 bits of its SHA-256. */
const contentKeyOf = (stateVector: Uint8Array): string => createHash('sha256').update(stateVector).digest('hex').slice(0, 16);
const EMPTY_CONTENT = contentKeyOf(Y.encodeStateVector(new Y.Doc()));

function snapshotOf(doc: Y.Doc): Snapshot {
  return { state: Y.encodeStateAsUpdate(doc), contentKey: contentKeyOf(Y.encodeStateVector(doc)), title: String(doc.getMap(META_ROOT).get('title') ?? '') };
}

/**
 * The relay's session-end hook: a version of a shared document members edited, as it unloads.
 * Open communities (the demo `home`) keep none: they have no members to read history.
 */
export function recordSessionEnd(room: Room, relay: Relay, openCommunities: ReadonlySet<string>): void {
  if (!hasHistory(room.name) || openCommunities.has(parseDocName(room.name)!.community)) return;
  const now = snapshotOf(room.doc); // now: the room is about to unload
  recordVersion(relay, room.name, 'session', 'Guildhall', { now })
    .catch((error: unknown) => log.warn('session version not recorded', { error }));
}


/**
 * Keeps the document as it is now as a version: its content is copied into a document of its
 * own, then listed. An automatic version of a document unchanged since its last version is not
 * made (answers null).
 */
export async function recordVersion(
  relay: Relay, docName: string, kind: VersionKind, by: string, { name = '', seal, now }: { name?: string; seal?: string; now?: Snapshot } = {},
): Promise<VersionRecord | null> {
  const parsed = parseDocName(docName);
  if (!parsed || !hasHistory(docName)) throw new HttpError(400, `doc: ${docName} has no history`);
  const { community } = parsed;
  const { state, contentKey, title } = now ?? await relay.read(docName, snapshotOf);
  if (contentKey === EMPTY_CONTENT) {
    if (AUTOMATIC.has(kind) || kind === 'sealed') return null;
    throw new HttpError(404, `doc: ${docName} has no content to keep`);
  }
  const last = (await relay.read(historyDocName(community), readVersionRecords)).filter((v) => v.doc === docName).at(-1);
  // An unchanged document gets no new copy: automatic versions are skipped, a seal lists the last
  // version (versions never change), and a named version is refused — so history grows with work, not clicks.
  if (last?.contentKey === contentKey) {
    if (kind === 'sealed') return last;
    if (AUTOMATIC.has(kind)) return null;
    if (kind === 'named') throw new HttpError(409, `nothing changed since the version of ${new Date(last.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  }
  if (kind === 'session' && last && Date.now() - last.at < SESSION_VERSION_MIN_INTERVAL_MS) return null;
  const id = randomId();
  // The copy first, then the listing: a listed version always has its content.
  await relay.change(versionDocName(community, id), ORIGIN, (copy) => Y.applyUpdate(copy, state));
  const record: VersionRecord = { id, doc: docName, kind, name, title, at: Date.now(), by, contentKey, ...(seal ? { seal } : {}) };
  await relay.change(historyDocName(community), ORIGIN, (history) => history.getMap(VERSIONS_ROOT).set(id, record));
  log.info('version recorded', { community, kind });
  return record;
}

/**
 * A version's content as members may see it now: of the board, without what moderators have
 * hidden since (a version is kept whole, but hiding must reach old versions too).
 */
export async function versionOf(relay: Relay, community: string, versionId: string): Promise<{ record: VersionRecord; state: Uint8Array }> {
  const record = await relay.read(historyDocName(community), (history) => history.getMap(VERSIONS_ROOT).get(versionId) as VersionRecord | undefined);
  if (!record) throw new HttpError(404, `there is no version ${versionId}`);
  const state = await relay.read(versionDocName(community, versionId), (copy) => Y.encodeStateAsUpdate(copy));
  if (record.doc !== boardDocNames(community).board) return { record, state };
  const records = await relay.read(boardDocNames(community).moderation, readModeration);
  const scrubbed = new Y.Doc({ gc: true });
  Y.applyUpdate(scrubbed, state);
  enforceModeration(scrubbed, records);
  return { record, state: Y.encodeStateAsUpdate(scrubbed) };
}

/** Restores a version as a new change, after keeping the document as it was just before (so a restore can be undone the same way). */
export async function restoreVersion(relay: Relay, community: string, versionId: string, by: string, { mayRestoreBoard }: { mayRestoreBoard: boolean }): Promise<VersionRecord> {
  const { record, state } = await versionOf(relay, community, versionId);
  // The board is every member's writing: putting all of it back is moderation, not an edit.
  if (record.doc === boardDocNames(community).board && !mayRestoreBoard) throw new HttpError(403, 'only moderators and owners may restore the board');
  await recordVersion(relay, record.doc, 'before-restore', by, { name: `Before restoring the version of ${new Date(record.at).toISOString().slice(0, 16).replace('T', ' ')} UTC` });
  const version = new Y.Doc();
  Y.applyUpdate(version, state);
  await relay.change(record.doc, ORIGIN, (live) => restoreRoots(live, version));
  // The board's own server-side rules apply to a restore as to any change: moderation, and the
  // authored copies now describe the restored board (a restore is a moderator's action there).
  if (record.doc === boardDocNames(community).board) await afterBoardRestore(relay, community);
  log.info('version restored', { community });
  return record;
}

/** An archivist's seal: every shared document of the community as it is now, under one name. */
export async function seal(relay: Relay, community: string, name: string, by: string): Promise<SealRecord> {
  const id = randomId();
  const docs = (await relay.listDocuments()).filter((doc) => parseDocName(doc)?.community === community && hasHistory(doc)).sort();
  const versions: string[] = [];
  for (const doc of docs) {
    const version = await recordVersion(relay, doc, 'sealed', by, { name, seal: id });
    if (version && !versions.includes(version.id)) versions.push(version.id);
  }
  const record: SealRecord = { id, name, at: Date.now(), by, versions };
  await relay.change(historyDocName(community), ORIGIN, (history) => history.getMap(SEALS_ROOT).set(id, record));
  return record;
}

