/**
 * Seeded convergence fuzz (STYLE practice 8; yjs `tests/testHelper.js` `applyRandomTests`).
 *
 * One seed drives one whole schedule: N official y-websocket clients on one document edit every
 * shared type (Y.Text, Y.Map with nested values, Y.Array, Y.XmlFragment/XmlElement/XmlText),
 * disconnect and reconnect at random, keep editing while offline, and live through at least one
 * relay restart. At the end everyone reconnects and must converge, and the relay must hand a
 * fresh client exactly that state — from the live room, from its store, and after a restart.
 *
 * What the seed fixes and what it does not: the seed fixes every decision this engine makes —
 * the clients' Yjs clientIDs, which client does which kind of edit with which content, who goes
 * offline, when the relay restarts, how many event-loop turns pass between steps. It cannot fix
 * how the kernel and the relay interleave socket reads with those turns, and an edit's position
 * is resolved against whatever the client's doc holds at that moment (each edit draws from its
 * own forked PRNG, so this never shifts the rest of the schedule). A failing seed therefore
 * replays the same schedule but not always the same race: rerun it a few times (`--repeat`)
 * before concluding it is fixed, and keep it pinned.
 *
 * Relay restarts: `stop()` (the graceful SIGTERM path: flush, compact, close with 1001) and a new
 * relay on the same data dir AND the same port, so the existing providers reconnect on their own
 * exactly as browsers would after a deploy. Clients keep editing while the relay drains and while
 * it is down. Only if the port cannot be re-bound (EADDRINUSE: something else took it in between)
 * does the engine fall back to port 0 and give every Y.Doc a new provider, keeping each client's
 * online/offline state; the report counts these fallbacks.
 *
 * This module does not import vitest, so the CLI (`test/fuzz/run.ts`) can use it; it owns its
 * teardown (providers, docs, relays, temp dir), which runs after every seed, failed or not.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { startGuildhall, type RunningGuildhall } from '../../server/app.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { testConfig } from '../helpers/relay.ts';
import { mulberry32 } from '../helpers/random.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** Root names on the fuzzed document; `meta` is avoided so the index-title projection stays idle. */
export const ROOTS = { text: 'text', map: 'map', array: 'array', xml: 'xml' } as const;

export interface FuzzOptions {
  clients: number;
  steps: number;
  /** y-websocket's reconnect backoff cap; small so restarts and refusals cost little wall time. */
  maxBackoffMs: number;
  convergeTimeoutMs: number;
  /** Every Nth seed keeps its relay's files on disk, the others in memory (see `dataParent`); 1: all on disk. */
  diskEvery: number;
}

export const FUZZ_DEFAULTS: Readonly<FuzzOptions> = {
  clients: 8,
  steps: 160,
  maxBackoffMs: 100,
  // Convergence normally takes well under a second (see `convergeMillis`); a slow CI box gets 10×.
  convergeTimeoutMs: 10_000,
  diskEvery: 4,
};

export interface SeedReport {
  seed: number;
  millis: number;
  edits: number;
  disconnects: number;
  reconnects: number;
  restarts: number;
  /** From "everyone reconnects" to "all docs equal". */
  convergeMillis: number;
  /** Restarts that could not re-bind the port and re-created the providers instead. */
  portFallbacks: number;
  /** Close codes the relay sent to clients, by code (1001 at restarts is expected). */
  closeCodes: Record<number, number>;
}

/** The one-line command that replays a seed with the CLI. */
export function reproCommand(seed: number, options: Partial<FuzzOptions> = {}): string {
  const extra = (Object.keys(options) as Array<keyof FuzzOptions>)
    .filter((key) => options[key] !== undefined && options[key] !== FUZZ_DEFAULTS[key])
    .map((key) => ` --${kebab(key)} ${options[key]}`).join('');
  return `cd ${PROJECT_ROOT} && node --import tsx test/fuzz/run.ts --seed ${seed}${extra}`;
}

