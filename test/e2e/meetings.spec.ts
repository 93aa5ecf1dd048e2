import { readFileSync } from 'node:fs';
import { expect, status, test, waitForOfflineShell } from './fixtures.ts';
import {
  addActionItem, agendaItems, openItem, createMeetingWithAgenda, guildWithMembers, openMeeting, recordedActions, recordedDecisions,
  shownItem, timerRemainingMs, typeNotesLine,
} from './meetingFixtures.ts';

const AGENDA: Array<[string, number]> = [['Check-in', 5], ['Flaky tests', 15], ['Pairing rotation', 10]];
const SKEW_MS = 7 * 60_000;

test('[E8] a facilitator runs a meeting through its agenda: one timer for all (±1 s, also with a wrong clock and after a reload), follow mode, co-edited notes', async ({ join }) => {
  // Max's laptop clock is 7 minutes fast: the timer is anchored on the relay's clock, not his.
  const { facilitator: fay, members: [mia, max] } = await guildWithMembers(join, ['Mia Member', 'Max Member'], { 'Max Member': { clockSkewMs: SKEW_MS } });
  const url = await createMeetingWithAgenda(fay.page, 'Guild call', AGENDA);
  await openMeeting(mia!.page, url, 'Guild call');
  await openMeeting(max!.page, url, 'Guild call');
  await expect(agendaItems(mia!.page)).toHaveText([/Check-in/, /Flaky tests/, /Pairing rotation/]);
  // Members may not run the meeting: no facilitator controls.
  await expect(mia!.page.getByRole('group', { name: 'Facilitator controls' })).toHaveCount(0);

  await fay.page.getByRole('button', { name: 'Start meeting' }).click();
  for (const member of [mia!, max!]) await expect(shownItem(member.page)).toHaveValue('Check-in');
  await expect(fay.page.getByRole('timer', { name: 'Time left on Check-in' })).toContainText(/0[45]:\d\d/);

  // Every sample must agree, the first one included: a member whose offset was not measured yet
  // would show a figure off by his clock's error (7 minutes here) until it was.
  const expectSameTimer = async (): Promise<void> => {
    const pages = [fay.page, mia!.page, max!.page];
    for (const page of pages) await expect(page.getByRole('timer')).toContainText(/\d\d:\d\d/);
    for (let sample = 0; sample < 3; sample++) {
      const figures = await Promise.all(pages.map(timerRemainingMs));
      const spread = Math.max(...figures) - Math.min(...figures);
      test.info().annotations.push({ type: 'timer spread ms', description: String(spread) });
      expect(spread, 'every member shows the same remaining time within 1 s').toBeLessThanOrEqual(1_000);
    }
  };
  await expectSameTimer();

  // The facilitator moves on: both members follow.
  await fay.page.getByRole('button', { name: 'Next item' }).click();
  for (const member of [mia!, max!]) await expect(shownItem(member.page)).toHaveValue('Flaky tests');
  await expect(agendaItems(mia!.page).filter({ hasText: 'Check-in' })).toContainText('done');
  await expectSameTimer();

  // Notes on the current item are co-edited.
  await typeNotesLine(mia!.page, 'Mia: the quarantine lane halved our reruns.');
  await typeNotesLine(max!.page, 'Max: we saw the same.');
  for (const page of [fay.page, mia!.page, max!.page]) {
    const editor = page.getByRole('textbox', { name: 'Notes on Flaky tests' });
    await expect(editor).toContainText('Mia: the quarantine lane halved our reruns.');
    await expect(editor).toContainText('Max: we saw the same.');
  }

  // Mia looks back at the check-in: she stops following until she asks to follow again.
  await openItem(mia!.page, 'Check-in');
  await expect(shownItem(mia!.page)).toHaveValue('Check-in');
  await fay.page.getByRole('button', { name: 'Next item' }).click();
  await expect(shownItem(max!.page)).toHaveValue('Pairing rotation');
  await expect(shownItem(mia!.page)).toHaveValue('Check-in');
  await mia!.page.getByRole('button', { name: 'Follow the facilitator' }).click();
  await expect(shownItem(mia!.page)).toHaveValue('Pairing rotation');

  // After a reload (and so a new connection) Max still shows the same time as everyone.
  await max!.page.reload();
  await expect(shownItem(max!.page)).toHaveValue('Pairing rotation');
  await expectSameTimer();

  await fay.page.getByRole('button', { name: 'End meeting' }).click();
  for (const page of [mia!.page, max!.page]) await expect(page.getByRole('region', { name: 'Meeting', exact: true })).toContainText('Ended');
  await expect(agendaItems(max!.page)).toHaveText([/done/, /done/, /done/]);
  // Everyone who had the meeting open while it ran is an attendee.
  await expect(fay.page.getByRole('list', { name: 'Attendees' }).getByRole('listitem')).toHaveText([/Fay Facilitator/, /Max Member/, /Mia Member/]);
});

