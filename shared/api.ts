import { z } from 'zod';
import { MAX_TITLE_CHARS } from './schema/documents.ts';
import { ANONYMITY, RETRO_TEMPLATES } from './schema/retro.ts';
import { MAX_SUMMARY_CHARS } from './schema/charter.ts';
import { ROLES, STEWARDSHIPS } from './roles.ts';
import { MODERATION_ACTIONS } from './schema/board.ts';
import { ENTRY_STATUSES } from './schema/library.ts';
import { MAX_VERSION_NAME_CHARS } from './schema/history.ts';

/** Request bodies of the HTTP API (README "HTTP API"), validated on the server. */

const displayName = z.string().trim().min(1, 'display name is required').max(40, 'display name is longer than 40 characters');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must look like #2f6f4e');

export const NewMemberBody = z.object({ displayName, color });

export const CreateCommunityBody = z.object({
  name: z.string().trim().min(1, 'name is required').max(80, 'name is longer than 80 characters'),
  domain: z.string().trim().min(1, 'domain is required').max(120, 'domain is longer than 120 characters'),
  description: z.string().trim().max(2000, 'description is longer than 2000 characters').default(''),
  displayName,
  color,
});

export const MAX_INVITE_HOURS = 24 * 90;
export const CreateInviteBody = z.object({
  role: z.enum(ROLES),
  expiresInHours: z.number().int().min(1).max(MAX_INVITE_HOURS).default(24 * 7),
  /** null: multi-use until expiry. */
  maxUses: z.number().int().min(1).max(10_000).nullable().default(1),
});

export const UpdateMemberBody = z.object({
  role: z.enum(ROLES).optional(),
  stewardships: z.array(z.enum(STEWARDSHIPS)).max(STEWARDSHIPS.length).optional(),
}).refine((b) => b.role !== undefined || b.stewardships !== undefined, 'give a role or stewardships to change');

export const MAX_IMPORT_CHARS = 400_000;

/** Documents created by this endpoint; retrospectives have their own (CreateRetroBody). */
const CREATABLE_KINDS = ['meeting'] as const;
export const CreateDocumentBody = z.object({
  kind: z.enum(CREATABLE_KINDS, { error: `kind must be one of: ${CREATABLE_KINDS.join(', ')}` }),
  title: z.string({ error: 'title must be a string' }).trim().max(MAX_TITLE_CHARS, `title is longer than ${MAX_TITLE_CHARS} characters`).optional(),
  /** Import: the notes start from this Markdown instead of the template. */
  markdown: z.string({ error: 'markdown must be a string' }).max(MAX_IMPORT_CHARS, `markdown is longer than ${MAX_IMPORT_CHARS} characters`).optional(),
}, { error: 'body must be a JSON object' });

export const MAX_CUSTOM_PROMPTS = 8;
export const CreateRetroBody = z.object({
  title: z.string({ error: 'title must be a string' }).trim().min(1, 'title is required').max(MAX_TITLE_CHARS, `title is longer than ${MAX_TITLE_CHARS} characters`),
  template: z.enum(RETRO_TEMPLATES, { error: `template must be one of: ${RETRO_TEMPLATES.join(', ')}` }),
  anonymity: z.enum(ANONYMITY, { error: 'anonymity must be named or anonymous' }),
  /** Custom template only: the prompts members write cards for. */
  prompts: z.array(z.string().trim().min(1, 'a prompt cannot be empty').max(120, 'a prompt is longer than 120 characters'))
    .max(MAX_CUSTOM_PROMPTS, `at most ${MAX_CUSTOM_PROMPTS} prompts`).optional(),
  /** The board of an earlier retro of the community whose undiscussed topics this one carries. */
  carryFrom: z.string().max(200).optional(),
}, { error: 'body must be a JSON object' }).refine((b) => b.template !== 'custom' || (b.prompts?.length ?? 0) > 0, 'prompts: a custom retrospective needs at least one prompt');

export const ProposeCharterBody = z.object({
  summary: z.string({ error: 'summary must be a string' }).trim().min(1, 'summary: say what the version changes').max(MAX_SUMMARY_CHARS, `summary is longer than ${MAX_SUMMARY_CHARS} characters`),
  /** Propose an earlier version's text again (history is never rewritten: it becomes a new version). */
  restore: z.number().int().min(1).optional(),
}, { error: 'body must be a JSON object' });

export const ModerateBody = z.object({
  kind: z.enum(['card', 'comment'], { error: 'kind must be card or comment' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'id is not a card or comment id'),
  action: z.enum(MODERATION_ACTIONS, { error: `action must be one of ${MODERATION_ACTIONS.join(', ')}` }),
}, { error: 'body must be a JSON object' });

export const EntryStatusBody = z.object({
  status: z.enum(ENTRY_STATUSES, { error: `status must be one of ${ENTRY_STATUSES.join(', ')}` }),
}, { error: 'body must be a JSON object' });

export const NamedVersionBody = z.object({
  doc: z.string({ error: 'doc must be a document name' }).max(200),
  name: z.string({ error: 'name must be a string' }).trim().min(1, 'name: give the version a name').max(MAX_VERSION_NAME_CHARS, `name is longer than ${MAX_VERSION_NAME_CHARS} characters`),
}, { error: 'body must be a JSON object' });

export const SealBody = z.object({
  name: z.string({ error: 'name must be a string' }).trim().min(1, 'name: say what the archive is, e.g. "2026 archive"').max(MAX_VERSION_NAME_CHARS, `name is longer than ${MAX_VERSION_NAME_CHARS} characters`),
}, { error: 'body must be a JSON object' });
