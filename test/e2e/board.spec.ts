import type { Page } from '@playwright/test';
import { expect, indexedDbText, recordFrames, status, test, waitForOfflineShell, type Member } from './fixtures.ts';
import { createMeetingWithAgenda, guildWithMembers, openItem, recordedDecisions, typeNotesLine } from './meetingFixtures.ts';

async function openBoard(member: Member, communityId: string): Promise<void> {
  await member.page.goto(`/board/${communityId}`);
  await expect(member.page.getByRole('heading', { level: 1, name: 'Community board' })).toBeVisible();
  await expect(lane(member.page, 'Lessons learned')).toBeVisible();
  await expect(status(member.page)).toHaveText('Saved');
}

function lane(page: Page, name: string) {
  return page.getByRole('region', { name: `Lane: ${name}` });
}

function tile(page: Page, title: string) {
  return page.getByRole('button', { name: `Card: ${title}` });
}

function cardPanel(page: Page, title: string) {
  return page.getByRole('dialog', { name: `Card: ${title}` });
}

async function addCard(page: Page, laneName: string, title: string, body: string, tags = ''): Promise<void> {
  await page.getByRole('button', { name: `Add a card to ${laneName}` }).click();
  const form = page.getByRole('form', { name: `Add card in ${laneName}` });
  await form.getByLabel('Title').fill(title);
  await form.getByRole('textbox', { name: 'Card text' }).click();
  await page.keyboard.type(body);
  if (tags) await form.getByLabel('Tags').fill(tags);
  await form.getByRole('button', { name: 'Add card' }).click();
  await expect(lane(page, laneName).getByRole('button', { name: `Card: ${title}` })).toBeVisible();
}

/** The name of the lane that shows the card, read from the page. */
async function laneOf(page: Page, title: string): Promise<string> {
  return tile(page, title).evaluate((el) => el.closest('section')!.getAttribute('aria-label')!.replace('Lane: ', ''));
}

/** Drags a card with the mouse onto a lane, as a member would (dnd-kit's pointer sensor). */
async function dragToLane(page: Page, title: string, laneName: string): Promise<void> {
  const from = (await tile(page, title).boundingBox())!;
  const to = (await lane(page, laneName).getByRole('list').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + 20, { steps: 12 });
  await page.mouse.up();
}

test('[E20] two members move the same card to different lanes at once, one of them offline: one card, in the same lane, for both', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  await openBoard(fay, communityId);
  await openBoard(mia!, communityId);
  await addCard(fay.page, 'Best practices', 'Pair on flaky tests', 'Two people **find** the cause faster.', 'testing');
  await addCard(fay.page, 'Best practices', 'Quarantine, then fix', 'A flaky test leaves the main suite for a week at most.');
  await expect(tile(mia!.page, 'Pair on flaky tests')).toBeVisible();
  await waitForOfflineShell(mia!.page);

  // Mia, offline, moves it with the keyboard: Space picks it up, → moves it a lane over, Space drops it.
  await mia!.context.setOffline(true);
  await expect(status(mia!.page)).toHaveText(/Offline/);
  const announced = mia!.page.getByRole('status').filter({ hasText: /card/i });
  await tile(mia!.page, 'Pair on flaky tests').focus();
  await mia!.page.keyboard.press('Space');
  await expect(announced).toHaveText(/^(Picked up card Pair on flaky tests|Card Pair on flaky tests is over Pair on flaky tests)/);
  await mia!.page.keyboard.press('ArrowRight');
  await expect(announced).toHaveText('Card Pair on flaky tests is over lane Questions.');
  await mia!.page.keyboard.press('Space');
  await expect(announced).toHaveText('Card Pair on flaky tests was dropped on lane Questions.');
  await expect(lane(mia!.page, 'Questions').getByRole('button', { name: 'Card: Pair on flaky tests' })).toBeVisible();
  // Meanwhile Fay drags it with the mouse to Case studies.
  await dragToLane(fay.page, 'Pair on flaky tests', 'Case studies');
  await expect(lane(fay.page, 'Case studies').getByRole('button', { name: 'Card: Pair on flaky tests' })).toBeVisible();
  await expect(status(fay.page)).toHaveText('Saved');

  await mia!.context.setOffline(false);
  await expect(status(mia!.page)).toHaveText('Saved');
  await expect.poll(async () => [await laneOf(fay.page, 'Pair on flaky tests'), await laneOf(mia!.page, 'Pair on flaky tests')].join(' = '))
    .toMatch(/^(Questions|Case studies) = \1$/);
  for (const page of [fay.page, mia!.page]) {
    await expect(tile(page, 'Pair on flaky tests')).toHaveCount(1);
    await expect(tile(page, 'Quarantine, then fix')).toHaveCount(1);
  }
  // Within a lane the order is the same for both too.
  const winner = await laneOf(fay.page, 'Pair on flaky tests');
  await dragToLane(fay.page, 'Quarantine, then fix', winner);
  await expect(lane(mia!.page, winner).getByRole('button', { name: /^Card: / })).toHaveCount(2);
  const order = (page: Page) => lane(page, winner).getByRole('listitem').evaluateAll((items) => items.map((i) => i.textContent?.slice(0, 20)));
  await expect.poll(async () => JSON.stringify(await order(mia!.page))).toBe(JSON.stringify(await order(fay.page)));
});

