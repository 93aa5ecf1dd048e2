import { createLogger } from './log.ts';

const log = createLogger('service-worker');

/**
 * The service worker caches the app shell so a member who opened Guildhall once can open it
 * again offline (DESIGN §5). Only in production builds: in dev, Vite serves modules live.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // Without it the app still works online; offline reloads are what is lost.
    log.warn('registration failed', error);
  });
}
