import {
  createMeeting, docNameOf, expect, expectNotes, status, storedUpdateCount, test, typeAtEnd, waitForOfflineShell,
} from './fixtures.ts';

test('[E1] two members co-edit meeting notes and see each other\'s text, caret name and presence', async ({ join }) => {
  const ada = await join('Ada Lovelace', 0);
  const grace = await join('Grace Hopper', 3);

  await createMeeting(ada.page, 'Community call, November');

  await grace.page.getByRole('link', { name: /Community call, November/ }).click();
  await expect(grace.page.getByLabel('Meeting title')).toHaveValue('Community call, November');

  await typeAtEnd(ada.page, 'Ada: pairing rotations start next week.');
  await expectNotes(grace.page, 'Ada: pairing rotations start next week.');
  await typeAtEnd(grace.page, ' Grace: I will draft the guide.');
  await expectNotes(ada.page, 'Grace: I will draft the guide.');

  // The other member's caret carries their name; presence lists both.
  await expect(ada.page.locator('.collaboration-carets__label', { hasText: 'Grace Hopper' })).toBeVisible();
  await expect(grace.page.locator('.collaboration-carets__label', { hasText: 'Ada Lovelace' })).toBeVisible();
  const people = ada.page.getByRole('list', { name: 'People in this document' });
  await expect(people.getByRole('listitem', { name: 'Grace Hopper' })).toBeVisible();
  await expect(people.getByRole('listitem', { name: 'Ada Lovelace (you)' })).toBeVisible();
  await expect(status(ada.page)).toHaveText('Saved');
  await expect(status(grace.page)).toHaveText('Saved');
});

test('[E2] a member edits offline, reloads while offline, and converges when back online', async ({ join }) => {
  const ada = await join('Ada Lovelace', 0);
  const grace = await join('Grace Hopper', 3);
  await createMeeting(ada.page, 'Offline retro prep');
  await grace.page.getByRole('link', { name: /Offline retro prep/ }).click();
  await expectNotes(grace.page, 'Parking lot');
  await waitForOfflineShell(grace.page);

  await grace.context.setOffline(true);
  await expect(status(grace.page)).toHaveText('Offline');
  await typeAtEnd(grace.page, 'Written on the train.');
  await expect(status(grace.page)).toHaveText(/Offline · \d+ changes? kept on this device/);

  // Reload with the network still off: the shell comes from the service worker, the text from IndexedDB.
  await grace.page.reload();
  await expectNotes(grace.page, 'Written on the train.');
  await expect(status(grace.page)).toHaveText(/Offline · \d+ changes? kept on this device/);

  await typeAtEnd(ada.page, 'Meanwhile, in the office.');
  await expectNotes(grace.page, 'Meanwhile, in the office.', { absent: true });

  await grace.context.setOffline(false);
  await expectNotes(grace.page, 'Meanwhile, in the office.');
  await expectNotes(ada.page, 'Written on the train.');
  await expect(status(grace.page)).toHaveText('Saved');
  await expect(status(ada.page)).toHaveText('Saved');
});

test('[E3] the server restarts mid-session and nothing typed is lost', async ({ join, server, browser }) => {
  const ada = await join('Ada Lovelace', 0);
  const grace = await join('Grace Hopper', 3);
  await createMeeting(ada.page, 'Restart drill');
  await grace.page.getByRole('link', { name: /Restart drill/ }).click();
  await typeAtEnd(ada.page, 'Before the restart.');
  await expectNotes(grace.page, 'Before the restart.');
  await expect(status(ada.page)).toHaveText('Saved');

  await server.stop('SIGKILL');
  await expect(status(ada.page)).toHaveText(/Connecting/);
  await typeAtEnd(ada.page, ' While the server was down.');
  await typeAtEnd(grace.page, ' Grace too.');
  await expect(status(ada.page)).toHaveText(/Connecting · \d+ changes? not yet saved/);
  await server.start();

  await expectNotes(grace.page, 'While the server was down.');
  await expectNotes(ada.page, 'Grace too.');
  await expect(status(ada.page)).toHaveText('Saved');
  await expect(status(grace.page)).toHaveText('Saved');
  // A newcomer with no local copy gets everything from the relay's storage.
  const fresh = await browser.newContext({ baseURL: server.url });
  const page = await fresh.newPage();
  await page.goto('/');
  await page.getByLabel('Display name').fill('Newcomer');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: /Restart drill/ }).click();
  // Both typed at the end concurrently, so only each piece (not their order) is determined.
  for (const piece of ['Before the restart.', 'While the server was down.', 'Grace too.']) {
    await expectNotes(page, piece);
  }
  await fresh.close();
});

test('[E4] the badge shows Saved only once the relay acknowledged the change', async ({ join, server }) => {
  const ada = await join('Ada Lovelace', 0);
  await createMeeting(ada.page, 'Ack check');

  // Freeze the relay: the socket stays open, but nothing can be committed or acknowledged.
  server.process.child.kill('SIGSTOP');
  try {
    const docName = docNameOf(ada.page);
    const storedBefore = await storedUpdateCount(ada.page, docName);
    await typeAtEnd(ada.page, 'Is this durable yet?');
    // The change is on this device (IndexedDB) and the socket is open, yet it is not saved:
    // only the relay's ack may turn the badge to Saved.
    await expect.poll(() => storedUpdateCount(ada.page, docName)).toBeGreaterThan(storedBefore);
    await expect(status(ada.page)).toHaveText(/Saving \d+ changes?…/);
  } finally {
    server.process.child.kill('SIGCONT');
  }
  await expect(status(ada.page)).toHaveText('Saved');
});

test('[E5] a member whose connection drops and returns is shown as present again at once', async ({ join }) => {
  const ada = await join('Ada Lovelace', 0);
  const grace = await join('Grace Hopper', 3);
  await createMeeting(ada.page, 'Presence check');
  await grace.page.getByRole('link', { name: /Presence check/ }).click();
  const adaSees = ada.page.getByRole('list', { name: 'People in this document' });
  await expect(adaSees.getByRole('listitem', { name: 'Grace Hopper' })).toBeVisible();

  // Going offline, Grace's client withdraws her presence; the browser holds that frame and
  // delivers it when the network returns, so the relay removes her state just before her new
  // connection announces it again. Re-announcing at the old awareness clock would be ignored
  // until her next renewal (up to ~18 s later); she must reappear within 5 s.
  await grace.context.setOffline(true);
  await expect(status(grace.page)).toHaveText('Offline');
  await grace.context.setOffline(false);
  await expect(status(grace.page)).toHaveText('Saved');
  await expect(adaSees.getByRole('listitem', { name: 'Grace Hopper' })).toBeVisible({ timeout: 5_000 });
});
