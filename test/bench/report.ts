/**
 * The comparison as Markdown: one table per workload, ratios of Guildhall to each reference, and
 * issue 9's targets with the measured figure and met/missed — computed, nothing typed in.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BoardRenderResult } from './boardRender.ts';
import { renderEditorOpenTable, type EditorOpenResult } from './browser.ts';
import type { ColdSyncResult } from './coldSync.ts';
import type { ConnectResult } from './connect.ts';
import type { RoomsResult } from './rooms.ts';
import { packageVersion, type ServerName } from './servers.ts';

export const WORKLOADS = ['meeting', 'many-docs', 'connect', 'cold-sync', 'editor-open', 'board-render'] as const;
export type Workload = typeof WORKLOADS[number];

/** The server's CPU seconds, RSS and the time when the load generator announced a phase. */
export interface Sample { cpuS: number; rssBytes: number; at: number }

interface CaseBase { server: ServerName; size: number; samples: Record<string, Sample>; peakRssBytes: number }
export type CaseResult = CaseBase & (
  | { workload: 'meeting'; result: RoomsResult }
  | { workload: 'many-docs'; result: RoomsResult }
  | { workload: 'connect'; result: ConnectResult }
  | { workload: 'cold-sync'; result: ColdSyncResult }
);
type RoomsCase = Extract<CaseResult, { result: RoomsResult }>;
type ConnectCase = Extract<CaseResult, { workload: 'connect' }>;
type ColdCase = Extract<CaseResult, { workload: 'cold-sync' }>;

export interface ReportOptions { warmupS: number; durationS: number; rateHz: number; manyDocsRateHz: number; connectConcurrency: number; quick: boolean }

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const REFERENCES: readonly ServerName[] = ['y-websocket-server', 'hocuspocus'];

const ms = (value: number): string => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

/** Server CPU over the measured window (between the load generator's start and end phases). */
function cpu(c: CaseResult): { seconds: number; share: number } {
  const start = c.samples.start;
  const end = c.samples.end;
  if (!start || !end) return { seconds: Number.NaN, share: Number.NaN };
  const seconds = end.cpuS - start.cpuS;
  return { seconds, share: seconds / ((end.at - start.at) / 1000) };
}

function bytesPerConnection(c: ConnectCase): number {
  const idle = c.samples.idle;
  const connected = c.samples.connected;
  return idle && connected ? (connected.rssBytes - idle.rssBytes) / c.result.clients : Number.NaN;
}

/** The first client: for Guildhall the document was on disk only (cold). */
const firstSync = (c: ColdCase) => c.result.syncs[0];
const warmReceivedMs = (c: ColdCase): number => median(c.result.syncs.slice(1).map((s) => s.receivedMs));

function roomsRow(c: RoomsCase): string {
  const r = c.result;
  const closed = Object.entries(r.closedDuringRun).map(([code, count]) => `${count}×${code}`).join(' ');
  const { seconds, share } = cpu(c);
  const problems = [r.converged ? '' : `**not converged**: ${r.convergenceNote}`, r.crossed ? `**${r.crossed} crossed documents**` : '', closed ? `closed ${closed}` : '']
    .filter(Boolean).join('; ');
  return `| ${c.workload === 'meeting' ? r.clientsPerDoc : `${r.docs} × ${r.clientsPerDoc}`} | ${c.server} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p95)} | ${ms(r.latencyMs.p99)} | ${ms(r.latencyMs.max)} `
    + `| ${r.deliveredPerS.toFixed(0)} | ${(r.deliveryRatio * 100).toFixed(2)} % | ${seconds.toFixed(2)} (${(share * 100).toFixed(0)} %) `
    + `| ${mb(c.peakRssBytes)} | ${problems || 'yes'} | ${(r.generator.cpuFraction * 100).toFixed(0)} % / ${ms(r.generator.eventLoopP99Ms)} |`;
}

function roomsSection(lines: string[], cases: RoomsCase[]): void {
  lines.push('| clients | server | p50 ms | p95 ms | p99 ms | max ms | delivered/s | delivered | server CPU s | peak RSS MiB | converged | generator CPU / loop p99 |');
  lines.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const c of cases) lines.push(roomsRow(c));
  ratioTable(lines, cases, ['p99', 'max', 'server CPU', 'peak RSS', 'delivered/s'], (g, r) => [
    ratio(g.result.latencyMs.p99, r.result.latencyMs.p99), ratio(g.result.latencyMs.max, r.result.latencyMs.max),
    ratio(cpu(g).seconds, cpu(r).seconds), ratio(g.peakRssBytes, r.peakRssBytes), ratio(g.result.deliveredPerS, r.result.deliveredPerS),
  ]);
}

