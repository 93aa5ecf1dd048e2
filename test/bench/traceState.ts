/**
 * The cold-sync workload's document: the editing trace replayed once (trace.ts), its encoded
 * state written to a file the load generator reads, and — for Guildhall — into its storage
 * before it starts, as a compacted snapshot, the way a long-edited document rests on disk.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentStorePath } from '../../server/config.ts';
import * as Y from 'yjs';
import { summarize } from '../../server/relay/snapshotSummary.ts';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import { paperDocumentState } from './trace.ts';

/** Writes the trace document's state into `dir` and returns the file's path. */
export function traceStateFile(dir: string): string {
  const path = join(dir, 'trace-state.bin');
  writeFileSync(path, paperDocumentState());
  return path;
}

export async function seedGuildhallDocument(dataDir: string, doc: string, stateFile: string): Promise<void> {
  const state = new Uint8Array(readFileSync(stateFile));
  const store = new SqliteStore(documentStorePath(dataDir));
  try {
    const [seq] = await store.append([{ doc, update: state }]);
    const decoded = new Y.Doc();
    Y.applyUpdate(decoded, state);
    await store.compact(doc, seq!, state, summarize(decoded));
  } finally {
    await store.close();
  }
}
