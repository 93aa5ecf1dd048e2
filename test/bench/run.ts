/**
 * `npm run bench`: every workload against Guildhall and the reference servers in one invocation,
 * one fresh server process per (workload, size, server). Prints the comparison and, for a full
 * run, writes it into README.md between the bench markers.
 *
 *   npm run bench                          meeting 50/200/300 clients × 20 s, writes README
 *   npm run bench -- --quick               20 clients × 3 s, prints only
 *   npm run bench -- --clients 50 --duration 5 --servers guildhall,hocuspocus [--write]
 *   npm run bench -- --quick --servers guildhall --profile /tmp/prof   V8 CPU profile of Guildhall
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoadgenMessage, LoadgenRequest } from './loadgen.ts';
import type { MeetingResult } from './meeting.ts';
import { cpuSeconds, watchPeakRss } from './procStats.ts';
import { renderReport, writeReadme, type CaseResult } from './report.ts';
import { SERVER_NAMES, startServer, type ServerName } from './servers.ts';

const RATE_HZ = 5;
const DRAIN_MS = 5_000;
const DOC_NAME = 'home.shared.bench-meeting';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    clients: { type: 'string' },
    duration: { type: 'string' },
    servers: { type: 'string' },
    write: { type: 'boolean' },
    profile: { type: 'string' },
  },
});
const quick = values.quick;
const clientCounts = (values.clients ?? (quick ? '20' : '50,200,300')).split(',').map(Number);
const durationS = Number(values.duration ?? (quick ? 3 : 20));
const servers = (values.servers?.split(',') ?? SERVER_NAMES) as ServerName[];
const custom = quick || values.clients !== undefined || values.duration !== undefined || values.servers !== undefined || values.profile !== undefined;
const write = values.write ?? !custom;

for (const name of servers) if (!SERVER_NAMES.includes(name)) throw new Error(`unknown server ${name}; one of ${SERVER_NAMES.join(', ')}`);
if (clientCounts.some((n) => !Number.isInteger(n) || n < 2) || !(durationS > 0)) throw new Error('--clients needs integers ≥ 2, --duration a positive number');

async function runCase(server: ServerName, clients: number): Promise<CaseResult> {
  const running = await startServer(server, { profileDir: values.profile });
  const rss = watchPeakRss(running.pid);
  try {
    let cpuAtStart = 0;
    let cpuAtEnd = 0;
    let wallAtStart = 0;
    let wallAtEnd = 0;
    const child = fork(fileURLToPath(new URL('loadgen.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    const result = await new Promise<MeetingResult>((resolve, reject) => {
      const timeout = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('load generator timed out'));
      }, (durationS + 120) * 1000 + DRAIN_MS);
      child.on('message', (message: LoadgenMessage) => {
        if (message.type === 'phase' && message.phase === 'sending') {
          cpuAtStart = cpuSeconds(running.pid);
          wallAtStart = performance.now();
        } else if (message.type === 'phase') {
          cpuAtEnd = cpuSeconds(running.pid);
          wallAtEnd = performance.now();
        } else {
          clearTimeout(timeout);
          if (message.type === 'result') resolve(message.result);
          else reject(new Error(message.message));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timeout);
        reject(new Error(`load generator exited (${code}) without a result`));
      });
      const request: LoadgenRequest = {
        workload: 'meeting',
        config: { url: running.urlFor(DOC_NAME), doc: DOC_NAME, dialect: running.dialect, clients, rateHz: RATE_HZ, durationS, drainMs: DRAIN_MS },
      };
      child.send(request);
    });
    const serverCpuS = cpuAtEnd - cpuAtStart;
    return { server, workload: 'meeting', result, serverCpuS, serverCpuFraction: serverCpuS / ((wallAtEnd - wallAtStart) / 1000), peakRssBytes: rss.stop() };
  } finally {
    rss.stop();
    await running.stop();
  }
}

const results: CaseResult[] = [];
for (const clients of clientCounts) {
  for (const server of servers) {
    process.stderr.write(`meeting ${clients} clients × ${durationS} s on ${server}…\n`);
    results.push(await runCase(server, clients));
  }
}
const report = renderReport(results, { durationS, rateHz: RATE_HZ, quick: custom });
process.stdout.write(`${report}\n`);
if (write) {
  writeReadme(report);
  process.stderr.write('README.md updated between <!-- bench:start --> and <!-- bench:end -->\n');
}