function connectSection(lines: string[], cases: ConnectCase[]): void {
  lines.push('| clients | server | all synced ms | per client p50 / p99 ms | RSS before → after MiB | KB per connection | closed |');
  lines.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    const r = c.result;
    lines.push(`| ${r.clients} on ${r.docs} docs | ${c.server} | ${ms(r.allSyncedMs)} | ${ms(r.syncMs.p50)} / ${ms(r.syncMs.p99)} `
      + `| ${mb(c.samples.idle?.rssBytes ?? 0)} → ${mb(c.samples.connected?.rssBytes ?? 0)} | ${kb(bytesPerConnection(c))} | ${r.closedBeforeEnd} |`);
  }
  ratioTable(lines, cases, ['all synced', 'memory per connection'], (g, r) => [
    ratio(g.result.allSyncedMs, r.result.allSyncedMs), ratio(bytesPerConnection(g), bytesPerConnection(r)),
  ]);
}

function coldSection(lines: string[], cases: ColdCase[]): void {
  lines.push('| server | state KiB | first client: open / received / applied ms | later clients: received ms (median) | every client got the whole document |');
  lines.push('| --- | ---: | ---: | ---: | --- |');
  for (const c of cases) {
    const first = firstSync(c);
    lines.push(`| ${c.server}${c.server === 'guildhall' ? ' (first client: on disk only)' : ' (in memory)'} | ${kb(c.result.stateBytes)} `
      + `| ${first ? `${ms(first.openMs)} / ${ms(first.receivedMs)} / ${ms(first.appliedMs)}` : '–'} | ${ms(warmReceivedMs(c))} `
      + `| ${c.result.syncs.every((s) => s.complete) ? 'yes' : '**no**'} |`);
  }
  ratioTable(lines, cases, ['first received', 'later received'], (g, r) => [
    ratio(firstSync(g)?.receivedMs ?? Number.NaN, firstSync(r)?.receivedMs ?? Number.NaN), ratio(warmReceivedMs(g), warmReceivedMs(r)),
  ]);
}

function ratioTable<C extends CaseResult>(lines: string[], cases: C[], columns: string[], ratios: (guildhall: C, reference: C) => string[]): void {
  const rows: string[] = [];
  for (const g of cases.filter((c) => c.server === 'guildhall')) {
    for (const reference of REFERENCES) {
      const r = cases.find((c) => c.size === g.size && c.server === reference);
      if (r) rows.push(`| ${g.size} | ${reference} | ${ratios(g, r).join(' | ')} |`);
    }
  }
  if (rows.length === 0) return;
  lines.push('', 'Guildhall ÷ reference (below 1× is better for Guildhall):', '');
  lines.push(`| size | reference | ${columns.join(' | ')} |`);
  lines.push(`| ---: | --- | ${columns.map(() => '---:').join(' | ')} |`);
  lines.push(...rows);
}

interface Target { label: string; measured(cases: CaseResult[]): { guildhall: number; references: Partial<Record<ServerName, number>>; unit: string } | null; met(value: number, references: Partial<Record<ServerName, number>>): boolean }

const find = <W extends Workload>(cases: CaseResult[], workload: W, server: ServerName, size?: number) =>
  cases.find((c) => c.workload === workload && c.server === server && (size === undefined || c.size === size)) as Extract<CaseResult, { workload: W }> | undefined;

function figure<W extends Workload>(workload: W, size: number | undefined, unit: string, value: (c: Extract<CaseResult, { workload: W }>) => number): Target['measured'] {
  return (cases) => {
    const g = find(cases, workload, 'guildhall', size);
    if (!g) return null;
    const references: Partial<Record<ServerName, number>> = {};
    for (const name of REFERENCES) {
      const r = find(cases, workload, name, size);
      if (r) references[name] = value(r);
    }
    return { guildhall: value(g), references, unit };
  };
}

