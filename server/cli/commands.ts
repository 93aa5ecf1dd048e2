import { z } from 'zod';
import { CreateCommunityBody, CreateInviteBody, UpdateMemberBody } from '../../shared/api.ts';
import { ROLES } from '../../shared/roles.ts';
import { mintToken, TOKEN_TTL_SECONDS, verifyToken } from '../auth/tokens.ts';
import type { Community, Directory, Invite, Member } from '../directory/directory.ts';
import { CliError, flagOption, numberOption, stringOption, type Options, type Values } from './args.ts';
import { fields, table, time } from './format.ts';

export interface CommandContext {
  options: Values;
  directory: Directory;
  /** Loaded on first use, so commands that mint nothing never touch (or create) the secret. */
  authSecret(): Promise<Uint8Array>;
}

/** What a command prints: `json` with --json, else `text`. */
export interface Output {
  json: unknown;
  text: string;
}

export interface Command {
  /** One or two words: `invite`, `member list`. */
  name: string;
  synopsis: string;
  summary: string;
  options: Options;
  /** May start a fresh directory (DATA_DIR or PostgreSQL schema); the other commands refuse a missing one. */
  createsData?: boolean;
  run(context: CommandContext): Promise<Output>;
}

const HOUR_MS = 3_600_000;
const DAY_SECONDS = 86_400;
/** The first colour of the app's member palette. */
const DEFAULT_OWNER_COLOR = '#2f6f4e';
/**
 * An invite records who created it; the operator is not a member, so CLI invites carry this
 * marker instead (member ids are 12 characters of [0-9a-z], so it can never name a member).
 */
export const OPERATOR_CREATOR = 'operator-cli';
/** Removal revokes a token at once, but an unremoved member's token is a bearer secret until it expires. */
const MAX_TOKEN_TTL_DAYS = 365;
const TokenOptions = z.object({
  ttlDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1 day')
    .max(MAX_TOKEN_TTL_DAYS, `must be at most ${MAX_TOKEN_TTL_DAYS} days`),
});
const INVITE_DEFAULTS = CreateInviteBody.parse({ role: 'member' });
const ROLE_LIST = ROLES.join(' | ');

const COMMUNITY_ID = { type: 'string', value: 'ID', required: true, help: 'community id (see: community list)' } as const;
const MEMBER_ID = { type: 'string', value: 'ID', required: true, help: 'member id (see: member list)' } as const;

/** Validates with a shared API schema; the first issue names the CLI option it came from. */
function validate<T>(schema: z.ZodType<T>, input: unknown, flags: Record<string, string>): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path[0];
  const flag = typeof field === 'string' ? flags[field] : undefined;
  throw new CliError(flag ? `${flag}: ${issue.message}` : issue.message);
}

async function requireCommunity(directory: Directory, id: string): Promise<Community> {
  const community = await directory.getCommunity(id);
  if (!community) throw new CliError(`no community with id '${id}' (see: community list)`);
  return community;
}

/** A member who may act: known and not removed. */
async function requireCurrentMember(directory: Directory, communityId: string, memberId: string): Promise<Member> {
  await requireCommunity(directory, communityId);
  const member = await directory.getMember(communityId, memberId);
  if (!member) throw new CliError(`no member with id '${memberId}' in community ${communityId} (see: member list)`);
  if (member.removedAt !== null) {
    throw new CliError(`member ${memberId} (${member.displayName}) was removed on ${time(member.removedAt)}`);
  }
  return member;
}

/** Mints a token and reads its expiry back from it, so the printed expiry is the token's own. */
async function issueToken(context: CommandContext, member: Member, ttlSeconds = TOKEN_TTL_SECONDS) {
  const now = Date.now();
  const secret = await context.authSecret();
  const token = await mintToken(secret, member, { ttlSeconds, now });
  return { token, tokenExpiresAt: (await verifyToken(secret, token, now)).expiresAt };
}

const memberLine = (m: Member): string => `${m.id}  ${m.displayName}  ${m.role}`;

