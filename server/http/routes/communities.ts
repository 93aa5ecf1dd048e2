import { CreateCommunityBody, CreateInviteBody, NewMemberBody, UpdateMemberBody } from '../../../shared/api.ts';
import { may, type Role } from '../../../shared/roles.ts';
import { mintToken } from '../../auth/tokens.ts';
import { principalOf, type Member } from '../../directory/directory.ts';
import { ensureBoard } from '../../documents/board.ts';
import { ensureCharter } from '../../documents/charter.ts';
import { exportCommunity } from '../../documents/export.ts';
import { createLogger } from '../../log.ts';
import { HttpError, type Route, type Services } from '../router.ts';

const log = createLogger('http:communities');
const HOUR_MS = 3_600_000;
/** Roles a membership manager who is not an owner may hand out. */
const DELEGABLE_ROLES: readonly Role[] = ['member', 'viewer'];


function ensureAllowed(member: Member, allowed: boolean, what: string): void {
  if (!allowed) throw new HttpError(403, `your role (${member.role}) may not ${what}`);
}

async function session(services: Services, member: Member) {
  return { member, token: await mintToken(services.authSecret, member) };
}

export const communityRoutes: Route[] = [
  {
    // Every member may take the community's memory with them (viewers included: they read it all).
    method: 'GET',
    path: '/api/communities/:communityId/export',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      const archive = await exportCommunity(services.relay, me.communityId);
      log.info('community exported', { community: me.communityId, documents: archive.documents });
      const date = new Date().toISOString().slice(0, 10);
      return { status: 200, file: { bytes: archive.bytes, contentType: 'application/zip', filename: `guildhall-${me.communityId}-${date}.zip` } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities',
    async handle({ body, services }) {
      const { displayName, color, ...community } = await body(CreateCommunityBody);
      const created = await services.directory.createCommunity(community, { displayName, color });
      await ensureCharter(services.relay, created.community.id);
      await ensureBoard(services.relay, created.community.id);
      log.info('community created', { community: created.community.id });
      return { status: 201, body: { community: created.community, ...(await session(services, created.owner)) } };
    },
  },
  {
    method: 'GET',
    path: '/api/communities/:communityId',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      return { status: 200, body: { community: await services.directory.getCommunity(me.communityId), member: me } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/token',
    async handle({ params, member, services }) {
      return { status: 200, body: await session(services, await member(params.communityId!)) };
    },
  },
  {
    method: 'GET',
    path: '/api/communities/:communityId/members',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      return { status: 200, body: { members: await services.directory.listMembers(me.communityId) } };
    },
  },
  {
    method: 'PATCH',
    path: '/api/communities/:communityId/members/:memberId',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      const change = await body(UpdateMemberBody);
      ensureAllowed(me, may(principalOf(me), 'assign-roles'), 'change roles');
      const updated = await services.directory.updateMember(me.communityId, params.memberId!, change);
      return { status: 200, body: { member: updated } };
    },
  },
  {
    method: 'DELETE',
    path: '/api/communities/:communityId/members/:memberId',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      const leaving = params.memberId === me.id;
      if (!leaving) {
        ensureAllowed(me, may(principalOf(me), 'remove-member'), 'remove members');
        const target = await services.directory.getMember(me.communityId, params.memberId!);
        if (target?.role === 'owner' && me.role !== 'owner') throw new HttpError(403, 'only an owner may remove an owner');
      }
      const removed = await services.directory.removeMember(me.communityId, params.memberId!);
      return { status: 200, body: { member: removed } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/invites',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      const input = await body(CreateInviteBody);
      ensureAllowed(me, may(principalOf(me), 'invite'), 'invite members');
      if (me.role !== 'owner' && !DELEGABLE_ROLES.includes(input.role)) {
        throw new HttpError(403, `only an owner may invite a ${input.role}`);
      }
      const { invite, code } = await services.directory.createInvite({
        communityId: me.communityId, role: input.role, maxUses: input.maxUses,
        expiresAt: Date.now() + input.expiresInHours * HOUR_MS, createdBy: me.id,
      });
      return { status: 201, body: { invite, code, path: `/join/${code}` } };
    },
  },
  {
    method: 'GET',
    path: '/api/communities/:communityId/invites',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      ensureAllowed(me, may(principalOf(me), 'invite'), 'see invites');
      return { status: 200, body: { invites: await services.directory.listInvites(me.communityId) } };
    },
  },
  {
    method: 'DELETE',
    path: '/api/communities/:communityId/invites/:inviteId',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      ensureAllowed(me, may(principalOf(me), 'invite'), 'revoke invites');
      await services.directory.revokeInvite(me.communityId, params.inviteId!);
      return { status: 200, body: { revoked: params.inviteId } };
    },
  },
  {
    method: 'GET',
    path: '/api/invites/:code',
    async handle({ params, services }) {
      const invite = await services.directory.findInvite(params.code!);
      const community = invite ? await services.directory.getCommunity(invite.communityId) : null;
      if (!invite || !community) throw new HttpError(404, 'this invite link is not valid');
      const usable = invite.revokedAt === null && invite.expiresAt > Date.now() &&
        (invite.maxUses === null || invite.uses < invite.maxUses);
      const { name, domain, description } = community;
      return { status: 200, body: { community: { name, domain, description }, role: invite.role, expiresAt: invite.expiresAt, usable } };
    },
  },
  {
    method: 'POST',
    path: '/api/invites/:code/join',
    async handle({ params, body, services }) {
      const joining = await body(NewMemberBody);
      const { community, member } = await services.directory.redeemInvite(params.code!, joining);
      log.info('member joined', { community: community.id, member: member.id, role: member.role });
      return { status: 201, body: { community, ...(await session(services, member)) } };
    },
  },
];