test('[E21] a comment thread with a mention: the mentioned member sees it on the board, replies, and the reply sits under the comment', async ({ join }) => {
  const { communityId, members: [mia, max] } = await guildWithMembers(join, ['Mia Member', 'Max Member']);
  await openBoard(mia!, communityId);
  await openBoard(max!, communityId);
  await addCard(mia!.page, 'Questions', 'How do you review test plans?', 'We review them too late.');
  await tile(mia!.page, 'How do you review test plans?').click();
  const panel = cardPanel(mia!.page, 'How do you review test plans?');
  await panel.getByRole('textbox', { name: 'New comment' }).click();
  await mia!.page.keyboard.type('Asking @Ma');
  await mia!.page.getByRole('option', { name: '@Max Member' }).click();
  await mia!.page.keyboard.type('who ran the last review.');
  await panel.getByRole('button', { name: 'Comment' }).click();
  await expect(panel.getByRole('listitem', { name: 'Comment by Mia Member' })).toContainText('Asking @Max Member who ran the last review.');

  // Max sees that he is mentioned, from the board itself, and with the "Mentions me" filter.
  await expect(tile(max!.page, 'How do you review test plans?')).toContainText('@ you');
  await max!.page.getByRole('checkbox', { name: 'Mentions me' }).check();
  await expect(max!.page.getByRole('button', { name: /^Card: / })).toHaveCount(1);
  await tile(max!.page, 'How do you review test plans?').click();
  const maxPanel = cardPanel(max!.page, 'How do you review test plans?');
  const comment = maxPanel.getByRole('listitem', { name: 'Comment by Mia Member' });
  await expect(comment).toContainText('mentions you');
  await comment.getByRole('button', { name: 'Reply' }).click();
  await maxPanel.getByRole('textbox', { name: 'Reply to Mia Member' }).click();
  await max!.page.keyboard.type('At the kickoff, **before** the sprint.');
  await maxPanel.getByRole('button', { name: 'Post reply' }).click();

  const thread = panel.getByRole('listitem');
  await expect(thread).toHaveCount(2);
  await expect(thread.nth(1)).toHaveAccessibleName('Comment by Max Member');
  await expect(thread.nth(1).locator('strong', { hasText: 'before' })).toBeVisible(); // Markdown from the Lexical composer
  const indent = (await thread.nth(1).evaluate((el) => parseFloat(getComputedStyle(el).marginLeft))) - (await thread.nth(0).evaluate((el) => parseFloat(getComputedStyle(el).marginLeft)));
  expect(indent).toBeGreaterThan(0);
});

test('[E22] promote a card to the library: an entry with the card\'s text and a link back; a librarian verifies it, everyone sees the status', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  await openBoard(mia!, communityId);
  await addCard(mia!.page, 'Lessons learned', 'Flaky tests hide real bugs', 'Two of our flakes were **race conditions** in the product.', 'flaky, testing');
  await tile(mia!.page, 'Flaky tests hide real bugs').click();
  await cardPanel(mia!.page, 'Flaky tests hide real bugs').getByRole('button', { name: 'Promote to library' }).click();

  const entry = mia!.page.getByRole('article', { name: 'Library entry: Flaky tests hide real bugs' });
  await expect(entry).toBeVisible();
  await expect(entry.getByLabel('Type')).toHaveValue('lesson-learned');
  await expect(entry.getByRole('textbox', { name: 'Entry text: Flaky tests hide real bugs' })).toContainText('Two of our flakes were race conditions in the product.');
  await expect(entry.getByText('Status: draft')).toBeVisible();
  const url = mia!.page.url();

  // Fay, an owner, curates the library: she marks it verified; Mia sees it at once.
  await fay.page.goto(url);
  const fayEntry = fay.page.getByRole('article', { name: 'Library entry: Flaky tests hide real bugs' });
  await fayEntry.getByRole('button', { name: 'Mark verified' }).click();
  await expect(entry.getByText('Status: verified')).toBeVisible();
  await expect(entry.getByRole('button', { name: 'Mark verified' })).toHaveCount(0); // members do not curate

  // The back-link opens the card; the card links to its entry.
  await entry.getByRole('link', { name: 'Flaky tests hide real bugs' }).click();
  const panel = cardPanel(mia!.page, 'Flaky tests hide real bugs');
  await expect(panel).toBeVisible();
  await expect(panel.getByText('In the library:')).toContainText('Flaky tests hide real bugs (Lesson learned, verified)');
});