const communityCreate: Command = {
  name: 'community create',
  synopsis: '--name N --domain D [--description T] --owner-name NAME [--owner-color #rrggbb]',
  summary: 'Create a community and its first owner, and mint a token for the owner.',
  createsData: true,
  options: {
    name: { type: 'string', value: 'N', required: true, help: 'community name' },
    domain: { type: 'string', value: 'D', required: true, help: 'its domain of practice' },
    description: { type: 'string', value: 'T', help: 'a description (default empty)' },
    'owner-name': { type: 'string', value: 'NAME', required: true, help: "the owner's display name" },
    'owner-color': { type: 'string', value: '#rrggbb', help: `the owner's colour (default ${DEFAULT_OWNER_COLOR})` },
  },
  async run(context) {
    const { options: o, directory } = context;
    const { displayName, color, ...community } = validate(CreateCommunityBody, {
      name: stringOption(o, 'name'), domain: stringOption(o, 'domain'), description: stringOption(o, 'description'),
      displayName: stringOption(o, 'owner-name'), color: stringOption(o, 'owner-color') ?? DEFAULT_OWNER_COLOR,
    }, { name: '--name', domain: '--domain', description: '--description', displayName: '--owner-name', color: '--owner-color' });
    const created = await directory.createCommunity(community, { displayName, color });
    const { token, tokenExpiresAt } = await issueToken(context, created.owner);
    return {
      json: { ...created, token, tokenExpiresAt },
      text: fields([
        ['community', created.community.id], ['name', created.community.name], ['domain', created.community.domain],
        ['owner', `${memberLine(created.owner)}  ${created.owner.color}`], ['token', token], ['expires', time(tokenExpiresAt)],
      ]),
    };
  },
};

const communityList: Command = {
  name: 'community list',
  synopsis: '',
  summary: 'List every community.',
  options: {},
  async run({ directory }) {
    const communities = await directory.listCommunities();
    return {
      json: { communities },
      text: table(['id', 'name', 'domain', 'created'],
        communities.map((c) => [c.id, c.name, c.domain, time(c.createdAt)]), '(no communities)'),
    };
  },
};

function usesText(invite: Invite): string {
  if (invite.maxUses === null) return 'any number until it expires';
  return invite.maxUses === 1 ? 'single use' : `up to ${invite.maxUses}`;
}

const invite: Command = {
  name: 'invite',
  synopsis: '--community ID --role ROLE [--expires-hours H] [--max-uses N | --multi-use]',
  summary: 'Create an invite link. Its code is shown only here: it is stored hashed.',
  options: {
    community: COMMUNITY_ID,
    role: { type: 'string', value: 'ROLE', required: true, help: `role it grants: ${ROLE_LIST}` },
    'expires-hours': { type: 'string', value: 'H', help: `hours until it expires (default ${INVITE_DEFAULTS.expiresInHours})` },
    'max-uses': { type: 'string', value: 'N', help: `how many people may join with it (default ${INVITE_DEFAULTS.maxUses})` },
    'multi-use': { type: 'boolean', help: 'anyone may join with it until it expires' },
  },
  async run({ options: o, directory }) {
    if (flagOption(o, 'multi-use') && o['max-uses'] !== undefined) throw new CliError('give --max-uses or --multi-use, not both');
    const input = validate(CreateInviteBody, {
      role: stringOption(o, 'role'),
      expiresInHours: numberOption(o, 'expires-hours'),
      maxUses: flagOption(o, 'multi-use') ? null : numberOption(o, 'max-uses'),
    }, { role: '--role', expiresInHours: '--expires-hours', maxUses: '--max-uses' });
    const community = await requireCommunity(directory, stringOption(o, 'community')!);
    const { invite, code } = await directory.createInvite({
      communityId: community.id, role: input.role, maxUses: input.maxUses,
      expiresAt: Date.now() + input.expiresInHours * HOUR_MS, createdBy: OPERATOR_CREATOR,
    });
    const path = `/join/${code}`;
    return {
      json: { invite, code, path },
      text: fields([
        ['invite', invite.id], ['community', `${community.id}  ${community.name}`], ['role', invite.role],
        ['uses', usesText(invite)], ['expires', time(invite.expiresAt)], ['join path', path],
      ]) + '\nThe code is not stored: share the join path (after the server address) now.\n',
    };
  },
};

