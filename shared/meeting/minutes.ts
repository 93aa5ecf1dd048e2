import type * as Y from 'yjs';
import { MEETING_NOTES_ROOT, META_ROOT } from '../schema/documents.ts';
import { agendaNotesField, CARRIED_ACTIONS_ROOT, type AgendaItem, type MeetingControl } from '../schema/meeting.ts';
import type { ActionItem, Decision } from '../schema/register.ts';
import { agendaOf, attendeesOf, readAgenda, readAttendees } from './agenda.ts';
import { controlOf, readControl } from './control.ts';
import { fragmentToMarkdown, markdownLine } from './markdown.ts';
import { actionsOf, decisionsOf, readActions, readDecisions } from './register.ts';
import { readMeetingMeta } from './series.ts';

/**
 * A meeting's minutes, read from its three documents: what the minutes page renders and the
 * Markdown export writes. One reading, so the page and the file never disagree.
 */
export interface Minutes {
  title: string;
  startsAt: number | null;
  control: MeetingControl;
  attendees: string[];
  items: Array<AgendaItem & { notes: Y.XmlFragment; decisions: Decision[]; actions: ActionItem[] }>;
  generalNotes: Y.XmlFragment;
  /** Decisions and actions recorded for the meeting but no agenda item. */
  decisions: Decision[];
  actions: ActionItem[];
  /** Open actions carried in from earlier meetings of the series. */
  carriedActions: ActionItem[];
}

export function readMinutes(name: string, meeting: Y.Doc, control: Y.Doc, register: Y.Doc): Minutes {
  const meta = readMeetingMeta(meeting.getMap(META_ROOT));
  const decisions = readDecisions(decisionsOf(register)).filter((d) => d.source === name);
  const actions = readActions(actionsOf(register));
  const own = actions.filter((a) => a.source === name);
  const carried = meeting.getMap(CARRIED_ACTIONS_ROOT);
  const items = readAgenda(agendaOf(meeting));
  const itemIds = new Set(items.map((item) => item.id));
  return {
    title: meta.title,
    startsAt: meta.startsAt ?? null,
    control: readControl(controlOf(control)),
    attendees: readAttendees(attendeesOf(meeting)).map((a) => a.name),
    items: items.map((item) => ({
      ...item,
      notes: meeting.getXmlFragment(agendaNotesField(item.id)),
      decisions: decisions.filter((d) => d.agendaItem === item.id),
      actions: own.filter((a) => a.agendaItem === item.id),
    })),
    generalNotes: meeting.getXmlFragment(MEETING_NOTES_ROOT),
    decisions: decisions.filter((d) => d.agendaItem === null || !itemIds.has(d.agendaItem)),
    actions: own.filter((a) => a.agendaItem === null || !itemIds.has(a.agendaItem)),
    carriedActions: actions.filter((a) => carried.has(a.id) && a.source !== name),
  };
}

/** How the minutes describe an item's discussion: nothing once done. */
export function discussionNote(item: AgendaItem, control: MeetingControl): string {
  if (item.status === 'done') return '';
  return control.state === 'running' && control.currentItem === item.id ? 'in discussion' : 'not discussed';
}

function actionLine(action: ActionItem): string {
  const details = [action.ownerName ? `owner: ${markdownLine(action.ownerName)}` : 'no owner', action.due ? `due ${action.due}` : null, action.status]
    .filter(Boolean).join(', ');
  return `- [${action.status === 'done' ? 'x' : ' '}] ${markdownLine(action.text)} (${details})`;
}

function decisionLine(decision: Decision): string {
  const by = decision.decidedBy ? ` — decided by ${markdownLine(decision.decidedBy)}` : '';
  return `- ${markdownLine(decision.text)}${by}${decision.date ? `, ${decision.date}` : ''}`;
}

function section(heading: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [heading, '', ...lines, ''];
}

/** `formatDate` renders the meeting's start as the member reads dates (the page passes its locale). */
export function minutesMarkdown(minutes: Minutes, formatDate: (ms: number) => string): string {
  const out: string[] = [`# ${markdownLine(minutes.title || 'Untitled meeting')}`, ''];
  if (minutes.startsAt !== null) out.push(`**When:** ${formatDate(minutes.startsAt)}  `);
  out.push(`**Attendees:** ${minutes.attendees.length ? minutes.attendees.map(markdownLine).join(', ') : 'none recorded'}`, '');
  out.push(...section('## Agenda', minutes.items.map((item, i) =>
    `${i + 1}. ${markdownLine(item.title)}${item.timeboxMinutes ? ` (${item.timeboxMinutes} min)` : ''}${item.presenter ? ` — ${markdownLine(item.presenter)}` : ''}${discussionNote(item, minutes.control) ? ` — ${discussionNote(item, minutes.control)}` : ''}`)));
  for (const item of minutes.items) {
    const notes = fragmentToMarkdown(item.notes, { offset: 2 });
    const body = [
      ...(notes ? [notes, ''] : []),
      ...section('#### Decisions', item.decisions.map(decisionLine)),
      ...section('#### Action items', item.actions.map(actionLine)),
    ];
    if (body.length) out.push(`### ${markdownLine(item.title)}`, '', ...body);
  }
  const general = fragmentToMarkdown(minutes.generalNotes, { offset: 1 });
  out.push(...section('## Notes', general ? [general] : []));
  out.push(...section('## Decisions', minutes.decisions.map(decisionLine)));
  out.push(...section('## Action items', minutes.actions.map(actionLine)));
  out.push(...section('## Carried-over action items', minutes.carriedActions.map(actionLine)));
  return `${out.join('\n').trimEnd()}\n`;
}
