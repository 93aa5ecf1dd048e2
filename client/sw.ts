/**
 * App-shell service worker. Built as its own entry (`/sw.js`); the build replaces
 * PRECACHE_MANIFEST with the list of emitted files, so every deploy changes this script and
 * the browser installs the new shell.
 *
 * - install: cache the shell (index.html and every built asset) under this build's cache name;
 * - activate: drop caches of older builds;
 * - navigations: network first (fresh deploys), the cached shell when the network fails;
 * - built assets: cache first (their names are content hashes);
 * - /sync, /api, /healthz: never touched (live data is Yjs + IndexedDB's job, not the cache's).
 */

// Both replaced at build time by vite.config.ts, so this worker imports nothing (a classic
// service worker cannot import chunks) and its live paths still come from shared/routes.ts.
declare const PRECACHE_MANIFEST: string[];
declare const LIVE_PATH_PREFIXES: readonly string[];

interface ExtendableEvent extends Event { waitUntil(promise: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { request: Request; respondWith(response: Promise<Response>): void }
interface WorkerScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const files = PRECACHE_MANIFEST;
const CACHE = `guildhall-shell-${hash(files.join('|'))}`;
const SHELL = '/index.html';
const NAVIGATION_TIMEOUT_MS = 4_000;

function hash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (h * 33) ^ text.charCodeAt(i);
  return (h >>> 0).toString(36);
}

scope.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll([SHELL, ...files.filter((f) => f !== 'index.html').map((f) => `/${f}`)]))
    .then(() => scope.skipWaiting()));
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('guildhall-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => scope.clients.claim()));
});

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (LIVE_PATH_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('navigation timed out')), NAVIGATION_TIMEOUT_MS)),
    ]);
    if (response.ok) return response;
    throw new Error(`status ${response.status}`);
  } catch {
    const shell = await caches.match(SHELL, { cacheName: CACHE });
    return shell ?? new Response('Guildhall is offline and this device has not opened it before.', { status: 503 });
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    void caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}
