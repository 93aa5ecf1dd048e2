import type * as Y from 'yjs';
import { SEALS_ROOT, VERSIONS_ROOT, type SealRecord, type VersionRecord } from '../schema/history.ts';

/** Every version in the history document, oldest first; entries without their fields are skipped. */
export function readVersionRecords(history: Y.Doc): VersionRecord[] {
  const out: VersionRecord[] = [];
  history.getMap(VERSIONS_ROOT).forEach((value) => {
    const v = value as VersionRecord | null;
    if (v && typeof v.id === 'string' && typeof v.doc === 'string' && typeof v.at === 'number') out.push(v);
  });
  return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

export function readSeals(history: Y.Doc): SealRecord[] {
  const out: SealRecord[] = [];
  history.getMap(SEALS_ROOT).forEach((value) => {
    const v = value as SealRecord | null;
    if (v && typeof v.id === 'string' && typeof v.name === 'string' && Array.isArray(v.versions)) out.push(v);
  });
  return out.sort((a, b) => a.at - b.at);
}
