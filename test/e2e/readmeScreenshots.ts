/**
 * `npm run screenshots`: regenerates the README's pictures from a real run — a fresh server and
 * two members in separate Chromium contexts running one meeting, its minutes and the tracker,
 * a private community's invite dialog, a retrospective, the charter, the board and the library.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../helpers/serverProcess.ts';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import buildClient from './buildClient.ts';

const OUT = 'test/screenshots';

async function joinAs(page: Page, name: string, colour: number): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('radio').nth(colour).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Types a new line at the end of the notes the member is looking at (an agenda item's). */
async function typeLine(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: /^Notes on / }).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

async function addAgendaItem(page: Page, title: string, minutes: number, presenter = ''): Promise<void> {
  const form = page.getByRole('form', { name: 'Add an agenda item' });
  await form.getByLabel('Agenda item').fill(title);
  await form.getByLabel('Timebox (min)').fill(String(minutes));
  await form.getByLabel('Presenter').fill(presenter);
  await form.getByRole('button', { name: 'Add to agenda' }).click();
}

await buildClient();
const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-shots-'));
const server = await startServerProcess({ dataDir, clientDir: 'dist/client' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const viewport = { width: 1280, height: 900 };
  const ada = await (await browser.newContext({ baseURL: server.url, viewport })).newPage();
  const grace = await (await browser.newContext({ baseURL: server.url, viewport })).newPage();
  await joinAs(ada, 'Ada Lovelace', 0);
  await joinAs(grace, 'Grace Hopper', 3);
  await ada.getByRole('button', { name: 'New meeting' }).click();
  await ada.getByLabel('Meeting title').fill('Testing guild — December call');
  await ada.getByLabel('Repeats').selectOption('monthly');
  await addAgendaItem(ada, 'Check-in', 5);
  await addAgendaItem(ada, 'Flaky tests: the quarantine experiment', 15, 'Grace');
  await addAgendaItem(ada, 'Pairing rotation', 10, 'Ada');
  await grace.getByRole('link', { name: /December call/ }).click();
  await ada.getByRole('button', { name: 'Start meeting' }).click();
  await ada.getByRole('button', { name: 'Next item' }).click();
  await grace.getByRole('textbox', { name: 'Notes on Flaky tests: the quarantine experiment' }).waitFor();
  await typeLine(grace, 'Quarantine cut red builds by 40 % in two weeks.');
  await typeLine(ada, 'Keep the quarantine list visible on the board.');
  await typeLine(grace, '/decision Adopt the quarantine lane for all teams');
  await grace.keyboard.press('Enter'); // Enter on a "/" line records it and removes the line
  await typeLine(grace, '/action Write the how-to for the practice library @Grace Hopper due 2026-12-17');
  await grace.keyboard.press('Enter');
  await typeLine(ada, 'Grace presents the numbers next time');
  await ada.getByRole('status').first().filter({ hasText: 'Saved' }).waitFor();
  await ada.locator('.collaboration-carets__label', { hasText: 'Grace Hopper' }).waitFor();
  await ada.getByRole('list', { name: 'Action items recorded' }).getByRole('listitem').waitFor();
  await ada.screenshot({ path: `${OUT}/two-members-co-editing.png`, fullPage: true });
  await ada.getByRole('link', { name: 'Minutes' }).click();
  await ada.getByRole('article', { name: /Minutes of/ }).waitFor();
  await ada.screenshot({ path: `${OUT}/meeting-minutes.png` });
  await grace.goto('/');
  await grace.getByRole('link', { name: /December call/ }).waitFor();
  await grace.screenshot({ path: `${OUT}/community-home.png` });
  await grace.getByRole('link', { name: 'Action tracker' }).click();
  await grace.getByRole('heading', { name: 'Action tracker' }).waitFor();
  await grace.screenshot({ path: `${OUT}/action-tracker.png` });

  // A private community: Ada creates it, Grace joins through an invite, Ada opens the invite dialog.
  await ada.goto('/');
  await ada.getByRole('button', { name: 'Create a community' }).click();
  await ada.getByLabel('Community name').fill('Testing guild');
  await ada.getByLabel('Domain').fill('Software testing across our product teams');
  await ada.getByRole('button', { name: 'Create community' }).click();
  await ada.getByRole('heading', { level: 1, name: 'Testing guild' }).waitFor();
  await ada.getByRole('button', { name: 'Invite people' }).click();
  const dialog = ada.getByRole('dialog', { name: 'Invite people' });
  await dialog.getByLabel('Role').selectOption('member');
  await dialog.getByRole('button', { name: 'Create invite link' }).click();
  const link = await dialog.getByLabel('Invite link').inputValue();
  await grace.goto(link);
  await grace.getByRole('button', { name: 'Join Testing guild' }).click();
  await grace.getByRole('heading', { level: 1, name: 'Testing guild' }).waitFor();
  await dialog.getByLabel('Role').selectOption('viewer');
  await ada.getByRole('list', { name: 'Members' }).getByRole('listitem', { name: 'Grace Hopper' }).waitFor({ timeout: 15_000 });
  await ada.screenshot({ path: `${OUT}/community-invite.png` });

  // A retrospective in that community: cards written privately, revealed, grouped, voted, discussed.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await ada.getByRole('button', { name: 'New retrospective' }).click();
  const form = ada.getByRole('form', { name: 'New retrospective' });
  await form.getByLabel('Title').fill('Q4 retrospective');
  await form.getByRole('button', { name: 'Start retrospective' }).click();
  await ada.getByRole('heading', { level: 1, name: 'Q4 retrospective' }).waitFor();
  await grace.goto(ada.url());
  await grace.getByRole('heading', { level: 1, name: 'Q4 retrospective' }).waitFor();
  await ada.getByRole('button', { name: 'Start reflecting' }).click();
  const card = async (page: Page, prompt: string, text: string): Promise<void> => {
    await page.getByRole('textbox', { name: `New card for ${prompt}` }).click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };
  await card(grace, 'Stop', 'Merging on red builds');
  await card(grace, 'Start', 'A quarantine lane for flaky tests');
  await card(ada, 'Continue', 'Pairing rotations');
  await card(ada, 'Stop', 'Rerunning CI until it passes');
  await grace.getByRole('status').filter({ hasText: '4 cards written' }).waitFor();
  await grace.screenshot({ path: `${OUT}/retro-reflect.png` });
  await ada.getByRole('button', { name: 'Reveal cards' }).click();
  const board = grace.getByRole('list', { name: 'Topics' });
  await board.getByRole('listitem', { name: 'Rerunning CI until it passes', exact: true })
    .dragTo(board.getByRole('listitem', { name: 'Merging on red builds', exact: true }));
  await board.getByRole('textbox', { name: /Name of the group/ }).fill('Red builds');
  await ada.getByRole('listitem', { name: 'Topic: Red builds' }).waitFor();
  await ada.screenshot({ path: `${OUT}/retro-board.png` });
  await ada.getByRole('button', { name: 'Start voting' }).click();
  for (const page of [ada, grace]) await page.getByRole('button', { name: 'Add a dot to Red builds' }).click();
  await grace.getByRole('button', { name: 'Add a dot to A quarantine lane for flaky tests' }).click();
  await ada.getByRole('button', { name: 'Close voting' }).click();
  await grace.getByRole('textbox', { name: 'Notes on Red builds' }).click();
  await grace.keyboard.type('Nobody merges on red; the quarantine lane takes the flaky ones.');
  const action = ada.getByRole('form', { name: 'Add an action item' });
  await action.getByLabel('Action item').fill('Block merges on red in the CI settings');
  await action.getByLabel('Owner').selectOption({ label: 'Grace Hopper' });
  await action.getByRole('button', { name: 'Add action item' }).click();
  await ada.getByRole('list', { name: 'Action items recorded' }).getByRole('listitem').waitFor();
  await ada.screenshot({ path: `${OUT}/retro-discuss.png`, fullPage: true });

  // The community's charter: a goal and a norm written together, proposed as v2, endorsed.
  const charterUrl = `/charter/${new URL(ada.url()).pathname.split('/')[2]!.split('.')[0]}`;
  await ada.goto(charterUrl);
  await grace.goto(charterUrl);
  const appendTo = async (page: Page, title: string, text: string): Promise<void> => {
    await page.getByRole('textbox', { name: `Charter section: ${title}` }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(text);
  };
  await appendTo(ada, 'Purpose and goals', 'Halve flaky test reruns by June.');
  await appendTo(grace, 'Values and norms', 'Blameless reviews: we discuss systems, not people.');
  await ada.getByRole('status').first().filter({ hasText: 'Saved' }).waitFor();
  const proposal = ada.getByRole('form', { name: 'Propose a version' });
  await proposal.getByLabel('What this version changes').fill('A measurable goal and our first norm');
  await proposal.getByRole('button', { name: 'Propose version' }).click();
  const ballot = grace.getByRole('region', { name: 'Endorsement of version 2' }).getByRole('form', { name: 'Your ballot' });
  await ballot.getByRole('radio', { name: 'Object (say why)' }).check();
  await ballot.getByLabel('Reason').fill('June is soon; can we say Q3?');
  await ballot.getByRole('button', { name: 'Cast my ballot' }).click();
  await ada.getByRole('list', { name: 'Objections and blocks' }).waitFor();
  const compare = ada.getByRole('region', { name: 'Compare versions' });
  await compare.getByLabel('From').selectOption('1');
  await compare.getByLabel('To').selectOption('2');
  await ada.evaluate(() => window.scrollTo(0, 0));
  await ada.screenshot({ path: `${OUT}/charter.png` });
  await ada.getByRole('region', { name: 'Compare versions' }).screenshot({ path: `${OUT}/charter-diff.png` });

  // The community board: cards in lanes, one opened with its comment thread; then the library.
  const communityId = charterUrl.split('/')[2]!;
  await ada.goto(`/board/${communityId}`);
  await grace.goto(`/board/${communityId}`);
  const addCard = async (page: Page, lane: string, title: string, body: string, tags: string): Promise<void> => {
    await page.getByRole('button', { name: `Add a card to ${lane}` }).click();
    const form = page.getByRole('form', { name: `Add card in ${lane}` });
    await form.getByLabel('Title').fill(title);
    await form.getByRole('textbox', { name: 'Card text' }).click();
    await page.keyboard.type(body);
    await form.getByLabel('Tags').fill(tags);
    await form.getByRole('button', { name: 'Add card' }).click();
    await page.getByRole('button', { name: `Card: ${title}` }).waitFor();
  };
  await addCard(ada, 'Best practices', 'Quarantine flaky tests within a day', 'A red build from a flaky test costs the whole team; move it out of the main suite and give it an owner.', 'flaky, ci');
  await addCard(grace, 'Best practices', 'Pair on the first failing test', 'Two people find the cause faster than one, and both learn the code.', 'pairing');
  await addCard(grace, 'Questions', 'How do you review test plans?', 'We only look at them after the sprint started.', 'review');
  await addCard(ada, 'Case studies', 'Payments: from 40 % red builds to 5 %', 'Three months of quarantine, ownership and weekly flake reviews.', 'flaky, payments');
  await addCard(grace, 'Lessons learned', 'Flaky tests hide real bugs', 'Two of our flakes were **race conditions** in the product.', 'flaky');
  await grace.getByRole('button', { name: 'Card: How do you review test plans?' }).click();
  const panel = grace.getByRole('dialog', { name: 'Card: How do you review test plans?' });
  await panel.getByRole('textbox', { name: 'New comment' }).click();
  await grace.keyboard.type('Asking @Ad');
  await grace.getByRole('option', { name: '@Ada Lovelace' }).click();
  await grace.keyboard.type('who ran the last review.');
  await panel.getByRole('button', { name: 'Comment' }).click();
  await ada.getByRole('button', { name: 'Card: How do you review test plans?' }).click();
  await ada.getByRole('dialog', { name: 'Card: How do you review test plans?' }).getByRole('listitem', { name: 'Comment by Grace Hopper' }).waitFor();
  await ada.setViewportSize({ width: 1700, height: 900 });
  await ada.screenshot({ path: `${OUT}/board.png` });
  await ada.setViewportSize(viewport);
  await ada.getByRole('button', { name: 'Close card' }).click();
  await ada.getByRole('button', { name: 'Card: Flaky tests hide real bugs' }).click();
  await ada.getByRole('dialog', { name: 'Card: Flaky tests hide real bugs' }).getByRole('button', { name: 'Promote to library' }).click();
  const entry = ada.getByRole('article', { name: 'Library entry: Flaky tests hide real bugs' });
  await entry.getByRole('button', { name: 'Mark verified' }).click();
  await entry.getByText('Status: verified').waitFor();
  await ada.screenshot({ path: `${OUT}/library-entry.png` });
  // The health view of that community, with a value story about the entry.
  await ada.goto(`/health/${communityId}`);
  const story = ada.getByRole('form', { name: 'Tell a value story' });
  await story.getByLabel('What happened').fill('Payments adopted the quarantine lane after our March call.');
  await story.getByLabel('What changed in practice').fill('Flaky tests leave the main suite within a day.');
  await story.getByLabel('What value it created').fill('Red builds fell from 40 % to 5 % in a quarter.');
  await story.getByLabel('Practices it is about').selectOption({ label: 'Flaky tests hide real bugs' });
  await story.getByRole('button', { name: 'Add the story' }).click();
  await ada.getByRole('list', { name: 'Value stories' }).waitFor();
  await ada.screenshot({ path: `${OUT}/health.png`, fullPage: true });
  process.stdout.write(`screenshots written to ${OUT}/\n`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
