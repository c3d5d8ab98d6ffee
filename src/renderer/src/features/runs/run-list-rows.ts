/**
 * The run list as the rows it shows: the lineage forest filtered, sorted among siblings (a fork
 * stays under its parent), with collapsed subtrees left out. Pure, so that ten thousand runs are
 * one array for the virtualized list.
 */
import type { RunInfo } from '../../state/app-store';
import type { LineageNode } from './lineage';

export type RunSort = 'tree' | 'start' | 'size' | 'duration' | 'failures';
export type RunStateFilter = 'any' | RunInfo['state'] | 'failed';

export interface RunListQuery {
  /** Matches the run id, label or goal (case-insensitive). */
  text: string;
  state: RunStateFilter;
  /** Created on or after / on or before these days (`YYYY-MM-DD`, UTC), or ''. */
  from: string;
  to: string;
  sort: RunSort;
}

export const NO_QUERY: RunListQuery = { text: '', state: 'any', from: '', to: '', sort: 'tree' };

export interface RunListRow {
  run: RunInfo;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
  /** Shown only because a run under it matches the filter. */
  context: boolean;
  /** Its parent chain leads back to itself (shown at the top level, marked). */
  inCycle: boolean;
}

/** Failed behavior executions per run, once asked (`runFailures`); runs without any are absent. */
export type FailureCounts = ReadonlyMap<string, number>;

const DAY_MS = 86_400_000;

/**
 * The run's wall-clock span, first event to last, or null: no events, clocks we cannot read, or
 * clocks that ran backwards (other runtimes' stores have events whose times do, spec other-stores §4).
 */
export function runDurationMs(r: RunInfo): number | null {
  if (!r.first_at || !r.last_at) return null;
  const ms = Date.parse(r.last_at) - Date.parse(r.first_at);
  return Number.isNaN(ms) || ms < 0 ? null : ms;
}

export function isFiltered(q: RunListQuery): boolean {
  return q.text.trim() !== '' || q.state !== 'any' || q.from !== '' || q.to !== '';
}

function matcher(q: RunListQuery, failures: FailureCounts | null): (r: RunInfo) => boolean {
  const text = q.text.trim().toLowerCase();
  const from = q.from ? Date.parse(q.from) : null;
  const to = q.to ? Date.parse(q.to) + DAY_MS : null;
  return (r) => {
    if (text && ![r.run_id, r.label ?? '', r.goal ?? ''].some((s) => s.toLowerCase().includes(text))) return false;
    if (q.state === 'failed' ? !failures?.get(r.run_id) : q.state !== 'any' && r.state !== q.state) return false;
    if (from !== null || to !== null) {
      const t = Date.parse(r.created_at);
      if (Number.isNaN(t) || (from !== null && t < from) || (to !== null && t >= to)) return false;
    }
    return true;
  };
}

/** Larger first; runs whose figure is not known yet go last, in store order. */
function comparator(sort: RunSort, failures: FailureCounts | null): ((a: RunInfo, b: RunInfo) => number) | null {
  const key: ((r: RunInfo) => number | null) | null =
    sort === 'start'
      ? (r) => {
          const t = Date.parse(r.created_at);
          return Number.isNaN(t) ? null : t;
        }
      : sort === 'size'
        ? (r) => r.event_count
        : sort === 'duration'
          ? runDurationMs
          : sort === 'failures'
            ? (r) => (failures ? (failures.get(r.run_id) ?? 0) : null)
            : null;
  if (!key) return null;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka === null ? (kb === null ? 0 : 1) : kb === null ? -1 : kb - ka;
  };
}

export function runListRows(roots: LineageNode[], q: RunListQuery, collapsed: ReadonlySet<string>, failures: FailureCounts | null): RunListRow[] {
  const filtered = isFiltered(q);
  const matches = matcher(q, failures);
  const compare = comparator(q.sort, failures);
  const out: RunListRow[] = [];
  // Whether the node or a run under it matches, memoized: each node is tested once.
  const shown = new Map<LineageNode, boolean>();
  const isShown = (n: LineageNode): boolean => {
    let s = shown.get(n);
    if (s === undefined) {
      s = matches(n.run);
      for (const c of n.children) s = isShown(c) || s;
      shown.set(n, s);
    }
    return s;
  };
  const walk = (nodes: LineageNode[], depth: number) => {
    const ordered = compare ? [...nodes].sort((a, b) => compare(a.run, b.run)) : nodes;
    for (const n of ordered) {
      if (filtered && !isShown(n)) continue;
      // A filter opens every subtree with a match in it; without one, the user's collapses hold.
      const isCollapsed = !filtered && collapsed.has(n.run.run_id);
      out.push({
        run: n.run,
        depth,
        hasChildren: n.children.length > 0,
        collapsed: isCollapsed && n.children.length > 0,
        context: filtered && !matches(n.run),
        inCycle: n.inCycle,
      });
      if (!isCollapsed) walk(n.children, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

/** A run and its forks, theirs, … (breadth first, in list order), at most `max`: what "side by side with its forks" shows. */
export function forkFamily(runs: RunInfo[], runId: string, max = 20): string[] {
  const family = [runId];
  for (let i = 0; i < family.length && family.length < max; i++)
    for (const r of runs) if (r.parent_run_id === family[i] && !family.includes(r.run_id) && family.length < max) family.push(r.run_id);
  return family;
}

/** How many of a family the runs leave out, when they are the family view of their first run (0 for runs picked otherwise). */
export function familyLeftOut(runs: RunInfo[], runIds: string[]): number {
  if (runIds.length === 0) return 0;
  const shown = forkFamily(runs, runIds[0]!, runIds.length);
  if (shown.length !== runIds.length || shown.some((id, i) => id !== runIds[i])) return 0;
  return forkFamily(runs, runIds[0]!, Infinity).length - runIds.length;
}