/** Issue 9's targets for this 2-core machine. */
const TARGETS: Target[] = [
  { label: 'meeting 200: p99 ≤ 8 ms', measured: figure('meeting', 200, 'ms', (c) => c.result.latencyMs.p99), met: (v) => v <= 8 },
  { label: 'meeting 200: server CPU ≤ 0.6× Hocuspocus', measured: figure('meeting', 200, 's', (c) => cpu(c).seconds), met: (v, r) => r.hocuspocus !== undefined && v <= 0.6 * r.hocuspocus },
  { label: 'meeting 300: p99 ≤ 15 ms', measured: figure('meeting', 300, 'ms', (c) => c.result.latencyMs.p99), met: (v) => v <= 15 },
  { label: 'meeting 300: no collapse (≥ 99.9 % delivered, converged)', measured: figure('meeting', 300, '% delivered', (c) => (c.result.converged ? c.result.deliveryRatio * 100 : 0)), met: (v) => v >= 99.9 },
  { label: 'many documents: p99 ≤ 3 ms', measured: figure('many-docs', undefined, 'ms', (c) => c.result.latencyMs.p99), met: (v) => v <= 3 },
  { label: 'many documents: server CPU ≤ y-websocket-server', measured: figure('many-docs', undefined, 's', (c) => cpu(c).seconds), met: (v, r) => r['y-websocket-server'] !== undefined && v <= r['y-websocket-server'] },
  { label: 'connect: all synced ≤ 800 ms', measured: figure('connect', undefined, 'ms', (c) => c.result.allSyncedMs), met: (v) => v <= 800 },
  { label: 'connect: ≤ 16 KB per connection', measured: figure('connect', undefined, 'KB', (c) => bytesPerConnection(c) / 1024), met: (v) => v <= 16 },
  { label: 'cold sync: state received ≤ 5 ms, document not in memory', measured: figure('cold-sync', undefined, 'ms', (c) => firstSync(c)?.receivedMs ?? Number.NaN), met: (v) => v <= 5 },
];

function targetLine(target: Target, cases: CaseResult[]): string {
  const m = target.measured(cases);
  if (!m) return `- ${target.label} — not measured in this run`;
  const references = Object.entries(m.references).map(([name, value]) => `${name} ${ms(value)} ${m.unit} (${ratio(m.guildhall, value)})`).join(', ');
  const verdict = target.met(m.guildhall, m.references) ? 'met' : '**missed**';
  return `- ${target.label} — Guildhall ${ms(m.guildhall)} ${m.unit}${references ? `; ${references}` : ''} — ${verdict}`;
}

function gitCommit(): string {
  try {
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return `${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function renderReport(cases: CaseResult[], options: ReportOptions, editorOpen: EditorOpenResult | null, boardRender: BoardRenderResult | null = null): string {
  const lines: string[] = [];
  const cores = cpus();
  lines.push(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${options.quick ? ' (**custom/quick run: not the full workload**)' : ''} `
    + `on ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; `
    + `Guildhall ${packageVersion('guildhall')} (${gitCommit()}), @y/websocket-server ${packageVersion('@y/websocket-server')}, `
    + `@hocuspocus/server ${packageVersion('@hocuspocus/server')}, yjs ${packageVersion('yjs')}. `
    + 'Server, load generator and bench share the machine.');
  const of = <W extends Workload>(workload: W) => cases.filter((c) => c.workload === workload) as Array<Extract<CaseResult, { workload: W }>>;
  const meeting = of('meeting');
  if (meeting.length > 0) {
    lines.push('', `**Meeting**: one document, every client sends ${options.rateHz} updates/s for ${options.warmupS} + ${options.durationS} s and receives everyone else's. `
      + `The first ${options.warmupS} s warm every process up (each compiles its hot paths then) and are not measured: `
      + `latency is send → arrival at each other client (fan-out) for updates sent in the ${options.durationS} s after; delivery counts (update, receiver) pairs of the whole run; `
      + 'server CPU is over the measured sending and drain window (share of one core); peak RSS is sampled every 100 ms; '
      + 'the last column is the load generator\'s own CPU and event-loop delay p99 (ms), to show when the generator, not the server, was the limit.', '');
    roomsSection(lines, meeting);
  }
  const manyDocs = of('many-docs');
  if (manyDocs.length > 0) {
    lines.push('', `**Many documents**: every client sends ${options.manyDocsRateHz} update/s for ${options.warmupS} + ${options.durationS} s to its own document and receives its co-members'; same columns.`, '');
    roomsSection(lines, manyDocs);
  }
  const connect = of('connect');
  if (connect.length > 0) {
    lines.push('', `**Connect**: idle clients open (${options.connectConcurrency} handshakes in flight) and sync, round-robin over the documents; `
      + 'memory per connection is the server\'s RSS with every client connected minus its RSS before, 1 s after each.', '');
    connectSection(lines, connect);
  }
  const cold = of('cold-sync');
  if (cold.length > 0) {
    lines.push('', '**Cold sync**: the real editing trace (259,778 edits of a paper) as one document; five fresh clients connect one after another. '
      + 'Received = sync step 1 sent → the server\'s whole state arrived; applied = and applied to an empty Y.Doc. '
      + 'Guildhall\'s document is on disk only when the first client connects: the server process has started and synced one other, empty document (so it is not its very first connection), and has never loaded this one; '
      + 'the references keep documents in memory only, so theirs was uploaded by a client that stays connected.', '');
    coldSection(lines, cold);
  }
  if (editorOpen) lines.push('', renderEditorOpenTable(editorOpen));
  if (boardRender) lines.push('', renderBoardRenderTable(boardRender));
  lines.push('', 'Targets (issue 9), measured in this run; ratios are Guildhall ÷ reference:', '');
  for (const target of TARGETS) lines.push(targetLine(target, cases));
  return lines.join('\n');
}

