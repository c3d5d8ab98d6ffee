/** The run list's filters (text, state, creation dates) and sort, with how many runs they show. */
import { int } from '../../ui/format';
import { isFiltered, NO_QUERY, type RunListQuery, type RunSort, type RunStateFilter } from './run-list-rows';

const STATES: [RunStateFilter, string][] = [
  ['any', 'any state'],
  ['idle', 'idle'],
  ['running', 'running'],
  ['stopped', 'stopped'],
  ['exhausted', 'budget exhausted'],
  ['failed', 'with failures'],
];

const SORTS: [RunSort, string][] = [
  ['tree', 'store order'],
  ['start', 'newest first'],
  ['size', 'most events'],
  ['duration', 'longest'],
  ['failures', 'most failures'],
];

export function RunFilters({
  query,
  onChange,
  shown,
  total,
  failuresKnown,
}: {
  query: RunListQuery;
  onChange(q: RunListQuery): void;
  shown: number;
  total: number;
  failuresKnown: boolean;
}) {
  const set = (part: Partial<RunListQuery>) => onChange({ ...query, ...part });
  const waitingForFailures = !failuresKnown && (query.sort === 'failures' || query.state === 'failed');
  return (
    <div className="run-filters">
      <input className="search" placeholder="Search runs by id, label or goal" value={query.text} onChange={(e) => set({ text: e.target.value })} />
      <div className="run-filter-row">
        <select aria-label="run state" value={query.state} onChange={(e) => set({ state: e.target.value as RunStateFilter })}>
          {STATES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
        <select aria-label="sort runs" value={query.sort} onChange={(e) => set({ sort: e.target.value as RunSort })}>
          {SORTS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="run-filter-row">
        <label>
          from <input type="date" aria-label="created from" value={query.from} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label>
          to <input type="date" aria-label="created to" value={query.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
      </div>
      <div className="run-filter-status muted" aria-live="polite">
        {isFiltered(query) ? `${int(shown)} of ${int(total)} runs` : `${int(total)} runs`}
        {waitingForFailures && ' · counting failures…'}
        {isFiltered(query) && (
          <button className="link small" onClick={() => onChange({ ...NO_QUERY, sort: query.sort })}>
            clear
          </button>
        )}
      </div>
    </div>
  );
}
