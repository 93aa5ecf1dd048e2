import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url));

/** A Guildhall process of its own for one test, restartable on the same port and data. */
export class TestServer {
  private current: ServerProcess | null = null;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'guildhall-e2e-'));
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get process(): ServerProcess {
    if (!this.current) throw new Error('server is not running');
    return this.current;
  }

  async start(): Promise<void> {
    this.current = await startServerProcess({ dataDir: this.dataDir, port: this.port, clientDir: CLIENT_DIR });
    this.port = this.current.port;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.current?.stop(signal);
    this.current = null;
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export interface Member {
  name: string;
  context: BrowserContext;
  page: Page;
}

/** Fixtures: `server` (fresh per test) and `join(name, colour)`: one browser context per member. */
export interface JoinOptions {
  /** This member's clock runs this far ahead of the machine's (a member whose laptop clock is off). */
  clockSkewMs?: number;
}

export const test = base.extend<{ server: TestServer; join: (name: string, colourIndex?: number, options?: JoinOptions) => Promise<Member> }>({
  server: async ({}, use) => { // eslint-disable-line no-empty-pattern
    const server = new TestServer();
    await server.start();
    await use(server);
    await server.dispose();
  },
  join: async ({ browser, server }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (name, colourIndex = 0, options = {}) => {
      const member = await joinAt(browser, server.url, name, colourIndex, options);
      contexts.push(member.context);
      return member;
    });
    for (const context of contexts) await context.close();
  },
});

/** A member in a browser context of their own at `baseURL`, past the name-and-colour step; the caller closes it. */
export async function joinAt(browser: Browser, baseURL: string, name: string, colourIndex = 0, { clockSkewMs }: JoinOptions = {}): Promise<Member> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1100, height: 800 } });
  if (clockSkewMs) {
    // Installed before the first page, so every Date.now() in it is off by the skew; time flows.
    await context.clock.install({ time: Date.now() + clockSkewMs });
    await context.clock.resume();
  }
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('radio').nth(colourIndex).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Meetings' })).toBeVisible();
  return { name, context, page };
}

export { expect };

export function notes(page: Page) {
  return page.getByRole('textbox', { name: 'Meeting notes' });
}

/**
 * The notes' text as the document holds it: other members' caret labels are rendered inside the
 * text (even mid-word), so rendered text is not the content (TOOLCHAIN pitfall 6).
 */
export function notesText(page: Page): Promise<string> {
  return notes(page).evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent ?? '';
  });
}

/** Waits until the notes contain (or, with `absent`, do not contain) `text`. */
export async function expectNotes(page: Page, text: string, { absent = false } = {}): Promise<void> {
  const poll = expect.poll(() => notesText(page), { timeout: 15_000 });
  await (absent ? poll.not.toContain(text) : poll.toContain(text));
}

export function status(page: Page) {
  return page.getByRole('status').first();
}

/** Types at the very end of the notes. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await notes(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** Waits until the service worker controls the page, so a reload works offline. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/** Creates meeting notes from the home page and waits until they are open, titled and saved. */
export async function createMeeting(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'New meeting' }).click();
  await expect(page).toHaveURL(/\/d\/home\.shared\./);
  const titleInput = page.getByLabel('Meeting title');
  await expect(titleInput).toHaveValue('Untitled meeting'); // the server's template arrived
  await titleInput.fill(title);
  await expectNotes(page, 'Parking lot');
  await expect(status(page)).toHaveText('Saved');
}

/** How many updates y-indexeddb has stored for a document in this page's origin. */
export async function storedUpdateCount(page: Page, docName: string): Promise<number> {
  return page.evaluate((name) => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction('updates').objectStore('updates').count();
      count.onsuccess = () => { resolve(count.result); db.close(); };
      count.onerror = () => reject(count.error);
    };
  }), docName);
}

export function docNameOf(page: Page): string {
  return decodeURIComponent(new URL(page.url()).pathname.replace(/^\/d\//, ''));
}

/** Every byte this page's origin keeps in IndexedDB (y-indexeddb stores updates as bytes), as text. */
export function indexedDbText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const chunks: string[] = [];
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const value of values) chunks.push(value instanceof Uint8Array ? new TextDecoder().decode(value) : JSON.stringify(value));
      }
      db.close();
    }
    return chunks.join('\n');
  });
}

/** Every websocket frame the page receives from now on. */
export function recordFrames(page: Page): Buffer[] {
  const frames: Buffer[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(Buffer.from(payload))));
  return frames;
}
