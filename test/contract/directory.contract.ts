import { createHash } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  DirectoryError, type Community, type Directory, type Member, type MembershipChange,
} from '../../server/directory/directory.ts';
import { waitFor } from '../helpers/waitFor.ts';

/**
 * The Directory contract (server/directory/directory.ts): SQLite and PostgreSQL run this one
 * suite, so a relay node, the API and the operator CLI see the same rules whichever backs them.
 *
 * `open` is called once per test with the clock every handle of that test must read, and must
 * hand back an empty directory; its own resources (temp dirs, schemas) it registers for teardown
 * itself. `another` opens a second handle on the same data, as a second node or the operator CLI
 * would; the suite closes every handle it gets. `storedText` is everything the database holds,
 * as text, to prove a secret is not in it.
 */
export interface DirectoryUnderTest {
  directory: Directory;
  another(): Promise<Directory>;
  storedText(): Promise<string>;
}

/** Every read is 1 ms after the last, so no two records of a test share a time and orders are exact. */
class TestClock {
  private ms = 1_750_000_000_000;
  readonly now = (): number => (this.ms += 1);
  /** The next read returns `ms`. */
  set(ms: number): void {
    this.ms = ms - 1;
  }
}

const ADA = { displayName: 'Ada', color: '#2f6f4e' };
const GRACE = { displayName: 'Grace', color: '#8a4b9c' };
const CIRCLE = { name: 'Practice Circle', domain: 'facilitation', description: 'Facilitators comparing notes' };
const HOUR_MS = 3_600_000;
/** Enough parallel calls that, without the atomicity under test, several would interleave. */
const RACERS = 10;

async function expectDirectoryError(call: Promise<unknown>, code: DirectoryError['code'], message: string): Promise<void> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DirectoryError);
  expect(error).toMatchObject({ code, message });
}

