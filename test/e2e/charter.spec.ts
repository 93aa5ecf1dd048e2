import type { Page } from '@playwright/test';
import { expect, status, test, waitForOfflineShell, type Member } from './fixtures.ts';
import { guildWithMembers } from './meetingFixtures.ts';

const DOMAIN_HINT = 'What we care about and learn together; where our competence lies.';

async function openCharter(member: Member, communityId: string): Promise<void> {
  await member.page.goto(`/charter/${communityId}`);
  await expect(member.page.getByRole('heading', { level: 1, name: 'Charter' })).toBeVisible();
  await expect(section(member.page, 'Domain')).toContainText(DOMAIN_HINT);
  await expect(status(member.page)).toHaveText(/Saved|Up to date/);
}

function section(page: Page, title: string) {
  return page.getByRole('textbox', { name: `Charter section: ${title}` });
}

async function appendLine(page: Page, title: string, text: string): Promise<void> {
  await section(page, title).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

async function endorse(page: Page, version: number): Promise<void> {
  const ballot = page.getByRole('region', { name: `Endorsement of version ${version}` }).getByRole('form', { name: 'Your ballot' });
  await ballot.getByRole('radio', { name: 'Agree' }).check();
  await ballot.getByRole('button', { name: 'Cast my ballot' }).click();
}

test('[E15] three members: one proposes v2, two endorse online, one offline who reconnects before the closing date — ratified with the exact tally; the diff shows the changed sections', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia, max] } = await guildWithMembers(join, ['Mia Member', 'Max Member']);
  for (const member of [fay, mia!, max!]) await openCharter(member, communityId);
  await waitForOfflineShell(max!.page);

  await appendLine(mia!.page, 'Purpose and goals', 'Halve flaky test reruns by June.');
  await appendLine(fay.page, 'Values and norms', 'Blameless reviews.');
  await expect(section(max!.page, 'Purpose and goals')).toContainText('Halve flaky test reruns by June.');
  await expect(section(max!.page, 'Values and norms')).toContainText('Blameless reviews.');
  await expect(status(mia!.page)).toHaveText('Saved');
  await expect(status(fay.page)).toHaveText('Saved');

  const propose = mia!.page.getByRole('form', { name: 'Propose a version' });
  await propose.getByLabel('What this version changes').fill('A measurable goal and our first norm');
  await propose.getByRole('button', { name: 'Propose version' }).click();
  for (const member of [fay, mia!, max!]) await expect(member.page.getByRole('region', { name: 'Endorsement of version 2' })).toBeVisible();

  // Max endorses on the train; it is kept on his device until he is back.
  await max!.context.setOffline(true);
  await expect(status(max!.page)).toHaveText(/Offline/);
  await endorse(max!.page, 2);
  await expect(max!.page.getByRole('form', { name: 'Your ballot' }).getByRole('status')).toHaveText(/kept on this device/);
  await endorse(fay.page, 2);
  await endorse(mia!.page, 2);
  const tally = fay.page.getByLabel('Tally of version 2');
  await expect(tally.first()).toContainText('2 agree · 0 abstain · 0 object · 0 block');
  await expect(fay.page.getByRole('region', { name: 'Endorsement of version 2' })).toBeVisible(); // still open: Max's is not in

  await max!.context.setOffline(false);
  const history = fay.page.getByRole('list', { name: 'Charter versions' });
  await expect(history.getByRole('listitem', { name: 'Version 2' })).toContainText('ratified');
  await expect(history.getByRole('listitem', { name: 'Version 2' })).toContainText('3 agree · 0 abstain · 0 object · 0 block — 3 of 3 counted');
  await expect(max!.page.getByRole('list', { name: 'Charter versions' }).getByRole('listitem', { name: 'Version 2' })).toContainText('ratified');
  await expect(max!.page.getByRole('region', { name: 'Endorsement of version 2' })).toHaveCount(0);

  // Version 1 (the template) against version 2: exactly the two edited sections changed.
  const compare = fay.page.getByRole('region', { name: 'Compare versions' });
  await compare.getByLabel('From').selectOption('1');
  await compare.getByLabel('To').selectOption('2');
  await expect(compare.getByRole('status')).toHaveText('Changed: Purpose and goals, Values and norms');
  await expect(compare.getByRole('listitem', { name: 'Purpose and goals' }).locator('ins')).toContainText('Halve flaky test reruns by June.');

  // Mia changes the draft after endorsing: she is told which sections changed since.
  await appendLine(fay.page, 'Membership', 'Anyone in engineering may join.');
  await expect(mia!.page.getByRole('note').filter({ hasText: 'You endorsed v2' })).toHaveText(/Since then these sections changed: Membership\./);
});

test('[E16] no client can cast another member\'s ballot, and members opening a new community\'s charter at once (one offline) see its template once', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia, max] } = await guildWithMembers(join, ['Mia Member', 'Max Member']);
  await openCharter(max!, communityId);
  await waitForOfflineShell(max!.page);
  await max!.context.setOffline(true);
  await max!.page.reload();
  await Promise.all([openCharter(fay, communityId), openCharter(mia!, communityId)]);
  for (const page of [fay.page, mia!.page, max!.page]) {
    await expect(section(page, 'Domain')).toContainText(DOMAIN_HINT);
    expect((await section(page, 'Domain').textContent())!.split(DOMAIN_HINT).length - 1).toBe(1);
  }
  await max!.context.setOffline(false);

  // Mia's browser tries to open Fay's personal charter document (where Fay's ballots live) with her own token: refused.
  const fayId = await fay.page.evaluate(() => (JSON.parse(localStorage.getItem('guildhall:communities') ?? '[]') as Array<{ memberId: string }>)[0]!.memberId);
  const outcome = await mia!.page.evaluate(async ({ community, member }) => {
    const token = (JSON.parse(localStorage.getItem('guildhall:communities') ?? '[]') as Array<{ token: string }>)[0]!.token;
    const socket = new WebSocket(`ws://${location.host}/sync/${community}.personal.${member}-charter`, ['guildhall', `guildhall.token.${token}`]);
    return new Promise<string>((resolve) => {
      socket.onopen = () => resolve('opened');
      socket.onclose = () => resolve('refused');
    });
  }, { community: communityId, member: fayId });
  expect(outcome).toBe('refused');

  // A proposal, and the owner's ballot stays the owner's: Mia's ballot counts for Mia only.
  const propose = mia!.page.getByRole('form', { name: 'Propose a version' });
  await propose.getByLabel('What this version changes').fill('Nothing yet');
  await propose.getByRole('button', { name: 'Propose version' }).click();
  await endorse(mia!.page, 2);
  await expect(fay.page.getByLabel('Tally of version 2').first()).toContainText('1 agree · 0 abstain · 0 object · 0 block — 1 of 3 counted');
});
