import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { META_ROOT } from '../schema/documents.ts';
import { clip } from '../text.ts';
import {
  ACKNOWLEDGED_ROOT, BALLOTS_ROOT, CHARTER_SECTIONS, CHOICES, DEFAULT_CHARTER_RULES, FROZEN_CONTENT_FIELD, MAX_REASON_CHARS,
  needsReason, sectionField, VERSIONS_ROOT,
  type CharterRules, type CharterVersion, type Choice, type CountedBallot, type FrozenSection, type PersonalBallot, type RoundStatus,
} from '../schema/charter.ts';

/**
 * The charter's model: rules, frozen versions, ballots and how a round is decided. Pure
 * functions on Y.Docs and values, shared by the server (which freezes and counts) and the
 * client (which shows, diffs and casts).
 */

export function readRules(meta: Y.Map<unknown>): CharterRules {
  const quorum = meta.get('quorumPercent');
  const days = meta.get('roundDays');
  return {
    quorumPercent: typeof quorum === 'number' && quorum >= 1 && quorum <= 100 ? Math.round(quorum) : DEFAULT_CHARTER_RULES.quorumPercent,
    roundDays: typeof days === 'number' && days >= 1 && days <= 60 ? Math.round(days) : DEFAULT_CHARTER_RULES.roundDays,
  };
}

/** The text a block holds, as typed (no markup; a hard line break ends a line). */
function blockText(element: Y.XmlElement): string {
  return element.toArray().map((child) => {
    if (child instanceof Y.XmlText) return (child.toDelta() as Array<{ insert?: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
    return child instanceof Y.XmlElement && child.nodeName === 'hardBreak' ? '\n' : '';
  }).join('');
}

/** A fragment's text, one line per paragraph, heading or list item (what diffs compare). */
export function fragmentText(fragment: Y.XmlFragment | Y.XmlElement): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      const holdsText = child.toArray().some((c) => c instanceof Y.XmlText);
      if (holdsText) lines.push(...blockText(child).split('\n'));
      else walk(child);
    }
  };
  walk(fragment);
  return lines.filter((line) => line.trim() !== '').join('\n');
}

/** Only the XML nodes of a fragment (a damaged or foreign update may hold other content). */
function xmlNodes(fragment: Y.XmlFragment): Array<Y.XmlElement | Y.XmlText> {
  return fragment.toArray().filter((node): node is Y.XmlElement | Y.XmlText => node instanceof Y.XmlElement || node instanceof Y.XmlText);
}

/** A section as it is now, frozen: its text and a self-contained copy of its Tiptap content. */
export function freezeSection(draft: Y.Doc, id: string, title: string): FrozenSection {
  const fragment = draft.getXmlFragment(sectionField(id));
  const copy = new Y.Doc();
  copy.getXmlFragment(FROZEN_CONTENT_FIELD).insert(0, xmlNodes(fragment).map((node) => node.clone()));
  const update = toBase64(Y.encodeStateAsUpdate(copy));
  copy.destroy();
  return { id, title, text: fragmentText(fragment), update };
}

export function freezeDraft(draft: Y.Doc): FrozenSection[] {
  return CHARTER_SECTIONS.map((s) => freezeSection(draft, s.id, s.title));
}

/**
 * A frozen section's content as a fragment of a fresh document (to render, or to restore from).
 * A damaged entry, or one whose content is not XML, thaws empty rather than breaking the history.
 */
export function thawSection(section: FrozenSection): Y.XmlFragment {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, fromBase64(section.update));
    const fragment = doc.getXmlFragment(FROZEN_CONTENT_FIELD);
    const nodes = xmlNodes(fragment);
    if (nodes.length === fragment.length) return fragment;
  } catch {
    // fall through: empty
  }
  return new Y.Doc().getXmlFragment(FROZEN_CONTENT_FIELD);
}

/** Writes frozen sections into the draft (seeding it from the template, or a new draft from a version). */
export function writeSections(draft: Y.Doc, sections: readonly FrozenSection[]): void {
  for (const section of sections) {
    const target = draft.getXmlFragment(sectionField(section.id));
    if (target.length > 0) target.delete(0, target.length);
    target.insert(0, xmlNodes(thawSection(section)).map((node) => node.clone()));
  }
}

function isCountedBallot(value: unknown): value is CountedBallot {
  const v = value as Partial<CountedBallot> | null;
  return typeof v?.name === 'string' && (CHOICES as readonly unknown[]).includes(v.choice) && typeof v.countedAt === 'number';
}

