/**
 * Client benchmark in Chromium (issue 9): how long a member waits to read a large real document
 * that only this device holds. The paper editing trace (trace.ts) is stored in the browser's
 * IndexedDB by y-indexeddb itself, under the document's name, as the app stores a document the
 * relay sent it; then the document page is opened with the browser offline (the relay
 * unreachable, the app shell from its service worker), so IndexedDB is the only source.
 *
 * Per opening (a fresh tab in the same profile, after one unmeasured opening):
 * - open: navigation start → the paper's last line is in the editor's DOM and a frame has been
 *   painted after it;
 * - IndexedDB read: the app's own read of the stored updates (y-indexeddb's getAll), observed by
 *   wrapping the IndexedDB API before the app runs; and when it ended after navigation start;
 * - IndexedDB load: y-indexeddb loading the same document into a fresh Y.Doc in that tab
 *   afterwards (open + read + apply), i.e. the local load without React or the editor;
 * - scroll: scrolling the editor's last paragraph into view until a frame has been painted.
 *
 *   node --import tsx test/bench/browser.ts [--repetitions 5] [--screenshot /tmp/trace-editor.png]
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Rolldown } from 'vite';
import { MEETING_NOTES_ROOT } from '../../shared/schema/documents.ts';
import { startServerProcess } from '../helpers/serverProcess.ts';
import { loadPaperTrace, paperDocumentState } from './trace.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLIENT_DIR = join(ROOT, 'dist/client');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const DOC_NAME = 'home.shared.paper-trace';
const IDENTITY = { name: 'Bench', color: '#2f6f4e' };
/** Enough of the paper's end to be unique: the editor holds it once the whole document is there. */
const TAIL_CHARS = 80;
const OPEN_TIMEOUT_MS = 120_000;
const SEEDER_GLOBAL = 'GuildhallSeeder';

