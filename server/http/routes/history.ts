import { toBase64 } from 'lib0/buffer';
import { NamedVersionBody, SealBody } from '../../../shared/api.ts';
import { parseDocName } from '../../../shared/docNames.ts';
import { may } from '../../../shared/roles.ts';
import { principalOf, type Member } from '../../directory/directory.ts';
import { hasHistory, recordVersion, restoreVersion, seal, versionOf } from '../../documents/history.ts';
import { HttpError, type Route } from '../router.ts';

/** A document of the caller's community that keeps history, or a clear 400. */
function ownDocument(me: Member, docName: string): string {
  const parsed = parseDocName(docName);
  if (!parsed || parsed.community !== me.communityId || !hasHistory(docName)) throw new HttpError(400, 'doc: not a document of this community with history');
  return docName;
}

const writer = (me: Member): void => {
  if (me.role === 'viewer') throw new HttpError(403, 'viewers read history but cannot save or restore versions');
};

export const historyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/communities/:communityId/history/versions',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      writer(me);
      const input = await body(NamedVersionBody);
      const record = await recordVersion(services.relay, ownDocument(me, input.doc), 'named', me.displayName, { name: input.name });
      return { status: 201, body: record };
    },
  },
  {
    // A version's content, for members to read (the copy itself is a server-only document).
    method: 'GET',
    path: '/api/communities/:communityId/history/versions/:versionId',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      const { record, state } = await versionOf(services.relay, me.communityId, params.versionId!);
      return { status: 200, body: { record, state: toBase64(state) } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/history/versions/:versionId/restore',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      writer(me);
      const record = await restoreVersion(services.relay, me.communityId, params.versionId!, me.displayName, { mayRestoreBoard: may(principalOf(me), 'moderate') });
      return { status: 200, body: { restored: record.id, doc: record.doc } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/history/seals',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      if (!may(principalOf(me), 'seal-history')) throw new HttpError(403, 'only archivists and owners may seal an archive');
      const { name } = await body(SealBody);
      return { status: 201, body: await seal(services.relay, me.communityId, name, me.displayName) };
    },
  },
];
