import type * as Y from 'yjs';
import { isOverdue, updateAction } from '../../../shared/meeting/register.ts';
import { ACTION_STATUSES, isActionStatus, type ActionItem } from '../../../shared/schema/register.ts';
import { documentPath, Link } from '../../app/router.tsx';
import type { Person } from './usePeople.ts';

export function todayIso(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

interface Props {
  register: Y.Doc;
  action: ActionItem;
  people: Person[];
  readOnly: boolean;
  /** Show where it was recorded (the tracker does; a meeting's own list does not). */
  showSource?: boolean;
}

/**
 * One action item, editable in place. Each control writes one field of the action's map, so a
 * member marking it done offline and another moving its due date both keep their change.
 */
export function ActionRow({ register, action, people, readOnly, showSource = false }: Props) {
  const overdue = isOverdue(action, todayIso());
  const owners = action.ownerKey && !people.some((p) => p.key === action.ownerKey)
    ? [...people, { key: action.ownerKey, name: action.ownerName ?? 'someone' }]
    : people;
  const setOwner = (key: string): void => {
    const person = owners.find((p) => p.key === key);
    updateAction(register, action.id, { ownerKey: person?.key ?? null, ownerName: person?.name ?? null });
  };
  return (
    <li className={`action status-${action.status}${overdue ? ' overdue' : ''}`} aria-label={action.text}>
      <span className="action-text">{action.text}</span>
      <span className="action-fields">
        <label>Owner
          <select value={action.ownerKey ?? ''} disabled={readOnly} onChange={(e) => setOwner(e.target.value)}>
            <option value="">No owner</option>
            {owners.map((p) => <option key={p.key} value={p.key}>{p.name}</option>)}
          </select>
        </label>
        <label>Due
          <input type="date" value={action.due ?? ''} disabled={readOnly}
            onChange={(e) => updateAction(register, action.id, { due: e.target.value || null })} />
        </label>
        <label>Status
          <select value={action.status} disabled={readOnly}
            onChange={(e) => { if (isActionStatus(e.target.value)) updateAction(register, action.id, { status: e.target.value }); }}>
            {ACTION_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        {overdue && <span className="chip chip-overdue">overdue</span>}
      </span>
      {showSource && (
        <span className="entry-source">
          from <Link to={documentPath(action.source)}>{action.sourceTitle || 'a meeting'}</Link>
          {action.agendaTitle ? ` · ${action.agendaTitle}` : ''}
        </span>
      )}
    </li>
  );
}
