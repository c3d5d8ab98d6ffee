/** Promoting a fork into its parent from the app: the plan (a dry run) and, when asked, applying it. */
import type { OpOutput } from '../../../shared/contract.js';
import { requireActiveGraph, usageError } from '../../base/errors.js';
import { openDestination } from '../../store/open-store.js';
import { promote, promoteConflictError, type PromotePlan, type PromoteSides } from '../../usecases/promote.js';
import type { Handlers, ServiceContext } from './context.js';

type Change = OpOutput<'promote'>['changes'][number];

/** Each entity the plan touches, as it is in the base, the parent now and the fork now. */
function changesOf(plan: PromotePlan, sides: PromoteSides): Change[] {
  const strip = <T extends { provenance?: unknown }>(x: T | undefined) => {
    if (!x) return null;
    const { provenance: _p, ...rest } = x;
    return rest;
  };
  const entities =
    (entity: Change['entity']) =>
    (ids: string[], change: Change['change']): Change[] => {
      const of = (g: PromoteSides['base']) => (entity === 'object' ? g.objects : g.relations);
      return ids.map((id) => ({ entity, id, change, base: strip(of(sides.base).get(id)), parent: strip(of(sides.parent).get(id)), fork: strip(of(sides.fork).get(id)) }));
    };
  const objects = entities('object');
  const relations = entities('relation');
  const recreated = new Set(plan.relations_created.filter((id) => plan.relations_removed.includes(id)));
  return [
    ...objects(plan.objects_created, 'created'),
    ...objects(plan.objects_patched, 'patched'),
    ...objects(plan.objects_removed, 'removed'),
    ...relations(
      plan.relations_created.filter((id) => !recreated.has(id)),
      'created',
    ),
    ...relations([...recreated], 'patched'),
    ...relations(
      plan.relations_removed.filter((id) => !recreated.has(id)),
      'removed',
    ),
    ...plan.conflicts.flatMap((c) => (c.entity === 'object' ? objects([c.id], 'conflict') : relations([c.id], 'conflict'))),
  ];
}

export function promoteHandlers({ registry, pushes }: ServiceContext): Handlers<'promote'> {
  return {
    promote: async ({ storeId, parentRunId, forkRunId, dryRun }, signal) => {
      const s = registry.get(storeId);
      requireActiveGraph(s.store, 'promote');
      if (s.url.kind !== 'sqlite') throw usageError("promote works on SQLite stores, as Active Graph's does: migrate the runs to a SQLite file first");
      let sides: PromoteSides | undefined;
      const plan = await promote(s.store, parentRunId, forkRunId, { dryRun, signal, onSides: (x) => (sides = x), openWriter: () => openDestination(s.url) });
      if (plan.conflicts.length && !dryRun) throw promoteConflictError(plan);
      if (plan.marker_event_id) {
        registry.forget(storeId);
        pushes.send('storeChanged', { storeId });
      }
      return { ...plan, changes: changesOf(plan, sides!) };
    },
  };
}