export function readVersions(record: Y.Doc): CharterVersion[] {
  const versions: CharterVersion[] = [];
  record.getMap(VERSIONS_ROOT).forEach((value) => {
    if (typeof value !== 'object' || value === null) return;
    const v = value as Partial<CharterVersion>;
    if (typeof v.number !== 'number' || !Number.isInteger(v.number) || v.number < 1 || !Array.isArray(v.sections)) return;
    const ballots: Record<string, CountedBallot> = {};
    for (const [member, ballot] of Object.entries(v.ballots ?? {})) if (isCountedBallot(ballot)) ballots[member] = ballot;
    versions.push({
      number: v.number, summary: String(v.summary ?? ''), proposedBy: String(v.proposedBy ?? ''), proposedAt: Number(v.proposedAt ?? 0),
      closesAt: typeof v.closesAt === 'number' ? v.closesAt : null, quorumPercent: Number(v.quorumPercent ?? DEFAULT_CHARTER_RULES.quorumPercent),
      sections: v.sections, status: v.status ?? 'open', ballots, electorate: Number(v.electorate ?? 0),
      ...(typeof v.restoredFrom === 'number' ? { restoredFrom: v.restoredFrom } : {}),
    });
  });
  return versions.sort((a, b) => a.number - b.number);
}

/** A member's ballots by version number; a ballot without the reason its choice needs is no ballot. */
export function readBallots(personal: Y.Doc): Record<number, PersonalBallot> {
  const ballots: Record<number, PersonalBallot> = {};
  personal.getMap(BALLOTS_ROOT).forEach((value, key) => {
    const v = value as Partial<PersonalBallot> | null;
    // Only canonical keys ("2", not "02" or " 2 "): two spellings of one version would make the
    // ballot depend on the order updates were applied in.
    const number = Number(key);
    if (!Number.isInteger(number) || number < 1 || String(number) !== key || !(CHOICES as readonly unknown[]).includes(v?.choice)) return;
    const choice = v!.choice as Choice;
    const reason = typeof v!.reason === 'string' ? clip(v!.reason.trim(), MAX_REASON_CHARS) : '';
    if (needsReason(choice) && !reason) return;
    ballots[number] = { choice, reason };
  });
  return ballots;
}

export function castBallot(personal: Y.Doc, version: number, ballot: PersonalBallot): void {
  personal.getMap(BALLOTS_ROOT).set(String(version), { choice: ballot.choice, reason: clip(ballot.reason, MAX_REASON_CHARS) });
}

export function acknowledgedVersion(personal: Y.Doc): number | null {
  const value = personal.getMap(ACKNOWLEDGED_ROOT).get('version');
  return typeof value === 'number' ? value : null;
}

export function acknowledge(personal: Y.Doc, version: number): void {
  personal.getMap(ACKNOWLEDGED_ROOT).set('version', version);
}

export interface Tally { agree: number; abstain: number; object: number; block: number; counted: number }

export function tallyOf(ballots: Record<string, CountedBallot>): Tally {
  const tally: Tally = { agree: 0, abstain: 0, object: 0, block: 0, counted: 0 };
  for (const ballot of Object.values(ballots)) {
    tally[ballot.choice]++;
    tally.counted++;
  }
  return tally;
}

/**
 * How a round ends (consent): any block → blocked; fewer ballots than the quorum (a share of the
 * members when it was counted) → not ratified; otherwise ratified when agreements outnumber
 * objections (abstentions count for the quorum only).
 */
export function decide(tally: Tally, electorate: number, quorumPercent: number): Exclude<RoundStatus, 'open'> {
  if (tally.block > 0) return 'blocked';
  if (tally.counted * 100 < quorumPercent * electorate) return 'not-ratified';
  return tally.agree > tally.object ? 'ratified' : 'not-ratified';
}

/** A round closes at its closing date, or as soon as every member's ballot is counted. */
export function roundIsOver(version: CharterVersion, now: number): boolean {
  return version.closesAt !== null && (now >= version.closesAt || (version.electorate > 0 && Object.keys(version.ballots).length >= version.electorate));
}

export function latestRatified(versions: readonly CharterVersion[]): CharterVersion | null {
  return [...versions].reverse().find((v) => v.status === 'ratified') ?? null;
}

export const charterMetaOf = (draft: Y.Doc): Y.Map<unknown> => draft.getMap(META_ROOT);