/** Runs one seed; resolves with a report or rejects with an Error naming the seed and a repro. */
export async function runConvergenceSeed(seed: number, options: Partial<FuzzOptions> = {}): Promise<SeedReport> {
  const run = new SeedRun(seed, { ...FUZZ_DEFAULTS, ...options });
  // The relay runs in this process: an exception nobody catches would kill a real relay, so it
  // fails the seed (with its repro) instead of ending the process before the seed is printed.
  const onCrash = (error: unknown): void => run.crashed(error);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  let failure: unknown = null;
  try {
    await run.execute();
  } catch (error) {
    failure = error;
  }
  const teardownError = await run.teardown();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  failure = run.crash ?? failure;
  if (failure === null && teardownError !== null) {
    failure = teardownError;
    run.phase = 'teardown';
  }
  if (failure !== null) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new Error(
      `convergence fuzz failed for seed ${seed} during ${run.phase}: ${reason}\n`
      + `  repro: ${reproCommand(seed, options)}\n`
      + `  last steps:\n    ${run.trace.slice(-20).join('\n    ')}`,
      { cause: failure },
    );
  }
  return run.report();
}

interface FuzzClient {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  provider: WebsocketProvider;
}

type Phase = 'setup' | 'schedule' | 'convergence' | 'fresh client (live relay)' | 'store read'
  | 'fresh client (after restart)' | 'teardown';