export interface EditorOpenOptions {
  /** Measured openings (default 5); one unmeasured opening comes first. */
  repetitions?: number;
  /** Where to save a screenshot of the first measured opening (top of the document). */
  screenshotPath?: string;
  chromiumPath?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface EditorOpenSample {
  /** Navigation start → the final text in the editor and a frame painted after it. */
  openMs: number;
  /** Navigation start → the final text in the editor's DOM (before that frame). */
  textInDomMs: number;
  /** The app's IndexedDB read of the stored updates (getAll request → success). */
  idbReadMs: number;
  /** Navigation start → that read finished. */
  idbReadDoneMs: number;
  /** y-indexeddb alone loading the document into a fresh Y.Doc in the same tab (open, read, apply). */
  idbLoadMs: number;
  /** Scrolling the last paragraph into view → a frame painted. */
  scrollMs: number;
}

export interface Summary { median: number; max: number }

export interface EditorOpenResult {
  docName: string;
  chromium: string;
  trace: { edits: number; finalTextChars: number; paragraphs: number };
  /** `Y.encodeStateAsUpdate` of the replayed document: the one update y-indexeddb stores. */
  stateBytes: number;
  /** The first opening after the service worker cached the shell; not in the figures below. */
  unmeasuredFirstOpenMs: number;
  samples: EditorOpenSample[];
  openMs: Summary;
  textInDomMs: Summary;
  idbReadMs: Summary;
  idbReadDoneMs: Summary;
  idbLoadMs: Summary;
  scrollMs: Summary;
}

/** What the page records about its own opening (performance.now(), i.e. ms since navigation start). */
interface OpenMarks {
  idbReadStartedAt: number | null;
  idbReadDoneAt: number | null;
  textAt: number | null;
  paintedAt: number | null;
}

export async function runEditorOpenBench(options: EditorOpenOptions = {}): Promise<EditorOpenResult> {
  const { repetitions = 5, screenshotPath, chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!Number.isInteger(repetitions) || repetitions < 1) throw new Error('repetitions must be a positive integer');
  await buildClientIfStale(log);
  log('replaying the paper trace into a notes document…');
  const trace = loadPaperTrace();
  const state = paperDocumentState();
  const seeder = await bundleSeeder();
  const expected = { text: trace.finalText, tail: trace.finalText.replaceAll('\n', '').slice(-TAIL_CHARS) };
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-bench-browser-'));
  try {
    const server = await startServerProcess({ dataDir, clientDir: CLIENT_DIR, env: { LOG_LEVEL: 'error' } });
    try {
      const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
      try {
        const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1100, height: 800 } });
        await context.addInitScript((identity) => localStorage.setItem('guildhall:identity', JSON.stringify(identity)), IDENTITY);
        await installShellAndSeed(context, seeder, Buffer.from(state).toString('base64'));
        // Offline: the provider never connects, so what the editor shows came from IndexedDB alone.
        await context.setOffline(true);
        log('first opening (unmeasured)…');
        const first = await openOnce(context, seeder, expected);
        const samples: EditorOpenSample[] = [];
        for (let i = 0; i < repetitions; i++) {
          log(`opening ${i + 1}/${repetitions}…`);
          samples.push(await openOnce(context, seeder, expected, i === 0 ? screenshotPath : undefined));
        }
        const summary = (pick: (s: EditorOpenSample) => number): Summary => summarize(samples.map(pick));
        return {
          docName: DOC_NAME,
          chromium: browser.version(),
          trace: { edits: trace.edits.length, finalTextChars: trace.finalText.length, paragraphs: trace.finalText.split('\n').length },
          stateBytes: state.length,
          unmeasuredFirstOpenMs: first.openMs,
          samples,
          openMs: summary((s) => s.openMs),
          textInDomMs: summary((s) => s.textInDomMs),
          idbReadMs: summary((s) => s.idbReadMs),
          idbReadDoneMs: summary((s) => s.idbReadDoneMs),
          idbLoadMs: summary((s) => s.idbLoadMs),
          scrollMs: summary((s) => s.scrollMs),
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

/**
 * Visits the app once online, so its service worker caches the shell (as for any member who
 * opened Guildhall before), then stores the document with y-indexeddb in that origin.
 */
async function installShellAndSeed(context: BrowserContext, seeder: string, stateBase64: string): Promise<void> {
  const page = await context.newPage();
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  await page.addScriptTag({ content: seeder });
  await page.evaluate(({ global, name, base64 }) => (window as unknown as Record<string, SeederApi>)[global]!.store(name, base64),
    { global: SEEDER_GLOBAL, name: DOC_NAME, base64: stateBase64 });
  await page.close();
}

async function openOnce(context: BrowserContext, seeder: string, expected: { text: string; tail: string }, screenshotPath?: string): Promise<EditorOpenSample> {
  const page = await context.newPage();
  try {
    await page.addInitScript(recordOpening, { docName: DOC_NAME, tail: expected.tail });
    await page.goto(`/d/${DOC_NAME}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => ((window as unknown as { __editorOpen?: OpenMarks }).__editorOpen?.paintedAt ?? null) !== null, null,
      { timeout: OPEN_TIMEOUT_MS, polling: 50 });
    const marks = await page.evaluate(() => (window as unknown as { __editorOpen: OpenMarks }).__editorOpen);
    await expectWholePaper(page, expected.text);
    if (screenshotPath) await page.screenshot({ path: screenshotPath });
    const scrollMs = await page.evaluate(scrollToEnd);
    await page.addScriptTag({ content: seeder });
    const loaded = await page.evaluate(({ global, name, field }) => (window as unknown as Record<string, SeederApi>)[global]!.load(name, field),
      { global: SEEDER_GLOBAL, name: DOC_NAME, field: MEETING_NOTES_ROOT });
    if (loaded.paragraphs !== expected.text.split('\n').length) throw new Error(`y-indexeddb loaded ${loaded.paragraphs} paragraphs`);
    const at = (mark: number | null, what: string): number => {
      if (mark === null) throw new Error(`the page never recorded ${what}`);
      return mark;
    };
    return {
      openMs: at(marks.paintedAt, 'a frame after the text'),
      textInDomMs: at(marks.textAt, 'the text'),
      idbReadMs: at(marks.idbReadDoneAt, 'the IndexedDB read') - at(marks.idbReadStartedAt, 'the IndexedDB read'),
      idbReadDoneMs: at(marks.idbReadDoneAt, 'the IndexedDB read'),
      idbLoadMs: loaded.loadMs,
      scrollMs,
    };
  } finally {
    await page.close();
  }
}

/**
 * The opened editor must hold the whole paper, one paragraph per line, and the app must not
 * have changed the document while opening it (the badge would count a change): otherwise the
 * document is not shaped the way the editor writes notes, and the figures would mean nothing.
 */
async function expectWholePaper(page: Page, text: string): Promise<void> {
  const shown = await page.evaluate(() => {
    const editor = document.querySelector('.ProseMirror');
    const blocks = editor ? [...editor.children] : [];
    return {
      text: blocks.map((block) => block.textContent ?? '').join('\n'),
      allParagraphs: blocks.every((block) => block.tagName === 'P'),
      status: document.querySelector('[role="status"]')?.textContent ?? '',
    };
  });
  if (shown.text !== text || !shown.allParagraphs) throw new Error('the editor does not show the paper line for line');
  if (shown.status !== 'Offline') throw new Error(`unexpected status while opening offline: "${shown.status}"`);
}

// ---- in the page (serialized by Playwright: self-contained, no imports) ----

interface SeederApi {
  store(name: string, stateBase64: string): Promise<void>;
  load(name: string, field: string): Promise<{ loadMs: number; paragraphs: number }>;
}

/**
 * Runs before the app's scripts. Wraps the IndexedDB API to time the app's read of this
 * document (y-indexeddb reads all stored updates with one getAll), and watches the DOM for the
 * paper's last characters. A frame counts as painted when a task queued from the next
 * animation frame runs (that task runs after the frame's paint).
 */
function recordOpening({ docName, tail }: { docName: string; tail: string }): void {
  const marks: OpenMarks = { idbReadStartedAt: null, idbReadDoneAt: null, textAt: null, paintedAt: null };
  (window as unknown as { __editorOpen: OpenMarks }).__editorOpen = marks;
  const getAll = IDBObjectStore.prototype.getAll;
  IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
    const request = getAll.apply(this, args);
    if (marks.idbReadStartedAt === null && this.name === 'updates' && this.transaction.db.name === docName) {
      marks.idbReadStartedAt = performance.now();
      request.addEventListener('success', () => { marks.idbReadDoneAt = performance.now(); });
    }
    return request;
  };
  const observer = new MutationObserver(() => {
    if (!document.querySelector('.ProseMirror')?.textContent?.endsWith(tail)) return;
    marks.textAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { marks.paintedAt = performance.now(); }));
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

async function scrollToEnd(): Promise<number> {
  const last = document.querySelector('.ProseMirror')?.lastElementChild;
  if (!last) throw new Error('no editor');
  const started = performance.now();
  last.scrollIntoView({ block: 'end' });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const elapsed = performance.now() - started;
  if (last.getBoundingClientRect().bottom > innerHeight + 1) throw new Error('the end of the notes is not in view after scrolling');
  return elapsed;
}

/**
 * The in-page helper, bundled from the app's own yjs and y-indexeddb (same versions, same
 * database name and format): `store` applies the state to a Y.Doc that y-indexeddb persists,
 * as when the relay's state reaches a member, and waits until it is written.
 */
const SEEDER_SOURCE = `
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';

const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function store(name, stateBase64) {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  Y.applyUpdate(doc, fromBase64(stateBase64), 'relay');
  // A read-only transaction completes only after the writes queued before it.
  await new Promise((resolve, reject) => {
    const probe = persistence.db.transaction('updates', 'readonly');
    probe.oncomplete = resolve;
    probe.onabort = () => reject(probe.error);
  });
  await persistence.destroy();
  doc.destroy();
}

export async function load(name, field) {
  const started = performance.now();
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  const loadMs = performance.now() - started;
  const paragraphs = doc.getXmlFragment(field).length;
  await persistence.destroy();
  doc.destroy();
  return { loadMs, paragraphs };
}
`;

async function bundleSeeder(): Promise<string> {
  const entry = 'guildhall-idb-seeder';
  const resolved = `\0${entry}`;
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    plugins: [{
      name: 'guildhall-idb-seeder',
      enforce: 'pre',
      // Vite makes a library entry absolute against the root first.
      resolveId: (id) => (id === entry || id.endsWith(`/${entry}`) ? resolved : null),
      load: (id) => (id === resolved ? SEEDER_SOURCE : null),
    }],
    build: { write: false, minify: false, outDir: join(tmpdir(), 'guildhall-idb-seeder'), lib: { entry, formats: ['iife'], name: SEEDER_GLOBAL, fileName: 'seeder' } },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  const chunk = outputs[0]?.output.find((file) => file.type === 'chunk');
  if (!chunk) throw new Error('bundling the IndexedDB seeder produced nothing');
  return chunk.code;
}

/** Builds the client when there is no build or the sources are newer (as `npm start` decides). */
export async function buildClientIfStale(log: (line: string) => void): Promise<void> {
  const index = join(CLIENT_DIR, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  let newest = 0;
  const walk = (path: string): void => {
    const stat = statSync(path);
    if (!stat.isDirectory()) newest = Math.max(newest, stat.mtimeMs);
    else for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  for (const path of ['client', 'shared', 'vite.config.ts']) walk(join(ROOT, path));
  if (builtAt > newest) return;
  log('building the client…');
  // The config's root ('client') is relative to the working directory: name it absolutely.
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'client'), logLevel: 'warn' });
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, max: sorted[sorted.length - 1]! };
}

const ms = (value: number): string => (value < 10 ? value.toFixed(1) : value.toFixed(0));

export function renderEditorOpenTable(result: EditorOpenResult): string {
  const rows: Array<[string, Summary]> = [
    ['open: navigation → final text painted', result.openMs],
    ['navigation → final text in the DOM', result.textInDomMs],
    ['IndexedDB read in the app (getAll)', result.idbReadMs],
    ['navigation → that read done', result.idbReadDoneMs],
    ['IndexedDB load alone (y-indexeddb → Y.Doc)', result.idbLoadMs],
    ['scroll to the end + a frame', result.scrollMs],
  ];
  return [
    `**Editor open** (Chromium ${result.chromium}): the paper trace (${result.trace.edits.toLocaleString('en')} edits → `
      + `${result.trace.finalTextChars.toLocaleString('en')} chars, ${result.trace.paragraphs.toLocaleString('en')} paragraphs; `
      + `encoded state ${(result.stateBytes / 1024).toFixed(0)} KiB) opened from IndexedDB, offline, `
      + `${result.samples.length} openings (first unmeasured opening: ${ms(result.unmeasuredFirstOpenMs)} ms).`,
    '',
    '| measure | median ms | max ms |',
    '| --- | ---: | ---: |',
    ...rows.map(([label, s]) => `| ${label} | ${ms(s.median)} | ${ms(s.max)} |`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { repetitions: { type: 'string' }, screenshot: { type: 'string' } } });
  const result = await runEditorOpenBench({ repetitions: Number(values.repetitions ?? 5), screenshotPath: values.screenshot });
  process.stdout.write(`${renderEditorOpenTable(result)}\n`);
}
