import * as Y from 'yjs';
import {
  MEETING_NOTES_ROOT, META_ROOT, SCHEMA_VERSION, type DocumentKind, type DocumentMeta,
} from '../../shared/schema/documents.ts';

/**
 * Template content, written once on the server when a document is created (DESIGN §3): two
 * clients opening a new document at the same time, one offline, never see it twice.
 *
 * The notes use Tiptap's node names (y-tiptap maps a node to an XmlElement of the same name and
 * its attrs to attributes), so the editor opens them as ordinary headings and paragraphs.
 */
// Agenda, decisions and action items are structured (agenda.ts, register.ts); these are the free notes.
const MEETING_SECTIONS = ['Check-in', 'Notes', 'Parking lot'];

export function seedDocument(doc: Y.Doc, kind: DocumentKind, title: string, createdAt: number): void {
  const meta = doc.getMap(META_ROOT);
  if (meta.has('kind')) throw new Error('document already seeded');
  const fields: DocumentMeta = { kind, title, createdAt, schemaVersion: SCHEMA_VERSION };
  for (const [key, value] of Object.entries(fields)) meta.set(key, value);
  switch (kind) {
    case 'meeting':
      return seedMeetingNotes(doc.getXmlFragment(MEETING_NOTES_ROOT));
    case 'retro':
      return; // a retrospective's content is its prompts (retros.ts)
  }
}

function seedMeetingNotes(fragment: Y.XmlFragment): void {
  const nodes: Y.XmlElement[] = [];
  for (const section of MEETING_SECTIONS) {
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string); // y-tiptap stores attrs with their JSON type
    heading.insert(0, [new Y.XmlText(section)]);
    nodes.push(heading, new Y.XmlElement('paragraph'));
  }
  fragment.insert(0, nodes);
}