class SeedRun {
  phase: Phase = 'setup';
  readonly trace: string[] = [];
  private readonly rng: Rng;
  private readonly docName: string;
  private readonly dataDir: string;
  private readonly started = performance.now();
  private readonly clients: FuzzClient[] = [];
  /** Extra providers (fresh joiners) and their docs, destroyed in teardown too. */
  private readonly extras: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];
  private relay: RunningGuildhall | null = null;
  private stopping: Promise<void> | null = null;
  private port = 0;
  private readonly counts = { edits: 0, disconnects: 0, reconnects: 0, restarts: 0, portFallbacks: 0, convergeMillis: 0 };
  private readonly closeCodes: Record<number, number> = {};
  private readonly permanentCloses: string[] = [];
  /** The first uncaught exception or unhandled rejection while this seed ran. */
  crash: Error | null = null;

  constructor(readonly seed: number, private readonly options: FuzzOptions) {
    this.rng = new Rng(seed);
    this.docName = `home.shared.fuzz${seed >>> 0}`;
    this.dataDir = mkdtempSync(join(dataParent(seed, options.diskEvery), 'guildhall-fuzz-'));
  }

  async execute(): Promise<void> {
    this.relay = await this.startRelay();
    for (let i = 0; i < this.options.clients; i++) this.clients.push(this.createClient(i));
    this.phase = 'schedule';
    await this.runSchedule();
    this.phase = 'convergence';
    await this.converge();
    const reference = this.clients[0]!.doc;
    this.phase = 'fresh client (live relay)';
    await this.checkFreshClient(reference);
    this.phase = 'store read';
    await this.checkStore(reference);
    this.phase = 'fresh client (after restart)';
    for (const client of this.clients) client.provider.destroy();
    await this.restartRelay();
    await this.checkFreshClient(reference);
  }

  crashed(error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.crash ??= new Error(`uncaught in the relay process (a real relay would have crashed): ${detail}`, { cause: error });
  }

  /** Stops the seed at the next step once something crashed; the crash is what gets reported. */
  private assertAlive(): void {
    if (this.crash) throw this.crash;
  }

  report(): SeedReport {
    return {
      seed: this.seed,
      millis: Math.round(performance.now() - this.started),
      ...this.counts,
      closeCodes: { ...this.closeCodes },
    };
  }

  /** Never throws: every resource is released even if an earlier one fails; returns the first error. */
  async teardown(): Promise<unknown> {
    let firstError: unknown = null;
    const attempt = async (release: () => unknown): Promise<void> => {
      try {
        await release();
      } catch (error) {
        firstError ??= error;
      }
    };
    for (const { provider, doc } of [...this.clients, ...this.extras]) {
      await attempt(() => provider.destroy());
      await attempt(() => doc.destroy());
    }
    const { stopping, relay } = this;
    this.stopping = null;
    this.relay = null;
    if (stopping) await attempt(() => stopping);
    if (relay) await attempt(() => relay.stop());
    await attempt(() => rmSync(this.dataDir, { recursive: true, force: true }));
    return firstError;
  }

  // ── the random schedule ────────────────────────────────────────────────────────────────

  private async runSchedule(): Promise<void> {
    const restartSteps = this.planRestarts();
    let resumeAt = -1;
    for (let step = 0; step < this.options.steps; step++) {
      this.assertAlive();
      if (this.stopping && step >= resumeAt) await this.finishRestart(step);
      if (!this.stopping && restartSteps.has(step)) {
        this.log(step, 'relay stop begins (clients keep editing)');
        this.beginStop();
        resumeAt = step + this.rng.range(1, 8);
      }
      this.randomAction(step);
      await this.randomTurns();
    }
    if (this.stopping) await this.finishRestart(this.options.steps);
  }

  /** One to three restarts per seed, never in the first or last tenth of the schedule. */
  private planRestarts(): Set<number> {
    const steps = this.options.steps;
    const count = 1 + (this.rng.bool(0.35) ? 1 : 0) + (this.rng.bool(0.1) ? 1 : 0);
    const planned = new Set<number>();
    const lo = Math.floor(steps / 10);
    while (planned.size < count && steps > 2) planned.add(lo + this.rng.int(Math.max(1, steps - 2 * lo)));
    return planned;
  }

  private randomAction(step: number): void {
    const roll = this.rng.next();
    const client = this.rng.pick(this.clients);
    if (roll < 0.07) {
      const online = this.clients.filter((c) => c.provider.shouldConnect);
      if (online.length > 0) return this.disconnect(step, this.rng.pick(online));
    } else if (roll < 0.15) {
      const offline = this.clients.filter((c) => !c.provider.shouldConnect);
      if (offline.length > 0) return this.reconnect(step, this.rng.pick(offline));
    } else if (roll < 0.18) {
      setRandomAwareness(client.awareness, this.rng);
      return this.log(step, `${client.name} awareness`);
    } else if (roll < 0.22) {
      // A burst: several clients edit in the same turn, so their updates cross on the wire.
      const burst = this.rng.range(2, 4);
      for (let i = 0; i < burst; i++) this.edit(step, this.rng.pick(this.clients));
      return;
    }
    this.edit(step, client);
  }

  private edit(step: number, client: FuzzClient): void {
    const ops = this.rng.bool(0.3) ? this.rng.range(2, 4) : 1;
    const names: string[] = [];
    const apply = (): void => {
      // A forked PRNG per edit: how many numbers an edit draws depends on the doc's current state
      // (what has arrived over the network), and that must not shift the rest of the schedule.
      for (let i = 0; i < ops; i++) names.push(applyRandomEdit(client.doc, this.rng.fork()));
    };
    if (ops > 1) client.doc.transact(apply, 'fuzz');
    else apply();
    this.counts.edits += ops;
    const where = client.provider.shouldConnect ? '' : ' (offline)';
    this.log(step, `${client.name}${where} ${names.join(', ')}`);
  }

  private disconnect(step: number, client: FuzzClient): void {
    client.provider.disconnect();
    this.counts.disconnects++;
    this.log(step, `${client.name} disconnect`);
  }

  private reconnect(step: number, client: FuzzClient): void {
    client.provider.connect();
    this.counts.reconnects++;
    this.log(step, `${client.name} connect`);
  }

  /** Part of the schedule, not a wait for a condition: lets socket reads and commits interleave. */
  private async randomTurns(): Promise<void> {
    const roll = this.rng.next();
    if (roll < 0.25) return;
    if (roll < 0.85) {
      const turns = this.rng.range(1, 3);
      for (let i = 0; i < turns; i++) await nextTurn();
      return;
    }
    await sleep(this.rng.range(1, 8));
  }

  // ── relay lifecycle ────────────────────────────────────────────────────────────────────

  private async startRelay(): Promise<RunningGuildhall> {
    try {
      const app = await startGuildhall(testConfig({ dataDir: this.dataDir, port: this.port }));
      this.port = app.port;
      return app;
    } catch (error) {
      if (this.port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      // The port was taken while the relay was down: new port, new providers on the same docs.
      const app = await startGuildhall(testConfig({ dataDir: this.dataDir }));
      this.port = app.port;
      this.counts.portFallbacks++;
      for (const client of this.clients) {
        const connect = client.provider.shouldConnect;
        client.provider.destroy();
        client.provider = this.createProvider(client.doc, client.awareness, client.name, connect);
      }
      return app;
    }
  }

  /** `relay` is only ever the running relay, so teardown never stops one twice. */
  private beginStop(): void {
    const relay = this.relay;
    if (!relay) throw new Error('no relay is running');
    this.relay = null;
    this.stopping = relay.stop();
  }

  private async finishRestart(step: number): Promise<void> {
    const stopping = this.stopping;
    this.stopping = null;
    await stopping;
    this.relay = await this.startRelay();
    this.counts.restarts++;
    this.log(step, `relay started again on port ${this.port}`);
  }

  private async restartRelay(): Promise<void> {
    this.beginStop();
    await this.finishRestart(this.options.steps);
  }

  private get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/sync`;
  }

  private createClient(index: number): FuzzClient {
    const doc = new Y.Doc();
    // From the seed, because concurrent inserts are ordered by clientID: a random one would give
    // the same seed a different document on every run.
    doc.clientID = this.uniqueClientId();
    const awareness = new Awareness(doc);
    const name = `c${index}`;
    awareness.setLocalState({ user: name });
    return { name, doc, awareness, provider: this.createProvider(doc, awareness, name, true) };
  }

  private uniqueClientId(): number {
    for (;;) {
      const id = this.rng.int(0x100000000);
      if (!this.clients.some((c) => c.doc.clientID === id)) return id;
    }
  }

  private createProvider(doc: Y.Doc, awareness: Awareness, name: string, connect: boolean): WebsocketProvider {
    const provider = new WebsocketProvider(this.wsUrl, this.docName, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      awareness,
      connect,
      maxBackoffTime: this.options.maxBackoffMs,
    });
    provider.on('connection-close', (event) => {
      if (!event) return; // closed locally: disconnect() or destroy()
      this.closeCodes[event.code] = (this.closeCodes[event.code] ?? 0) + 1;
      // 4400–4499 means the relay judged a stock client's traffic invalid: always a finding.
      if (event.code >= 4400 && event.code < 4500) this.permanentCloses.push(`${name}: ${event.code} ${event.reason}`);
    });
    return provider;
  }

  // ── the checks ─────────────────────────────────────────────────────────────────────────

  private async converge(): Promise<void> {
    const started = performance.now();
    for (const client of this.clients) client.provider.connect();
    const docs = this.clients.map((c) => c.doc);
    try {
      await waitFor(() => this.crash ?? (this.clients.every((c) => c.provider.synced) && firstDifference(docs) === null),
        { timeoutMs: this.options.convergeTimeoutMs, message: 'all clients to converge' });
      this.assertAlive();
    } catch (error) {
      if (error === this.crash) throw error;
      const unsynced = this.clients.filter((c) => !c.provider.synced).map((c) => c.name);
      const closes = this.permanentCloseSummary();
      throw new Error(`${(error as Error).message}; unsynced: [${unsynced.join(', ')}]${closes ? `; ${closes}` : ''}\n`
        + `  compared with ${this.clients[0]!.name}:\n    ${(await this.divergenceReport()).join('\n    ')}`, { cause: error });
    }
    this.counts.convergeMillis = Math.round(performance.now() - started);
    // Converging is not enough: a stock client closed with 44xx stops reconnecting for good (only
    // the engine's own connect() above brought it back).
    const closes = this.permanentCloseSummary();
    if (closes) throw new Error(`the clients converged, but ${closes}`);
  }

  /** A new Y.Doc must receive from the relay exactly the converged state, in its first sync. */
  private async checkFreshClient(reference: Y.Doc): Promise<void> {
    const doc = new Y.Doc();
    const provider = this.createProvider(doc, new Awareness(doc), 'fresh', true);
    this.extras.push({ doc, provider });
    await waitFor(() => this.crash ?? provider.synced, { message: 'fresh client synced' });
    this.assertAlive();
    const difference = describeDifference(reference, doc);
    if (difference !== null) throw new Error(`fresh client differs from converged clients: ${difference}`);
  }

  /** Snapshot plus log rows as stored, replayed into an empty doc, must equal the converged state. */
  private async checkStore(reference: Y.Doc): Promise<void> {
    if (!this.relay) throw new Error('no relay is running');
    const doc = await storedDoc(this.relay, this.docName);
    try {
      const difference = describeDifference(reference, doc);
      if (difference !== null) throw new Error(`the stored document differs from converged clients: ${difference}`);
    } finally {
      doc.destroy();
    }
  }

  /** Where each copy of the document stands against client 0: every client, the relay's room, its store. */
  private async divergenceReport(): Promise<string[]> {
    const reference = this.clients[0]!.doc;
    const lines = this.clients.slice(1).map((c) => `${c.name}: ${describeDifference(reference, c.doc) ?? 'equal'}`);
    const relay = this.relay;
    if (!relay) return [...lines, 'relay: not running'];
    const room = copyOf((await relay.relay.roomFor(this.docName)).doc);
    lines.push(`relay room: ${describeDifference(reference, room) ?? 'equal'}`);
    room.destroy();
    const stored = await storedDoc(relay, this.docName);
    lines.push(`relay store: ${describeDifference(reference, stored) ?? 'equal'}`);
    stored.destroy();
    return lines;
  }

  private permanentCloseSummary(): string | null {
    if (this.permanentCloses.length === 0) return null;
    const shown = this.permanentCloses.slice(0, 5).join('; ');
    const more = this.permanentCloses.length > 5 ? ` (+${this.permanentCloses.length - 5} more)` : '';
    return `the relay closed stock clients with permanent (44xx) codes: ${shown}${more}`;
  }

  private log(step: number, line: string): void {
    this.trace.push(`#${step} ${line}`);
  }
}

