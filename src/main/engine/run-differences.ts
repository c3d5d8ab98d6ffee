/**
 * What differs among many runs' ends: every object and relation whose end state is not the same in
 * all of them (absent in some counts as a state), most connected first, with each run's value and
 * the runs grouped by equal outcome ("3 runs end with claim#11 verified, 1 without it"). States are
 * compared as Active Graph's diff compares them: an object by type and data, a relation by its ends,
 * type and data, values by Python's equality.
 */
import type { GraphObject, GraphRelation } from '../../shared/model.js';
import { pyEqual } from '../base/pyjson.js';
import { yieldToEventLoop } from '../store/event-store.js';
import type { Candidates } from './diff.js';
import type { GraphReader } from './projection.js';

type State = Record<string, unknown>;

export interface RunDifference {
  kind: 'object' | 'relation';
  id: string;
  /** Relation ends at it (an object) or at its ends (a relation), the most of any run: what "most connected" sorts by. */
  degree: number;
  /** Each run's end state, in the runs' order; null where the run does not have it. */
  values: (State | null)[];
  /** The runs (indexes into the runs' order) grouped by equal state, largest group first. */
  groups: { runs: number[]; state: State | null }[];
}

const objectState = (o: GraphObject): State => ({ type: o.type, data: o.data });
const relationState = (r: GraphRelation): State => ({ source: r.source, target: r.target, type: r.type, data: r.data });

function fieldsOf(s: State): Record<string, unknown> {
  const { data, ...rest } = s as { data?: Record<string, unknown> };
  return { ...rest, ...Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data.${k}`, v])) };
}

/** The fields that differ among a difference's values (asked for the entities shown, not for all). */
export function changedFields(values: (State | null)[]): string[] {
  const present = values.filter((v): v is State => v !== null).map(fieldsOf);
  const keys = [...new Set(present.flatMap((f) => Object.keys(f)))].sort();
  return keys.filter((k) => present.some((f) => !(k in f) || !pyEqual(f[k], present[0]![k])));
}

/** Work between two yields: a family of twenty million-event forks is compared without holding the host. */
const STEP = 5_000;

async function step(n: number, signal?: AbortSignal): Promise<void> {
  if (n % STEP !== 0) return;
  await yieldToEventLoop();
  signal?.throwIfAborted();
}

async function degrees(graph: GraphReader, signal?: AbortSignal): Promise<Map<string, number>> {
  const d = new Map<string, number>();
  let n = 0;
  for (const r of graph.relations.values()) {
    for (const end of [r.source, r.target]) d.set(end, (d.get(end) ?? 0) + 1);
    await step(++n, signal);
  }
  return d;
}

/**
 * Every difference among the runs' graphs (in the order given), most connected first, then by kind
 * and id. `candidates`: the only ids that can differ (a family's, see run-ends), else every id.
 */
export async function runDifferences(graphs: GraphReader[], candidates: Candidates | null = null, signal?: AbortSignal): Promise<RunDifference[]> {
  // The most relation ends at each id in any run.
  const most = new Map<string, number>();
  for (const g of graphs) for (const [id, n] of await degrees(g, signal)) if (n > (most.get(id) ?? 0)) most.set(id, n);
  const degreeOf = (id: string) => most.get(id) ?? 0;
  const out: RunDifference[] = [];
  let n = 0;
  const collect = async (kind: 'object' | 'relation') => {
    const ids = new Set<string>(candidates ? (kind === 'object' ? candidates.objects : candidates.relations) : []);
    if (!candidates) for (const g of graphs) for (const id of (kind === 'object' ? g.objects : g.relations).keys()) ids.add(id);
    for (const id of ids) {
      await step(++n, signal);
      const records: (GraphObject | GraphRelation | undefined)[] = graphs.map((g) => (kind === 'object' ? g.objects : g.relations).get(id));
      if (records.every((r) => r === records[0])) continue; // one record shared by all: the same state
      // Runs holding the same record (forks that did not touch it) share its state: compared once.
      const stateOf = new Map<GraphObject | GraphRelation | undefined, State | null>();
      const values = records.map((r) => {
        if (!stateOf.has(r)) stateOf.set(r, r === undefined ? null : kind === 'object' ? objectState(r as GraphObject) : relationState(r as GraphRelation));
        return stateOf.get(r)!;
      });
      const groups: { runs: number[]; state: State | null }[] = [];
      values.forEach((v, i) => {
        const same = groups.find((grp) => grp.state === v || (grp.state !== null && v !== null && pyEqual(grp.state, v)));
        if (same) same.runs.push(i);
        else groups.push({ runs: [i], state: v });
      });
      if (groups.length < 2) continue;
      groups.sort((a, b) => b.runs.length - a.runs.length || a.runs[0]! - b.runs[0]!);
      const endsOf = values.find((v) => v !== null) as { source?: string; target?: string } | undefined;
      const degree = kind === 'object' ? degreeOf(id) : degreeOf(String(endsOf?.source)) + degreeOf(String(endsOf?.target));
      out.push({ kind, id, degree, values, groups });
    }
  };
  await collect('object');
  await collect('relation');
  return out.sort((a, b) => b.degree - a.degree || (a.kind === b.kind ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.kind === 'object' ? -1 : 1));
}
