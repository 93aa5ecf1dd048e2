/**
 * The comparison as Markdown: one row per (size, server), ratios of Guildhall to each reference,
 * and the issue's targets marked met or missed from the measured figures — nothing is typed in.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MeetingResult } from './meeting.ts';
import { packageVersion, type ServerName } from './servers.ts';

export interface CaseResult {
  server: ServerName;
  workload: 'meeting';
  result: MeetingResult;
  serverCpuS: number;
  /** Server CPU seconds per wall second of the sending + drain window (1 = one full core). */
  serverCpuFraction: number;
  peakRssBytes: number;
}

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const REFERENCES: readonly ServerName[] = ['y-websocket-server', 'hocuspocus'];

interface Target { clients: number; label: string; met(guildhall: CaseResult, hocuspocus?: CaseResult): boolean | null }

/** Issue 9's meeting targets (this 2-core machine, same run). */
const MEETING_TARGETS: Target[] = [
  { clients: 200, label: 'p99 ≤ 8 ms', met: (g) => g.result.latencyMs.p99 <= 8 },
  { clients: 200, label: 'server CPU ≤ 0.6× Hocuspocus', met: (g, h) => (h ? g.serverCpuS <= 0.6 * h.serverCpuS : null) },
  { clients: 300, label: 'p99 ≤ 15 ms', met: (g) => g.result.latencyMs.p99 <= 15 },
  { clients: 300, label: 'no collapse (≥ 99.9 % delivered, converged)', met: (g) => g.result.deliveryRatio >= 0.999 && g.result.converged },
];

const ms = (value: number): string => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

function row(c: CaseResult): string {
  const r = c.result;
  const closed = Object.entries(r.closedDuringRun).map(([code, count]) => `${count}×${code}`).join(' ');
  return `| ${r.clients} | ${c.server} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p95)} | ${ms(r.latencyMs.p99)} | ${ms(r.latencyMs.max)} `
    + `| ${r.deliveredPerS.toFixed(0)} | ${(r.deliveryRatio * 100).toFixed(2)} % | ${c.serverCpuS.toFixed(2)} (${(c.serverCpuFraction * 100).toFixed(0)} %) `
    + `| ${mb(c.peakRssBytes)} | ${r.converged ? 'yes' : `**no**: ${r.convergenceNote}`}${closed ? `; closed ${closed}` : ''} `
    + `| ${(r.generator.cpuFraction * 100).toFixed(0)} % / ${ms(r.generator.eventLoopP99Ms)} |`;
}

function gitCommit(): string {
  try {
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return `${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function renderReport(results: CaseResult[], { durationS, rateHz, quick }: { durationS: number; rateHz: number; quick: boolean }): string {
  const lines: string[] = [];
  const cores = cpus();
  lines.push(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (**custom/quick run: not the full workload**)' : ''} `
    + `on ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; `
    + `Guildhall ${packageVersion('guildhall')} (${gitCommit()}), @y/websocket-server ${packageVersion('@y/websocket-server')}, `
    + `@hocuspocus/server ${packageVersion('@hocuspocus/server')}, yjs ${packageVersion('yjs')}. `
    + 'Server, load generator and bench share the machine.');
  lines.push('');
  lines.push(`**Meeting**: one document, every client sends ${rateHz} updates/s for ${durationS} s and receives everyone else's. `
    + 'Latency is send → arrival at each other client (fan-out); delivery counts (update, receiver) pairs; '
    + 'server CPU is over the sending and drain window (share of one core); peak RSS is sampled every 100 ms; '
    + 'the last column is the load generator\'s own CPU and event-loop delay p99 (ms), to show when the generator, not the server, was the limit.');
  lines.push('');
  lines.push('| clients | server | p50 ms | p95 ms | p99 ms | max ms | delivered/s | delivered | server CPU s | peak RSS MiB | converged | generator CPU / loop p99 |');
  lines.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const c of results) lines.push(row(c));

  const sizes = [...new Set(results.map((c) => c.result.clients))];
  const find = (clients: number, server: ServerName): CaseResult | undefined =>
    results.find((c) => c.result.clients === clients && c.server === server);
  lines.push('');
  lines.push('Guildhall ÷ reference (below 1× is better for Guildhall):');
  lines.push('');
  lines.push('| clients | reference | p99 | max | server CPU | peak RSS | delivered/s |');
  lines.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const clients of sizes) {
    const g = find(clients, 'guildhall');
    if (!g) continue;
    for (const reference of REFERENCES) {
      const r = find(clients, reference);
      if (!r) continue;
      lines.push(`| ${clients} | ${reference} | ${ratio(g.result.latencyMs.p99, r.result.latencyMs.p99)} | ${ratio(g.result.latencyMs.max, r.result.latencyMs.max)} `
        + `| ${ratio(g.serverCpuS, r.serverCpuS)} | ${ratio(g.peakRssBytes, r.peakRssBytes)} | ${ratio(g.result.deliveredPerS, r.result.deliveredPerS)} |`);
    }
  }

  lines.push('');
  lines.push('Targets (issue 9):');
  lines.push('');
  for (const target of MEETING_TARGETS) {
    const g = find(target.clients, 'guildhall');
    const verdict = g ? target.met(g, find(target.clients, 'hocuspocus')) : null;
    lines.push(`- meeting ${target.clients}: ${target.label} — ${verdict === null ? 'not measured in this run' : verdict ? 'met' : '**missed**'}`);
  }
  return lines.join('\n');
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