const MEMORY_FS = '/dev/shm';

/**
 * Where a seed's relay keeps its SQLite files. The store commits with `synchronous=FULL`: on the
 * machine's disk each fsync blocks the relay's event loop for milliseconds (better-sqlite3 is
 * synchronous), so frames pile up meanwhile and commit in larger groups; in memory (tmpfs, where
 * fsync costs nothing) the same code commits at once, and a seed takes about half the time.
 * Both interleavings are worth having: every `diskEvery`-th seed runs on disk, the others in
 * memory. Restarts here are graceful, so nothing depends on fsync reaching the disk (surviving
 * SIGKILL is the chaos test's job, on disk).
 */
function dataParent(seed: number, diskEvery: number): string {
  const onDisk = diskEvery > 0 && seed % diskEvery === 0;
  return onDisk || !existsSync(MEMORY_FS) ? tmpdir() : MEMORY_FS;
}

/** The document as the relay's store holds it: snapshot plus log rows, replayed into an empty doc. */
async function storedDoc(relay: RunningGuildhall, docName: string): Promise<Y.Doc> {
  const stored = await relay.store.load(docName);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored.tail) Y.applyUpdate(doc, row.update);
  return doc;
}

/**
 * A copy to compare, never the relay's own Y.Doc: reading a root (getText …) gives the room's
 * placeholder roots concrete types, which would change how its document behaves afterwards.
 */
