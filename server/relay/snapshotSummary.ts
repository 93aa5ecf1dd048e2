import * as Y from 'yjs';
import { META_ROOT } from '../../shared/schema/documents.ts';
import type { SnapshotSummary } from '../storage/store.ts';

/** What a cold load needs to know about a document without decoding it (stored with its snapshot). */
export function summarize(doc: Y.Doc): SnapshotSummary {
  const schemaVersion = doc.getMap(META_ROOT).get('schemaVersion');
  return { stateVector: Y.encodeStateVector(doc), schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : null };
}
