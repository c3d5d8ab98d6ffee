/** Comparing two runs, of one store or of two; the reply lists the most connected divergent entities. */
import type { DiffDetail } from '../../../shared/model.js';
import { diffRuns } from '../../engine/diff.js';
import { resolveRunId } from '../../engine/runs.js';
import type { Handlers, ServiceContext } from './context.js';

const SHOWN_DEFAULT = 300;

/**
 * Keeps the `limit` divergent objects with the most divergent relations (ties by id) and the
 * divergent relations among them, so that a compare of million-event runs answers in kilobytes,
 * not in a 50 MB reply the window cannot draw. The counts stay those of the whole diff.
 */
export function mostConnected(d: DiffDetail, limit: number): DiffDetail {
  if (d.objects.length <= limit && d.relations.length <= limit * 2) return d;
  const degree = new Map<string, number>();
  for (const r of d.relations) {
    const one = (r.in_parent ?? r.in_fork)!;
    for (const end of [one.source, one.target]) degree.set(end, (degree.get(end) ?? 0) + 1);
  }
  const objects = [...d.objects].sort((a, b) => (degree.get(b.id) ?? 0) - (degree.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1)).slice(0, limit);
  const kept = new Set(objects.map((o) => o.id));
  const relations = d.relations
    .filter((r) => {
      const one = (r.in_parent ?? r.in_fork)!;
      return kept.has(one.source) || kept.has(one.target);
    })
    .slice(0, limit * 2);
  return { ...d, objects, relations };
}

export function compareHandlers({ registry }: ServiceContext): Handlers<'diff'> {
  return {
    diff: async ({ storeId, runA, runB, storeIdB, limit }, signal) => {
      const a = registry.get(storeId);
      const b = storeIdB ? registry.get(storeIdB) : a;
      await resolveRunId(a.store, runA);
      await resolveRunId(b.store, runB);
      return mostConnected(await diffRuns(a.store, runA, runB, signal, b.store), limit ?? SHOWN_DEFAULT);
    },
  };
}