export function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

// ── comparing documents ──────────────────────────────────────────────────────────────────

/** The first way in which some doc differs from the first one, or null when all are equal. */
export function firstDifference(docs: readonly Y.Doc[]): string | null {
  const [reference, ...rest] = docs;
  if (!reference) return null;
  for (const [i, doc] of rest.entries()) {
    const difference = describeDifference(reference, doc);
    if (difference !== null) return `doc ${i + 1} vs doc 0: ${difference}`;
  }
  return null;
}

/**
 * Equal means: no unintegrated (pending) updates, equal Yjs snapshots (state vector and delete
 * set), and equal content of every root — the Y.Text as a delta so formatting counts too.
 */
export function describeDifference(expected: Y.Doc, actual: Y.Doc): string | null {
  for (const [label, doc] of [['expected', expected], ['actual', actual]] as const) {
    if (doc.store.pendingStructs || doc.store.pendingDs) return `${label} doc holds pending updates it could not integrate`;
  }
  const a = Y.snapshot(expected);
  const b = Y.snapshot(actual);
  if (!Y.equalSnapshots(a, b)) {
    const svA = formatStateVector(a.sv);
    const svB = formatStateVector(b.sv);
    if (svA !== svB) return `state vectors differ: ${svA} vs ${svB}`;
    return `delete sets differ (same state vectors): ${deleteSetDifference(a.ds, b.ds)}`;
  }
  for (const [root, view] of Object.entries(rootViews)) {
    const left = canonicalJson(view(expected));
    const right = canonicalJson(view(actual));
    if (left !== right) return `root "${root}" differs: ${clip(left)} vs ${clip(right)}`;
  }
  return null;
}

