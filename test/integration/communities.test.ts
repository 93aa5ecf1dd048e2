import { describe, expect, it } from 'vitest';
import { mintToken, verifyToken } from '../../server/auth/tokens.ts';
import { loadAuthSecret } from '../../server/auth/secret.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';

interface Session { community: { id: string; name: string }; member: { id: string; role: string }; token: string }

function api(relay: TestRelay) {
  const call = async (method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${relay.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() as Record<string, unknown> };
  };
  return {
    call,
    async createCommunity(owner = 'Etienne'): Promise<Session> {
      const { status, body } = await call('POST', '/api/communities', {
        body: { name: 'Testing guild', domain: 'Software testing', description: 'We test things.', displayName: owner, color: '#2f6f4e' },
      });
      expect(status).toBe(201);
      return body as unknown as Session;
    },
    async invite(session: Session, body: Record<string, unknown>): Promise<string> {
      const { status, body: answer } = await call('POST', `/api/communities/${session.community.id}/invites`, { token: session.token, body });
      expect(status, JSON.stringify(answer)).toBe(201);
      return answer.code as string;
    },
    async join(code: string, displayName: string): Promise<{ status: number; body: Record<string, unknown> }> {
      return call('POST', `/api/invites/${code}/join`, { body: { displayName, color: '#8a4b9c' } });
    },
  };
}

