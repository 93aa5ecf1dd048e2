import { EntryStatusBody, ModerateBody } from '../../../shared/api.ts';
import { entriesOf } from '../../../shared/library/model.ts';
import { may } from '../../../shared/roles.ts';
import { libraryDocNames, STATUSES_ROOT, type EntryStatusRecord } from '../../../shared/schema/library.ts';
import { ensureBoard, hiddenContent, moderate } from '../../documents/board.ts';
import { principalOf } from '../../directory/directory.ts';
import { createLogger } from '../../log.ts';
import { API_ORIGIN } from '../../relay/origins.ts';
import { HttpError, type Route } from '../router.ts';

const log = createLogger('http:board');

export const boardRoutes: Route[] = [
  {
    // Opening the board: creates it, with its default lanes, for a community that has none yet.
    method: 'POST',
    path: '/api/communities/:communityId/board',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      await ensureBoard(services.relay, me.communityId);
      return { status: 200, body: { ok: true } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/board/moderation',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      if (!may(principalOf(me), 'moderate')) throw new HttpError(403, 'only moderators and owners may hide or lock content');
      const input = await body(ModerateBody);
      const record = await moderate(services.relay, me.communityId, { kind: input.kind, id: input.id }, input.action, me.displayName);
      log.info('board moderated', { community: me.communityId, kind: input.kind, action: input.action });
      return { status: 200, body: { hidden: record?.hidden ?? false, locked: record?.locked ?? false } };
    },
  },
  {
    // What a moderator hid, for moderators only: nobody else's device ever receives it again.
    method: 'GET',
    path: '/api/communities/:communityId/board/hidden/:kind/:id',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      if (!may(principalOf(me), 'moderate')) throw new HttpError(403, 'only moderators and owners may read hidden content');
      const kind = params.kind === 'card' || params.kind === 'comment' ? params.kind : null;
      if (!kind) throw new HttpError(400, 'kind must be card or comment');
      const content = await hiddenContent(services.relay, me.communityId, { kind, id: params.id! });
      if (!content) throw new HttpError(404, `no hidden ${kind} ${params.id}`);
      return { status: 200, body: content };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/library/:entryId/status',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      if (!may(principalOf(me), 'curate-library')) throw new HttpError(403, 'only knowledge editors, librarians and owners may set an entry\'s status');
      const { status } = await body(EntryStatusBody);
      const names = libraryDocNames(me.communityId);
      const exists = await services.relay.read(names.library, (doc) => entriesOf(doc).has(params.entryId!));
      if (!exists) throw new HttpError(404, `there is no library entry ${params.entryId}`);
      const record: EntryStatusRecord = { status, by: me.displayName, at: Date.now() };
      await services.relay.change(names.statuses, API_ORIGIN, (doc) => doc.getMap(STATUSES_ROOT).set(params.entryId!, record));
      log.info('library entry status set', { community: me.communityId, status });
      return { status: 200, body: record };
    },
  },
];
