/**
 * `npm run screenshots`: regenerates the README's pictures from a real run — a fresh server and
 * two members in separate Chromium contexts co-editing one meeting note.
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

async function typeAfter(page: Page, anchor: string, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Meeting notes' }).getByText(anchor, { exact: true }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type(text);
}

await buildClient();
const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-shots-'));
const server = await startServerProcess({ dataDir, clientDir: 'dist/client' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const viewport = { width: 1100, height: 780 };
  const ada = await (await browser.newContext({ baseURL: server.url, viewport })).newPage();
  const grace = await (await browser.newContext({ baseURL: server.url, viewport })).newPage();
  await joinAs(ada, 'Ada Lovelace', 0);
  await joinAs(grace, 'Grace Hopper', 3);
  await ada.getByRole('button', { name: 'New meeting' }).click();
  await ada.getByLabel('Meeting title').fill('Testing guild — November call');
  await grace.getByRole('link', { name: /November call/ }).click();
  await typeAfter(ada, 'Agenda', 'Flaky tests: what we learned from the quarantine experiment');
  await typeAfter(grace, 'Notes', 'Quarantine cut red builds by 40 % in two weeks; keep the list visible on the board.');
  await typeAfter(ada, 'Decisions', 'Adopt the quarantine lane for all teams');
  await grace.getByRole('textbox', { name: 'Meeting notes' }).getByText('Action items', { exact: true }).click();
  await grace.keyboard.press('End');
  await grace.keyboard.press('ArrowDown');
  await grace.keyboard.type('Grace: write the how-to for the practice library');
  await ada.getByRole('status').first().filter({ hasText: 'Saved' }).waitFor();
  await ada.locator('.collaboration-carets__label', { hasText: 'Grace Hopper' }).waitFor();
  await ada.screenshot({ path: `${OUT}/two-members-co-editing.png` });
  await grace.goto('/');
  await grace.getByRole('link', { name: /November call/ }).waitFor();
  await grace.screenshot({ path: `${OUT}/community-home.png` });

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
  process.stdout.write(`screenshots written to ${OUT}/\n`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
