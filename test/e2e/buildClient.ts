import { build } from 'vite';

/** Playwright global setup: the e2e tests run against the production build (service worker included). */
export default async function buildClient(): Promise<void> {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
