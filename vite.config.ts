import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { API_PATH, HEALTH_PATH, LIVE_PATH_PREFIXES, SYNC_PATH } from './shared/routes.ts';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes the list of emitted files into the service worker (client/sw.ts), so the shell it
 * caches is exactly this build and every deploy yields a new sw.js; and the live paths it must
 * never cache, from shared/routes.ts, so the worker itself imports nothing.
 */
function precacheManifest(): Plugin {
  return {
    name: 'guildhall-precache-manifest',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') throw new Error('sw.js missing from the bundle');
      const files = Object.keys(bundle).filter((f) => f !== 'sw.js' && !f.endsWith('.map')).sort();
      for (const placeholder of ['PRECACHE_MANIFEST', 'LIVE_PATH_PREFIXES']) {
        if (!sw.code.includes(placeholder)) throw new Error(`sw.js has no ${placeholder} placeholder`);
      }
      if (sw.imports.length > 0) throw new Error(`sw.js must not import chunks: ${sw.imports.join(', ')}`);
      sw.code = sw.code.replaceAll('PRECACHE_MANIFEST', JSON.stringify(files))
        .replaceAll('LIVE_PATH_PREFIXES', JSON.stringify(LIVE_PATH_PREFIXES));
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [react(), precacheManifest()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      input: { main: fromRoot('./client/index.html'), sw: fromRoot('./client/sw.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    // `vite` dev server in front of `npm run dev:server` (port 8080).
    proxy: {
      [SYNC_PATH]: { target: 'ws://127.0.0.1:8080', ws: true },
      [API_PATH]: 'http://127.0.0.1:8080',
      [HEALTH_PATH]: 'http://127.0.0.1:8080',
    },
  },
});
