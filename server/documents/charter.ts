import * as Y from 'yjs';
import { freezeDraft, readVersions } from '../../shared/charter/model.ts';
import { META_ROOT, SCHEMA_VERSION } from '../../shared/schema/documents.ts';
import {
  CHARTER_SECTIONS, charterDocNames, DEFAULT_CHARTER_RULES, sectionField, VERSIONS_ROOT, type CharterVersion,
} from '../../shared/schema/charter.ts';
import { API_ORIGIN } from '../relay/origins.ts';
import type { Relay } from '../relay/relay.ts';

/**
 * The charter is created once, on the server, from the community-of-practice template (DESIGN
 * §3): a section each with a starting sentence, the round rules, and version 1 in the record —
 * the template itself, frozen. Members opening a new community's charter at once, some offline,
 * never see the template twice: it exists before any of them can open the document.
 */
function seedDraft(draft: Y.Doc, now: number): void {
  const meta = draft.getMap(META_ROOT);
  if (meta.has('kind')) return; // seeded already: this check and the seed are one server change
  meta.set('kind', 'charter');
  meta.set('title', 'Charter');
  meta.set('createdAt', now);
  meta.set('schemaVersion', SCHEMA_VERSION);
  meta.set('quorumPercent', DEFAULT_CHARTER_RULES.quorumPercent);
  meta.set('roundDays', DEFAULT_CHARTER_RULES.roundDays);
  for (const section of CHARTER_SECTIONS) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(section.hint)]);
    draft.getXmlFragment(sectionField(section.id)).insert(0, [paragraph]);
  }
}

/** Creates the charter when the community has none yet; safe to call any number of times. */
export async function ensureCharter(relay: Relay, community: string): Promise<void> {
  const names = charterDocNames(community);
  const now = Date.now();
  // Read first: a server change copies the whole document (room.ts), and members open the charter often.
  const seeded = await relay.read(names.draft, (draft) => draft.getMap(META_ROOT).has('kind'));
  if (!seeded) await relay.change(names.draft, API_ORIGIN, (draft) => seedDraft(draft, now));
  const hasTemplate = await relay.read(names.record, (record) => readVersions(record).some((v) => v.number === 1));
  if (hasTemplate) return;
  const sections = await relay.read(names.draft, freezeDraft);
  await relay.change(names.record, API_ORIGIN, (record) => {
    const versions = record.getMap(VERSIONS_ROOT);
    if (versions.has('1')) return;
    const template: CharterVersion = {
      number: 1, summary: 'The starting template', proposedBy: 'Guildhall', proposedAt: now, closesAt: null,
      quorumPercent: DEFAULT_CHARTER_RULES.quorumPercent, sections, status: 'template', ballots: {}, electorate: 0,
    };
    versions.set('1', template);
  });
}
