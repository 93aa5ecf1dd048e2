import { expect } from 'vitest';

/**
 * A seeded property test (STYLE 8): runs `run(seed)` for the pinned regression seeds and seeds
 * 1…count — or only the seed in `process.env[replayVar]` — and fails listing every failing seed
 * with the command-line variable that replays it.
 */
export function expectEverySeedPasses(
  { count, pinned = [], replayVar }: { count: number; pinned?: readonly number[]; replayVar: string },
  run: (seed: number) => void,
): void {
  const only = process.env[replayVar];
  const seeds = only ? [Number(only)] : [...pinned, ...Array.from({ length: count }, (_, i) => i + 1)];
  const failures: string[] = [];
  for (const seed of seeds) {
    try {
      run(seed);
    } catch (error) {
      failures.push(`seed ${seed}: ${(error as Error).message} (replay: ${replayVar}=${seed})`);
    }
  }
  if (failures.length) console.error(failures.join('\n'));
  expect(failures).toEqual([]);
}
