import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { API_PATH, HEALTH_PATH, METRICS_PATH, TIME_PATH } from '../../shared/routes.ts';
import { createLogger } from '../log.ts';
import type { Relay } from '../relay/relay.ts';
import { communityRoutes } from './routes/communities.ts';
import { documentRoutes } from './routes/documents.ts';
import { retroRoutes } from './routes/retros.ts';
import { boardRoutes } from './routes/board.ts';
import { historyRoutes } from './routes/history.ts';
import { charterRoutes } from './routes/charter.ts';
import { createApiHandler, sendJson, type Services } from './router.ts';
import { serveStatic } from './static.ts';

const log = createLogger('http');

/**
 * The request's path, or null when its target is not a path a browser would send (absolute-form
 * garbage such as `http://[x/…`): one malformed request must never throw out of a handler.
 */
export function requestPath(request: IncomingMessage): string | null {
  const target = request.url ?? '/';
  if (!target.startsWith('/')) return null;
  try {
    return new URL(target, 'http://relay').pathname;
  } catch {
    return null;
  }
}

/** One HTTP server for the app, the API, health and the relay's websocket upgrades. */
export function createHttpServer(services: Services, clientDir: string): Server {
  const api = createApiHandler(services, [...communityRoutes, ...documentRoutes, ...retroRoutes, ...charterRoutes, ...boardRoutes, ...historyRoutes]);
  const server = createServer((request, response) => {
    const path = requestPath(request);
    if (path === null) return sendJson(response, 400, { error: 'malformed request target' });
    if (path === HEALTH_PATH) return sendJson(response, 200, { status: 'ok', ...services.relay.stats });
    // Read as close to the response as possible: clients halve the round trip around it.
    if (path === TIME_PATH) return sendJson(response, 200, { now: Date.now() });
    if (path === METRICS_PATH) return void serveMetrics(services, response);
    if (path.startsWith(`${API_PATH}/`)) {
      api(request, response).catch((error: unknown) => log.error('api handler failed', { error }));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(response, 405, { error: 'method not allowed' });
    }
    serveStatic(clientDir, path, request, response);
  });
  server.on('upgrade', (request, socket, head) => services.relay.handleUpgrade(request, socket, head));
  // Malformed HTTP from a client is answered and logged, never thrown.
  server.on('clientError', (error, socket) => {
    log.debug('malformed HTTP', { error });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return server;
}

async function serveMetrics({ metrics }: Services, response: ServerResponse): Promise<void> {
  try {
    const body = await metrics.metrics();
    response.writeHead(200, { 'content-type': metrics.contentType }).end(body);
  } catch (error) {
    log.error('metrics collection failed', { error });
    sendJson(response, 500, { error: 'metrics unavailable' });
  }
}

export type { Relay };
