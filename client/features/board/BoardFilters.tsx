import type { BoardView } from '../../../shared/schema/board.ts';
import { facets, isFiltering, NO_FILTER, type BoardFilter } from './filters.ts';

/** Filter by lane, tag, author, text, and "mentions me". */
export function BoardFilters({ view, filter, onChange, memberId }: { view: BoardView; filter: BoardFilter; onChange: (f: BoardFilter) => void; memberId: string }) {
  const { tags, authors } = facets(view);
  const set = (change: Partial<BoardFilter>): void => onChange({ ...filter, ...change });
  return (
    <div className="filters board-filters" role="search" aria-label="Filter the board">
      <label>Find <input type="search" value={filter.text} onChange={(e) => set({ text: e.target.value })} placeholder="Words in cards" /></label>
      <label>Lane <select value={filter.lane ?? ''} onChange={(e) => set({ lane: e.target.value || null })}>
        <option value="">All lanes</option>
        {view.lanes.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
      </select></label>
      <label>Tag <select value={filter.tag ?? ''} onChange={(e) => set({ tag: e.target.value || null })}>
        <option value="">Any tag</option>
        {tags.map((t) => <option key={t} value={t}>#{t}</option>)}
      </select></label>
      <label>Author <select value={filter.author ?? ''} onChange={(e) => set({ author: e.target.value || null })}>
        <option value="">Anyone</option>
        {authors.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </select></label>
      <label className="checkbox"><input type="checkbox" checked={filter.mentioning !== null} onChange={(e) => set({ mentioning: e.target.checked ? memberId : null })} /> Mentions me</label>
      {isFiltering(filter) && <button type="button" onClick={() => onChange(NO_FILTER)}>Clear filters</button>}
    </div>
  );
}