test('[E9] two members add action items at the same moment, and both survive', async ({ join }) => {
  const { facilitator: fay, members: [mia, max] } = await guildWithMembers(join, ['Mia Member', 'Max Member']);
  const url = await createMeetingWithAgenda(fay.page, 'Guild call', AGENDA);
  await openMeeting(mia!.page, url, 'Guild call');
  await openMeeting(max!.page, url, 'Guild call');
  for (const member of [mia!, max!]) await openItem(member.page, 'Flaky tests');

  const miaForm = mia!.page.getByRole('form', { name: 'Add an action item' });
  const maxForm = max!.page.getByRole('form', { name: 'Add an action item' });
  await miaForm.getByLabel('Action item').fill('Mia writes the quarantine guide');
  await maxForm.getByLabel('Action item').fill('Max measures rerun rates');
  await maxForm.getByLabel('Owner').selectOption({ label: 'Max Member' });
  await Promise.all([
    miaForm.getByRole('button', { name: 'Add action item' }).click(),
    maxForm.getByRole('button', { name: 'Add action item' }).click(),
  ]);
  for (const page of [mia!.page, max!.page]) {
    await expect(recordedActions(page)).toHaveCount(2);
    await expect(recordedActions(page).filter({ hasText: 'Mia writes the quarantine guide' })).toHaveCount(1);
    await expect(recordedActions(page).filter({ hasText: 'Max measures rerun rates' })).toHaveCount(1);
  }
  // The community's action tracker lists both, and Max's own under "Mine".
  await max!.page.getByRole('link', { name: '← All meetings' }).click();
  await max!.page.getByRole('link', { name: 'Action tracker' }).click();
  await expect(max!.page.getByRole('heading', { name: 'Action tracker' })).toBeVisible();
  await expect(max!.page.getByRole('list', { name: 'Action items' }).getByRole('listitem')).toHaveCount(2);
  await max!.page.getByRole('tab', { name: /Mine/ }).click();
  await expect(max!.page.getByRole('list', { name: 'Action items' }).getByRole('listitem')).toHaveText([/Max measures rerun rates/]);
});

