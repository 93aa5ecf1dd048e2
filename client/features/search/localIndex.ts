import MiniSearch from 'minisearch';
import { readModeration } from '../../../shared/board/model.ts';
import { formatDocName, parseDocName } from '../../../shared/docNames.ts';
import { boardDocNames } from '../../../shared/schema/board.ts';
import { recordsOf, type SearchRecord } from '../../../shared/search/records.ts';
import { loadLocal, localDocumentNames } from '../../collab/localDocuments.ts';

export type LocalIndex = MiniSearch<SearchRecord>;

/**
 * A full-text index (MiniSearch) of everything of the community on this device, built when the
 * search page opens: prefix and typo-tolerant matching, titles weigh double.
 */
export async function buildLocalIndex(communityId: string): Promise<{ index: LocalIndex; documents: number }> {
  const names = await localDocumentNames(communityId);
  const have = new Set(names);
  const moderationName = boardDocNames(communityId).moderation;
  const moderation = have.has(moderationName) ? readModeration(await loadLocal(moderationName)) : new Map();
  const records: SearchRecord[] = [];
  let documents = 0;
  for (const name of names) {
    const parsed = parseDocName(name)!;
    if (parsed.accessClass !== 'shared') continue; // index and control documents are read with their shared one
    documents++;
    const doc = await loadLocal(name);
    const resultsName = formatDocName({ ...parsed, accessClass: 'index' });
    const retroResults = have.has(resultsName) ? await loadLocal(resultsName) : undefined;
    records.push(...recordsOf(name, doc, { moderation, retroResults }));
    doc.destroy();
    retroResults?.destroy();
  }
  const index: LocalIndex = new MiniSearch<SearchRecord>({
    fields: ['title', 'text'], storeFields: ['kind', 'title', 'text', 'target'],
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 2 }, combineWith: 'AND' },
  });
  index.addAll(records);
  return { index, documents };
}
