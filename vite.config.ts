import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes the list of emitted files into the service worker (client/sw.ts), so the shell it
 * caches is exactly this build and every deploy yields a new sw.js.
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
      if (!sw.code.includes('PRECACHE_MANIFEST')) throw new Error('sw.js has no PRECACHE_MANIFEST placeholder');
      sw.code = sw.code.replaceAll('PRECACHE_MANIFEST', JSON.stringify(files));
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
    proxy: {
      '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});
