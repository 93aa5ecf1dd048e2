import type * as Y from 'yjs';
import { readBoard, type ModerationRecords } from '../board/model.ts';
import { fragmentText } from '../charter/model.ts';
import { parseDocName } from '../docNames.ts';
import { readEntries } from '../library/model.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from '../meeting/register.ts';
import { boardDocNames } from '../schema/board.ts';
import { CHARTER_ID } from '../schema/charter.ts';
import { isFragmentRoot, META_ROOT } from '../schema/documents.ts';
import { entryBodyField, libraryDocNames } from '../schema/library.ts';
import { REGISTER_ID } from '../schema/register.ts';
import { plainText } from '../text.ts';
import { CARDS_ROOT as RETRO_CARDS_ROOT } from '../schema/retro.ts';

/**
 * What offline search indexes (issue 6): a community's documents as they are on this device,
 * cut into records that each open at their own place — one per board card, library entry,
 * decision and action item, one per meeting, retrospective and the charter.
 */
export type SearchTarget =
  | { page: 'board'; card: string }
  | { page: 'library'; entry: string }
  | { page: 'document' | 'retro'; name: string }
  | { page: 'charter' | 'decisions' | 'actions' };

export interface SearchRecord {
  /** Unique across the community: the document name and, within it, the entry. */
  id: string;
  kind: string;
  title: string;
  text: string;
  target: SearchTarget;
}

function allFragmentsText(doc: Y.Doc): string {
  return [...doc.share.keys()].filter(isFragmentRoot).sort().map((key) => fragmentText(doc.getXmlFragment(key))).filter(Boolean).join('\n');
}

const title = (doc: Y.Doc): string => {
  const value = doc.getMap(META_ROOT).get('title');
  return typeof value === 'string' ? value : '';
};

interface Companions {
  /** The board's moderation record (hidden cards are not indexed). */
  moderation?: ModerationRecords;
  /** A retrospective's results document, which holds its revealed cards. */
  retroResults?: Y.Doc;
}

/** The records of one document; documents that are not searched (personal, control, index) give none. */
export function recordsOf(name: string, doc: Y.Doc, companions: Companions = {}): SearchRecord[] {
  const parsed = parseDocName(name);
  if (!parsed || parsed.accessClass !== 'shared') return [];
  const { community } = parsed;
  if (name === boardDocNames(community).board) {
    const view = readBoard(doc, companions.moderation ?? new Map());
    return view.lanes.flatMap((lane) => lane.cards.filter((c) => !c.moderation.hidden).map((card) => ({
      id: `${name}#${card.id}`, kind: `Board card · ${lane.name}`, title: card.title,
      text: [card.body, card.tags.map((t) => `#${t}`).join(' '), ...(view.comments.get(card.id) ?? []).filter((c) => !c.moderation.hidden).map((c) => c.body)].map(plainText).join('\n'),
      target: { page: 'board', card: card.id } as const,
    })));
  }
  if (name === libraryDocNames(community).library) {
    return readEntries(doc, new Map()).map((entry) => ({
      id: `${name}#${entry.id}`, kind: 'Library entry', title: entry.title,
      text: [fragmentText(doc.getXmlFragment(entryBodyField(entry.id))), entry.tags.map((t) => `#${t}`).join(' ')].join('\n'),
      target: { page: 'library', entry: entry.id } as const,
    }));
  }
  if (parsed.id === REGISTER_ID) {
    return [
      ...readDecisions(decisionsOf(doc)).map((d) => ({ id: `${name}#${d.id}`, kind: 'Decision', title: d.text, text: d.sourceTitle, target: { page: 'decisions' } as const })),
      ...readActions(actionsOf(doc)).map((a) => ({ id: `${name}#${a.id}`, kind: 'Action item', title: a.text, text: `${a.ownerName ?? ''} ${a.sourceTitle}`, target: { page: 'actions' } as const })),
    ];
  }
  if (parsed.id === CHARTER_ID) return [{ id: name, kind: 'Charter', title: 'Charter', text: allFragmentsText(doc), target: { page: 'charter' } }];
  const kind = doc.getMap(META_ROOT).get('kind');
  if (kind === 'meeting') return [{ id: name, kind: 'Meeting', title: title(doc), text: allFragmentsText(doc), target: { page: 'document', name } }];
  if (kind === 'retro') {
    const cards = companions.retroResults ? retroCardTexts(companions.retroResults) : [];
    return [{ id: name, kind: 'Retrospective', title: title(doc), text: [allFragmentsText(doc), ...cards].join('\n'), target: { page: 'retro', name } }];
  }
  return [];
}

function retroCardTexts(results: Y.Doc): string[] {
  const texts: string[] = [];
  results.getMap(RETRO_CARDS_ROOT).forEach((card) => {
    const text = (card as { text?: unknown } | null)?.text;
    if (typeof text === 'string') texts.push(text);
  });
  return texts;
}

/** The words of `text` around the first match of any of `terms`, for a result's line. */
export function snippet(text: string, terms: readonly string[], chars = 160): string {
  const lower = text.toLowerCase();
  const at = Math.min(...terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0));
  const flat = (s: string): string => s.replace(/\s+/g, ' ').trim();
  if (!Number.isFinite(at)) return flat(text.slice(0, chars));
  const start = Math.max(0, at - Math.floor(chars / 3));
  return `${start > 0 ? '…' : ''}${flat(text.slice(start, start + chars))}${start + chars < text.length ? '…' : ''}`;
}
