import * as Y from 'yjs';
import { CreateRetroBody } from '../../../shared/api.ts';
import { parseDocName } from '../../../shared/docNames.ts';
import { readRetroSummary, undiscussedTopics, type CarriedTopic } from '../../../shared/retro/summary.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import type { Relay } from '../../relay/relay.ts';
import { freezeDraft, latestRatified, readVersions } from '../../../shared/charter/model.ts';
import { charterDocNames } from '../../../shared/schema/charter.ts';
import { ensureCharter } from '../../documents/charter.ts';
import { retroDocNames } from '../../../shared/schema/retro.ts';
import { promptsFor, seedRetroBoard, seedRetroControl, seedRetroResults } from '../../documents/retros.ts';
import { API_ORIGIN } from '../../relay/origins.ts';
import { HttpError, type Route } from '../router.ts';
import { createDocument } from './documents.ts';

/** Who runs retrospectives: those who may write their control document (shared/access.ts). */
const FACILITATING_ROLES = new Set(['owner', 'facilitator']);

/** The goals and values of the latest ratified charter version, or of the draft while none is. */
async function currentGoalsAndValues(relay: Relay, community: string): Promise<{ goals: string[]; values: string[] }> {
  await ensureCharter(relay, community);
  const names = charterDocNames(community);
  const ratified = await relay.read(names.record, (record) => latestRatified(readVersions(record)));
  const sections = ratified?.sections ?? await relay.read(names.draft, freezeDraft);
  const lines = (id: string): string[] => (sections.find((s) => s.id === id)?.text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  return { goals: lines('goals'), values: lines('values') };
}

/** The topics an earlier retro of the same community closed without discussing. */
async function undiscussedOf(relay: Relay, community: string, boardName: string): Promise<CarriedTopic[]> {
  const name = parseDocName(boardName);
  if (!name || name.community !== community || name.accessClass !== 'shared') throw new HttpError(400, 'carryFrom: not a retrospective of this community');
  const names = retroDocNames(community, name.id);
  const isRetro = await relay.read(names.board, (doc) => doc.getMap(META_ROOT).get('kind') === 'retro');
  if (!isRetro) throw new HttpError(400, 'carryFrom: not a retrospective of this community');
  const [board, control, results] = await Promise.all([names.board, names.control, names.results].map((n) => relay.read(n, (doc) => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    return copy;
  })));
  return undiscussedTopics(readRetroSummary(board!, control!, results!));
}

export const retroRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/communities/:communityId/retros',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      if (!FACILITATING_ROLES.has(me.role)) throw new HttpError(403, `your role (${me.role}) may not start a retrospective`);
      const input = await body(CreateRetroBody);
      const { relay } = services;
      const charterLines = input.template === 'charter-review' ? await currentGoalsAndValues(relay, me.communityId) : undefined;
      const retro = { title: input.title, template: input.template, anonymity: input.anonymity, customPrompts: input.prompts, charterLines };
      const prompts = promptsFor(retro);
      if (prompts.length === 0) throw new HttpError(400, 'template: the charter has no goals or values to review yet');
      const carried = input.carryFrom ? await undiscussedOf(relay, me.communityId, input.carryFrom) : [];
      const created = await createDocument(relay, me.communityId, 'retro', input.title, {
        board: (doc) => {
          seedRetroBoard(doc, retro);
          if (carried.length) doc.getMap(META_ROOT).set('carried', carried);
        },
        companions: async (id) => {
          const names = retroDocNames(me.communityId, id);
          await relay.change(names.control, API_ORIGIN, seedRetroControl);
          await relay.change(names.results, API_ORIGIN, (doc) => seedRetroResults(doc, retro, prompts, carried));
        },
      });
      return { status: 201, body: { ...created, prompts, anonymity: input.anonymity } };
    },
  },
];
