import { ProposeCharterBody } from '../../../shared/api.ts';
import { freezeDraft, readRules, readVersions } from '../../../shared/charter/model.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import { charterDocNames, VERSIONS_ROOT, type CharterVersion } from '../../../shared/schema/charter.ts';
import { ensureCharter } from '../../documents/charter.ts';
import { createLogger } from '../../log.ts';
import { API_ORIGIN } from '../../relay/origins.ts';
import { HttpError, type Route } from '../router.ts';

const log = createLogger('http:charter');
const DAY_MS = 24 * 60 * 60 * 1000;

export const charterRoutes: Route[] = [
  {
    // Opening the charter: creates it for a community that has none yet, and closes rounds whose date passed.
    method: 'POST',
    path: '/api/communities/:communityId/charter',
    async handle({ params, member, services }) {
      const me = await member(params.communityId!);
      await ensureCharter(services.relay, me.communityId);
      await services.refreshCharter(me.communityId);
      return { status: 200, body: { ok: true } };
    },
  },
  {
    method: 'POST',
    path: '/api/communities/:communityId/charter/proposals',
    async handle({ params, member, body, services }) {
      const me = await member(params.communityId!);
      if (me.role === 'viewer') throw new HttpError(403, 'viewers cannot propose charter versions');
      const input = await body(ProposeCharterBody);
      const { relay } = services;
      const community = me.communityId;
      await ensureCharter(relay, community);
      await services.refreshCharter(community); // a round whose date passed closes first
      const names = charterDocNames(community);
      const versions = await relay.read(names.record, readVersions);
      const open = versions.find((v) => v.status === 'open');
      if (open) throw new HttpError(409, `version ${open.number} is open for endorsement until ${new Date(open.closesAt!).toISOString()}`);
      const source = input.restore === undefined ? null : versions.find((v) => v.number === input.restore);
      if (input.restore !== undefined && !source) throw new HttpError(404, `restore: there is no version ${input.restore}`);
      const [sections, rules] = await relay.read(names.draft, (draft) => [source?.sections ?? freezeDraft(draft), readRules(draft.getMap(META_ROOT))] as const);
      const electorate = (await services.directory.listMembers(community)).filter((m) => m.role !== 'viewer').length;
      const now = Date.now();
      const version: CharterVersion = {
        number: Math.max(0, ...versions.map((v) => v.number)) + 1,
        summary: input.summary, proposedBy: me.displayName, proposedAt: now, closesAt: now + rules.roundDays * DAY_MS,
        quorumPercent: rules.quorumPercent, sections, status: 'open', ballots: {}, electorate,
        ...(source ? { restoredFrom: source.number } : {}),
      };
      await relay.change(names.record, API_ORIGIN, (record) => {
        const map = record.getMap(VERSIONS_ROOT);
        if (map.has(String(version.number))) throw new HttpError(409, 'another version was proposed at the same moment; try again');
        map.set(String(version.number), version);
      });
      await services.refreshCharter(community);
      log.info('charter version proposed', { community, version: version.number });
      return { status: 201, body: { number: version.number, closesAt: version.closesAt } };
    },
  },
];
