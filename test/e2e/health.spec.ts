import { readFileSync } from 'node:fs';
import { expect, status, test } from './fixtures.ts';
import { createMeetingWithAgenda, guildWithMembers, openItem, recordedDecisions, typeNotesLine } from './meetingFixtures.ts';

test('[E27] the health view renders from a seeded community: figures, charts, a value story linked to a practice, the analysts\' export; "since you last visited" lists what is new', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  // Mia has been here before: her next visit lists what is new since.
  await mia!.page.goto(`/c/${communityId}`);
  await expect(mia!.page.getByRole('heading', { level: 1, name: 'Testing guild' })).toBeVisible();

  await createMeetingWithAgenda(fay.page, 'Guild sync', [['Flaky tests', 10]]);
  await openItem(fay.page, 'Flaky tests');
  await typeNotesLine(fay.page, '/decision Every flaky test gets an owner');
  await typeNotesLine(fay.page, '/action Write the quarantine guide @Mia Member');
  await expect(recordedDecisions(fay.page)).toHaveCount(1);
  await fay.page.getByRole('button', { name: 'Start meeting' }).click();
  await fay.page.getByRole('button', { name: 'End meeting' }).click();
  await expect(status(fay.page)).toHaveText('Saved');

  await fay.page.goto(`/board/${communityId}`);
  await fay.page.getByRole('button', { name: 'Add a card to Best practices' }).click();
  const form = fay.page.getByRole('form', { name: 'Add card in Best practices' });
  await form.getByLabel('Title').fill('Quarantine within a day');
  await form.getByRole('button', { name: 'Add card' }).click();
  await fay.page.getByRole('button', { name: 'Card: Quarantine within a day' }).click();
  await fay.page.getByRole('button', { name: 'Promote to library' }).click();
  await expect(fay.page.getByRole('article', { name: 'Library entry: Quarantine within a day' })).toBeVisible();
  await expect(status(fay.page)).toHaveText('Saved');

  await fay.page.goto(`/health/${communityId}`);
  await expect(fay.page.getByRole('heading', { level: 1, name: 'Community health' })).toBeVisible();
  const figures = fay.page.getByLabel('Figures');
  for (const text of ['Open action items1', 'Done action items0', 'Decisions1', 'Board1 card, 0 comments', 'Library1 entry, 0 verified', 'Charterno ratified version yet']) {
    await expect(figures).toContainText(text);
  }
  await expect(fay.page.getByRole('region', { name: 'Participation per week' }).locator('svg .recharts-bar-rectangle')).not.toHaveCount(0);
  await expect(fay.page.getByRole('region', { name: 'Board and library growth' }).locator('svg .recharts-line')).toHaveCount(2);

  const story = fay.page.getByRole('form', { name: 'Tell a value story' });
  await story.getByLabel('What happened').fill('Payments adopted the quarantine lane after our March call.');
  await story.getByLabel('What changed in practice').fill('Flaky tests leave the main suite within a day.');
  await story.getByLabel('What value it created').fill('Red builds fell from 40 % to 5 %.');
  await story.getByLabel('Practices it is about').selectOption({ label: 'Quarantine within a day' });
  await story.getByRole('button', { name: 'Add the story' }).click();
  const stories = fay.page.getByRole('list', { name: 'Value stories' });
  await expect(stories).toContainText('Red builds fell from 40 % to 5 %.');
  await expect(stories.getByRole('link', { name: 'Quarantine within a day' })).toBeVisible();

  const [download] = await Promise.all([fay.page.waitForEvent('download'), fay.page.getByRole('button', { name: 'Export the weekly figures (CSV)' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toBe('week,contributors,meetings,attendance,actionsOpened,actionsDone,cardsAdded,entriesAdded,cardsTotal,entriesTotal');
  expect(csv).toHaveLength(13);
  expect(csv.at(-1)).toMatch(/^\d{4}-\d\d-\d\d,\d+,1,\d+(\.\d)?,1,0,1,1,1,1$/);
  expect(csv.join('\n')).not.toContain('Fay'); // aggregates only

  // Mia comes back: what happened meanwhile is listed (after her device has synced it).
  for (const path of [`/board/${communityId}`, `/library/${communityId}`, `/decisions/${communityId}`]) {
    await mia!.page.goto(path);
    await expect(status(mia!.page)).toHaveText('Saved');
  }
  await mia!.page.goto(`/c/${communityId}`);
  const news = mia!.page.getByRole('list', { name: 'New since your last visit' });
  await expect(news).toContainText('Quarantine within a day');
  await expect(news).toContainText('Guild sync');
  await expect(news).toContainText('Every flaky test gets an owner');
});
