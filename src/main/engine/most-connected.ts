/** The part of a large graph difference a window is sent: the most connected entities, the counts whole. */
import type { DiffDetail } from '../../shared/model.js';

/** How many divergent objects a window is sent by default. */
export const SHOWN_ENTITIES = 300;

/**
 * Keeps the `limit` divergent objects with the most divergent relations (ties by id) and the
 * divergent relations among them, so that a compare of million-event runs answers in kilobytes,
 * not in a 50 MB reply the window cannot draw. The counts stay those of the whole diff.
 */
export function mostConnected<T extends Pick<DiffDetail, 'objects' | 'relations'>>(d: T, limit: number): T {
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
