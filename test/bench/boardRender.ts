/**
 * Client benchmark in Chromium: a community board of 2,000 cards (500 in each default lane,
 * Markdown bodies of varied length, a few tags each, ~10 % with comments) seeded through the
 * relay by a member's Node client, then opened in the app (client/features/board).
 *
 * - cold open: a fresh profile (IndexedDB empty, no service worker), so the board comes from the
 *   relay: navigation start → every lane shows its count and its first card, and a frame has been
 *   painted after it (performance.now() in the page, i.e. ms since navigation start);
 * - warm open: new tabs in the same profile (the board now in IndexedDB, which the app reads
 *   before it connects), same measure, several times;
 * - scroll: one lane's card list scrolled from top to bottom, ~300 px per animation frame,
 *   recording each frame's duration (rAF timestamp deltas), how many card tiles the DOM holds
 *   (virtualization keeps it to tens), and that the lane's last card is rendered at the end;
 * - memory: performance.memory.usedJSHeapSize after the cold open (Chromium's precise mode), also
 *   after a forced GC, and the page's DOM element count.
 *
 *   node --import tsx test/bench/boardRender.ts [--repetitions 5]    prints the result as JSON
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addCard, addComment, readBoard, readLanes } from '../../shared/board/model.ts';
import { boardDocNames, DEFAULT_LANES } from '../../shared/schema/board.ts';
import { SYNC_PATH } from '../../shared/routes.ts';
import { mulberry32 } from '../helpers/random.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { buildClientIfStale, CHROMIUM_ARGS, CLIENT_DIR, summarize, type Summary } from './browser.ts';
import { loadPaperTrace } from './trace.ts';

export const BOARD_CARDS = 2_000;
const CARDS_PER_LANE = BOARD_CARDS / DEFAULT_LANES.length;
/** Cards per seeding transaction (one update each): the relay takes 100 messages/s, 300 at once. */
const SEED_BATCH = 50;
const COMMENTED_SHARE = 0.1;
const SCROLL_STEP_PX = 300;
const LONG_FRAME_MS = 50;
const VIEWPORT = { width: 1400, height: 900 };
const IDENTITY = { name: 'Bench', color: '#2f6f4e' };
const OPEN_TIMEOUT_MS = 30_000;
const STORED_TIMEOUT_MS = 60_000;
const SCROLL_TIMEOUT_MS = 60_000;
const SEED = 20_240_601;
const TAGS = [
  'onboarding', 'testing', 'code-review', 'incidents', 'offline', 'sync', 'crdt', 'design', 'documentation', 'mentoring',
  'tooling', 'security', 'performance', 'accessibility', 'remote', 'hiring', 'retros', 'architecture', 'data', 'mobile',
] as const;
const SEED_LOG_EVERY = 500;

