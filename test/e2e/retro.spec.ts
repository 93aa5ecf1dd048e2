import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, indexedDbText, recordFrames, status, test, waitForOfflineShell, type Member } from './fixtures.ts';
import { guildWithMembers } from './meetingFixtures.ts';

/** From the community page: starts a retrospective and answers its link. */
async function startRetro(page: Page, title: string, anonymity: 'anonymous' | 'named'): Promise<string> {
  await page.getByRole('button', { name: 'New retrospective' }).click();
  const form = page.getByRole('form', { name: 'New retrospective' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Template').selectOption('start-stop-continue');
  await form.getByRole('radio', { name: anonymity === 'anonymous' ? /^Anonymous/ : /^Named/ }).check();
  await form.getByRole('button', { name: 'Start retrospective' }).click();
  await expect(page).toHaveURL(/\/retro\//);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return page.url();
}

async function openRetro(member: Member, url: string, title: string): Promise<void> {
  await member.page.goto(url);
  await expect(member.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(status(member.page)).toHaveText(/Saved|Up to date/);
}

async function phaseIs(page: Page, name: string): Promise<void> {
  await expect(page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]')).toHaveText(new RegExp(name));
}

async function writeCard(page: Page, prompt: string, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: `New card for ${prompt}` });
  await composer.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: `Your cards for ${prompt}` })).toContainText(text);
}

const SECRET = 'the build server is held together with tape';

test('[E13] a retro keeps cards private until reveal (DOM, IndexedDB, websocket frames), anonymous after it, and a member offline during reflect lands in "arrived late"', async ({ join }) => {
  const { facilitator: fay, members: [mia, max, olu] } = await guildWithMembers(join, ['Mia Member', 'Max Member', 'Olu Member']);
  const maxFrames = recordFrames(max!.page);
  const url = await startRetro(fay.page, 'Q4 retro', 'anonymous');
  for (const member of [mia!, max!, olu!]) await openRetro(member, url, 'Q4 retro');
  await waitForOfflineShell(olu!.page);
  // Members cannot run the retro.
  await expect(mia!.page.getByRole('group', { name: 'Facilitator controls' })).toHaveCount(0);

  await fay.page.getByRole('button', { name: 'Start reflecting' }).click();
  for (const member of [mia!, max!, olu!]) await phaseIs(member.page, 'Reflect');
  await olu!.context.setOffline(true);
  await expect(status(olu!.page)).toHaveText(/Offline/);

  await writeCard(mia!.page, 'Stop', SECRET);
  await writeCard(mia!.page, 'Start', 'pairing on Fridays');
  await writeCard(max!.page, 'Continue', 'the demo day');
  await writeCard(olu!.page, 'Stop', 'stop the Friday deploys');
  // Others see how many cards exist, never what they say.
  await expect(fay.page.getByRole('status').filter({ hasText: 'cards written' })).toHaveText(/3 cards written/);
  await expect(max!.page.getByRole('status').filter({ hasText: 'cards written' })).toHaveText(/3 cards written/);
  await expect(status(max!.page)).toHaveText('Saved');
  await expect(max!.page.locator('body')).not.toContainText('tape');
  expect(await indexedDbText(max!.page)).not.toContain('held together');
  expect(Buffer.concat(maxFrames).includes(Buffer.from('held together'))).toBe(false);
  expect(Buffer.concat(maxFrames).includes(Buffer.from('pairing on Fridays'))).toBe(false);

  // Reveal: every member gets every card, without its author.
  await fay.page.getByRole('button', { name: 'Reveal cards' }).click();
  const maxBoard = max!.page.getByRole('list', { name: 'Topics' });
  await expect(maxBoard.getByRole('listitem', { name: SECRET, exact: true })).toBeVisible();
  await expect(maxBoard.getByRole('listitem', { name: 'pairing on Fridays', exact: true })).toBeVisible();
  await expect(maxBoard).not.toContainText('Mia');
  expect(await indexedDbText(max!.page)).not.toContain('Mia Member');

  // Olu comes back: his card arrived after the reveal.
  await olu!.context.setOffline(false);
  const lateLane = fay.page.getByRole('region', { name: 'Arrived late' });
  await expect(lateLane.getByRole('listitem', { name: 'stop the Friday deploys', exact: true })).toBeVisible();
  await expect(max!.page.getByRole('region', { name: 'Arrived late' })).toContainText('stop the Friday deploys');
  await lateLane.getByRole('button', { name: 'Accept onto the board' }).click();
  await expect(maxBoard.getByRole('listitem', { name: 'stop the Friday deploys', exact: true })).toBeVisible();
  await expect(max!.page.getByRole('region', { name: 'Arrived late' })).toHaveCount(0);
  await expect(status(olu!.page)).toHaveText('Saved');
});