test('[E10] a member offline adds an action item and a decision; everyone has them after reconnect, in the register and the minutes', async ({ join }) => {
  const { facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  const url = await createMeetingWithAgenda(fay.page, 'Guild call', AGENDA);
  await openMeeting(mia!.page, url, 'Guild call');
  await waitForOfflineShell(mia!.page);
  await openItem(mia!.page, 'Flaky tests');
  await openItem(fay.page, 'Flaky tests');

  await mia!.context.setOffline(true);
  await expect(status(mia!.page)).toHaveText('Offline');
  await typeNotesLine(mia!.page, '/action Write up the quarantine lane @Fay Facilitator due 2026-12-24');
  await typeNotesLine(mia!.page, '/decision Every team gets a quarantine lane');
  // What is typed after a recorded line is a line of its own, not glued to the one before.
  await mia!.page.keyboard.type('Back to the notes.');
  await expect(mia!.page.getByRole('textbox', { name: 'Notes on Flaky tests' }).locator('p').filter({ hasText: /^Back to the notes\.$/ })).toHaveCount(1);
  await expect(recordedActions(mia!.page)).toHaveText([/Write up the quarantine lane/]);
  await expect(recordedActions(mia!.page).getByLabel('Owner').locator('option:checked')).toHaveText('Fay Facilitator');
  await expect(recordedDecisions(mia!.page)).toHaveText([/Every team gets a quarantine lane/]);
  await expect(status(mia!.page)).toHaveText(/Offline · \d+ changes? kept on this device/);
  await expect(fay.page.getByText('None recorded.')).toBeVisible();

  await mia!.context.setOffline(false);
  await expect(recordedActions(fay.page)).toHaveText([/Write up the quarantine lane/]);
  await expect(recordedDecisions(fay.page)).toHaveText([/Every team gets a quarantine lane/]);
  await expect(recordedActions(fay.page).getByLabel('Owner').locator('option:checked')).toHaveText('Fay Facilitator');
  await expect(recordedActions(fay.page).getByLabel('Due')).toHaveValue('2026-12-24');
  await expect(status(mia!.page)).toHaveText('Saved');

  // The decision register finds it by a word in it.
  await fay.page.getByRole('link', { name: '← All meetings' }).click();
  await fay.page.getByRole('link', { name: 'Decision register' }).click();
  await fay.page.getByLabel('Search').fill('quarantine');
  await expect(fay.page.getByRole('list', { name: 'Decisions' }).getByRole('listitem')).toHaveText([/Every team gets a quarantine lane.*Guild call.*Flaky tests/]);
  await fay.page.getByLabel('Search').fill('nothing like this');
  await expect(fay.page.getByText('No decision matches these filters.')).toBeVisible();

  // The minutes carry both, on the page and in the Markdown export.
  await fay.page.goto(url);
  await fay.page.getByRole('link', { name: 'Minutes' }).click();
  const minutes = fay.page.getByRole('article', { name: 'Minutes of Guild call' });
  await expect(minutes).toContainText('Every team gets a quarantine lane');
  await expect(minutes).toContainText('Write up the quarantine lane');
  const [download] = await Promise.all([
    fay.page.waitForEvent('download'),
    fay.page.getByRole('button', { name: 'Download Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/guild-call\.md$/);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toContain('# Guild call');
  expect(markdown).toContain('### Flaky tests');
  expect(markdown).toContain('- Every team gets a quarantine lane — decided by The group');
  expect(markdown).toContain('- [ ] Write up the quarantine lane (owner: Fay Facilitator, due 2026-12-24, open)');
});

test('[E11] the next meeting of a series, created by two members at once (one offline), carries exactly the undone items and open actions', async ({ join }) => {
  const { facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  const url = await createMeetingWithAgenda(fay.page, 'Guild call', AGENDA);
  await fay.page.getByLabel('Repeats').selectOption('weekly');
  await openMeeting(mia!.page, url, 'Guild call');
  await expect(mia!.page.getByLabel('Repeats')).toHaveValue('weekly');

  // Check-in and Flaky tests are discussed; Pairing rotation is not.
  await fay.page.getByRole('button', { name: 'Start meeting' }).click();
  await fay.page.getByRole('button', { name: 'Next item' }).click();
  await expect(shownItem(fay.page)).toHaveValue('Flaky tests');
  await addActionItem(fay.page, 'Keep measuring reruns');
  await addActionItem(fay.page, 'Already finished');
  await addActionItem(fay.page, 'No longer needed');
  await expect(recordedActions(fay.page)).toHaveCount(3);
  await recordedActions(fay.page).filter({ hasText: 'Already finished' }).getByLabel('Status').selectOption('done');
  await recordedActions(fay.page).filter({ hasText: 'No longer needed' }).getByLabel('Status').selectOption('dropped');
  await fay.page.getByRole('button', { name: 'End meeting' }).click();
  await expect(agendaItems(mia!.page)).toHaveText([/done/, /done/, /upcoming/]);
  await expect(status(mia!.page)).toHaveText('Saved');
  await expect(status(fay.page)).toHaveText('Saved');
  await waitForOfflineShell(mia!.page);

  // Mia, offline, and Fay, online, both open the next meeting: each device creates it.
  await mia!.context.setOffline(true);
  await expect(status(mia!.page)).toHaveText('Offline');
  await mia!.page.getByRole('button', { name: 'Next meeting →' }).click();
  await fay.page.getByRole('button', { name: 'Next meeting →' }).click();
  for (const page of [mia!.page, fay.page]) {
    await expect(page).toHaveURL(/\/d\/[a-z0-9]+\.shared\.[a-z0-9]+-2$/);
    await expect(page.getByLabel('Meeting title')).toHaveValue('Guild call');
  }
  expect(mia!.page.url()).toBe(fay.page.url());
  await mia!.context.setOffline(false);
  await expect(status(mia!.page)).toHaveText('Saved');
  await expect(status(fay.page)).toHaveText('Saved');

  for (const page of [mia!.page, fay.page]) {
    await expect(agendaItems(page)).toHaveText([/Pairing rotation.*carried over/]);
    await expect(page.getByRole('list', { name: 'Carried-over action items' }).getByRole('listitem')).toHaveText([/Keep measuring reruns/]);
    // The pre-read shows the last meeting's minutes.
    await expect(page.getByRole('article', { name: 'Minutes of Guild call' })).toContainText('Flaky tests');
  }
  // The community lists the series' second meeting once.
  await fay.page.getByRole('link', { name: '← All meetings' }).click();
  await expect(fay.page.getByRole('list', { name: 'Documents' }).getByRole('link', { name: /Guild call · #2/ })).toHaveCount(1);
});

test('[E12] members reorder the agenda by drag and drop and from the keyboard; everyone sees one order', async ({ join }) => {
  const { facilitator: fay, members: [mia] } = await guildWithMembers(join, ['Mia Member']);
  const url = await createMeetingWithAgenda(fay.page, 'Guild call', AGENDA);
  await openMeeting(mia!.page, url, 'Guild call');

  // Fay drags "Pairing rotation" onto the top half of "Check-in": it becomes first.
  const items = agendaItems(fay.page);
  await items.filter({ hasText: 'Pairing rotation' }).dragTo(items.filter({ hasText: 'Check-in' }), { targetPosition: { x: 40, y: 5 } });
  for (const page of [fay.page, mia!.page]) await expect(agendaItems(page)).toHaveText([/Pairing rotation/, /Check-in/, /Flaky tests/]);

  // Mia moves "Flaky tests" up with Alt+↑ on the item, and then with its Move button.
  const flaky = mia!.page.getByRole('list', { name: 'Agenda items' }).getByRole('button', { name: /^Flaky tests/ });
  await flaky.focus();
  await mia!.page.keyboard.press('Alt+ArrowUp');
  for (const page of [fay.page, mia!.page]) await expect(agendaItems(page)).toHaveText([/Pairing rotation/, /Flaky tests/, /Check-in/]);
  await mia!.page.getByRole('button', { name: 'Move Flaky tests up' }).click();
  for (const page of [fay.page, mia!.page]) await expect(agendaItems(page)).toHaveText([/Flaky tests/, /Pairing rotation/, /Check-in/]);
  await expect(status(mia!.page)).toHaveText('Saved');
});
