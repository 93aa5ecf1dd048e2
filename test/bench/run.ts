/**
 * `npm run bench`: every workload against Guildhall and the reference servers in one invocation,
 * one fresh server process per (workload, size, server). Prints the comparison and, for a full
 * run, writes it into README.md between the bench markers.
 *
 *   npm run bench                          every workload at its full size, writes README
 *   npm run bench -- --quick               every workload scaled down, prints only
 *   workloads: meeting, many-docs, connect, cold-sync (each on all three servers), editor-open, board-render (Chromium)
 *   npm run bench -- --workloads meeting --clients 200 --duration 10 --servers guildhall,hocuspocus [--write]
 *   npm run bench -- --quick --servers guildhall --profile /tmp/prof   V8 CPU profile of Guildhall
 *   … --profile-generator /tmp/gen     V8 CPU profile of the load generator
 *   … --relay-metrics                  prints Guildhall's commit and fan-out histograms (/metrics) after each case
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBoardRenderBench } from './boardRender.ts';
import { runEditorOpenBench } from './browser.ts';
import type { LoadgenMessage, LoadgenRequest, WorkloadResult } from './loadgen.ts';
import { cpuSeconds, rssBytes, watchPeakRss } from './procStats.ts';
import { renderReport, writeReadme, type CaseResult, type Workload, WORKLOADS } from './report.ts';
import { SERVER_NAMES, startServer, type RunningServer, type ServerName } from './servers.ts';
import { seedGuildhallDocument, traceStateFile } from './traceState.ts';

const RATE_HZ = 5;
const MANY_DOCS_RATE_HZ = 1;
const DRAIN_MS = 5_000;
/** Full-rate sending before the measured window of the fan-out workloads (rooms.ts). */
const WARMUP_S = 2;
const CONNECT_CONCURRENCY = 200;
const COLD_SYNC_CLIENTS = 5;
const EDITOR_OPENINGS = 5;
const BOARD_WARM_OPENINGS = 5;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    workloads: { type: 'string' },
    clients: { type: 'string' },
    duration: { type: 'string' },
    servers: { type: 'string' },
    write: { type: 'boolean' },
    profile: { type: 'string' },
    'profile-generator': { type: 'string' },
    'relay-metrics': { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const workloads = (values.workloads?.split(',') ?? WORKLOADS) as Workload[];
const meetingSizes = (values.clients ?? (quick ? '20' : '50,200,300')).split(',').map(Number);
const durationS = Number(values.duration ?? (quick ? 3 : 20));
const servers = (values.servers?.split(',') ?? SERVER_NAMES) as ServerName[];
const custom = quick || [values.workloads, values.clients, values.duration, values.servers, values.profile, values['profile-generator']].some((v) => v !== undefined);
const write = values.write ?? !custom;
const manyDocs = quick ? 30 : 300;
const connectDocs = quick ? 10 : 100;
const connectPerDoc = 20;

for (const name of servers) if (!SERVER_NAMES.includes(name)) throw new Error(`unknown server ${name}; one of ${SERVER_NAMES.join(', ')}`);
for (const name of workloads) if (!WORKLOADS.includes(name)) throw new Error(`unknown workload ${name}; one of ${WORKLOADS.join(', ')}`);
if (meetingSizes.some((n) => !Number.isInteger(n) || n < 2) || !(durationS > 0)) throw new Error('--clients needs integers ≥ 2, --duration a positive number');

const docNames = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `home.shared.bench-${prefix}-${i}`);

/** What one (workload, size) asks of the load generator, given the server under test. */
interface CaseSpec {
  workload: Workload;
  size: number;
  request(server: RunningServer): LoadgenRequest;
  /** Guildhall only: what its storage must hold before it starts. */
  prepareDataDir?: (dataDir: string) => Promise<void>;
}

