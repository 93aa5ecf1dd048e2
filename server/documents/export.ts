import { strToU8, zipSync, type Zippable } from 'fflate';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/docNames.ts';
import { boardDocNames } from '../../shared/schema/board.ts';
import { libraryDocNames } from '../../shared/schema/library.ts';
import { boardMarkdown, charterMarkdown, day, libraryMarkdown, registerMarkdown, rootsAsJson } from '../../shared/history/markdown.ts';
import { minutesMarkdown, readMinutes } from '../../shared/meeting/minutes.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from '../../shared/meeting/register.ts';
import { readRetroSummary, retroSummaryMarkdown } from '../../shared/retro/summary.ts';
import { CHARTER_ID } from '../../shared/schema/charter.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import { controlDocName } from '../../shared/schema/meeting.ts';
import { registerDocName, REGISTER_ID } from '../../shared/schema/register.ts';
import { retroDocNames } from '../../shared/schema/retro.ts';
import type { Relay } from '../relay/relay.ts';

/**
 * A whole community as one archive, for its members to keep: every document the community
 * shares (personal documents stay private to their members) as
 *
 *   yjs/<name>.yjs        the raw Yjs state, which any Yjs client can load
 *   json/<name>.json      its roots as JSON (rich text as Markdown)
 *   markdown/<…>.md       meetings' minutes, retrospectives' summaries, the charter, the register,
 *                         the board and the library
 *   manifest.json         what is in it
 */
export interface CommunityArchive { bytes: Uint8Array; documents: number }



const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'untitled';
export async function exportCommunity(relay: Relay, community: string, now = Date.now()): Promise<CommunityArchive> {
  const names = (await relay.listDocuments()).filter((name) => {
    const parsed = parseDocName(name);
    return parsed?.community === community && parsed.accessClass !== 'personal';
  }).sort();
  const docs = new Map<string, Y.Doc>();
  for (const name of names) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await relay.read(name, (live) => Y.encodeStateAsUpdate(live)));
    docs.set(name, doc);
  }
  const empty = new Y.Doc();
  const get = (name: string): Y.Doc => docs.get(name) ?? empty;
  const files: Zippable = {};
  for (const [name, doc] of docs) {
    files[`yjs/${name}.yjs`] = Y.encodeStateAsUpdate(doc);
    files[`json/${name}.json`] = strToU8(`${JSON.stringify(rootsAsJson(doc), null, 2)}\n`);
    const parsed = parseDocName(name)!;
    const meta = doc.getMap(META_ROOT);
    const title = typeof meta.get('title') === 'string' ? meta.get('title') as string : '';
    const created = typeof meta.get('createdAt') === 'number' ? meta.get('createdAt') as number : now;
    if (parsed.accessClass !== 'shared') continue;
    if (meta.get('kind') === 'meeting') {
      const minutes = readMinutes(name, doc, get(controlDocName(name)), get(registerDocName(community)));
      files[`markdown/meetings/${day(minutes.startsAt ?? created)}-${slug(title)}-${parsed.id}.md`] = strToU8(minutesMarkdown(minutes, (ms) => new Date(ms).toISOString()));
    } else if (meta.get('kind') === 'retro') {
      const retro = retroDocNames(community, parsed.id);
      const register = get(registerDocName(community));
      const summary = readRetroSummary(doc, get(retro.control), get(retro.results));
      const own = <T extends { source: string }>(list: T[]): T[] => list.filter((e) => e.source === name);
      files[`markdown/retros/${day(created)}-${slug(title)}-${parsed.id}.md`] = strToU8(retroSummaryMarkdown(summary, own(readActions(actionsOf(register))), own(readDecisions(decisionsOf(register)))));
    } else if (parsed.id === CHARTER_ID) {
      files['markdown/charter.md'] = strToU8(charterMarkdown(doc, get(`${community}.index.${CHARTER_ID}`)));
    } else if (parsed.id === REGISTER_ID) {
      files['markdown/decisions-and-actions.md'] = strToU8(registerMarkdown(doc));
    } else if (name === boardDocNames(community).board) {
      files['markdown/board.md'] = strToU8(boardMarkdown(doc, get(boardDocNames(community).moderation)));
    } else if (name === libraryDocNames(community).library) {
      files['markdown/library.md'] = strToU8(libraryMarkdown(doc, get(libraryDocNames(community).statuses)));
    }
  }
  files['manifest.json'] = strToU8(`${JSON.stringify({ format: 'guildhall-community-export/1', community, exportedAt: now, documents: names }, null, 2)}\n`);
  return { bytes: zipSync(files, { level: 6 }), documents: names.length };
}