test('[E23] search finds text written offline, on this device, and opens the card at the match', async ({ join }) => {
  const { communityId, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  await openBoard(mia!, communityId);
  await waitForOfflineShell(mia!.page);
  await mia!.context.setOffline(true);
  await expect(status(mia!.page)).toHaveText(/Offline/);
  await addCard(mia!.page, 'Case studies', 'Retro on the train', 'The zeppelin team ran their retro while commuting.');

  await mia!.page.getByRole('link', { name: 'search' }).click();
  await mia!.page.getByRole('searchbox', { name: /Search/ }).fill('zeppel');
  const results = mia!.page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results).toContainText('The zeppelin team ran their retro while commuting.');
  await results.getByRole('link', { name: 'Retro on the train' }).click();
  await expect(cardPanel(mia!.page, 'Retro on the train')).toContainText('The zeppelin team');
  await expect.poll(() => mia!.page.evaluate(() => CSS.highlights.get('guildhall-find')?.size ?? 0)).toBeGreaterThan(0);
});

test('[E24] a moderator hides a card: members see "hidden by a moderator", a member who opens the board later receives none of it; a locked card takes no edits or comments', async ({ join }) => {
  const { communityId, facilitator: fay, members: [mia, max] } = await guildWithMembers(join, ['Mia Member', 'Max Member']);
  const secret = 'our client Initech pays late';
  await openBoard(fay, communityId);
  await openBoard(mia!, communityId);
  await addCard(mia!.page, 'Case studies', 'Invoicing story', `A case where ${secret}.`);
  await addCard(mia!.page, 'Best practices', 'Settled practice', 'Agreed at the March meeting.');

  await tile(fay.page, 'Invoicing story').click();
  await cardPanel(fay.page, 'Invoicing story').getByRole('button', { name: 'Hide card' }).click();
  await expect(tile(mia!.page, 'Hidden card')).toContainText('Hidden by a moderator');
  await expect(mia!.page.getByText(secret)).toHaveCount(0);
  // The moderator can still read it, from the server.
  await cardPanel(fay.page, 'Hidden card').getByRole('button', { name: 'Show hidden content' }).click();
  await expect(cardPanel(fay.page, 'Hidden card')).toContainText(secret);

  // Max opens the board only now: neither the wire nor his device ever holds the text.
  const frames = recordFrames(max!.page);
  await openBoard(max!, communityId);
  await expect(tile(max!.page, 'Hidden card')).toBeVisible();
  expect(Buffer.concat(frames).includes(Buffer.from(secret))).toBe(false);
  expect(await indexedDbText(max!.page)).not.toContain(secret);
  expect(await max!.page.content()).not.toContain(secret);

  // A locked card: Mia, its author, can no longer edit it or comment on it.
  await tile(fay.page, 'Settled practice').click();
  await cardPanel(fay.page, 'Settled practice').getByRole('button', { name: 'Lock card' }).click();
  await tile(mia!.page, 'Settled practice').click();
  const panel = cardPanel(mia!.page, 'Settled practice');
  await expect(panel).toContainText('Locked by Fay Facilitator: no new comments.');
  await expect(panel.getByRole('button', { name: 'Edit card' })).toHaveCount(0);
  await expect(panel.getByRole('textbox', { name: 'New comment' })).toHaveCount(0);
});

test('[E25] promote a meeting decision and an agenda item\'s notes: entries that link back to the register and the meeting', async ({ join }) => {
  const { facilitator: fay } = await guildWithMembers(join, []);
  const meetingUrl = await createMeetingWithAgenda(fay.page, 'Guild sync', [['Flaky tests', 10]]);
  await openItem(fay.page, 'Flaky tests');
  await typeNotesLine(fay.page, 'Quarantined tests get an owner within a day.');
  await typeNotesLine(fay.page, '/decision Every flaky test gets an owner');
  await expect(recordedDecisions(fay.page)).toHaveCount(1);

  await recordedDecisions(fay.page).getByRole('button', { name: 'Promote to library' }).click();
  const decisionEntry = fay.page.getByRole('article', { name: 'Library entry: Every flaky test gets an owner' });
  await expect(decisionEntry.getByRole('textbox', { name: /^Entry text/ })).toContainText(/Decided by The group on \d{4}-\d{2}-\d{2} \(Guild sync, Flaky tests\)/);
  await decisionEntry.getByRole('link', { name: 'Every flaky test gets an owner' }).click();
  await expect(fay.page.getByRole('heading', { name: 'Decision register' })).toBeVisible();
  await expect.poll(() => fay.page.evaluate(() => CSS.highlights.get('guildhall-find')?.size ?? 0)).toBeGreaterThan(0);

  await fay.page.goto(meetingUrl);
  await openItem(fay.page, 'Flaky tests');
  await fay.page.getByRole('button', { name: 'Promote these notes to the library' }).click();
  const notesEntry = fay.page.getByRole('article', { name: 'Library entry: Flaky tests' });
  await expect(notesEntry.getByRole('textbox', { name: /^Entry text/ })).toContainText('Quarantined tests get an owner within a day.');
  await expect(notesEntry).toContainText('Promoted from a meeting note: Guild sync: Flaky tests');
  await notesEntry.getByRole('link', { name: 'Guild sync: Flaky tests' }).click();
  await expect(fay.page.getByLabel('Meeting title')).toHaveValue('Guild sync');
});
