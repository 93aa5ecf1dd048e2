import type { Page } from '@playwright/test';
import { expect, expectNotes, status } from './fixtures.ts';

/** Community steps in the browser, on top of the `join` fixture (which sets the local identity). */

/** From the home page: creates a community and waits for its page; answers its id. */
export async function createCommunity(page: Page, { name, domain }: { name: string; domain: string }): Promise<string> {
  await page.getByRole('button', { name: 'Create a community' }).click();
  await page.getByLabel('Community name').fill(name);
  await page.getByLabel('Domain').fill(domain);
  await page.getByRole('button', { name: 'Create community' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/\/c\/[a-z0-9]+$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** With the invite dialog open: makes a link for `role` and answers it, as shown in the dialog. */
export async function createInviteLink(page: Page, role: string, { multiUse = false } = {}): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'Invite people' });
  const linkField = dialog.getByLabel('Invite link');
  const previous = await linkField.count() > 0 ? await linkField.inputValue() : null;
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByRole('radio', { name: multiUse ? /Multi-use/ : /Single use/ }).check();
  await dialog.getByRole('button', { name: 'Create invite link' }).click();
  await expect(linkField).toHaveValue(/\/join\/[a-z0-9]+$/);
  if (previous !== null) await expect(linkField).not.toHaveValue(previous);
  return linkField.inputValue();
}

/** Opens an invite link, checks what it offers, and joins with the prefilled name and colour. */
export async function joinThroughLink(page: Page, link: string, expected: { community: string; domain: string; role: string; name: string }): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: expected.community })).toBeVisible();
  await expect(page.getByText(expected.domain)).toBeVisible();
  await expect(page.getByText(`You would join as ${expected.role}`)).toBeVisible();
  await expect(page.getByLabel('Your display name')).toHaveValue(expected.name);
  await page.getByRole('button', { name: `Join ${expected.community}` }).click();
  await expect(page).toHaveURL(/\/c\/[a-z0-9]+$/);
  await expect(page.getByRole('heading', { level: 1, name: expected.community })).toBeVisible();
}

/** Opens meeting notes from the community page and waits until they are synced. */
export async function openNotes(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByLabel('Meeting title')).toHaveValue(title);
  await expectNotes(page, 'Parking lot');
  await expect(status(page)).toHaveText(/Saved|Up to date/);
}
