/**
 * `npm test`: the one gate, the same locally and in CI. Runs every step even when one fails,
 * then prints a single total line `N passed, N failed` (CI reads it):
 *   typecheck (1 check) · lint (1 check) · vitest suites (per test) · Playwright e2e (per test)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const REPORTS = 'test/.reports';
const bin = (name: string): string => `node_modules/.bin/${name}`;

interface Tally { passed: number; failed: number }

function run(label: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n── ${label} ──\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  process.stdout.write(`── ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result.status === 0;
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

function check(label: string, command: string, args: string[]): Tally {
  return run(label, command, args) ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

function vitest(): Tally {
  const output = `${REPORTS}/vitest.json`;
  const ok = run('unit, contract, integration, fuzz (vitest)', bin('vitest'),
    ['run', '--config', 'test/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${output}`]);
  const report = readJson<{ numPassedTests: number; numFailedTests: number }>(output);
  if (!report) return { passed: 0, failed: 1 };
  // A suite that crashed before its tests ran counts as one failure.
  return { passed: report.numPassedTests, failed: report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1) };
}

function playwright(): Tally {
  const ok = run('end-to-end in Chromium (Playwright)', bin('playwright'), ['test', '--config', 'test/playwright.config.ts']);
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(`${REPORTS}/playwright.json`);
  if (!report) return { passed: 0, failed: 1 };
  const { expected, unexpected, flaky } = report.stats;
  return { passed: expected, failed: unexpected + flaky + (ok || unexpected + flaky > 0 ? 0 : 1) };
}

rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });
const started = Date.now();
const tallies = [
  check('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']),
  check('lint (eslint)', bin('eslint'), ['--config', 'test/eslint.config.js', '--max-warnings', '0', '.']),
  vitest(),
  playwright(),
];
const total = tallies.reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed }), { passed: 0, failed: 0 });
process.stdout.write(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed\n`);
process.exit(total.failed === 0 ? 0 : 1);
