import type { Page } from '@playwright/test';
import { createCommunity, createInviteLink, joinThroughLink } from './communityFixtures.ts';
import { expect, status, type JoinOptions, type Member } from './fixtures.ts';

/** Meeting steps in the browser, on top of the community fixtures. */

export const GUILD = { community: 'Testing guild', domain: 'Software testing' };

type Join = (name: string, colourIndex?: number, options?: JoinOptions) => Promise<Member>;

export interface Guild {
  communityId: string;
  facilitator: Member;
  members: Member[];
}

/**
 * An owner (who facilitates) creates the guild and invites `memberNames` as members through one
 * multi-use link. Options per member name (e.g. a skewed clock) go to `join`.
 */
export async function guildWithMembers(join: Join, memberNames: string[], options: Record<string, JoinOptions> = {}): Promise<Guild> {
  const facilitator = await join('Fay Facilitator', 0, options['Fay Facilitator']);
  const members: Member[] = [];
  for (const [i, name] of memberNames.entries()) members.push(await join(name, 3 + i, options[name]));
  const communityId = await createCommunity(facilitator.page, { name: GUILD.community, domain: GUILD.domain });
  await facilitator.page.getByRole('button', { name: 'Invite people' }).click();
  const link = await createInviteLink(facilitator.page, 'member', { multiUse: true });
  await facilitator.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  for (const member of members) await joinThroughLink(member.page, link, { ...GUILD, role: 'member', name: member.name });
  return { communityId, facilitator, members };
}

/** From the community page: a new meeting with a title and agenda items (title, minutes). */
export async function createMeetingWithAgenda(page: Page, title: string, agenda: Array<[string, number]>): Promise<string> {
  await page.getByRole('button', { name: 'New meeting' }).click();
  await expect(page).toHaveURL(/\/d\/[a-z0-9]+\.shared\./);
  await expect(page.getByLabel('Meeting title')).toHaveValue('Untitled meeting');
  await page.getByLabel('Meeting title').fill(title);
  for (const [item, minutes] of agenda) await addAgendaItem(page, item, minutes);
  await expect(agendaItems(page)).toHaveCount(agenda.length);
  await expect(status(page)).toHaveText('Saved');
  return page.url();
}

export async function addAgendaItem(page: Page, title: string, minutes: number): Promise<void> {
  const form = page.getByRole('form', { name: 'Add an agenda item' });
  await form.getByLabel('Agenda item').fill(title);
  await form.getByLabel('Timebox (min)').fill(String(minutes));
  await form.getByRole('button', { name: 'Add to agenda' }).click();
  await expect(agendaItems(page).filter({ hasText: title })).toHaveCount(1);
}

export function agendaItems(page: Page) {
  return page.getByRole('list', { name: 'Agenda items' }).getByRole('listitem');
}

/** Opens a meeting by its link and waits until it is synced. */
export async function openMeeting(page: Page, url: string, title: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByLabel('Meeting title')).toHaveValue(title);
  await expect(status(page)).toHaveText('Saved');
}

/** Shows an agenda item's notes, as a member clicking it in the agenda. */
export async function openItem(page: Page, title: string): Promise<void> {
  await page.getByRole('list', { name: 'Agenda items' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
}

/** The agenda item whose notes the member is looking at. */
export function shownItem(page: Page) {
  return page.getByLabel('Agenda item title');
}

/** The shared timer's remaining milliseconds, as this page computes them now. */
export async function timerRemainingMs(page: Page): Promise<number> {
  return Number(await page.getByRole('timer').getAttribute('data-remaining-ms'));
}

/** Fills and submits the action-item form of the item shown. */
export async function addActionItem(page: Page, text: string, owner?: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add an action item' });
  await form.getByLabel('Action item').fill(text);
  if (owner) await form.getByLabel('Owner').selectOption({ label: owner });
  await form.getByRole('button', { name: 'Add action item' }).click();
}

export function recordedActions(page: Page) {
  return page.getByRole('list', { name: 'Action items recorded' }).getByRole('listitem');
}

export function recordedDecisions(page: Page) {
  return page.getByRole('list', { name: 'Decisions recorded' }).getByRole('listitem');
}

/** Types a line into the shown notes (at their end) and presses Enter: "/action …" and "/decision …" become entries. */
export async function typeNotesLine(page: Page, line: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: /^Notes on |^Meeting notes$/ });
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}