function specs(stateFile: string | null): CaseSpec[] {
  const list: CaseSpec[] = [];
  if (workloads.includes('meeting')) {
    for (const clients of meetingSizes) {
      const docs = docNames('meeting', 1);
      list.push({ workload: 'meeting', size: clients, request: (s) => ({ workload: 'rooms', config: {
        urls: docs.map((d) => s.urlFor(d)), docs, dialect: s.dialect, clientsPerDoc: clients, rateHz: RATE_HZ, warmupS: WARMUP_S, durationS, drainMs: DRAIN_MS,
      } }) });
    }
  }
  if (workloads.includes('many-docs')) {
    const docs = docNames('many', manyDocs);
    list.push({ workload: 'many-docs', size: manyDocs, request: (s) => ({ workload: 'rooms', config: {
      urls: docs.map((d) => s.urlFor(d)), docs, dialect: s.dialect, clientsPerDoc: 4, rateHz: MANY_DOCS_RATE_HZ, warmupS: WARMUP_S, durationS, drainMs: DRAIN_MS,
    } }) });
  }
  if (workloads.includes('connect')) {
    const docs = docNames('connect', connectDocs);
    list.push({ workload: 'connect', size: connectDocs * connectPerDoc, request: (s) => ({ workload: 'connect', config: {
      urls: docs.map((d) => s.urlFor(d)), docs, dialect: s.dialect, clientsPerDoc: connectPerDoc, concurrency: CONNECT_CONCURRENCY,
    } }) });
  }
  if (workloads.includes('cold-sync') && stateFile) {
    const [doc] = docNames('trace', 1) as [string];
    list.push({
      workload: 'cold-sync', size: COLD_SYNC_CLIENTS,
      request: (s) => ({ workload: 'cold-sync', config: {
        url: s.urlFor(doc), doc, dialect: s.dialect, statePath: stateFile, clients: COLD_SYNC_CLIENTS, seed: s.name !== 'guildhall',
        ...(s.name === 'guildhall' ? { warmup: { url: s.urlFor(`${doc}-warmup`), doc: `${doc}-warmup` } } : {}),
      } }),
      prepareDataDir: (dataDir) => seedGuildhallDocument(dataDir, doc, stateFile),
    });
  }
  return list;
}

async function runCase(spec: CaseSpec, server: ServerName): Promise<CaseResult> {
  const running = await startServer(server, { profileDir: values.profile, prepareDataDir: spec.prepareDataDir });
  const rss = watchPeakRss(running.pid);
  const samples: CaseResult['samples'] = {};
  try {
    const generatorProfile = values['profile-generator'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-generator']}`] : [];
    const child = fork(fileURLToPath(new URL('loadgen.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx', ...generatorProfile] });
    const result = await new Promise<WorkloadResult>((resolve, reject) => {
      const timeout = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('load generator timed out'));
      }, (WARMUP_S + durationS + 180) * 1000 + DRAIN_MS);
      child.on('message', (message: LoadgenMessage) => {
        if (message.type === 'phase') {
          samples[message.phase] = { cpuS: cpuSeconds(running.pid), rssBytes: rssBytes(running.pid), at: performance.now() };
          child.send('sampled');
          return;
        }
        clearTimeout(timeout);
        if (message.type === 'result') resolve(message.result);
        else reject(new Error(message.message));
      });
      child.once('exit', (code) => {
        clearTimeout(timeout);
        reject(new Error(`load generator exited (${code}) without a result`));
      });
      child.send(spec.request(running));
    });
    return { server, workload: spec.workload, size: spec.size, result, samples, peakRssBytes: rss.stop() } as CaseResult;
  } finally {
    rss.stop();
    try {
      if (values['relay-metrics'] && running.metricsUrl) await printRelayMetrics(running.metricsUrl);
    } finally {
      await running.stop();
    }
  }
}

/** The relay's own view of the case just run: how long commits took and updates waited for their frame. */
async function printRelayMetrics(url: string): Promise<void> {
  const text = await (await fetch(url)).text();
  const wanted = /^guildhall_(commit_seconds|fanout_seconds|updates_committed_total|nodejs_eventloop_lag_p99_seconds|nodejs_eventloop_lag_max_seconds)/;
  process.stderr.write(`${text.split('\n').filter((line) => wanted.test(line)).join('\n')}\n`);
}

const scratch = mkdtempSync(join(tmpdir(), 'guildhall-bench-state-'));
try {
  const stateFile = workloads.includes('cold-sync') ? traceStateFile(scratch) : null;
  const results: CaseResult[] = [];
  for (const spec of specs(stateFile)) {
    for (const server of servers) {
      process.stderr.write(`${spec.workload} ${spec.size} on ${server}…\n`);
      results.push(await runCase(spec, server));
    }
  }
  // Client benchmarks: Guildhall's app in Chromium, no reference server involved.
  const editorOpen = workloads.includes('editor-open') && servers.includes('guildhall')
    ? await runEditorOpenBench({ repetitions: quick ? 2 : EDITOR_OPENINGS })
    : null;
  // --quick opens the board fewer times; the board keeps its 2,000 cards (fewer would not test virtualization).
  const boardRender = workloads.includes('board-render') && servers.includes('guildhall')
    ? await runBoardRenderBench({ repetitions: quick ? 2 : BOARD_WARM_OPENINGS })
    : null;
  const report = renderReport(results, { warmupS: WARMUP_S, durationS, rateHz: RATE_HZ, manyDocsRateHz: MANY_DOCS_RATE_HZ, connectConcurrency: CONNECT_CONCURRENCY, quick: custom }, editorOpen, boardRender);
  process.stdout.write(`${report}\n`);
  if (write) {
    writeReadme(report);
    process.stderr.write('README.md updated between <!-- bench:start --> and <!-- bench:end -->\n');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