const rootViews: Record<string, (doc: Y.Doc) => unknown> = {
  [ROOTS.text]: (doc) => doc.getText(ROOTS.text).toDelta(),
  [ROOTS.map]: (doc) => doc.getMap(ROOTS.map).toJSON(),
  [ROOTS.array]: (doc) => doc.getArray(ROOTS.array).toJSON(),
  [ROOTS.xml]: (doc) => doc.getXmlFragment(ROOTS.xml).toString(),
};

/** JSON with object keys sorted: a Y.Map's key order is its integration order, not its content. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    : v));
}

type DeleteSet = Y.Snapshot['ds'];

/** Per client, the deleted clock ranges that only one side has, e.g. `123:[5,7) only in expected`. */
function deleteSetDifference(expected: DeleteSet, actual: DeleteSet): string {
  const deletedClocks = (ds: DeleteSet, client: number): Set<number> => {
    const clocks = new Set<number>();
    for (const { clock, len } of ds.clients.get(client) ?? []) for (let c = clock; c < clock + len; c++) clocks.add(c);
    return clocks;
  };
  const parts: string[] = [];
  for (const client of new Set([...expected.clients.keys(), ...actual.clients.keys()])) {
    const left = deletedClocks(expected, client);
    const right = deletedClocks(actual, client);
    const onlyLeft = [...left].filter((c) => !right.has(c));
    const onlyRight = [...right].filter((c) => !left.has(c));
    if (onlyLeft.length > 0) parts.push(`${client}:${formatClocks(onlyLeft)} deleted only in expected`);
    if (onlyRight.length > 0) parts.push(`${client}:${formatClocks(onlyRight)} deleted only in actual`);
  }
  return parts.join('; ') || 'same deleted clocks, different ranges';
}

/** Sorted clocks as half-open ranges: [3,4,5,9] → "[3,6)[9,10)". */
function formatClocks(clocks: number[]): string {
  const sorted = [...clocks].sort((x, y) => x - y);
  let out = '';
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out += `[${sorted[i]},${sorted[j]! + 1})`;
    i = j + 1;
  }
  return out;
}

function formatStateVector(sv: Map<number, number>): string {
  return `{${[...sv].sort(([x], [y]) => x - y).map(([client, clock]) => `${client}:${clock}`).join(',')}}`;
}

function clip(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

// ── the PRNG ─────────────────────────────────────────────────────────────────────────────

export class Rng {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** 0 ≤ n < max */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** min ≤ n ≤ max */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** An independent stream; drawing from it never shifts this one. */
  fork(): Rng {
    return new Rng(this.int(0x100000000));
  }

  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Mostly ASCII; sometimes multi-byte and astral characters (surrogate pairs in Y.Text). */
  word(): string {
    const alphabet = this.bool(0.1) ? ['é', 'ß', '你', '好', '😀', '🧵', 'ä'] : [...'abcdefghijklmnopqrstuvwxyz '];
    let out = '';
    for (let i = this.range(1, 5); i > 0; i--) out += this.pick(alphabet);
    return out;
  }
}

// ── random edits ─────────────────────────────────────────────────────────────────────────

const MAP_KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];
const ATTRIBUTE_NAMES = ['align', 'level', 'data-x'];
const ELEMENT_NAMES = ['paragraph', 'heading', 'blockquote', 'listItem'];
const FORMATS: ReadonlyArray<Record<string, unknown>> = [
  { bold: true }, { bold: null }, { italic: true }, { italic: null }, { color: '#f00' }, { color: null },
];

type Edit = (doc: Y.Doc, rng: Rng) => string;

