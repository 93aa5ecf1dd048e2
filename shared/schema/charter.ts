/**
 * A community's charter (issue 7): the co-written text, its numbered versions and their
 * endorsement rounds. Three kinds of documents per community:
 *
 *   <community>.shared.charter                 the draft: one Tiptap fragment per section,
 *                                              and the rules for rounds (quorum, days open)
 *   <community>.index.charter                  versions (frozen by the server), rounds with
 *                                              counted ballots and results, acknowledgements
 *   <community>.personal.<member>-charter      one member's ballots and acknowledgement
 *
 * Ballots live in each member's personal document (so they work offline) and the server counts
 * them into the index: nobody can cast or change another member's ballot, whatever their client.
 */
import { formatDocName } from '../docNames.ts';

export const CHARTER_ID = 'charter';

export function charterDocNames(community: string) {
  return {
    draft: formatDocName({ community, accessClass: 'shared', id: CHARTER_ID }),
    record: formatDocName({ community, accessClass: 'index', id: CHARTER_ID }),
  };
}

const PERSONAL_SUFFIX = '-charter';
export function personalCharterDocName(community: string, memberId: string): string {
  return formatDocName({ community, accessClass: 'personal', id: `${memberId}${PERSONAL_SUFFIX}` });
}
export function memberOfPersonalCharter(id: string): string | null {
  return id.endsWith(PERSONAL_SUFFIX) && id.length > PERSONAL_SUFFIX.length ? id.slice(0, -PERSONAL_SUFFIX.length) : null;
}

export interface CharterSection { id: string; title: string; hint: string }

/** The community-of-practice template (Wenger's domain, community and practice first). */
export const CHARTER_SECTIONS: CharterSection[] = [
  { id: 'domain', title: 'Domain', hint: 'What we care about and learn together; where our competence lies.' },
  { id: 'community', title: 'Community', hint: 'Who we are, and how we relate to each other.' },
  { id: 'practice', title: 'Practice', hint: 'The shared repertoire: methods, tools, stories and cases we build.' },
  { id: 'goals', title: 'Purpose and goals', hint: 'Why we exist and what we want to achieve — one goal per line.' },
  { id: 'values', title: 'Values and norms', hint: 'How we work together — one value or norm per line.' },
  { id: 'roles', title: 'Roles and responsibilities', hint: 'Facilitators, membership managers, moderators, knowledge editors, librarians, archivists, usage analysts, knowledge brokers.' },
  { id: 'membership', title: 'Membership', hint: 'Who can join, and how.' },
  { id: 'cadence', title: 'Meeting cadence', hint: 'How often and how we meet.' },
  { id: 'evaluation', title: 'Evaluation and feedback', hint: 'How we review ourselves and change this charter.' },
];

export function sectionField(sectionId: string): string {
  return `charter-section:${sectionId}`;
}

/** Draft `meta` fields besides the common ones: the rules every round takes from the charter. */
export interface CharterRules {
  /** Share of current members whose ballots must be counted for a round to decide (1–100). */
  quorumPercent: number;
  /** How long a round stays open. */
  roundDays: number;
}
export const DEFAULT_CHARTER_RULES: CharterRules = { quorumPercent: 50, roundDays: 7 };

export const CHOICES = ['agree', 'abstain', 'object', 'block'] as const;
export type Choice = (typeof CHOICES)[number];
/** Object and block must say why. */
export function needsReason(choice: Choice): boolean {
  return choice === 'object' || choice === 'block';
}

export const ROUND_STATUSES = ['open', 'ratified', 'not-ratified', 'blocked'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export interface FrozenSection {
  id: string;
  title: string;
  /** Plain text, paragraphs separated by newlines (what diffs compare). */
  text: string;
  /** The section's Tiptap content as a Yjs update of a document whose fragment is `content`. */
  update: string;
}

export interface CountedBallot { choice: Choice; reason: string; name: string; countedAt: number }

/** A version in the record (`versions` map, key = its number). */
export interface CharterVersion {
  number: number;
  summary: string;
  proposedBy: string;
  proposedAt: number;
  /** null: the starting template (version 1), never put to a round. */
  closesAt: number | null;
  quorumPercent: number;
  sections: FrozenSection[];
  status: RoundStatus | 'template';
  /** Ballots counted by the server, by member id. */
  ballots: Record<string, CountedBallot>;
  /** Current members when the round was counted last (the quorum's base). */
  electorate: number;
  /** Set when the version restores an earlier one's text. */
  restoredFrom?: number;
}

// Record (index) roots.
export const VERSIONS_ROOT = 'versions';
export const ACKNOWLEDGEMENTS_ROOT = 'acknowledgements';

// Personal roots.
export const BALLOTS_ROOT = 'ballots';
export const ACKNOWLEDGED_ROOT = 'acknowledged';
export interface PersonalBallot { choice: Choice; reason: string }

export const FROZEN_CONTENT_FIELD = 'content';
export const MAX_REASON_CHARS = 1000;
export const MAX_SUMMARY_CHARS = 500;
