import { CreateRetroBody } from '../../../shared/api.ts';
import { retroDocNames } from '../../../shared/schema/retro.ts';
import { promptsFor, seedRetroBoard, seedRetroControl, seedRetroResults } from '../../documents/retros.ts';
import { API_ORIGIN } from '../../relay/origins.ts';
import { HttpError, type Route } from '../router.ts';
import { createDocument } from './documents.ts';

/** Who runs retrospectives: those who may write their control document (shared/access.ts). */
const FACILITATING_ROLES = new Set(['owner', 'facilitator']);

export const retroRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/communities/:communityId/retros',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      if (!FACILITATING_ROLES.has(me.role)) throw new HttpError(403, `your role (${me.role}) may not start a retrospective`);
      const input = await body(CreateRetroBody);
      const retro = { title: input.title, template: input.template, anonymity: input.anonymity, customPrompts: input.prompts };
      const prompts = promptsFor(retro);
      const { relay } = services;
      const created = await createDocument(relay, me.communityId, 'retro', input.title, {
        board: (doc) => seedRetroBoard(doc, retro, prompts),
        companions: async (id) => {
          const names = retroDocNames(me.communityId, id);
          await relay.change(names.control, API_ORIGIN, seedRetroControl);
          await relay.change(names.results, API_ORIGIN, seedRetroResults);
        },
      });
      return { status: 201, body: { ...created, prompts, anonymity: input.anonymity } };
    },
  },
];
