import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_COMMUNITY, formatDocName, indexDocName } from '../../shared/docNames.ts';
import { randomId } from '../../shared/ids.ts';
import {
  DOCUMENT_KINDS, INDEX_DOCUMENTS_ROOT, MAX_TITLE_CHARS, UNTITLED, type DocumentKind, type IndexEntry,
} from '../../shared/schema/documents.ts';
import { seedDocument } from '../documents/templates.ts';
import { createLogger } from '../log.ts';
import { API_ORIGIN } from '../relay/origins.ts';
import type { Relay } from '../relay/relay.ts';

const log = createLogger('http:api');
const MAX_BODY_BYTES = 16 * 1024;

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Routes under /api/. Errors become JSON `{ error }` with a 4xx/5xx status, never a stack. */
export async function handleApi(relay: Relay, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/api/documents' && request.method === 'POST') {
      const body = await readJson(request);
      return sendJson(response, 201, await createDocument(relay, parseCreateDocument(body)));
    }
    throw new HttpError(404, 'no such endpoint');
  } catch (error) {
    if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message });
    log.error('request failed', { path: request.url, error });
    sendJson(response, 500, { error: 'internal error' });
  }
}

interface CreateDocument {
  kind: DocumentKind;
  title: string;
}

function parseCreateDocument(body: unknown): CreateDocument {
  if (typeof body !== 'object' || body === null) throw new HttpError(400, 'body must be a JSON object');
  const { kind, title } = body as Record<string, unknown>;
  if (!(DOCUMENT_KINDS as readonly unknown[]).includes(kind)) {
    throw new HttpError(400, `kind must be one of: ${DOCUMENT_KINDS.join(', ')}`);
  }
  if (title !== undefined && typeof title !== 'string') throw new HttpError(400, 'title must be a string');
  const trimmed = (title ?? '').trim();
  if (trimmed.length > MAX_TITLE_CHARS) throw new HttpError(400, `title is longer than ${MAX_TITLE_CHARS} characters`);
  return { kind: kind as DocumentKind, title: trimmed || UNTITLED };
}

/** Seeds the new document and lists it in the index, both through the durable write path. */
async function createDocument(relay: Relay, input: CreateDocument): Promise<{ name: string } & IndexEntry> {
  const name = formatDocName({ community: DEFAULT_COMMUNITY, accessClass: 'shared', id: randomId() });
  const createdAt = Date.now();
  await relay.change(name, API_ORIGIN, (doc) => seedDocument(doc, input.kind, input.title, createdAt));
  const entry: IndexEntry = { kind: input.kind, title: input.title, createdAt };
  await relay.change(indexDocName(DEFAULT_COMMUNITY), API_ORIGIN, (index) => {
    index.getMap(INDEX_DOCUMENTS_ROOT).set(name, entry);
  });
  log.info('document created', { doc: name, kind: input.kind });
  return { name, ...entry };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'content-type must be application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