/** The board client benchmark (boardRender.ts): opening and scrolling a 2,000-card board. */
export function renderBoardRenderTable(result: BoardRenderResult): string {
  const frameMs = (value: number): string => value.toFixed(1);
  const heap = (bytes: number | null): string => (bytes === null ? '–' : `${(bytes / 2 ** 20).toFixed(1)}`);
  const { board, scroll, memory } = result;
  const rows: Array<[string, string]> = [
    ['cold open: navigation → every lane\'s count and first card painted (from the relay)', `${ms(result.coldOpen.openMs)} ms`],
    [`warm open, from IndexedDB: median / max of ${result.warmOpens.length}`, `${ms(result.warmOpenMs.median)} / ${ms(result.warmOpenMs.max)} ms`],
    [`scroll "${scroll.lane}" top → bottom (${scroll.frames} frames, ${scroll.scrolledPx.toLocaleString('en')} px): frame median / p95 / max`,
      `${frameMs(scroll.frameMs.median)} / ${frameMs(scroll.frameMs.p95)} / ${frameMs(scroll.frameMs.max)} ms`],
    ['scroll: frames longer than 50 ms', `${scroll.longFrames}${scroll.longFrames ? ` (${ms(scroll.longFrameMs)} ms in all)` : ''}`],
    ['scroll: total', `${ms(scroll.totalMs)} ms`],
    ['card tiles in the DOM at most while scrolling (in the scrolled lane)', `${scroll.maxTilesInDom} (${scroll.maxTilesInLane})${scroll.lastCardRendered ? '' : ' — **last card not rendered**'}`],
    ['JS heap after the cold open (after a forced GC)', memory.usedJsHeapBytes === null ? 'not exposed' : `${heap(memory.usedJsHeapBytes)} MiB (${heap(memory.usedJsHeapAfterGcBytes)} MiB)`],
    ['DOM elements after the cold open / after the scroll', `${memory.domNodes.toLocaleString('en')} / ${memory.domNodesAfterScroll.toLocaleString('en')}`],
  ];
  return [
    `**Client: a ${board.cards.toLocaleString('en')}-card board in Chromium** (Chromium ${result.chromium}, ${result.viewport.width}×${result.viewport.height}): `
      + `${board.lanes.length} lanes × ${board.lanes[0]?.cards ?? 0} cards (Markdown bodies of median ${board.bodyChars.median.toLocaleString('en')}, `
      + `max ${board.bodyChars.max.toLocaleString('en')} chars; ${board.cardsWithComments} cards with ${board.comments} comments; `
      + `board state ${(board.stateBytes / 1024).toFixed(0)} KiB), written through the relay by a member's client. `
      + 'Opening counts from navigation start until every lane shows its card count and first card and a frame is painted; '
      + 'scrolling moves one lane\'s list ~300 px per animation frame.',
    '',
    '| measure | value |',
    '| --- | ---: |',
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
  ].join('\n');
}

/** Replaces what is between the markers, or appends a Benchmarks section holding them. */
export function writeReadme(report: string): void {
  const readme = readFileSync(README, 'utf8');
  const block = `${START}\n${report}\n${END}`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  const next = start !== -1 && end > start
    ? readme.slice(0, start) + block + readme.slice(end + END.length)
    : `${readme.trimEnd()}\n\n## Benchmarks\n\n\`npm run bench\` (\`test/bench/\`) runs each workload against Guildhall and the reference servers in one invocation and writes this section.\n\n${block}\n`;
  writeFileSync(README, next);
}
