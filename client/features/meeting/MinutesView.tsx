import { Fragment, type ReactNode } from 'react';
import * as Y from 'yjs';
import { linkHref } from '../../../shared/meeting/markdown.ts';
import { discussionNote, type Minutes } from '../../../shared/meeting/minutes.ts';
import type { ActionItem, Decision } from '../../../shared/schema/register.ts';

/** Read-only rendering of a Tiptap fragment (the nodes y-tiptap stores; see shared/meeting/markdown.ts). */
function XmlChildren({ parent, depth }: { parent: Y.XmlElement | Y.XmlFragment; depth: number }) {
  return <>{parent.toArray().map((node, i) => <XmlNode key={i} node={node} depth={depth} />)}</>;
}

interface DeltaOp { insert?: unknown; attributes?: Record<string, unknown> }

function TextRun({ text }: { text: Y.XmlText }) {
  return (
    <>
      {(text.toDelta() as DeltaOp[]).map((op, i) => {
        if (typeof op.insert !== 'string') return null;
        const a = op.attributes ?? {};
        let node: ReactNode = op.insert;
        if ('code' in a) node = <code>{node}</code>;
        if ('bold' in a) node = <strong>{node}</strong>;
        if ('italic' in a) node = <em>{node}</em>;
        if ('strike' in a) node = <s>{node}</s>;
        const href = linkHref(a.link);
        if (href) node = <a href={href} target="_blank" rel="noopener noreferrer">{node}</a>;
        return <Fragment key={i}>{node}</Fragment>;
      })}
    </>
  );
}

function XmlNode({ node, depth }: { node: unknown; depth: number }) {
  if (node instanceof Y.XmlText) return <TextRun text={node} />;
  if (!(node instanceof Y.XmlElement)) return null;
  const children = <XmlChildren parent={node} depth={depth + 1} />;
  switch (node.nodeName) {
    case 'paragraph': return <p>{children}</p>;
    case 'heading': return Number(node.getAttribute('level')) <= 2 ? <h4>{children}</h4> : <h5>{children}</h5>;
    case 'bulletList': return <ul>{children}</ul>;
    case 'orderedList': return <ol>{children}</ol>;
    case 'listItem': return <li>{children}</li>;
    case 'blockquote': return <blockquote>{children}</blockquote>;
    case 'codeBlock': return <pre>{children}</pre>;
    case 'hardBreak': return <br />;
    case 'horizontalRule': return <hr />;
    default: return <>{children}</>;
  }
}

/** A co-edited fragment, read-only (minutes, retro summaries). */
export function FragmentView({ fragment }: { fragment: Y.XmlFragment }) {
  return <XmlChildren parent={fragment} depth={0} />;
}

/** Whether a fragment holds any text (the seeded headings alone do not count as minutes). */
export function hasText(fragment: Y.XmlFragment): boolean {
  let found = false;
  fragment.toArray().forEach((node) => {
    if (node instanceof Y.XmlElement && node.nodeName !== 'heading' && node.toString().replace(/<[^>]*>/g, '').trim()) found = true;
  });
  return found;
}

function DecisionItems({ decisions }: { decisions: Decision[] }) {
  return <ul>{decisions.map((d) => <li key={d.id}>{d.text} <span className="muted-inline">— {d.decidedBy || 'the group'}, {d.date}</span></li>)}</ul>;
}

function ActionItems({ actions }: { actions: ActionItem[] }) {
  return (
    <ul>
      {actions.map((a) => (
        <li key={a.id}>{a.text} <span className="muted-inline">— {a.ownerName ?? 'no owner'}{a.due ? `, due ${a.due}` : ''}, {a.status}</span></li>
      ))}
    </ul>
  );
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
export const formatMeetingDate = (ms: number): string => dateFormat.format(ms);

/** A meeting's minutes as a page: the minutes route and the pre-read render this. */
export function MinutesView({ minutes, headingLevel = 1 }: { minutes: Minutes; headingLevel?: 1 | 2 }) {
  const Title = headingLevel === 1 ? 'h1' : 'h2';
  const Section = headingLevel === 1 ? 'h2' : 'h3';
  return (
    <article className="minutes" aria-label={`Minutes of ${minutes.title}`}>
      <Title>{minutes.title || 'Untitled meeting'}</Title>
      {minutes.startsAt !== null && <p className="muted">{formatMeetingDate(minutes.startsAt)}</p>}
      <p><strong>Attendees:</strong> {minutes.attendees.length ? minutes.attendees.join(', ') : 'none recorded'}</p>
      <Section>Agenda</Section>
      {minutes.items.length === 0 ? <p className="muted">No agenda items.</p> : (
        <ol className="minutes-agenda">
          {minutes.items.map((item) => (
            <li key={item.id}>
              <strong>{item.title}</strong>
              <span className="muted-inline">{item.timeboxMinutes ? ` (${item.timeboxMinutes} min)` : ''}{item.presenter ? ` — ${item.presenter}` : ''}{discussionNote(item, minutes.control) ? ` — ${discussionNote(item, minutes.control)}` : ''}</span>
              {hasText(item.notes) && <div className="minutes-notes"><XmlChildren parent={item.notes} depth={0} /></div>}
              {item.decisions.length > 0 && <><p className="minutes-label">Decisions</p><DecisionItems decisions={item.decisions} /></>}
              {item.actions.length > 0 && <><p className="minutes-label">Action items</p><ActionItems actions={item.actions} /></>}
            </li>
          ))}
        </ol>
      )}
      {hasText(minutes.generalNotes) && <><Section>Notes</Section><div className="minutes-notes"><XmlChildren parent={minutes.generalNotes} depth={0} /></div></>}
      {minutes.decisions.length > 0 && <><Section>Decisions</Section><DecisionItems decisions={minutes.decisions} /></>}
      {minutes.actions.length > 0 && <><Section>Action items</Section><ActionItems actions={minutes.actions} /></>}
      {minutes.carriedActions.length > 0 && <><Section>Carried-over action items</Section><ActionItems actions={minutes.carriedActions} /></>}
    </article>
  );
}
