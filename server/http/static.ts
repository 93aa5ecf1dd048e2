import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { DOCUMENT_NAME_ROUTE_PREFIXES, safeDecode } from '../../shared/routes.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built client. Hashed files under /assets/ are immutable; everything else is
 * revalidated, so a new deploy reaches members on their next online load. Client-side routes get
 * index.html: paths without an extension, and document links (whose names contain dots).
 */
export function serveStatic(root: string, pathname: string, request: IncomingMessage, response: ServerResponse): void {
  const decoded = safeDecode(pathname);
  if (decoded === null) {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
    return;
  }
  const file = resolveInside(root, decoded);
  const isAppRoute = extname(decoded) === '' || DOCUMENT_NAME_ROUTE_PREFIXES.some((prefix) => decoded.startsWith(prefix));
  const target = file && isFile(file) ? file : isAppRoute ? join(root, 'index.html') : null;
  if (!target || !isFile(target)) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const immutable = decoded.startsWith('/assets/');
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(target).pipe(response);
}

/** The file for `pathname` inside `root`, or null for anything that escapes it. */
function resolveInside(root: string, pathname: string): string | null {
  if (pathname.includes('\0')) return null;
  const full = normalize(join(root, pathname));
  return full === root || full.startsWith(root + sep) ? full : null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