describe('communities, invites and membership over the HTTP API', () => {
  it('[A1] the creator of a community becomes its owner and gets a token for it', async () => {
    const relay = await startTestRelay();
    const { createCommunity, call } = api(relay);
    const owner = await createCommunity();
    expect(owner.member.role).toBe('owner');
    const claims = await verifyToken(loadAuthSecret(relay.dataDir, undefined), owner.token);
    expect(claims).toMatchObject({ memberId: owner.member.id, communityId: owner.community.id, role: 'owner' });
    const me = await call('GET', `/api/communities/${owner.community.id}`, { token: owner.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ community: { name: 'Testing guild', domain: 'Software testing' }, member: { role: 'owner' } });
  });

  it('[A2] an invite shows the community before joining, joins with its role, and a single-use link works once', async () => {
    const relay = await startTestRelay();
    const { createCommunity, invite, join, call } = api(relay);
    const owner = await createCommunity();
    const code = await invite(owner, { role: 'viewer', maxUses: 1 });
    const preview = await call('GET', `/api/invites/${code}`);
    expect(preview.body).toMatchObject({ community: { name: 'Testing guild', domain: 'Software testing' }, role: 'viewer', usable: true });
    const joined = await join(code, 'Vera');
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ member: { role: 'viewer', displayName: 'Vera' } });
    const again = await join(code, 'Mallory');
    expect(again.status).toBe(410);
    expect(again.body.error).toMatch(/already used/);
    const members = await call('GET', `/api/communities/${owner.community.id}/members`, { token: owner.token });
    expect((members.body.members as Array<{ displayName: string }>).map((m) => m.displayName)).toEqual(['Etienne', 'Vera']);
  });

  it('[A3] expired, revoked and unknown invite links are refused with a clear reason', async () => {
    const relay = await startTestRelay();
    const { createCommunity, invite, join, call } = api(relay);
    const owner = await createCommunity();
    const expired = await relay.directory.createInvite({
      communityId: owner.community.id, role: 'member', expiresAt: Date.now() - 1, maxUses: null, createdBy: owner.member.id,
    });
    expect((await join(expired.code, 'Late')).body.error).toMatch(/expired/);
    const code = await invite(owner, { role: 'member', maxUses: null });
    const invites = (await call('GET', `/api/communities/${owner.community.id}/invites`, { token: owner.token })).body.invites as Array<{ id: string }>;
    const latest = invites.at(-1)!;
    expect((await call('DELETE', `/api/communities/${owner.community.id}/invites/${latest.id}`, { token: owner.token })).status).toBe(200);
    expect((await join(code, 'Too late')).status).toBe(410);
    expect((await join('nonsense', 'Nobody')).status).toBe(404);
  });

  it('[A4] capabilities are checked on the server: who may invite, grant roles and remove', async () => {
    const relay = await startTestRelay();
    const { createCommunity, invite, join, call } = api(relay);
    const owner = await createCommunity();
    const member = (await join(await invite(owner, { role: 'member' }), 'Mia')).body as unknown as Session;
    const base = `/api/communities/${owner.community.id}`;

    expect((await call('POST', `${base}/invites`, { token: member.token, body: { role: 'member' } })).status).toBe(403);
    expect((await call('PATCH', `${base}/members/${member.member.id}`, { token: member.token, body: { role: 'owner' } })).status).toBe(403);

    // A membership manager may invite members and viewers, not facilitators or owners.
    const grant = await call('PATCH', `${base}/members/${member.member.id}`, { token: owner.token, body: { stewardships: ['membership-manager'] } });
    expect(grant.body).toMatchObject({ member: { stewardships: ['membership-manager'] } });
    expect((await call('POST', `${base}/invites`, { token: member.token, body: { role: 'viewer' } })).status).toBe(201);
    const tooHigh = await call('POST', `${base}/invites`, { token: member.token, body: { role: 'facilitator' } });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.body.error).toMatch(/only an owner/);
    expect((await call('DELETE', `${base}/members/${owner.member.id}`, { token: member.token })).status).toBe(403);
  });

  it('[A5] a removed member\'s token stops working at once, and a community always keeps an owner', async () => {
    const relay = await startTestRelay();
    const { createCommunity, invite, join, call } = api(relay);
    const owner = await createCommunity();
    const member = (await join(await invite(owner, { role: 'member' }), 'Mia')).body as unknown as Session;
    const base = `/api/communities/${owner.community.id}`;
    expect((await call('DELETE', `${base}/members/${member.member.id}`, { token: owner.token })).status).toBe(200);
    const after = await call('GET', base, { token: member.token });
    expect(after.status).toBe(403);
    expect(after.body.error).toMatch(/no longer a member/);

    const leaving = await call('DELETE', `${base}/members/${owner.member.id}`, { token: owner.token });
    expect(leaving.status).toBe(409);
    expect(leaving.body.error).toMatch(/at least one owner/);
  });

  it('[A6] tokens are bound to their community, and bad or expired tokens get 401', async () => {
    const relay = await startTestRelay();
    const { createCommunity, call } = api(relay);
    const a = await createCommunity('Ann');
    const b = await createCommunity('Ben');
    expect((await call('GET', `/api/communities/${b.community.id}`, { token: a.token })).status).toBe(403);
    expect((await call('GET', `/api/communities/${a.community.id}`)).status).toBe(401);
    expect((await call('GET', `/api/communities/${a.community.id}`, { token: 'not.a.jwt' })).status).toBe(401);
    const secret = loadAuthSecret(relay.dataDir, undefined);
    const expired = await mintToken(secret, { id: a.member.id, communityId: a.community.id, role: 'owner' }, { ttlSeconds: 1, now: Date.now() - 10_000 });
    const answer = await call('GET', `/api/communities/${a.community.id}`, { token: expired });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatch(/expired/);
    const forged = await mintToken(new TextEncoder().encode('x'.repeat(64)), { id: a.member.id, communityId: a.community.id, role: 'owner' });
    expect((await call('GET', `/api/communities/${a.community.id}`, { token: forged })).status).toBe(401);
  });

  it('[A7] invalid input gets a 400 that names the field, and creates nothing', async () => {
    const relay = await startTestRelay();
    const { call } = api(relay);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: '', domain: 'd', displayName: 'x', color: '#2f6f4e' }, /name: name is required/],
      [{ name: 'n', domain: 'd', displayName: 'x', color: 'green' }, /color: colour must look like/],
      [{ name: 'n', domain: 'd', displayName: ' ', color: '#2f6f4e' }, /displayName: display name is required/],
      [{ name: 'n', displayName: 'x', color: '#2f6f4e' }, /domain/],
    ];
    for (const [body, message] of cases) {
      const answer = await call('POST', '/api/communities', { body });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
    expect(await relay.directory.listCommunities()).toEqual([]);
  });
});
