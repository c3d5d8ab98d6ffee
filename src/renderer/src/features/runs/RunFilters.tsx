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
        <Choice label="run state" value={query.state} options={STATES} onChange={(state) => set({ state })} />
        <Choice label="sort runs" value={query.sort} options={SORTS} onChange={(sort) => set({ sort })} />
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

function Choice<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange(v: T): void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as T)}>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}
