import { useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { addAction, addDecision } from '../../../shared/meeting/register.ts';
import type { ActionItem, Decision, EntrySource } from '../../../shared/schema/register.ts';
import { parseDocName } from '../../../shared/docNames.ts';
import { decisionsPath } from '../../app/router.tsx';
import { PromoteButton } from '../library/PromoteButton.tsx';
import type { Promotion } from '../library/promote.ts';
import { ActionRow, todayIso } from './ActionRow.tsx';
import type { Me } from './useMeeting.ts';
import type { Person } from './usePeople.ts';

interface Props {
  register: Y.Doc;
  source: EntrySource;
  decisions: Decision[];
  actions: ActionItem[];
  people: Person[];
  me: Me;
  readOnly: boolean;
}

/** A decision as a library entry: a practice the group agreed on, linked to the register where it is kept. */
function decisionPromotion(community: string, d: Decision): Promotion {
  const where = [d.sourceTitle, d.agendaTitle].filter(Boolean).join(', ');
  return {
    type: 'best-practice', title: d.text, tags: [],
    bodyMarkdown: `${d.text}\n\nDecided by ${d.decidedBy || 'the group'} on ${d.date}${where ? ` (${where})` : ''}.`,
    source: { kind: 'decision', title: d.text, path: `${decisionsPath(community)}?find=${encodeURIComponent(d.text)}` },
  };
}

/** Decisions and action items recorded for one agenda item (or the meeting), with their forms. */
export function Outcomes({ register, source, decisions, actions, people, me, readOnly }: Props) {
  const community = readOnly ? null : parseDocName(source.source)?.community ?? null;
  return (
    <div className="outcomes">
      <section aria-label="Decisions">
        <h3>Decisions</h3>
        {decisions.length === 0 ? <p className="muted">None recorded.</p> : (
          <ul className="decision-list" aria-label="Decisions recorded">
            {decisions.map((d) => (
              <li key={d.id} className="decision" aria-label={d.text}>
                <span className="decision-text">{d.text}</span>
                <span className="muted-inline"> — {d.decidedBy || 'the group'}, {d.date}</span>
                {community && <PromoteButton communityId={community} identity={me} promotion={() => decisionPromotion(community, d)} />}
              </li>
            ))}
          </ul>
        )}
        {!readOnly && <DecisionForm register={register} source={source} me={me} />}
      </section>
      <section aria-label="Action items">
        <h3>Action items</h3>
        {actions.length === 0 ? <p className="muted">None yet.</p> : (
          <ul className="action-list" aria-label="Action items recorded">
            {actions.map((a) => <ActionRow key={a.id} register={register} action={a} people={people} readOnly={readOnly} />)}
          </ul>
        )}
        {!readOnly && <ActionForm register={register} source={source} people={people} me={me} />}
      </section>
    </div>
  );
}

function DecisionForm({ register, source, me }: { register: Y.Doc; source: EntrySource; me: Me }) {
  const [text, setText] = useState('');
  const [decidedBy, setDecidedBy] = useState('The group');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!text.trim()) return;
    addDecision(register, { ...source, text: text.trim(), decidedBy: decidedBy.trim(), date: todayIso(), createdBy: me.key });
    setText('');
  };
  return (
    <form className="entry-form" onSubmit={submit} aria-label="Record a decision">
      <label>Decision<input value={text} onChange={(e) => setText(e.target.value)} placeholder="What was decided" /></label>
      <label>Decided by<input value={decidedBy} onChange={(e) => setDecidedBy(e.target.value)} /></label>
      <button type="submit" disabled={!text.trim()}>Record decision</button>
    </form>
  );
}

function ActionForm({ register, source, people, me }: { register: Y.Doc; source: EntrySource; people: Person[]; me: Me }) {
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!text.trim()) return;
    const person = people.find((p) => p.key === owner);
    addAction(register, {
      ...source, text: text.trim(), ownerKey: person?.key ?? null, ownerName: person?.name ?? null, due: due || null, createdBy: me.key,
    });
    setText('');
    setOwner('');
    setDue('');
  };
  return (
    <form className="entry-form" onSubmit={submit} aria-label="Add an action item">
      <label>Action item<input value={text} onChange={(e) => setText(e.target.value)} placeholder="Who does what" /></label>
      <label>Owner
        <select value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">No owner</option>
          {people.map((p) => <option key={p.key} value={p.key}>{p.name}</option>)}
        </select>
      </label>
      <label>Due<input type="date" value={due} onChange={(e) => setDue(e.target.value)} /></label>
      <button type="submit" disabled={!text.trim()}>Add action item</button>
    </form>
  );
}