/** Applies one random edit to a random root of `doc`; returns its name for the trace. */
export function applyRandomEdit(doc: Y.Doc, rng: Rng): string {
  const [root, edits] = rng.pick(EDITS_BY_ROOT);
  return `${root}.${rng.pick(edits)(doc, rng)}`;
}

export function setRandomAwareness(awareness: Awareness, rng: Rng): void {
  awareness.setLocalStateField('cursor', { anchor: rng.int(100), head: rng.int(100) });
}

/** Random content for maps and arrays: JSON, plain nested objects, and nested shared types. */
function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth >= 2 ? 5 : 8)) {
    case 0: return rng.int(1000);
    case 1: return rng.word();
    case 2: return rng.bool();
    case 3: return null;
    case 4: return { k: rng.word(), n: [rng.int(10), { deep: rng.bool() }] };
    case 5: return new Y.Map<unknown>([[rng.pick(MAP_KEYS), randomValue(rng, depth + 1)]]);
    case 6: {
      const array = new Y.Array<unknown>();
      array.push([randomValue(rng, depth + 1), randomValue(rng, depth + 1)]);
      return array;
    }
    default: {
      const text = new Y.Text();
      text.insert(0, rng.word());
      return text;
    }
  }
}

function randomValues(rng: Rng): unknown[] {
  return Array.from({ length: rng.range(1, 3) }, () => randomValue(rng));
}

/** A random (start, length) inside a sequence of `length` items; length ≥ 1. */
function randomRange(rng: Rng, length: number): [number, number] {
  const start = rng.int(length);
  return [start, rng.range(1, Math.min(length - start, 4))];
}

/**
 * Y.Text positions count UTF-16 code units. Editors never put a position inside a surrogate pair,
 * and Yjs cannot split one consistently (yjs#248: only the peer that splits an item locally
 * replaces both halves with U+FFFD, so peers keep different characters under equal snapshots).
 * Positions are therefore moved to code point boundaries; astral characters still occur.
 */
function codePointBoundary(content: string, index: number): number {
  const high = content.charCodeAt(index - 1);
  return index > 0 && index < content.length && high >= 0xd800 && high <= 0xdbff ? index - 1 : index;
}

function textRange(rng: Rng, content: string): [number, number] {
  const [rawStart, rawLength] = randomRange(rng, content.length);
  const start = codePointBoundary(content, rawStart);
  let end = codePointBoundary(content, rawStart + rawLength);
  if (end <= start) end = codePointBoundary(content, Math.min(content.length, start + 2));
  return [start, Math.max(1, end - start)];
}

function editText(text: Y.Text, rng: Rng): string {
  const roll = rng.int(3);
  const content = text.toDelta().map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ' ')).join('');
  if (roll === 0 || content.length === 0) {
    const index = codePointBoundary(content, rng.int(content.length + 1));
    text.insert(index, rng.word(), rng.bool(0.3) ? { ...rng.pick(FORMATS) } : undefined);
    return 'insert';
  }
  const [index, length] = textRange(rng, content);
  if (roll === 1) {
    text.delete(index, length);
    return 'delete';
  }
  text.format(index, length, { ...rng.pick(FORMATS) });
  return 'format';
}

/** Every shared type nested below `type`, depth first, so edits can reach inside nested values. */
function nestedTypes(type: Y.Map<unknown> | Y.Array<unknown>): Array<Y.Map<unknown> | Y.Array<unknown> | Y.Text> {
  const found: Array<Y.Map<unknown> | Y.Array<unknown> | Y.Text> = [];
  const visit = (value: unknown): void => {
    if (value instanceof Y.Map || value instanceof Y.Array || value instanceof Y.Text) found.push(value);
    if (value instanceof Y.Map) value.forEach((child) => visit(child));
    if (value instanceof Y.Array) value.forEach((child) => visit(child));
  };
  if (type instanceof Y.Map) type.forEach((child) => visit(child));
  if (type instanceof Y.Array) type.forEach((child) => visit(child));
  return found;
}

function editMap(map: Y.Map<unknown>, rng: Rng): string {
  if (rng.bool(0.25) && map.size > 0) {
    map.delete(rng.pick([...map.keys()]));
    return 'delete';
  }
  map.set(rng.pick(MAP_KEYS), randomValue(rng));
  return 'set';
}

