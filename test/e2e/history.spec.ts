import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';
import { expect, status, test } from './fixtures.ts';
import { createMeetingWithAgenda, guildWithMembers, openItem, openMeeting, typeNotesLine } from './meetingFixtures.ts';

function itemNotes(page: Page, item: string) {
  return page.getByRole('textbox', { name: `Notes on ${item}` });
}

async function minutesOf(archive: Uint8Array): Promise<string> {
  const files = unzipSync(archive);
  return strFromU8(files[Object.keys(files).find((p) => p.startsWith('markdown/meetings/'))!]!);
}

test('[E26] a member restores an earlier version as a new change (both members see it); the community archive and a restore of the server into a fresh DATA_DIR hold the same content', async ({ join, server }) => {
  const { communityId, facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  const url = await createMeetingWithAgenda(fay.page, 'Guild sync', [['Flaky tests', 10]]);
  await openItem(fay.page, 'Flaky tests');
  await typeNotesLine(fay.page, 'We quarantine flaky tests within a day.');
  await expect(status(fay.page)).toHaveText('Saved');
  const history = fay.page.getByRole('region', { name: 'History' });
  await history.getByLabel('Version name').fill('Agreed wording');
  await history.getByRole('button', { name: 'Save version' }).click();
  await expect(history.getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(1);

  // Mia rewrites the notes; Fay compares the version with now, then restores it.
  await openMeeting(mia!.page, url, 'Guild sync');
  await openItem(mia!.page, 'Flaky tests');
  await typeNotesLine(mia!.page, 'Actually we delete them.');
  await expect(itemNotes(fay.page, 'Flaky tests')).toContainText('Actually we delete them.');
  const agreed = history.getByRole('listitem').filter({ hasText: 'Agreed wording' });
  await agreed.getByRole('button', { name: 'Compare with now' }).click();
  await expect(fay.page.getByRole('region', { name: /^Changes since the version of/ }).locator('ins')).toContainText('Actually we delete them.');
  fay.page.once('dialog', (dialog) => void dialog.accept());
  await agreed.getByRole('button', { name: 'Restore' }).click();
  for (const page of [fay.page, mia!.page]) {
    await expect(itemNotes(page, 'Flaky tests')).not.toContainText('Actually we delete them.');
    await expect(itemNotes(page, 'Flaky tests')).toContainText('We quarantine flaky tests within a day.');
  }
  // What the restore replaced is kept as a version too.
  await expect(history.getByRole('listitem').filter({ hasText: /^Before restoring/ })).toHaveCount(1);
  await history.getByRole('listitem').filter({ hasText: /^Before restoring/ }).getByRole('button', { name: 'View' }).click();
  await expect(fay.page.getByRole('region', { name: /^Version of/ })).toContainText('Actually we delete them.');

  // The community archive holds the restored notes.
  await fay.page.goto(`/c/${communityId}`);
  const [download] = await Promise.all([fay.page.waitForEvent('download'), fay.page.getByRole('button', { name: 'Download the community archive' }).click()]);
  const minutes = await minutesOf(new Uint8Array(readFileSync((await download.path())!)));
  expect(minutes).toContain('We quarantine flaky tests within a day.');
  expect(minutes).not.toContain('Actually we delete them.');

  // The operator backs the server up and restores it into a fresh DATA_DIR: the same archive comes out.
  const scratch = mkdtempSync(joinPath(tmpdir(), 'guildhall-e26-'));
  try {
    expect((await runCli(server.dataDir, ['backup', '--to', joinPath(scratch, 'backup')])).code).toBe(0);
    expect((await runCli(joinPath(scratch, 'fresh'), ['restore', '--from', joinPath(scratch, 'backup')])).code).toBe(0);
    const fresh = await startServerProcess({ dataDir: joinPath(scratch, 'fresh') });
    try {
      const token = await fay.page.evaluate((id) => (JSON.parse(localStorage.getItem('guildhall:communities') ?? '[]') as Array<{ communityId: string; token: string }>).find((c) => c.communityId === id)!.token, communityId);
      const response = await fetch(`${fresh.url}/api/communities/${communityId}/export`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(await minutesOf(new Uint8Array(await response.arrayBuffer()))).toBe(minutes);
    } finally {
      await fresh.stop('SIGTERM');
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
