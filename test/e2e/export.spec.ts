import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';
import { createMeetingWithAgenda, guildWithMembers } from './meetingFixtures.ts';

test('[E18] a member downloads the community archive from the community page: minutes, charter and raw state inside', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  await createMeetingWithAgenda(fay.page, 'Guild call', [['Check-in', 5]]);
  await mia!.page.goto(`/c/${communityId}`);
  const [download] = await Promise.all([
    mia!.page.waitForEvent('download'),
    mia!.page.getByRole('button', { name: 'Download the community archive' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^guildhall-${communityId}-\\d{4}-\\d\\d-\\d\\d\\.zip$`));
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const minutes = Object.keys(files).find((p) => p.startsWith('markdown/meetings/'))!;
  expect(strFromU8(files[minutes]!)).toContain('# Guild call');
  expect(strFromU8(files[minutes]!)).toContain('1. Check-in (5 min) — not discussed');
  expect(Object.keys(files)).toContain('markdown/charter.md');
  expect(Object.keys(files).some((p) => p.startsWith('yjs/') && p.endsWith('.yjs'))).toBe(true);
});

test('[E19] a member imports a Markdown file as a new meeting and its notes hold the file\'s content', async ({ join }) => {
  const ada = await join('Ada Lovelace', 0);
  await ada.page.getByLabel('Import Markdown').setInputFiles({
    name: 'Guild kick-off.md', mimeType: 'text/markdown',
    buffer: Buffer.from('## Decisions\n\nWe adopt the **quarantine lane**.\n\n- pairing\n- reviews\n'),
  });
  await expect(ada.page).toHaveURL(/\/d\/home\.shared\./);
  await expect(ada.page.getByLabel('Meeting title')).toHaveValue('Guild kick-off');
  const notes = ada.page.getByRole('textbox', { name: 'Meeting notes' });
  await expect(notes.getByRole('heading', { name: 'Decisions' })).toBeVisible();
  await expect(notes.locator('strong')).toHaveText('quarantine lane');
  await expect(notes.getByRole('listitem')).toHaveText(['pairing', 'reviews']);
});