export interface BoardRenderOptions {
  /** Measured warm openings (default 5). */
  repetitions?: number;
  chromiumPath?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface BoardOpenSample {
  /** Navigation start → every lane shows its count and first card, and a frame painted after it. */
  openMs: number;
  /** Navigation start → the same in the DOM (before that frame). */
  inDomMs: number;
  /** Board updates the app read from IndexedDB on this opening (0: the board came from the relay). */
  idbUpdates: number;
}

export interface BoardRenderResult {
  chromium: string;
  viewport: { width: number; height: number };
  board: {
    cards: number;
    lanes: Array<{ name: string; cards: number }>;
    cardsWithComments: number;
    comments: number;
    /** Encoded state of the board as the relay serves it. */
    stateBytes: number;
    bodyChars: { median: number; max: number; total: number };
    /** Building the cards in the seeding client and the relay storing them (a fresh client sees them all). */
    seedMs: number;
  };
  coldOpen: BoardOpenSample;
  warmOpens: BoardOpenSample[];
  warmOpenMs: Summary;
  warmInDomMs: Summary;
  scroll: {
    lane: string;
    stepPx: number;
    frames: number;
    frameMs: { median: number; p95: number; max: number };
    /** Frames longer than LONG_FRAME_MS. */
    longFrames: number;
    longFrameMs: number;
    /** First step → the frame at the bottom of the list. */
    totalMs: number;
    scrolledPx: number;
    /** The lane's last card was rendered and in view at the end. */
    lastCardRendered: boolean;
    /** Card tiles in the whole page / in the scrolled lane, at most, over the scroll. */
    maxTilesInDom: number;
    maxTilesInLane: number;
  };
  memory: {
    /** performance.memory.usedJSHeapSize after the cold open, null where Chromium does not expose it. */
    usedJsHeapBytes: number | null;
    /** The same after a forced garbage collection (DevTools protocol). */
    usedJsHeapAfterGcBytes: number | null;
    /** document.getElementsByTagName('*').length after the cold open. */
    domNodes: number;
    /** The same at the end of the scroll. */
    domNodesAfterScroll: number;
    note: string;
  };
}

interface SeededBoard {
  stateBytes: number;
  comments: number;
  cardsWithComments: number;
  bodyChars: number[];
  lanes: Array<{ name: string; cards: number; firstTitle: string; lastTitle: string }>;
}

export async function runBoardRenderBench(options: BoardRenderOptions = {}): Promise<BoardRenderResult> {
  const { repetitions = 5, chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!Number.isInteger(repetitions) || repetitions < 1) throw new Error('repetitions must be a positive integer');
  await buildClientIfStale(log);
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-bench-board-'));
  try {
    const server = await startServerProcess({ dataDir, clientDir: CLIENT_DIR, env: { LOG_LEVEL: 'error' } });
    try {
      const owner = await createCommunity(server.url);
      log(`seeding ${BOARD_CARDS.toLocaleString('en')} cards through the relay…`);
      const seedStarted = performance.now();
      const seeded = await seedBoard(server.url, owner, log);
      const seedMs = performance.now() - seedStarted;
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        // Precise memory: without it performance.memory is coarsely bucketed and cached.
        args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
      });
      try {
        const context = await browser.newContext({ baseURL: server.url, viewport: VIEWPORT });
        await context.addInitScript(({ identity, community }) => {
          localStorage.setItem('guildhall:identity', JSON.stringify(identity));
          localStorage.setItem('guildhall:communities', JSON.stringify([community]));
        }, { identity: IDENTITY, community: owner.stored });
        const path = `/board/${owner.stored.communityId}`;
        const boardDoc = boardDocNames(owner.stored.communityId).board;

        log('cold open (board from the relay)…');
        const coldPage = await context.newPage();
        const coldOpen = await openBoard(coldPage, path, boardDoc, seeded);
        if (coldOpen.idbUpdates !== 0) throw new Error(`the cold open read ${coldOpen.idbUpdates} board updates from IndexedDB`);
        const memory = await measureMemory(context, coldPage);
        await boardStoredLocally(coldPage, boardDoc);
        await coldPage.close();

        const warmOpens: BoardOpenSample[] = [];
        let lastPage: Page | null = null;
        for (let i = 0; i < repetitions; i++) {
          log(`warm open ${i + 1}/${repetitions} (board from IndexedDB)…`);
          const page = await context.newPage();
          const sample = await openBoard(page, path, boardDoc, seeded);
          if (sample.idbUpdates === 0) throw new Error('a warm open read nothing from IndexedDB: the figure would be a cold one');
          warmOpens.push(sample);
          if (i < repetitions - 1) await page.close();
          else lastPage = page;
        }

        const lane = seeded.lanes[0]!;
        log(`scrolling the ${lane.name} lane…`);
        const scrolled = await withTimeout(lastPage!.evaluate(scrollThroughLane, {
          laneName: lane.name, lastIndex: lane.cards - 1, lastTitle: lane.lastTitle, stepPx: SCROLL_STEP_PX, timeoutMs: SCROLL_TIMEOUT_MS,
        }), SCROLL_TIMEOUT_MS + 5_000, 'scrolling the lane (no animation frames?)');
        await lastPage!.close();
        if (!scrolled.lastCardRendered) throw new Error(`the ${lane.name} lane's last card "${lane.lastTitle}" was not rendered after scrolling to the bottom`);
        if (scrolled.maxTilesInDom >= BOARD_CARDS / 4) throw new Error(`${scrolled.maxTilesInDom} card tiles in the DOM: the lanes are not virtualized`);
        const frames = [...scrolled.frameMs].sort((a, b) => a - b);
        const longFrames = frames.filter((f) => f > LONG_FRAME_MS);
        const bodies = [...seeded.bodyChars].sort((a, b) => a - b);
        return {
          chromium: browser.version(),
          viewport: VIEWPORT,
          board: {
            cards: seeded.lanes.reduce((sum, l) => sum + l.cards, 0),
            lanes: seeded.lanes.map(({ name, cards }) => ({ name, cards })),
            cardsWithComments: seeded.cardsWithComments,
            comments: seeded.comments,
            stateBytes: seeded.stateBytes,
            bodyChars: { median: quantile(bodies, 0.5), max: bodies[bodies.length - 1]!, total: bodies.reduce((a, b) => a + b, 0) },
            seedMs,
          },
          coldOpen,
          warmOpens,
          warmOpenMs: summarize(warmOpens.map((s) => s.openMs)),
          warmInDomMs: summarize(warmOpens.map((s) => s.inDomMs)),
          scroll: {
            lane: lane.name,
            stepPx: SCROLL_STEP_PX,
            frames: frames.length,
            frameMs: { median: quantile(frames, 0.5), p95: quantile(frames, 0.95), max: frames[frames.length - 1] ?? Number.NaN },
            longFrames: longFrames.length,
            longFrameMs: longFrames.reduce((a, b) => a + b, 0),
            totalMs: scrolled.totalMs,
            scrolledPx: scrolled.scrolledPx,
            lastCardRendered: scrolled.lastCardRendered,
            maxTilesInDom: scrolled.maxTilesInDom,
            maxTilesInLane: scrolled.maxTilesInLane,
          },
          memory: { ...memory, domNodesAfterScroll: scrolled.domNodes },
        };
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop('SIGTERM');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

// ---- the community and its board, through the API and the relay ----

interface Owner {
  memberId: string;
  token: string;
  /** The browser's localStorage entry for the community (client/collab/communityTokens.ts StoredCommunity). */
  stored: { communityId: string; name: string; domain: string; memberId: string; role: string; token: string };
}

async function createCommunity(baseUrl: string): Promise<Owner> {
  const response = await fetch(`${baseUrl}/api/communities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench guild', domain: 'Distributed systems', description: 'A board of 2,000 cards', displayName: IDENTITY.name, color: IDENTITY.color }),
  });
  if (response.status !== 201) throw new Error(`creating the community answered ${response.status}: ${await response.text()}`);
  const { community, member, token } = await response.json() as {
    community: { id: string; name: string; domain: string }; member: { id: string; role: string }; token: string;
  };
  const board = await fetch(`${baseUrl}/api/communities/${community.id}/board`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (board.status !== 200) throw new Error(`ensuring the board answered ${board.status}: ${await board.text()}`);
  return {
    memberId: member.id,
    token,
    stored: { communityId: community.id, name: community.name, domain: community.domain, memberId: member.id, role: member.role, token },
  };
}

function connect(baseUrl: string, docName: string, token: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}${SYNC_PATH}`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true, params: { token }, maxBackoffTime: 200,
  });
  return { doc, provider };
}

/**
 * Writes the cards as the app's model does (addCard, addComment), in transactions of SEED_BATCH
 * cards, then waits until a second, fresh client of the relay sees every card and comment: the
 * relay sends only what it has stored.
 */
async function seedBoard(baseUrl: string, owner: Owner, log: (line: string) => void): Promise<SeededBoard> {
  const name = boardDocNames(owner.stored.communityId).board;
  const writer = connect(baseUrl, name, owner.token);
  const reader = connect(baseUrl, name, owner.token);
  try {
    await waitFor(() => writer.provider.synced && readLanes(writer.doc).length === DEFAULT_LANES.length, { timeoutMs: 10_000, message: 'the board\'s lanes' });
    const lanes = readLanes(writer.doc);
    const text = cardText();
    const rng = mulberry32(SEED);
    const bodyChars: number[] = [];
    let comments = 0;
    let cardsWithComments = 0;
    for (let start = 0; start < BOARD_CARDS; start += SEED_BATCH) {
      writer.doc.transact(() => {
        for (let i = start; i < Math.min(BOARD_CARDS, start + SEED_BATCH); i++) {
          const laneIndex = i % lanes.length;
          const card = text.card(rng, laneIndex);
          bodyChars.push(card.body.length);
          const id = addCard(writer.doc, lanes[laneIndex]!.id, { ...card, author: owner.memberId, authorName: IDENTITY.name });
          if (rng() < COMMENTED_SHARE) {
            cardsWithComments++;
            let parent: string | null = null;
            for (let c = 1 + Math.floor(rng() * 3); c > 0; c--, comments++) {
              parent = addComment(writer.doc, { card: id, parent: rng() < 0.5 ? parent : null, body: text.comment(rng), mentions: [], author: owner.memberId, authorName: IDENTITY.name });
            }
          }
        }
      });
      if ((start + SEED_BATCH) % SEED_LOG_EVERY === 0) log(`  ${start + SEED_BATCH} cards written`);
      // Stay under the relay's inbound message rate.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const seen = (): { cards: number; comments: number } => {
      const view = readBoard(reader.doc, new Map());
      return { cards: view.lanes.reduce((sum, lane) => sum + lane.cards.length, 0), comments: [...view.comments.values()].reduce((sum, list) => sum + list.length, 0) };
    };
    await waitFor(() => {
      const now = seen();
      return reader.provider.synced && now.cards === BOARD_CARDS && now.comments === comments;
    }, { timeoutMs: STORED_TIMEOUT_MS, intervalMs: 100, message: `the relay to store ${BOARD_CARDS} cards (a fresh client sees ${JSON.stringify(seen())})` });
    const view = readBoard(reader.doc, new Map());
    for (const lane of view.lanes) if (lane.cards.length !== CARDS_PER_LANE) throw new Error(`lane ${lane.name} holds ${lane.cards.length} cards, not ${CARDS_PER_LANE}`);
    return {
      stateBytes: Y.encodeStateAsUpdate(reader.doc).length,
      comments,
      cardsWithComments,
      bodyChars,
      lanes: view.lanes.map((lane) => ({ name: lane.name, cards: lane.cards.length, firstTitle: lane.cards[0]!.title, lastTitle: lane.cards[lane.cards.length - 1]!.title })),
    };
  } finally {
    // Destroying the docs destroys the providers' awareness too, whose interval would keep Node running.
    for (const client of [writer, reader]) {
      client.provider.destroy();
      client.doc.destroy();
    }
  }
}

/**
 * Deterministic card text cut from the prose of the paper trace's final text (trace.ts): titles
 * of a few words, Markdown bodies from one sentence to a few paragraphs with a heading and a
 * list, tags from a fixed set.
 */
function cardText() {
  const prose = loadPaperTrace().finalText.split('\n').filter((line) => line.trim() && !/^\s*[\\%]/.test(line)).join(' ')
    .replace(/\\(?:cite|ref|label)\{[^}]*\}/g, '').replace(/~/g, ' ').replace(/``|''/g, '"')
    .replace(/\\(?:emph|textit|textbf|texttt|textsf)\{([^{}]*)\}/g, '$1').replace(/\s+/g, ' ');
  const sentences = prose.split(/(?<=[.?!])\s+(?=[A-Z])/).map((s) => s.trim())
    .filter((s) => s.length >= 30 && s.length <= 320 && !/[\\{}$&^_]/.test(s));
  if (sentences.length < 100) throw new Error(`only ${sentences.length} prose sentences in the paper trace`);
  const titles = new Map<string, number>();
  const pick = (rng: () => number): string => sentences[Math.floor(rng() * sentences.length)]!;
  const run = (rng: () => number, count: number): string[] => {
    const start = Math.floor(rng() * sentences.length);
    return Array.from({ length: count }, (_, i) => sentences[(start + i) % sentences.length]!);
  };
  const title = (rng: () => number, laneIndex: number): string => {
    const words = pick(rng).replace(/[.,;:!?()"]/g, '').split(' ').filter(Boolean);
    const length = Math.min(words.length, 3 + Math.floor(rng() * 6));
    const from = Math.floor(rng() * (words.length - length + 1));
    let phrase = words.slice(from, from + length).join(' ');
    if (laneIndex === 1) phrase = `How do we handle ${phrase.toLowerCase()}?`;
    else phrase = phrase[0]!.toUpperCase() + phrase.slice(1);
    const seen = titles.get(phrase) ?? 0;
    titles.set(phrase, seen + 1);
    return seen ? `${phrase} (${seen + 1})` : phrase;
  };
  const body = (rng: () => number): string => {
    const size = rng();
    const count = size < 0.35 ? 1 + Math.floor(rng() * 2) : size < 0.8 ? 3 + Math.floor(rng() * 5) : 10 + Math.floor(rng() * 15);
    const lines = run(rng, count);
    const blocks: string[] = [];
    if (count >= 10) blocks.push('### Context');
    while (lines.length) blocks.push(lines.splice(0, 1 + Math.floor(rng() * 4)).join(' '));
    if (rng() < 0.3) blocks[count >= 10 ? 1 : 0] = blocks[count >= 10 ? 1 : 0]!.replace(/\b([a-z]{7,})\b/, '**$1**');
    if (count >= 10) blocks.push('### What we would do again', ...run(rng, 3).map((s) => `- ${s}`));
    if (rng() < 0.15) blocks.push(`See [the notes](https://example.org/notes/${Math.floor(rng() * 1000)}) and \`docs/practices.md\`.`);
    return blocks.join('\n\n');
  };
  const tags = (rng: () => number): string[] => Array.from({ length: 1 + Math.floor(rng() * 4) }, () => TAGS[Math.floor(rng() * TAGS.length)]!);
  return {
    card: (rng: () => number, laneIndex: number) => ({ title: title(rng, laneIndex), body: body(rng), tags: tags(rng) }),
    comment: (rng: () => number): string => run(rng, 1 + Math.floor(rng() * 2)).join(' '),
  };
}

// ---- in Chromium ----

interface OpenMarks { inDomAt: number | null; paintedAt: number | null; idbUpdates: number }
interface ExpectedLane { name: string; cards: number; firstTitle: string }

async function openBoard(page: Page, path: string, boardDoc: string, seeded: SeededBoard): Promise<BoardOpenSample> {
  const lanes: ExpectedLane[] = seeded.lanes.map(({ name, cards, firstTitle }) => ({ name, cards, firstTitle }));
  await page.addInitScript(recordBoardOpen, { boardDoc, lanes });
  await page.goto(path, { waitUntil: 'commit' });
  try {
    await page.waitForFunction(() => ((window as unknown as { __boardOpen?: OpenMarks }).__boardOpen?.paintedAt ?? null) !== null, null,
      { timeout: OPEN_TIMEOUT_MS, polling: 50 });
  } catch (error) {
    const shown = await page.evaluate(laneCounts).catch(() => 'unreadable');
    throw new Error(`the board did not show ${BOARD_CARDS} cards with every lane's first card (expected ${JSON.stringify(lanes)}, shown ${JSON.stringify(shown)})`, { cause: error });
  }
  const marks = await page.evaluate(() => (window as unknown as { __boardOpen: OpenMarks }).__boardOpen);
  const counts = await page.evaluate(laneCounts);
  const total = counts.reduce((sum, lane) => sum + lane.count, 0);
  if (total !== BOARD_CARDS) throw new Error(`the lane counts add up to ${total}, not ${BOARD_CARDS}: ${JSON.stringify(counts)}`);
  return { openMs: marks.paintedAt!, inDomMs: marks.inDomAt!, idbUpdates: marks.idbUpdates };
}

async function measureMemory(context: BrowserContext, page: Page): Promise<Omit<BoardRenderResult['memory'], 'domNodesAfterScroll'>> {
  // Let the opening's follow-up work (presence, the moderation document, IndexedDB writes) finish.
  await page.waitForTimeout(500);
  const read = () => page.evaluate(() => {
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return { used: memory ? memory.usedJSHeapSize : null, domNodes: document.getElementsByTagName('*').length };
  });
  const before = await read();
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
  const after = await read();
  return {
    usedJsHeapBytes: before.used,
    usedJsHeapAfterGcBytes: after.used,
    domNodes: before.domNodes,
    note: before.used === null ? 'performance.memory is not available in this Chromium' : 'performance.memory.usedJSHeapSize with --enable-precise-memory-info',
  };
}

/** The cold page's copy of the board is in IndexedDB before the warm openings (y-indexeddb writes asynchronously). */
async function boardStoredLocally(page: Page, boardDoc: string): Promise<void> {
  const stored = await page.evaluate(async (name) => {
    for (let i = 0; i < 100; i++) {
      const count = await new Promise<number>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains('updates')) { db.close(); resolve(0); return; }
          const counting = db.transaction('updates', 'readonly').objectStore('updates').count();
          counting.onsuccess = () => { db.close(); resolve(counting.result); };
          counting.onerror = () => { db.close(); reject(counting.error); };
        };
      });
      if (count > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }, boardDoc);
  if (!stored) throw new Error('the cold page never stored the board in IndexedDB');
}

// ---- in the page (serialized by Playwright: self-contained, no imports) ----

function laneCounts(): Array<{ lane: string; count: number; firstTile: string | null }> {
  return [...document.querySelectorAll('section[aria-label^="Lane: "]')].map((section) => ({
    lane: section.getAttribute('aria-label')!.slice('Lane: '.length),
    count: Number(section.querySelector('.lane-header h2 .muted-inline')?.textContent ?? Number.NaN),
    firstTile: section.querySelector('[role="list"] [data-index="0"] .board-card')?.getAttribute('aria-label') ?? null,
  }));
}

/**
 * Runs before the app's scripts: counts the board updates the app reads from IndexedDB
 * (y-indexeddb reads them with one getAll), and watches the DOM until every lane's header shows
 * its card count and its list shows its first card; then waits for a frame painted after that
 * (a task queued from the next animation frame runs after the frame's paint).
 */
function recordBoardOpen({ boardDoc, lanes }: { boardDoc: string; lanes: ExpectedLane[] }): void {
  const marks: OpenMarks = { inDomAt: null, paintedAt: null, idbUpdates: 0 };
  (window as unknown as { __boardOpen: OpenMarks }).__boardOpen = marks;
  const getAll = IDBObjectStore.prototype.getAll;
  IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
    const request = getAll.apply(this, args);
    if (this.name === 'updates' && this.transaction.db.name === boardDoc) {
      request.addEventListener('success', () => { marks.idbUpdates = Math.max(marks.idbUpdates, (request.result as unknown[]).length); });
    }
    return request;
  };
  // No named inner functions here or in the other page functions: tsx would wrap them in a helper the page lacks.
  const observer = new MutationObserver(() => {
    for (const lane of lanes) {
      const section = document.querySelector(`section[aria-label="Lane: ${lane.name}"]`);
      if (section?.querySelector('.lane-header h2 .muted-inline')?.textContent !== String(lane.cards)) return;
      if (section.querySelector('[role="list"] [data-index="0"] .board-card')?.getAttribute('aria-label') !== `Card: ${lane.firstTitle}`) return;
    }
    marks.inDomAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { marks.paintedAt = performance.now(); }));
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

interface ScrollOutcome {
  frameMs: number[];
  totalMs: number;
  scrolledPx: number;
  lastCardRendered: boolean;
  maxTilesInDom: number;
  maxTilesInLane: number;
  domNodes: number;
}

/**
 * Scrolls one lane's card list from the top to the bottom, one step per animation frame (set
 * in the frame's callback, so the scroll, the virtualizer's re-render and the paint fall in the
 * next frame), and records every frame's length from the rAF timestamps. The bottom moves while
 * scrolling (the virtualizer measures real card heights); it is reached when the list cannot
 * scroll further. Then checks the lane's last card is rendered and in view.
 */
async function scrollThroughLane({ laneName, lastIndex, lastTitle, stepPx, timeoutMs }: {
  laneName: string; lastIndex: number; lastTitle: string; stepPx: number; timeoutMs: number;
}): Promise<ScrollOutcome> {
  const list = document.querySelector<HTMLElement>(`[role="list"][aria-label="Cards in ${laneName}"]`);
  if (!list) throw new Error(`no card list for lane ${laneName}`);
  const tileSelector = '.board-card[aria-label^="Card: "]';
  list.scrollTop = 0;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const frameMs: number[] = [];
  let maxTilesInDom = document.querySelectorAll(tileSelector).length;
  let maxTilesInLane = list.querySelectorAll(tileSelector).length;
  let previous = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
  const started = previous;
  while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
    list.scrollTop += stepPx;
    const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    frameMs.push(now - previous);
    previous = now;
    maxTilesInDom = Math.max(maxTilesInDom, document.querySelectorAll(tileSelector).length);
    maxTilesInLane = Math.max(maxTilesInLane, list.querySelectorAll(tileSelector).length);
    if (now - started > timeoutMs) {
      throw new Error(`the lane did not reach its bottom in ${timeoutMs} ms (scrollTop ${list.scrollTop}, height ${list.clientHeight}, scrollHeight ${list.scrollHeight})`);
    }
  }
  const totalMs = previous - started;
  const scrolledPx = list.scrollTop;
  // A few frames for the last measurements; the bottom may move a little once more.
  let lastCardRendered = false;
  for (let i = 0; i < 30 && !lastCardRendered; i++) {
    list.scrollTop = list.scrollHeight;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await new Promise((resolve) => setTimeout(resolve));
    const tile = list.querySelector(`[data-index="${lastIndex}"] .board-card`);
    if (tile?.getAttribute('aria-label') === `Card: ${lastTitle}`) {
      const box = tile.getBoundingClientRect();
      const view = list.getBoundingClientRect();
      lastCardRendered = box.bottom <= view.bottom + 1 && box.top >= view.top - 1;
    }
  }
  return { frameMs, totalMs, scrolledPx, lastCardRendered, maxTilesInDom, maxTilesInLane, domNodes: document.getElementsByTagName('*').length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { repetitions: { type: 'string' } } });
  const result = await runBoardRenderBench({ repetitions: Number(values.repetitions ?? 5) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