/** Settles every call; returns how many succeeded and the errors of the rest. */
async function race(calls: Array<Promise<unknown>>): Promise<{ succeeded: number; errors: unknown[] }> {
  const results = await Promise.allSettled(calls);
  return {
    succeeded: results.filter((r) => r.status === 'fulfilled').length,
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

export function directoryContract(name: string, open: (now: () => number) => Promise<DirectoryUnderTest>): void {
  async function setUp() {
    const clock = new TestClock();
    const opened = await open(clock.now);
    onTestFinished(() => opened.directory.close());
    const another = async (): Promise<Directory> => {
      const directory = await opened.another();
      onTestFinished(() => directory.close());
      return directory;
    };
    return { directory: opened.directory, another, storedText: opened.storedText, clock };
  }

  async function withCommunity() {
    const context = await setUp();
    const { community, owner } = await context.directory.createCommunity(CIRCLE, ADA);
    return { ...context, community, owner };
  }

  const ownersOf = async (directory: Directory, communityId: string): Promise<string[]> =>
    (await directory.listMembers(communityId)).filter((m) => m.role === 'owner').map((m) => m.id);

  describe(`Directory contract: ${name}`, () => {
    describe('communities', () => {
      it('creates a community with its owner, and reads both back, on this handle and another', async () => {
        const { directory, another, clock } = await setUp();
        clock.set(1_800_000_000_000);
        const { community, owner } = await directory.createCommunity(CIRCLE, ADA);
        expect(community).toEqual({ ...CIRCLE, id: expect.stringMatching(/^[0-9a-z]{10}$/), createdAt: 1_800_000_000_000 });
        expect(owner).toEqual({
          ...ADA, id: expect.stringMatching(/^[0-9a-z]{12}$/), communityId: community.id, role: 'owner', stewardships: [],
          joinedAt: 1_800_000_000_001, removedAt: null,
        });
        const second = await another();
        for (const handle of [directory, second]) {
          expect(await handle.getCommunity(community.id)).toEqual(community);
          expect(await handle.getMember(community.id, owner.id)).toEqual(owner);
          expect(await handle.listMembers(community.id)).toEqual([owner]);
        }
      });

      it('lists every community oldest first; an unknown id is null', async () => {
        const { directory } = await setUp();
        expect(await directory.listCommunities()).toEqual([]);
        const created: Community[] = [];
        for (const n of [1, 2, 3]) created.push((await directory.createCommunity({ ...CIRCLE, name: `Circle ${n}` }, ADA)).community);
        expect(await directory.listCommunities()).toEqual(created);
        expect(await directory.getCommunity('nowhere')).toBeNull();
        expect(await directory.getMember(created[0]!.id, 'nobody')).toBeNull();
      });
    });

    describe('members', () => {
      it('adds a member with the given role and no stewardships; an unknown community is not found', async () => {
        const { directory, community } = await withCommunity();
        const grace = await directory.addMember(community.id, { ...GRACE, role: 'facilitator' });
        expect(grace).toMatchObject({ ...GRACE, communityId: community.id, role: 'facilitator', stewardships: [], removedAt: null });
        expect(await directory.getMember(community.id, grace.id)).toEqual(grace);
        await expectDirectoryError(directory.addMember('nowhere', { ...GRACE, role: 'member' }), 'not-found', 'no such community');
      });

      it('lists current members by join time; removed ones only when asked, in their place', async () => {
        const { directory, community, owner } = await withCommunity();
        const other = await directory.createCommunity({ ...CIRCLE, name: 'Other' }, GRACE);
        const [a, b, c] = [
          await directory.addMember(community.id, { displayName: 'A', color: '#111111', role: 'member' }),
          await directory.addMember(community.id, { displayName: 'B', color: '#222222', role: 'viewer' }),
          await directory.addMember(community.id, { displayName: 'C', color: '#333333', role: 'facilitator' }),
        ];
        const removedB = await directory.removeMember(community.id, b.id);
        expect(await directory.listMembers(community.id)).toEqual([owner, a, c]);
        expect(await directory.listMembers(community.id, { includeRemoved: true })).toEqual([owner, a, removedB, c]);
        expect(await directory.getMember(community.id, b.id)).toEqual(removedB);
        expect(await directory.listMembers(other.community.id)).toEqual([other.owner]);
        expect(await directory.listMembers('nowhere')).toEqual([]);
      });

      it('updates role and stewardships (each once), keeping what the change leaves out', async () => {
        const { directory, another, community } = await withCommunity();
        const grace = await directory.addMember(community.id, { ...GRACE, role: 'member' });
        const promoted = await directory.updateMember(community.id, grace.id, { role: 'facilitator' });
        expect(promoted).toEqual({ ...grace, role: 'facilitator' });
        const stewarded = await directory.updateMember(community.id, grace.id,
          { stewardships: ['moderator', 'librarian', 'moderator'] });
        expect(stewarded).toEqual({ ...grace, role: 'facilitator', stewardships: ['moderator', 'librarian'] });
        expect(await (await another()).getMember(community.id, grace.id)).toEqual(stewarded);
        expect(await directory.updateMember(community.id, grace.id, { role: 'viewer', stewardships: [] }))
          .toEqual({ ...grace, role: 'viewer', stewardships: [] });
      });

      it('removes a member, keeping the record; unknown and already removed members are not found', async () => {
        const { directory, community, clock } = await withCommunity();
        const grace = await directory.addMember(community.id, { ...GRACE, role: 'member' });
        clock.set(1_900_000_000_000);
        expect(await directory.removeMember(community.id, grace.id)).toEqual({ ...grace, removedAt: 1_900_000_000_000 });
        await expectDirectoryError(directory.removeMember(community.id, grace.id), 'not-found', 'no such member');
        await expectDirectoryError(directory.updateMember(community.id, grace.id, { role: 'owner' }), 'not-found', 'no such member');
        await expectDirectoryError(directory.removeMember(community.id, 'nobody'), 'not-found', 'no such member');
        await expectDirectoryError(directory.updateMember('nowhere', grace.id, { role: 'viewer' }), 'not-found', 'no such member');
        expect((await directory.getMember(community.id, grace.id))?.removedAt).toBe(1_900_000_000_000);
      });

      it('keeps at least one owner: the last one can be neither demoted nor removed', async () => {
        const { directory, community, owner } = await withCommunity();
        const message = 'a community needs at least one owner: make someone else owner first';
        await expectDirectoryError(directory.updateMember(community.id, owner.id, { role: 'facilitator' }), 'conflict', message);
        await expectDirectoryError(directory.removeMember(community.id, owner.id), 'conflict', message);
        expect(await directory.getMember(community.id, owner.id)).toEqual(owner);
        // Changes that keep the owner an owner are fine.
        expect(await directory.updateMember(community.id, owner.id, { role: 'owner', stewardships: ['archivist'] }))
          .toEqual({ ...owner, stewardships: ['archivist'] });

        const grace = await directory.addMember(community.id, { ...GRACE, role: 'owner' });
        expect((await directory.updateMember(community.id, owner.id, { role: 'viewer' })).role).toBe('viewer');
        await expectDirectoryError(directory.removeMember(community.id, grace.id), 'conflict', message);
        expect(await ownersOf(directory, community.id)).toEqual([grace.id]);
      });

      it('[D1] keeps at least one owner when two owners are demoted or removed at once, on two handles', async () => {
        const { directory, another } = await setUp();
        const second = await another();
        const communities = await Promise.all(Array.from({ length: RACERS }, async (_, i) => {
          const { community, owner } = await directory.createCommunity({ ...CIRCLE, name: `Circle ${i}` }, ADA);
          const coOwner = await directory.addMember(community.id, { ...GRACE, role: 'owner' });
          return { community, owner, coOwner };
        }));
        const outcomes = await Promise.all(communities.map(({ community, owner, coOwner }, i) => race([
          directory.updateMember(community.id, owner.id, { role: 'member' }),
          i % 2 === 0 ? second.removeMember(community.id, coOwner.id) : second.updateMember(community.id, coOwner.id, { role: 'viewer' }),
        ])));
        for (const [i, { community }] of communities.entries()) {
          expect(outcomes[i]!.succeeded).toBe(1);
          expect(outcomes[i]!.errors).toEqual([expect.objectContaining({ code: 'conflict' })]);
          expect(await ownersOf(directory, community.id)).toHaveLength(1);
        }
      });
    });

    describe('invites', () => {
      const inviteInput = (communityId: string, overrides: { maxUses?: number | null; expiresAt?: number } = {}) => ({
        communityId, role: 'member' as const, expiresAt: 2_000_000_000_000, maxUses: 1, createdBy: 'operator-cli', ...overrides,
      });

      it('creates an invite whose code finds it; only the code\'s hash is stored, and the id is not a code', async () => {
        const { directory, community, owner, storedText, clock } = await withCommunity();
        clock.set(1_800_000_000_000);
        const { invite, code } = await directory.createInvite({ ...inviteInput(community.id), role: 'facilitator', createdBy: owner.id });
        expect(invite).toEqual({
          id: expect.stringMatching(/^[0-9a-z]{10}$/), communityId: community.id, role: 'facilitator', expiresAt: 2_000_000_000_000,
          maxUses: 1, uses: 0, createdBy: owner.id, createdAt: 1_800_000_000_000, revokedAt: null,
        });
        expect(code).toMatch(/^[0-9a-z]{32}$/);
        expect(await directory.findInvite(code)).toEqual(invite);
        expect(await directory.findInvite(invite.id)).toBeNull();
        expect(await directory.findInvite(`${code}x`)).toBeNull();

        const stored = await storedText();
        expect(stored).toContain(invite.id); // the dump does see the invite…
        expect(stored).toContain(createHash('sha256').update(code).digest('hex'));
        expect(stored).not.toContain(code); // …but not its code
        await expectDirectoryError(directory.createInvite(inviteInput('nowhere')), 'not-found', 'no such community');
      });

      it('lists a community\'s invites by creation; revoking marks one, once', async () => {
        const { directory, community, clock } = await withCommunity();
        const other = await directory.createCommunity({ ...CIRCLE, name: 'Other' }, GRACE);
        const first = await directory.createInvite(inviteInput(community.id));
        await directory.createInvite(inviteInput(other.community.id));
        const second = await directory.createInvite(inviteInput(community.id, { maxUses: null }));
        expect(await directory.listInvites(community.id)).toEqual([first.invite, second.invite]);

        clock.set(1_900_000_000_000);
        await directory.revokeInvite(community.id, first.invite.id);
        expect(await directory.listInvites(community.id))
          .toEqual([{ ...first.invite, revokedAt: 1_900_000_000_000 }, second.invite]);
        await expectDirectoryError(directory.revokeInvite(community.id, first.invite.id), 'not-found', 'no such active invite');
        await expectDirectoryError(directory.revokeInvite(other.community.id, second.invite.id), 'not-found', 'no such active invite');
        await expectDirectoryError(directory.revokeInvite(community.id, 'nothing'), 'not-found', 'no such active invite');
        expect((await directory.findInvite(second.code))?.revokedAt).toBeNull();
      });

      it('redeeming adds a member with the invite\'s role and counts the use', async () => {
        const { directory, community } = await withCommunity();
        const { invite, code } = await directory.createInvite({ ...inviteInput(community.id), role: 'viewer' });
        const joined = await directory.redeemInvite(code, GRACE);
        expect(joined.community).toEqual(community);
        expect(joined.member).toMatchObject({ ...GRACE, communityId: community.id, role: 'viewer', stewardships: [], removedAt: null });
        expect(await directory.getMember(community.id, joined.member.id)).toEqual(joined.member);
        expect(await directory.findInvite(code)).toEqual({ ...invite, uses: 1 });
        await expectDirectoryError(directory.redeemInvite('not-a-code', GRACE), 'not-found', 'this invite link is not valid');
        await expectDirectoryError(directory.redeemInvite(invite.id, GRACE), 'not-found', 'this invite link is not valid');
      });

      it('refuses revoked, expired and used-up invites, counting no use and adding no one', async () => {
        const { directory, community, clock } = await withCommunity();
        const revoked = await directory.createInvite(inviteInput(community.id));
        await directory.revokeInvite(community.id, revoked.invite.id);
        await expectDirectoryError(directory.redeemInvite(revoked.code, GRACE), 'gone', 'this invite link was revoked');

        const expiresAt = 1_800_000_000_000 + HOUR_MS;
        const expiring = await directory.createInvite(inviteInput(community.id, { expiresAt, maxUses: null }));
        clock.set(expiresAt - 1);
        await directory.redeemInvite(expiring.code, GRACE); // the last millisecond still counts
        clock.set(expiresAt);
        await expectDirectoryError(directory.redeemInvite(expiring.code, GRACE), 'gone', 'this invite link has expired');

        const twice = await directory.createInvite(inviteInput(community.id, { maxUses: 2 }));
        await directory.redeemInvite(twice.code, GRACE);
        await directory.redeemInvite(twice.code, GRACE);
        await expectDirectoryError(directory.redeemInvite(twice.code, GRACE), 'gone', 'this invite link was already used');

        expect((await directory.findInvite(revoked.code))?.uses).toBe(0);
        expect((await directory.findInvite(expiring.code))?.uses).toBe(1);
        expect((await directory.findInvite(twice.code))?.uses).toBe(2);
        expect(await directory.listMembers(community.id)).toHaveLength(1 + 1 + 2);
      });

      it('a multi-use invite admits anyone until it expires', async () => {
        const { directory, community } = await withCommunity();
        const { code } = await directory.createInvite(inviteInput(community.id, { maxUses: null }));
        for (let i = 0; i < 5; i++) await directory.redeemInvite(code, { ...GRACE, displayName: `Guest ${i}` });
        expect((await directory.findInvite(code))?.uses).toBe(5);
        expect(await directory.listMembers(community.id)).toHaveLength(6);
      });

      it.each([1, 3])('[D1] redeemers racing on two handles for an invite of %i use(s): exactly that many get in', async (maxUses) => {
        const { directory, another, community } = await withCommunity();
        const second = await another();
        const { code } = await directory.createInvite(inviteInput(community.id, { maxUses }));
        const { succeeded, errors } = await race(Array.from({ length: RACERS }, (_, i) =>
          (i % 2 === 0 ? directory : second).redeemInvite(code, { ...GRACE, displayName: `Racer ${i}` })));
        expect(succeeded).toBe(maxUses);
        expect(errors).toHaveLength(RACERS - maxUses);
        for (const error of errors) expect(error).toMatchObject({ code: 'gone', message: 'this invite link was already used' });
        expect((await directory.findInvite(code))?.uses).toBe(maxUses);
        expect(await directory.listMembers(community.id)).toHaveLength(1 + maxUses);
      });
    });

    describe('client owners', () => {
      it('records the first member to use each client id in a document; a later binding changes nothing', async () => {
        const { directory, another } = await setUp();
        expect(await directory.clientOwners('home.shared.a')).toEqual(new Map());
        const maxClientId = 2 ** 32 - 1; // Yjs client ids are unsigned 32-bit
        await directory.bindClients('home.shared.a', [7, maxClientId, 7], 'member-a');
        await directory.bindClients('home.shared.a', [7, 8], 'member-b');
        await directory.bindClients('home.shared.b', [7], 'member-b');
        await directory.bindClients('home.shared.b', [], 'member-a');
        const expectedA = new Map([[7, 'member-a'], [maxClientId, 'member-a'], [8, 'member-b']]);
        expect(await directory.clientOwners('home.shared.a')).toEqual(expectedA);
        expect(await (await another()).clientOwners('home.shared.a')).toEqual(expectedA);
        expect(await directory.clientOwners('home.shared.b')).toEqual(new Map([[7, 'member-b']]));
      });

      it('[D1] when two handles bind the same client ids at once, one binding wins for good', async () => {
        const { directory, another } = await setUp();
        const second = await another();
        const ids = Array.from({ length: 2_000 }, (_, i) => i + 1);
        await Promise.all([
          directory.bindClients('home.shared.a', ids, 'member-a'),
          second.bindClients('home.shared.a', [...ids].reverse(), 'member-b'),
        ]);
        const owners = await directory.clientOwners('home.shared.a');
        expect([...owners.keys()].sort((x, y) => x - y)).toEqual(ids);
        await second.bindClients('home.shared.a', ids, 'member-c');
        expect(await second.clientOwners('home.shared.a')).toEqual(owners);
      });
    });

    describe('onChange', () => {
      it('tells listeners of each role change and removal, after it is done; refusals and joins are not changes', async () => {
        const { directory, community, owner } = await withCommunity();
        const changes: MembershipChange[] = [];
        const unsubscribed: MembershipChange[] = [];
        directory.onChange((change) => changes.push(change));
        directory.onChange((change) => unsubscribed.push(change))();
        let seenDuringUpdate: Member | null = null;
        const stop = directory.onChange((change) => {
          void directory.getMember(community.id, change.memberId!).then((member) => { seenDuringUpdate ??= member; });
        });

        const grace = await directory.addMember(community.id, { ...GRACE, role: 'member' });
        const { code } = await directory.createInvite({
          communityId: community.id, role: 'member', expiresAt: 2_000_000_000_000, maxUses: 1, createdBy: owner.id,
        });
        await directory.redeemInvite(code, { ...GRACE, displayName: 'Joiner' });
        await expectDirectoryError(directory.removeMember(community.id, owner.id), 'conflict',
          'a community needs at least one owner: make someone else owner first');
        await directory.updateMember(community.id, grace.id, { role: 'viewer' });
        stop();
        await directory.removeMember(community.id, grace.id);

        expect(changes).toEqual([{ communityId: community.id, memberId: grace.id }, { communityId: community.id, memberId: grace.id }]);
        expect(unsubscribed).toEqual([]);
        // A listener reading the member back sees the change already committed.
        expect(await waitFor(() => seenDuringUpdate)).toMatchObject({ id: grace.id, role: 'viewer' });
      });
    });
  });
}