function editArray(array: Y.Array<unknown>, rng: Rng): string {
  const roll = rng.int(3);
  if (roll === 0 || array.length === 0) {
    array.insert(rng.int(array.length + 1), randomValues(rng));
    return 'insert';
  }
  if (roll === 1) {
    array.delete(...randomRange(rng, array.length));
    return 'delete';
  }
  array.push(randomValues(rng));
  return 'push';
}

/** Edits a shared type nested in a map or array value (created by another client, maybe). */
function editNested(root: Y.Map<unknown> | Y.Array<unknown>, rng: Rng): string {
  const candidates = nestedTypes(root);
  if (candidates.length === 0) return 'nested-none';
  const target = rng.pick(candidates);
  if (target instanceof Y.Text) return `nested-text-${editText(target, rng)}`;
  if (target instanceof Y.Map) return `nested-map-${editMap(target, rng)}`;
  return `nested-array-${editArray(target, rng)}`;
}

function xmlNodes(fragment: Y.XmlFragment): { elements: Y.XmlElement[]; texts: Y.XmlText[] } {
  const elements: Y.XmlElement[] = [];
  const texts: Y.XmlText[] = [];
  for (const node of fragment.createTreeWalker(() => true)) {
    if (node instanceof Y.XmlElement) elements.push(node);
    else if (node instanceof Y.XmlText) texts.push(node);
  }
  return { elements, texts };
}

function newElement(rng: Rng): Y.XmlElement {
  const element = new Y.XmlElement(rng.pick(ELEMENT_NAMES));
  if (rng.bool(0.5)) element.setAttribute(rng.pick(ATTRIBUTE_NAMES), rng.word());
  const text = new Y.XmlText();
  text.insert(0, rng.word());
  element.insert(0, [text]);
  return element;
}

const xmlEdits: Edit[] = [
  (doc, rng) => {
    // Insert an element at the top level or inside an existing element (nesting).
    const fragment = doc.getXmlFragment(ROOTS.xml);
    const { elements } = xmlNodes(fragment);
    const parent: Y.XmlFragment | Y.XmlElement = rng.bool(0.3) && elements.length > 0 ? rng.pick(elements) : fragment;
    parent.insert(rng.int(parent.length + 1), [newElement(rng)]);
    return parent === fragment ? 'insert-element' : 'insert-nested-element';
  },
  (doc, rng) => {
    const { elements } = xmlNodes(doc.getXmlFragment(ROOTS.xml));
    if (elements.length === 0) return 'set-attribute-none';
    const element = rng.pick(elements);
    if (rng.bool(0.2)) {
      element.removeAttribute(rng.pick(ATTRIBUTE_NAMES));
      return 'remove-attribute';
    }
    element.setAttribute(rng.pick(ATTRIBUTE_NAMES), rng.word());
    return 'set-attribute';
  },
  (doc, rng) => {
    const { texts } = xmlNodes(doc.getXmlFragment(ROOTS.xml));
    return texts.length === 0 ? 'text-none' : `text-${editText(rng.pick(texts), rng)}`;
  },
  (doc, rng) => {
    const fragment = doc.getXmlFragment(ROOTS.xml);
    const { elements } = xmlNodes(fragment);
    const parent: Y.XmlFragment | Y.XmlElement = rng.bool(0.3) && elements.length > 0 ? rng.pick(elements) : fragment;
    if (parent.length === 0) return 'delete-node-none';
    parent.delete(...randomRange(rng, parent.length));
    return 'delete-node';
  },
];

const EDITS_BY_ROOT: ReadonlyArray<readonly [string, readonly Edit[]]> = [
  [ROOTS.text, [(doc, rng) => editText(doc.getText(ROOTS.text), rng)]],
  [ROOTS.map, [
    (doc, rng) => editMap(doc.getMap(ROOTS.map), rng),
    (doc, rng) => editNested(doc.getMap(ROOTS.map), rng),
  ]],
  [ROOTS.array, [
    (doc, rng) => editArray(doc.getArray(ROOTS.array), rng),
    (doc, rng) => editNested(doc.getArray(ROOTS.array), rng),
  ]],
  [ROOTS.xml, xmlEdits],
];
