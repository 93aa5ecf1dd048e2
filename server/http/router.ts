import type { Registry } from 'prom-client';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { DirectoryError, type Directory, type Member } from '../directory/directory.ts';
import { currentMember } from '../auth/members.ts';
import { API_WRITES_BURST, API_WRITES_PER_SECOND } from '../../shared/limits.ts';
import { safeDecode } from '../../shared/routes.ts';
import { createLogger } from '../log.ts';
import { TokenBucket } from '../relay/tokenBucket.ts';
import type { Relay } from '../relay/relay.ts';

const log = createLogger('http:api');
const MAX_BODY_BYTES = 16 * 1024;
/** For a route that takes a document's text (a Markdown import). */
export const MAX_IMPORT_BODY_BYTES = 512 * 1024;

/** What route handlers work with. */
export interface Services {
  relay: Relay;
  directory: Directory;
  authSecret: Uint8Array;
  /** Prometheus registry served at /metrics. */
  metrics: Registry;
  /** Recounts the community's open charter rounds now (server/projections/charter.ts). */
  refreshCharter(community: string): Promise<void>;
}

const DIRECTORY_STATUS: Record<DirectoryError['code'], number> = { 'not-found': 404, conflict: 409, gone: 410, invalid: 400 };

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface RequestContext {
  request: IncomingMessage;
  params: Record<string, string>;
  services: Services;
  /** Parses and validates the JSON body; a 400 names the first invalid field. */
  body<T>(schema: z.ZodType<T>): Promise<T>;
  /** The current member behind `Authorization: Bearer <token>` in `communityId`, or 401/403. */
  member(communityId: string): Promise<Member>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** e.g. `/api/communities/:communityId/members` */
  path: string;
  /** Bodies above this are refused with 413 (default 16 KiB). */
  maxBodyBytes?: number;
  handle(context: RequestContext): Promise<RouteResult>;
}

/** JSON by default; a route that answers a file (an export) gives its bytes, type and name. */
export type RouteResult =
  | { status: number; body: unknown }
  | { status: number; file: { bytes: Uint8Array; contentType: string; filename: string } };

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

/** Routes under /api/. Errors become JSON `{ error }` with a 4xx/5xx status, never a stack. */
export function createApiHandler(services: Services, routes: Route[]) {
  const limiter = new PerAddressLimiter();
  const compiled: CompiledRoute[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/:([a-zA-Z]+)/g, (_, name: string) => { names.push(name); return '([^/]+)'; });
    return { ...route, names, pattern: new RegExp(`^${source}$`) };
  });

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const pathname = new URL(request.url ?? '/', 'http://x').pathname;
      const matches = compiled.filter((r) => r.pattern.test(pathname));
      if (matches.length === 0) throw new HttpError(404, 'no such endpoint');
      const route = matches.find((r) => r.method === request.method);
      if (!route) throw new HttpError(405, 'method not allowed');
      if (route.method !== 'GET' && !limiter.take(request.socket.remoteAddress ?? '')) {
        throw new HttpError(429, 'too many requests: wait a moment and try again');
      }
      const values = route.pattern.exec(pathname)!.slice(1).map(safeDecode);
      if (values.some((value) => value === null)) throw new HttpError(400, 'malformed escape in the path');
      const params = Object.fromEntries(route.names.map((name, i) => [name, values[i]!]));
      const result = await route.handle({
        request, params, services,
        body: (schema) => readBody(request, schema, route.maxBodyBytes ?? MAX_BODY_BYTES),
        member: (communityId) => authenticate(services, request, communityId),
      });
      if ('file' in result) sendFile(response, result.status, result.file);
      else sendJson(response, result.status, result.body);
    } catch (error) {
      if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message });
      if (error instanceof DirectoryError) return sendJson(response, DIRECTORY_STATUS[error.code], { error: error.message });
      log.error('request failed', { path: requestPathname(request), error });
      sendJson(response, 500, { error: 'internal error' });
    }
  };
}

/**
 * Token buckets for API writes, one per client address; buckets idle long enough to be full
 * again are dropped, so the map stays as small as the set of recently active addresses.
 */
class PerAddressLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();
  private lastSweep = Date.now();

  take(address: string): boolean {
    const now = Date.now();
    if (now - this.lastSweep > IDLE_BUCKET_MS) {
      for (const [key, entry] of this.buckets) if (now - entry.lastUsed > IDLE_BUCKET_MS) this.buckets.delete(key);
      this.lastSweep = now;
    }
    let entry = this.buckets.get(address);
    if (!entry) this.buckets.set(address, (entry = { bucket: new TokenBucket(API_WRITES_PER_SECOND, API_WRITES_BURST), lastUsed: now }));
    entry.lastUsed = now;
    return entry.bucket.take();
  }
}
const IDLE_BUCKET_MS = (API_WRITES_BURST / API_WRITES_PER_SECOND) * 1000;

async function authenticate(services: Services, request: IncomingMessage, communityId: string): Promise<Member> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  if (!token) throw new HttpError(401, 'sign in: this needs a member token (Authorization: Bearer …)');
  const check = await currentMember(services.directory, services.authSecret, token, communityId);
  if (!check.ok) throw new HttpError(check.status, check.reason);
  return check.member;
}

async function readBody<T>(request: IncomingMessage, schema: z.ZodType<T>, maxBytes: number): Promise<T> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'content-type must be application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `body too large (at most ${Math.round(maxBytes / 1024)} KiB)`);
    chunks.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, `${where}${issue.message}`);
  }
  return parsed.data;
}

/** The path only: targets are never logged whole (tokens may ride in queries). */
function requestPathname(request: IncomingMessage): string {
  return (request.url ?? '').split('?')[0] ?? '';
}

function sendFile(response: ServerResponse, status: number, file: { bytes: Uint8Array; contentType: string; filename: string }): void {
  response.writeHead(status, {
    'content-type': file.contentType, 'cache-control': 'no-store',
    // The name is ours (ids and dates only), so it needs no escaping beyond the quotes.
    'content-disposition': `attachment; filename="${file.filename.replace(/"/g, '')}"`,
    'content-length': file.bytes.byteLength,
  });
  response.end(file.bytes);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
