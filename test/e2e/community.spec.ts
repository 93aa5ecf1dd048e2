import { createCommunity, createInviteLink, joinThroughLink, openNotes } from './communityFixtures.ts';
import { expect, expectNotes, notes, status, test, typeAtEnd } from './fixtures.ts';

const GUILD = { community: 'Testing guild', domain: 'Software testing' };

test('[E6] an owner invites a member and a viewer: they co-edit, the viewer reads live, a removed member is cut off', async ({ join }) => {
  const owner = await join('Olga Owner', 0);
  const member = await join('Mia Member', 3);
  const viewer = await join('Victor Viewer', 5);

  const communityId = await createCommunity(owner.page, { name: GUILD.community, domain: GUILD.domain });
  await owner.page.getByRole('button', { name: 'Invite people' }).click();
  const memberLink = await createInviteLink(owner.page, 'member');
  const viewerLink = await createInviteLink(owner.page, 'viewer');
  await owner.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(owner.page.getByRole('dialog')).toHaveCount(0);

  await joinThroughLink(member.page, memberLink, { ...GUILD, role: 'member', name: 'Mia Member' });
  // A single-use link works once: opened again, it says so instead of offering to join.
  await viewer.page.goto(memberLink);
  await expect(viewer.page.getByRole('alert')).toHaveText(/This invite link was already used or has been revoked/);
  await expect(viewer.page.getByRole('button', { name: /^Join/ })).toHaveCount(0);
  await joinThroughLink(viewer.page, viewerLink, { ...GUILD, role: 'viewer', name: 'Victor Viewer' });
  await expect(viewer.page.getByRole('button', { name: 'New meeting' })).toHaveCount(0);

  // The owner creates meeting notes in the community; they open with the owner's token.
  await owner.page.getByRole('button', { name: 'New meeting' }).click();
  await expect(owner.page).toHaveURL(new RegExp(`/d/${communityId}\\.shared\\.`));
  await expect(owner.page.getByLabel('Meeting title')).toHaveValue('Untitled meeting');
  await owner.page.getByLabel('Meeting title').fill('Guild kick-off');
  await expect(status(owner.page)).toHaveText('Saved');

  // The member finds them in the community's list (live) and co-edits.
  await openNotes(member.page, 'Guild kick-off');
  await typeAtEnd(member.page, 'Mia: we pair on flaky tests.');
  await expectNotes(owner.page, 'Mia: we pair on flaky tests.');
  await expect(status(member.page)).toHaveText('Saved');

  // The viewer reads live but cannot type.
  await openNotes(viewer.page, 'Guild kick-off');
  await expectNotes(viewer.page, 'Mia: we pair on flaky tests.');
  await expect(viewer.page.getByRole('note').filter({ hasText: 'You can read this meeting but not edit it.' })).toBeVisible();
  await expect(notes(viewer.page)).toHaveAttribute('contenteditable', 'false');
  await expect(viewer.page.getByLabel('Meeting title')).toBeDisabled();
  await notes(viewer.page).click();
  await viewer.page.keyboard.type('Victor was here.');
  await typeAtEnd(owner.page, ' Olga: agreed.');
  await expectNotes(viewer.page, 'Olga: agreed.');
  await expectNotes(viewer.page, 'Victor was here.', { absent: true });
  await expectNotes(owner.page, 'Victor was here.', { absent: true });

  // The owner removes the member, whose open notes turn read-only with a clear message.
  await owner.page.getByRole('link', { name: '← All meetings' }).click();
  const members = owner.page.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem', { name: 'Victor Viewer' })).toContainText('viewer');
  const mia = members.getByRole('listitem', { name: 'Mia Member' });
  await expect(mia.getByLabel('Role of Mia Member')).toHaveValue('member');
  await mia.getByRole('button', { name: 'Remove Mia Member' }).click();
  await mia.getByRole('button', { name: 'Yes, remove Mia Member' }).click();
  await expect(mia).toHaveCount(0);

  await expect(member.page.getByRole('alert').filter({ hasText: 'You were removed from this community' })).toBeVisible({ timeout: 5_000 });
  await expect(notes(member.page)).toHaveAttribute('contenteditable', 'false', { timeout: 5_000 });
  await expectNotes(member.page, 'Mia: we pair on flaky tests.');
  await expect(status(member.page)).toHaveText(/removed from the community/);

  // The start page lists the communities this browser belongs to.
  await viewer.page.goto('/');
  await expect(viewer.page.getByRole('list', { name: 'Your communities' }).getByRole('link', { name: /Testing guild/ })).toBeVisible();
});
