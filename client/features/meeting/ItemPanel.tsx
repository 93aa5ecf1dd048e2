import { useCallback } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { removeAgendaItem, updateAgendaItem } from '../../../shared/meeting/agenda.ts';
import { parseNotesCommand } from '../../../shared/meeting/commands.ts';
import { addAction, addDecision } from '../../../shared/meeting/register.ts';
import { parseDocName } from '../../../shared/docNames.ts';
import { fragmentToMarkdown } from '../../../shared/meeting/markdown.ts';
import { MEETING_NOTES_ROOT } from '../../../shared/schema/documents.ts';
import { agendaNotesField, type AgendaItem } from '../../../shared/schema/meeting.ts';
import type { ActionItem, Decision, EntrySource } from '../../../shared/schema/register.ts';
import type { Identity } from '../../collab/docSession.ts';
import { documentPath } from '../../app/router.tsx';
import { NotesEditor } from '../../editors/NotesEditor.tsx';
import { PromoteButton } from '../library/PromoteButton.tsx';
import { todayIso } from './ActionRow.tsx';
import { Outcomes } from './Outcomes.tsx';
import type { Me } from './useMeeting.ts';
import type { Person } from './usePeople.ts';

interface Props {
  meeting: Y.Doc;
  awareness: Awareness;
  register: Y.Doc | null;
  meetingName: string;
  meetingTitle: string;
  /** null: the meeting's general notes. */
  item: AgendaItem | null;
  decisions: Decision[];
  actions: ActionItem[];
  people: Person[];
  me: Me;
  identity: Identity;
  readOnly: boolean;
  /** The facilitator's current item, if the meeting runs. */
  currentItem: string | null;
}

/**
 * What the member looks at: one agenda item's co-edited notes with its decisions and action items
 * (or the general notes). In the notes, "/action …" and "/decision …" lines become entries.
 */
export function ItemPanel(props: Props) {
  const { meeting, awareness, register, meetingName, meetingTitle, item, decisions, actions, people, me, identity, readOnly, currentItem } = props;
  const source: EntrySource = {
    source: meetingName, sourceTitle: meetingTitle, agendaItem: item?.id ?? null, agendaTitle: item?.title ?? null,
  };
  const sourceKey = JSON.stringify(source);
  const onLineCommand = useCallback((line: string): boolean => {
    if (!register || readOnly) return false;
    const command = parseNotesCommand(line, people.map((p) => p.name));
    if (!command) return false;
    const entry = JSON.parse(sourceKey) as EntrySource;
    if (command.kind === 'decision') {
      addDecision(register, { ...entry, text: command.text, decidedBy: 'The group', date: todayIso(), createdBy: me.key });
    } else {
      const owner = people.find((p) => p.name === command.owner) ?? null;
      addAction(register, { ...entry, text: command.text, ownerKey: owner?.key ?? null, ownerName: owner?.name ?? null, due: command.due, createdBy: me.key });
    }
    return true;
  }, [register, readOnly, people, sourceKey, me.key]);

  const label = item ? `Notes on ${item.title}` : 'Meeting notes';
  return (
    <section className="item-panel" aria-label={item ? item.title : 'General notes'}>
      {item ? <ItemFields meeting={meeting} item={item} readOnly={readOnly} isCurrent={item.id === currentItem} /> : <h2>General notes</h2>}
      <NotesEditor key={item?.id ?? 'general'} doc={meeting} awareness={awareness}
        field={item ? agendaNotesField(item.id) : MEETING_NOTES_ROOT} identity={identity} label={label}
        readOnly={readOnly} onLineCommand={onLineCommand} />
      {item && !readOnly && (
        <PromoteButton communityId={parseDocName(props.meetingName)?.community ?? ''} identity={identity} label="Promote these notes to the library" promotion={() => ({
          type: 'lesson-learned', title: item.title, tags: [], bodyMarkdown: fragmentToMarkdown(meeting.getXmlFragment(agendaNotesField(item.id))),
          source: { kind: 'meeting-note', title: `${props.meetingTitle || 'A meeting'}: ${item.title}`, path: documentPath(props.meetingName) },
        })} />
      )}
      {!readOnly && <p className="hint muted">Type <kbd>/action</kbd> or <kbd>/decision</kbd> at the start of a line and press Enter to record one (e.g. <code>/action Draft the guide @{me.name} due {todayIso()}</code>).</p>}
      {register && <Outcomes register={register} source={source} decisions={decisions} actions={actions} people={people} me={me} readOnly={readOnly} />}
    </section>
  );
}

function ItemFields({ meeting, item, readOnly, isCurrent }: { meeting: Y.Doc; item: AgendaItem; readOnly: boolean; isCurrent: boolean }) {
  return (
    <div className="item-fields">
      <input className="item-title" aria-label="Agenda item title" value={item.title} disabled={readOnly}
        onChange={(e) => updateAgendaItem(meeting, item.id, { title: e.target.value })} />
      <div className="item-meta">
        <label>Timebox (min)
          <input type="number" min={0} max={600} value={item.timeboxMinutes} disabled={readOnly}
            onChange={(e) => updateAgendaItem(meeting, item.id, { timeboxMinutes: Number(e.target.value) })} />
        </label>
        <label>Presenter
          <input value={item.presenter} disabled={readOnly} onChange={(e) => updateAgendaItem(meeting, item.id, { presenter: e.target.value })} />
        </label>
        {isCurrent
          ? <span className="chip chip-current" title="The facilitator moves the meeting on">current</span>
          : (
            <label>Status
              <select value={item.status} disabled={readOnly}
                onChange={(e) => updateAgendaItem(meeting, item.id, { status: e.target.value === 'done' ? 'done' : 'upcoming' })}>
                <option value="upcoming">upcoming</option>
                <option value="done">done</option>
              </select>
            </label>
          )}
        {!readOnly && <button type="button" className="danger" onClick={() => removeAgendaItem(meeting, item.id)}>Remove item</button>}
      </div>
    </div>
  );
}