test('[E14] a facilitator runs a retro to its end: grouping, dot voting within budget, discussion with notes and action items, a claim, the summary and its export', async ({ join }) => {
  const { facilitator: fay, members: [mia, max, olu] } = await guildWithMembers(join, ['Mia Member', 'Max Member', 'Olu Member']);
  const url = await startRetro(fay.page, 'Q4 retro', 'anonymous');
  for (const member of [mia!, max!, olu!]) await openRetro(member, url, 'Q4 retro');
  await fay.page.getByRole('button', { name: 'Start reflecting' }).click();
  await phaseIs(olu!.page, 'Reflect');
  await writeCard(mia!.page, 'Stop', SECRET);
  await writeCard(max!.page, 'Stop', 'flaky build agents');
  await writeCard(olu!.page, 'Start', 'write release notes together');
  await expect(fay.page.getByRole('status').filter({ hasText: 'cards written' })).toHaveText(/3 cards written/);
  await fay.page.getByRole('button', { name: 'Reveal cards' }).click();

  // Max drags Mia's card onto his own: one group, named by Mia from the keyboard-reachable field.
  const board = max!.page.getByRole('list', { name: 'Topics' });
  await board.getByRole('listitem', { name: SECRET, exact: true }).dragTo(board.getByRole('listitem', { name: 'flaky build agents', exact: true }));
  const group = mia!.page.getByRole('list', { name: 'Topics' }).getByRole('textbox', { name: /Name of the group of 2 cards/ });
  await group.fill('Build infrastructure');
  await expect(max!.page.getByRole('list', { name: 'Topics' }).getByRole('listitem', { name: 'Topic: Build infrastructure' })).toBeVisible();
  // Olu puts his card with the group using "Group with…", then takes it out again.
  const oluCard = olu!.page.getByRole('list', { name: 'Topics' }).getByRole('listitem', { name: 'write release notes together', exact: true });
  await oluCard.getByLabel('Group with').selectOption({ label: 'Build infrastructure' });
  await expect(fay.page.getByRole('listitem', { name: 'Topic: Build infrastructure' }).getByRole('listitem')).toHaveCount(3);
  await olu!.page.getByRole('listitem', { name: 'write release notes together', exact: true }).getByLabel('Group with').selectOption('__none');
  await expect(fay.page.getByRole('listitem', { name: 'Topic: Build infrastructure' }).getByRole('listitem')).toHaveCount(2);

  await fay.page.getByRole('button', { name: 'Start voting' }).click();
  await phaseIs(mia!.page, 'Vote');
  const vote = async (member: Member, topic: string, dots: number): Promise<void> => {
    for (let i = 0; i < dots; i++) await member.page.getByRole('button', { name: `Add a dot to ${topic}` }).click();
  };
  await vote(mia!, 'Build infrastructure', 2);
  await expect(mia!.page.getByRole('button', { name: 'Add a dot to Build infrastructure' })).toBeDisabled(); // 2 per topic at most
  await vote(mia!, 'write release notes together', 1);
  await expect(mia!.page.getByText('0 of 3 dots left')).toBeVisible();
  await vote(max!, 'Build infrastructure', 1);
  await vote(olu!, 'write release notes together', 1);
  await expect(fay.page.getByRole('status').filter({ hasText: 'voted' })).toHaveText('3 of 4 voted');
  await fay.page.getByRole('button', { name: 'Close voting' }).click();

  // Discuss: topics by votes; the first is current for everyone.
  await phaseIs(max!.page, 'Discuss');
  for (const member of [mia!, max!, olu!]) {
    await expect(member.page.getByRole('region', { name: 'Topic: Build infrastructure' })).toContainText('3 votes');
  }
  const notes = mia!.page.getByRole('textbox', { name: 'Notes on Build infrastructure' });
  await notes.click();
  await mia!.page.keyboard.type('Budget two days for the build agents.');
  await expect(max!.page.getByRole('textbox', { name: 'Notes on Build infrastructure' })).toContainText('Budget two days for the build agents.');
  const actionForm = max!.page.getByRole('form', { name: 'Add an action item' });
  await actionForm.getByLabel('Action item').fill('Replace the flaky build agents');
  await actionForm.getByLabel('Owner').selectOption({ label: 'Max Member' });
  await actionForm.getByRole('button', { name: 'Add action item' }).click();
  // Mia claims her anonymous card: her name appears on it for everyone.
  await mia!.page.getByRole('region', { name: 'Claim your cards' }).getByRole('button', { name: 'Claim' }).click();
  await expect(olu!.page.getByRole('region', { name: 'Topic: Build infrastructure' })).toContainText(`${SECRET}— Mia Member`);

  await fay.page.getByRole('button', { name: 'Next topic' }).click();
  await expect(olu!.page.getByRole('region', { name: 'Topic: write release notes together' })).toBeVisible();
  await fay.page.getByRole('button', { name: 'Close the retro' }).click();

  const summary = max!.page.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('4 members · 3 cards · 3 voted');
  await expect(summary.getByRole('list', { name: 'Topics' }).getByRole('listitem').first()).toContainText('Build infrastructure');
  // Both topics were discussed (the first one before any "Next topic"): nothing to carry over.
  await expect(summary).not.toContainText('not discussed');
  await expect(summary).toContainText('Action: Replace the flaky build agents — Max Member');
  const [download] = await Promise.all([max!.page.waitForEvent('download'), summary.getByRole('button', { name: 'Download Markdown' }).click()]);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toContain('### Build infrastructure (3 votes)');
  expect(markdown).toContain(`- ${SECRET} — Mia Member`);
  expect(markdown).toContain('- [ ] Replace the flaky build agents (owner: Max Member)');

  // The action is in the community's tracker, from the retro.
  await max!.page.goto(url.replace(/\/retro\/.*/, '/'));
  await max!.page.goto(`/actions/${new URL(url).pathname.split('/')[2]!.split('.')[0]}`);
  await max!.page.getByRole('tab', { name: /Mine/ }).click();
  await expect(max!.page.getByRole('list', { name: 'Action items' })).toContainText('Replace the flaky build agents');
  await expect(max!.page.getByRole('list', { name: 'Action items' })).toContainText('from Q4 retro');
});

test('[E17] an owner hands facilitation to a member, who can run the retro at once', async ({ join }) => {
  const { facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  const url = await startRetro(fay.page, 'Q4 retro', 'named');
  await openRetro(mia!, url, 'Q4 retro');
  await expect(mia!.page.getByRole('group', { name: 'Facilitator controls' })).toHaveCount(0);
  await fay.page.getByLabel('Hand facilitation to').selectOption({ label: 'Mia Member' });
  await fay.page.getByRole('button', { name: 'Hand over' }).click();
  await expect(fay.page.getByText('Mia Member can facilitate now.')).toBeVisible();
  const controls = mia!.page.getByRole('group', { name: 'Facilitator controls' });
  await expect(controls).toBeVisible({ timeout: 10_000 });
  await controls.getByRole('button', { name: 'Start reflecting' }).click();
  await phaseIs(fay.page, 'Reflect');
  await expect(status(mia!.page)).toHaveText('Saved'); // her new writes were acknowledged
});
