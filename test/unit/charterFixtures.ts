import { getSchema, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { Voter } from '../../server/projections/charterRounds.ts';
import {
  sectionField, type CharterVersion, type Choice, type CountedBallot, type FrozenSection, type PersonalBallot,
} from '../../shared/schema/charter.ts';

/**
 * Inputs for the charter unit tests: versions as the proposals route writes them, counted and
 * personal ballots, and draft content built from Tiptap JSON through y-tiptap, so the Y.Xml
 * shapes (marks as formatting attributes, lists as listItem > paragraph) are the editor's own
 * rather than a hand-made approximation that fragmentText might happen to read correctly.
 */

export const PROPOSED_AT_MS = Date.UTC(2026, 2, 2, 9, 0);
export const DAY_MS = 24 * 60 * 60 * 1000;
export const CLOSES_AT_MS = PROPOSED_AT_MS + 7 * DAY_MS;

/** An open round as the proposals route writes it: nobody counted yet, quorum 50 %. */
export function openVersion(overrides: Partial<CharterVersion> = {}): CharterVersion {
  return {
    number: 2, summary: 'A measurable goal', proposedBy: 'Mia', proposedAt: PROPOSED_AT_MS, closesAt: CLOSES_AT_MS,
    quorumPercent: 50, sections: [], status: 'open', ballots: {}, electorate: 4, ...overrides,
  };
}

export function counted(choice: Choice, name: string, countedAt = PROPOSED_AT_MS, reason = ''): CountedBallot {
  return { choice, reason: reason || (choice === 'object' || choice === 'block' ? `${name} has a reason` : ''), name, countedAt };
}

/** Counted ballots keyed m0, m1, … in the order given. */
export function ballotsOf(choices: readonly Choice[]): Record<string, CountedBallot> {
  return Object.fromEntries(choices.map((choice, i) => [`m${i}`, counted(choice, `Member ${i}`)]));
}

export function personal(choice: Choice, reason = ''): PersonalBallot {
  return { choice, reason };
}

export function voter(memberId: string, name: string, ballot?: PersonalBallot): Voter {
  return { memberId, name, ballot };
}

const schema = getSchema([StarterKit.configure({ undoRedo: false })]);

/** Sets a section's content to Tiptap JSON blocks, as the editor would store them (y-tiptap syncs the fragment to match). */
export function writeTiptap(draft: Y.Doc, sectionId: string, blocks: JSONContent[]): Y.XmlFragment {
  const fragment = draft.getXmlFragment(sectionField(sectionId));
  prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content: blocks }, fragment);
  return fragment;
}

export const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
export const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', ...(content.length ? { content } : {}) });
export const heading = (level: number, value: string): JSONContent => ({ type: 'heading', attrs: { level }, content: [text(value)] });
export const bulletList = (...items: string[]): JSONContent => ({
  type: 'bulletList', content: items.map((item) => ({ type: 'listItem', content: [paragraph(text(item))] })),
});
export const orderedList = (...items: string[]): JSONContent => ({
  type: 'orderedList', content: items.map((item) => ({ type: 'listItem', content: [paragraph(text(item))] })),
});

/** A frozen section with only the text filled in (what the diff reads). */
export function textSection(id: string, title: string, value: string): FrozenSection {
  return { id, title, text: value, update: '' };
}
