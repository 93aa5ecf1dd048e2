/**
 * Long convergence fuzz runs, one seed after another (`npm run fuzz -- --seeds 200 --from 1`).
 *
 *   --seeds N        how many seeds (default 200)
 *   --from S         first seed (default 1); seeds are S, S+1, …
 *   --seed S         exactly one seed (same as --from S --seeds 1), e.g. to replay a failure
 *   --repeat R       run each seed R times: a seed fixes the schedule, not the kernel's races
 *   --clients, --steps, --max-backoff-ms, --converge-timeout-ms   engine options
 *   --disk-every N   every Nth seed keeps its relay's files on disk, the others in memory
 *                    (default 4; 1: every seed on disk, 0: none)
 *   --bail           stop at the first failure
 *   --verbose        print each seed's report as JSON
 *
 * Prints one line per seed and `seeds: N, failed: M`; exits 1 when any seed failed.
 * Relay logs below `warn` are silenced unless LOG_LEVEL says otherwise.
 */
import { parseArgs } from 'node:util';
import type { FuzzOptions } from './convergence.ts';

process.env.LOG_LEVEL ??= 'warn';
// Imported after LOG_LEVEL is set: the server's loggers read it when their modules load.
const { FUZZ_DEFAULTS, runConvergenceSeed } = await import('./convergence.ts');

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    clients: { type: 'string' },
    steps: { type: 'string' },
    'max-backoff-ms': { type: 'string' },
    'converge-timeout-ms': { type: 'string' },
    'disk-every': { type: 'string' },
    bail: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    process.stderr.write(`--${name} must be a non-negative integer, got "${value}"\n`);
    process.exit(2);
  }
  return parsed;
}

const from = integer('seed', values.seed) ?? integer('from', values.from)!;
const count = values.seed !== undefined ? 1 : integer('seeds', values.seeds)!;
const repeat = Math.max(1, integer('repeat', values.repeat)!);
const options: Partial<FuzzOptions> = {};
const optionValues: Record<keyof FuzzOptions, string | undefined> = {
  clients: values.clients,
  steps: values.steps,
  maxBackoffMs: values['max-backoff-ms'],
  convergeTimeoutMs: values['converge-timeout-ms'],
  diskEvery: values['disk-every'],
};
for (const [key, value] of Object.entries(optionValues) as Array<[keyof FuzzOptions, string | undefined]>) {
  const parsed = integer(key, value);
  if (parsed !== undefined) options[key] = parsed;
}

process.stdout.write(`convergence fuzz: seeds ${from}…${from + count - 1}${repeat > 1 ? ` ×${repeat}` : ''}, `
  + `${JSON.stringify({ ...FUZZ_DEFAULTS, ...options })}\n`);

const failed: number[] = [];
let runs = 0;
const started = performance.now();
outer: for (let seed = from; seed < from + count; seed++) {
  for (let attempt = 1; attempt <= repeat; attempt++) {
    runs++;
    const label = `[${seed - from + 1}/${count}${repeat > 1 ? ` #${attempt}` : ''}] seed ${seed}`;
    try {
      const report = await runConvergenceSeed(seed, options);
      process.stdout.write(`${label} ok ${report.millis} ms\n`);
      if (values.verbose) process.stdout.write(`${JSON.stringify(report)}\n`);
    } catch (error) {
      process.stdout.write(`${label} FAILED\n${error instanceof Error ? error.message : String(error)}\n`);
      if (!failed.includes(seed)) failed.push(seed);
      if (values.bail) break outer;
      break; // one failure is enough for this seed
    }
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(`seeds: ${count}, failed: ${failed.length} (${runs} runs, ${seconds} s)`
  + `${failed.length > 0 ? `; failing seeds: ${failed.join(', ')}` : ''}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
