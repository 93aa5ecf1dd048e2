import { createServer, type Server } from 'node:http';
import type { Relay } from '../relay/relay.ts';
import { handleApi, sendJson } from './api.ts';
import { serveStatic } from './static.ts';

/** One HTTP server for the app, the API, health and the relay's websocket upgrades. */
export function createHttpServer(relay: Relay, clientDir: string): Server {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path === '/healthz') return sendJson(response, 200, { status: 'ok', ...relay.stats });
    if (path.startsWith('/api/')) return void handleApi(relay, request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(response, 405, { error: 'method not allowed' });
    }
    serveStatic(clientDir, request, response);
  });
  server.on('upgrade', (request, socket, head) => relay.handleUpgrade(request, socket, head));
  return server;
}
