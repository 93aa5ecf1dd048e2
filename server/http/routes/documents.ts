import type * as Y from 'yjs';
import { accessFor } from '../../../shared/access.ts';
import { CreateDocumentBody } from '../../../shared/api.ts';
import { DEFAULT_COMMUNITY, formatDocName, indexDocName } from '../../../shared/docNames.ts';
import { randomId } from '../../../shared/ids.ts';
import { INDEX_DOCUMENTS_ROOT, MEETING_NOTES_ROOT, UNTITLED, type DocumentKind, type IndexEntry } from '../../../shared/schema/documents.ts';
import { principalOf } from '../../directory/directory.ts';
import { seedDocument } from '../../documents/templates.ts';
import { createLogger } from '../../log.ts';
import { API_ORIGIN } from '../../relay/origins.ts';
import type { Relay } from '../../relay/relay.ts';
import { HttpError, MAX_IMPORT_BODY_BYTES, type Route } from '../router.ts';
import { markdownToNodes } from '../../../shared/meeting/markdownImport.ts';

const log = createLogger('http:documents');

export interface ExtraSeeding {
  /** More content for the new document, in the same change as its template. */
  board?: (doc: Y.Doc) => void;
  /** Documents that share its id (a retro's control and results), seeded before it is listed. */
  companions?: (id: string) => Promise<void>;
}

/** Seeds a new document and lists it in its community's index, both through the durable write path. */
export async function createDocument(
  relay: Relay, community: string, kind: DocumentKind, title: string, extra: ExtraSeeding = {},
): Promise<{ name: string } & IndexEntry> {
  const id = randomId();
  const name = formatDocName({ community, accessClass: 'shared', id });
  const createdAt = Date.now();
  await relay.change(name, API_ORIGIN, (doc) => {
    seedDocument(doc, kind, title, createdAt);
    extra.board?.(doc);
  });
  await extra.companions?.(id);
  const entry: IndexEntry = { kind, title, createdAt };
  await relay.change(indexDocName(community), API_ORIGIN, (index) => {
    index.getMap(INDEX_DOCUMENTS_ROOT).set(name, entry);
  });
  log.info('document created', { doc: name, kind });
  return { name, ...entry };
}

/** An import: the notes hold the Markdown's content instead of the template. */
function imported(markdown: string | undefined): ExtraSeeding {
  if (markdown === undefined) return {};
  return {
    board: (doc) => {
      const notes = doc.getXmlFragment(MEETING_NOTES_ROOT);
      notes.delete(0, notes.length);
      notes.insert(0, markdownToNodes(markdown));
    },
  };
}

export const documentRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/documents',
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    async handle({ body, services }) {
      const input = await body(CreateDocumentBody);
      return { status: 201, body: await createDocument(services.relay, DEFAULT_COMMUNITY, input.kind, input.title || UNTITLED, imported(input.markdown)) };
    },
  },
  {
    // New documents are shared ones: whoever may write those (everyone but viewers) may create them.
    method: 'POST',
    path: '/api/communities/:communityId/documents',
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      const shared = { community: me.communityId, accessClass: 'shared', id: 'new' } as const;
      if (accessFor(principalOf(me), shared) !== 'write') throw new HttpError(403, 'viewers cannot create documents');
      const input = await body(CreateDocumentBody);
      return { status: 201, body: await createDocument(services.relay, me.communityId, input.kind, input.title || UNTITLED, imported(input.markdown)) };
    },
  },
];