const token: Command = {
  name: 'token',
  synopsis: '--community ID --member ID [--ttl-days D]',
  summary: 'Mint a token for an existing member who has not been removed.',
  options: {
    community: COMMUNITY_ID,
    member: MEMBER_ID,
    'ttl-days': { type: 'string', value: 'D', help: `days until it expires (default ${TOKEN_TTL_SECONDS / DAY_SECONDS}, at most ${MAX_TOKEN_TTL_DAYS})` },
  },
  async run(context) {
    const { options: o, directory } = context;
    const days = numberOption(o, 'ttl-days');
    const ttlSeconds = days === undefined ? undefined : validate(TokenOptions, { ttlDays: days }, { ttlDays: '--ttl-days' }).ttlDays * DAY_SECONDS;
    const member = await requireCurrentMember(directory, stringOption(o, 'community')!, stringOption(o, 'member')!);
    const { token, tokenExpiresAt } = await issueToken(context, member, ttlSeconds);
    return {
      json: { member, token, tokenExpiresAt },
      text: fields([['member', memberLine(member)], ['token', token], ['expires', time(tokenExpiresAt)]]),
    };
  },
};

const memberList: Command = {
  name: 'member list',
  synopsis: '--community ID [--include-removed]',
  summary: 'List the members of a community, by join time.',
  options: {
    community: COMMUNITY_ID,
    'include-removed': { type: 'boolean', help: 'also list members who were removed or left' },
  },
  async run({ options: o, directory }) {
    const community = await requireCommunity(directory, stringOption(o, 'community')!);
    const includeRemoved = flagOption(o, 'include-removed');
    const members = await directory.listMembers(community.id, { includeRemoved });
    const headers = ['id', 'name', 'role', 'stewardships', 'colour', 'joined', ...(includeRemoved ? ['removed'] : [])];
    const rows = members.map((m) => [m.id, m.displayName, m.role, m.stewardships.join(',') || '-', m.color, time(m.joinedAt),
      ...(includeRemoved ? [m.removedAt === null ? '-' : time(m.removedAt)] : [])]);
    return { json: { members }, text: table(headers, rows, '(no members)') };
  },
};

const memberRole: Command = {
  name: 'member role',
  synopsis: '--community ID --member ID --role ROLE',
  summary: "Change a member's role. A community always keeps at least one owner.",
  options: {
    community: COMMUNITY_ID,
    member: MEMBER_ID,
    role: { type: 'string', value: 'ROLE', required: true, help: `the new role: ${ROLE_LIST}` },
  },
  async run({ options: o, directory }) {
    const { role } = validate(UpdateMemberBody, { role: stringOption(o, 'role') }, { role: '--role' });
    const before = await requireCurrentMember(directory, stringOption(o, 'community')!, stringOption(o, 'member')!);
    const member = await directory.updateMember(before.communityId, before.id, { role });
    return { json: { member }, text: fields([['member', memberLine(member)], ['was', before.role]]) };
  },
};

const memberRemove: Command = {
  name: 'member remove',
  synopsis: '--community ID --member ID',
  summary: 'Remove a member (their history stays). A community always keeps at least one owner.',
  options: { community: COMMUNITY_ID, member: MEMBER_ID },
  async run({ options: o, directory }) {
    const current = await requireCurrentMember(directory, stringOption(o, 'community')!, stringOption(o, 'member')!);
    const member = await directory.removeMember(current.communityId, current.id);
    return { json: { member }, text: fields([['removed', memberLine(member)], ['at', time(member.removedAt!)]]) };
  },
};

export const COMMANDS: readonly Command[] = [communityCreate, communityList, invite, token, memberList, memberRole, memberRemove];
