import * as Y from 'yjs';
import { readBoard, readModeration, threadOf } from '../board/model.ts';
import { readVersions } from '../charter/model.ts';
import { parseDocName } from '../docNames.ts';
import { readEntries, readStatuses } from '../library/model.ts';
import { fragmentToMarkdown, markdownLine } from '../meeting/markdown.ts';
import { minutesMarkdown, readMinutes } from '../meeting/minutes.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from '../meeting/register.ts';
import { readRetroSummary, retroSummaryMarkdown } from '../retro/summary.ts';
import { boardDocNames } from '../schema/board.ts';
import { CHARTER_ID, CHARTER_SECTIONS, sectionField } from '../schema/charter.ts';
import { isFragmentRoot, META_ROOT } from '../schema/documents.ts';
import { entryBodyField, ENTRY_TYPE_NAMES, libraryDocNames, SOURCE_KIND_NAMES } from '../schema/library.ts';
import { REGISTER_ID } from '../schema/register.ts';

/**
 * Each shared document kind as Markdown: what the community archive holds (server/documents/
 * export.ts), and what version history shows and compares (a version is read as its Markdown).
 */
export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function charterMarkdown(draft: Y.Doc, record: Y.Doc): string {
  const out = ['# Charter (draft)', ''];
  for (const section of CHARTER_SECTIONS) out.push(`## ${section.title}`, '', fragmentToMarkdown(draft.getXmlFragment(sectionField(section.id)), { offset: 1 }), '');
  out.push('## Versions', '');
  for (const v of readVersions(record)) out.push(`- v${v.number} — ${v.status} — ${markdownLine(v.summary)} (${markdownLine(v.proposedBy)}, ${day(v.proposedAt)})`);
  return `${out.join('\n').trimEnd()}\n`;
}

export function registerMarkdown(register: Y.Doc): string {
  const out = ['# Decisions and action items', '', '## Decisions', ''];
  for (const d of readDecisions(decisionsOf(register))) out.push(`- ${d.date} ${markdownLine(d.text)} — ${markdownLine(d.decidedBy)} (${markdownLine(d.sourceTitle)})`);
  out.push('', '## Action items', '');
  for (const a of readActions(actionsOf(register))) out.push(`- [${a.status === 'done' ? 'x' : ' '}] ${markdownLine(a.text)} (${a.ownerName ? markdownLine(a.ownerName) : 'no owner'}${a.due ? `, due ${a.due}` : ''}, ${a.status})`);
  return `${out.join('\n').trimEnd()}\n`;
}

export function boardMarkdown(board: Y.Doc, moderation: Y.Doc): string {
  const view = readBoard(board, readModeration(moderation));
  const out = ['# Community board', ''];
  for (const lane of view.lanes) {
    out.push(`## ${markdownLine(lane.name)}`, '');
    for (const card of lane.cards) {
      if (card.moderation.hidden) { out.push('### (hidden by a moderator)', ''); continue; }
      out.push(`### ${markdownLine(card.title)}`, '', `${markdownLine(card.authorName)}, ${day(card.createdAt)}${card.tags.length ? ` · ${card.tags.map((t) => `#${t}`).join(' ')}` : ''}`, '');
      if (card.body) out.push(card.body, '');
      for (const { comment, depth } of threadOf(view.comments.get(card.id) ?? [])) {
        if (!comment.moderation.hidden) out.push(`${'  '.repeat(depth)}- ${markdownLine(comment.authorName)}: ${markdownLine(comment.body.replace(/\s+/g, ' '))}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function libraryMarkdown(library: Y.Doc, statuses: Y.Doc): string {
  const out = ['# Practice library', ''];
  for (const entry of readEntries(library, readStatuses(statuses))) {
    out.push(`## ${markdownLine(entry.title)}`, '', `${ENTRY_TYPE_NAMES[entry.type]} · ${entry.status} · owner ${markdownLine(entry.ownerName || 'nobody')}${entry.reviewBy ? ` · review by ${entry.reviewBy}` : ''}${entry.tags.length ? ` · ${entry.tags.map((t) => `#${t}`).join(' ')}` : ''}`, '');
    if (entry.source) out.push(`Promoted from a ${SOURCE_KIND_NAMES[entry.source.kind]}: ${markdownLine(entry.source.title)}`, '');
    out.push(fragmentToMarkdown(library.getXmlFragment(entryBodyField(entry.id)), { offset: 2 }), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * Any shared document alone as Markdown (a version, which is one document without its control,
 * record or register): the parts that need another document read as empty.
 */
export function documentMarkdown(name: string, doc: Y.Doc): string {
  const parsed = parseDocName(name);
  const empty = new Y.Doc();
  if (!parsed) return '';
  const kind = doc.getMap(META_ROOT).get('kind');
  if (kind === 'meeting') return minutesMarkdown(readMinutes(name, doc, empty, empty), (ms) => new Date(ms).toISOString());
  if (kind === 'retro') return retroSummaryMarkdown(readRetroSummary(doc, empty, empty), [], []);
  if (parsed.id === CHARTER_ID) return charterMarkdown(doc, empty);
  if (parsed.id === REGISTER_ID) return registerMarkdown(doc);
  if (name === boardDocNames(parsed.community).board) return boardMarkdown(doc, empty);
  if (name === libraryDocNames(parsed.community).library) return libraryMarkdown(doc, empty);
  return '';
}

/** A document's roots as JSON, rich text as Markdown (the archive's `json/` files, a document's JSON download). */
export function rootsAsJson(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...doc.share.keys()].sort()) {
    out[key] = isFragmentRoot(key) ? { markdown: fragmentToMarkdown(doc.getXmlFragment(key)) } : doc.getMap(key).toJSON();
  }
  return out;
}
