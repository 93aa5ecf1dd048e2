import { useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { addAgendaItem, moveAgendaItem } from '../../../shared/meeting/agenda.ts';
import type { AgendaItem } from '../../../shared/schema/meeting.ts';

interface Props {
  doc: Y.Doc;
  items: AgendaItem[];
  currentItem: string | null;
  /** The item whose notes are shown (null: the general notes). */
  shown: string | null;
  onShow: (id: string | null) => void;
  readOnly: boolean;
}

const DRAG_TYPE = 'application/x-guildhall-agenda-item';

function statusLabel(item: AgendaItem, currentItem: string | null): string {
  if (item.id === currentItem) return 'current';
  return item.status;
}

/**
 * The ordered agenda. Reordering rewrites one fractional key (shared/meeting/order.ts), by drag
 * and drop or from the keyboard (Alt+↑/↓ on an item, or its Move buttons), so members
 * reordering at once converge on one order with every item once.
 */
export function AgendaList({ doc, items, currentItem, shown, onShow, readOnly }: Props) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);

  const move = (id: string, toIndex: number): void => {
    if (!readOnly) moveAgendaItem(doc, id, toIndex);
  };
  const onKeyDown = (event: KeyboardEvent, index: number, id: string): void => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    move(id, event.key === 'ArrowUp' ? index - 1 : index + 1);
  };
  const onDragOver = (event: DragEvent, index: number): void => {
    if (!dragging) return;
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    setDropIndex(event.clientY < box.top + box.height / 2 ? index : index + 1);
  };
  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    const id = event.dataTransfer.getData(DRAG_TYPE) || dragging;
    if (id && dropIndex !== null) {
      const from = items.findIndex((item) => item.id === id);
      // dropIndex counts the dragged item's own slot; the move is to the list without it.
      move(id, from >= 0 && from < dropIndex ? dropIndex - 1 : dropIndex);
    }
    setDragging(null);
    setDropIndex(null);
  };

  return (
    <section className="agenda" aria-labelledby="agenda-heading">
      <h2 id="agenda-heading">Agenda</h2>
      <button type="button" className={`agenda-general${shown === null ? ' shown' : ''}`} aria-pressed={shown === null}
        onClick={() => onShow(null)}>General notes</button>
      {items.length === 0 && <p className="muted">No agenda items yet.</p>}
      <ol className="agenda-list" aria-label="Agenda items" onDrop={onDrop} onDragOver={(e) => { if (dragging) e.preventDefault(); }}>
        {items.map((item, index) => (
          <li key={item.id} className={`agenda-item status-${statusLabel(item, currentItem)}${shown === item.id ? ' shown' : ''}${dropIndex === index ? ' drop-before' : ''}${dropIndex === index + 1 && index === items.length - 1 ? ' drop-after' : ''}`}
            draggable={!readOnly} aria-label={item.title}
            onDragStart={(event) => { event.dataTransfer.setData(DRAG_TYPE, item.id); event.dataTransfer.effectAllowed = 'move'; setDragging(item.id); }}
            onDragEnd={() => { setDragging(null); setDropIndex(null); }}
            onDragOver={(event) => onDragOver(event, index)}>
            <button type="button" className="agenda-open" aria-pressed={shown === item.id} onClick={() => onShow(item.id)}
              onKeyDown={(event) => onKeyDown(event, index, item.id)}
              aria-keyshortcuts={readOnly ? undefined : 'Alt+ArrowUp Alt+ArrowDown'}>
              <span className="agenda-title">{item.title}</span>
              <span className="agenda-details">
                <span className={`chip chip-${statusLabel(item, currentItem)}`}>{statusLabel(item, currentItem)}</span>
                {item.timeboxMinutes > 0 && <span>{item.timeboxMinutes} min</span>}
                {item.presenter && <span>{item.presenter}</span>}
                {item.carriedFrom && <span title="Carried over from the previous meeting">carried over</span>}
              </span>
            </button>
            {!readOnly && (
              <span className="agenda-move">
                <button type="button" aria-label={`Move ${item.title} up`} disabled={index === 0} onClick={() => move(item.id, index - 1)}>↑</button>
                <button type="button" aria-label={`Move ${item.title} down`} disabled={index === items.length - 1} onClick={() => move(item.id, index + 1)}>↓</button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {!readOnly && <AddAgendaItem doc={doc} onAdded={onShow} />}
    </section>
  );
}

function AddAgendaItem({ doc, onAdded }: { doc: Y.Doc; onAdded: (id: string) => void }) {
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('10');
  const [presenter, setPresenter] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!title.trim()) return;
    const id = addAgendaItem(doc, { title: title.trim(), timeboxMinutes: Number(minutes) || 0, presenter: presenter.trim() });
    setTitle('');
    setPresenter('');
    onAdded(id);
  };
  return (
    <form className="agenda-add" onSubmit={submit} aria-label="Add an agenda item">
      <label>Agenda item<input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What to discuss" /></label>
      <div className="agenda-add-row">
        <label>Timebox (min)<input type="number" min={0} max={600} value={minutes} onChange={(e) => setMinutes(e.target.value)} /></label>
        <label>Presenter<input value={presenter} onChange={(e) => setPresenter(e.target.value)} placeholder="Optional" /></label>
      </div>
      <button type="submit" disabled={!title.trim()}>Add to agenda</button>
    </form>
  );
}
