import { defineConfig } from 'vitest/config';

// Vite's own root is client/; tests live in test/ (TOOLCHAIN pitfall 7), Playwright specs excluded.
export default defineConfig({
  test: {
    root: '.',
    include: ['test/{unit,contract,integration,fuzz}/**/*.test.ts', '{shared,server,client}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Relay logs at info are noise in test output; failures print what they need.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  },
});
