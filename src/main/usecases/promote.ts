/**
 * Promote: adopt a fork's net structural delta into its parent (spec §7.7, CONTRACT v1.3 #4).
 * A three-way plan over base (the parent as of the fork point), the parent now and the fork now,
 * comparing objects by (type, data) and relations by (source, target, type, data). Fork-only
 * changes promote; anything changed on both sides, a promoted relation without its endpoints and
 * a removal that would cascade away the parent's own relations are conflicts, and then nothing is
 * written. Applied, it is one transaction: a `promote.applied` marker, then the delta events in
 * Active Graph's order (relations removed, objects removed, objects created, objects patched,
 * relations created), each by `promote:<fork>` and caused by the marker.
 */
import type { OpOutput } from '../../shared/contract.js';
import type { GraphObject, GraphRelation } from '../../shared/model.js';
import { ExitCode, InspectorError, requireActiveGraph, usageError } from '../base/errors.js';
import { openDestination } from '../store/open-store.js';
import type { StoreUrl } from '../store/store-url.js';
import type { EventStore } from '../store/event-store.js';
import { loadRun, type Graph } from '../engine/projection.js';
import { pyCompareStrings, pyDumps, pyEqual, pyStrRepr } from '../base/pyjson.js';
import type { NewEvent, StoreWriter } from '../store/store-writer.js';

export interface PromoteConflict {
  kind: 'both_changed' | 'dangling_relation' | 'orphaning_removal';
  entity: 'object' | 'relation';
  id: string;
  detail: string;
}

export interface PromotePlan {
  from_run: string;
  into_run: string;
  forked_at_event: string;
  computed_against: string | null;
  dry_run: boolean;
  objects_created: string[];
  objects_patched: string[];
  objects_removed: string[];
  relations_created: string[];
  relations_removed: string[];
  conflicts: PromoteConflict[];
  warnings: string[];
  marker_event_id?: string;
  applied_event_ids?: string[];
}

const pyRepr = (v: string | null): string => (v === null ? 'None' : pyStrRepr(v));

export function promoteLineageError(fromRun: string, intoRun: string, recordedParent: string | null, problem?: string): InspectorError {
  return new InspectorError('PromoteLineageError', {
    summary: `run '${fromRun}' is not a direct fork of '${intoRun}'`,
    whatFailed: `runtime.promote() was asked to promote run '${fromRun}' into run '${intoRun}', but the store's lineage records disagree: ${problem ?? `the store records ${pyRepr(recordedParent)} as its parent, not '${intoRun}'`}`,
    why: "Promote applies a fork's net delta three-way against the parent's state at the recorded fork point, so the source must be a DIRECT fork of the destination — the runs table's parent_run_id / forked_at_event_id row is the authority, not the caller's claim. Fork-of-fork lineages promote one level at a time (CONTRACT v1.3 #4).",
    howToFix:
      'Check the lineage with:\n    run-inspector inspect <store> --json\n\nFor a grandchild fork, promote into its own parent first, then promote that parent one level up. For an unrelated run there is nothing to promote: fork from the destination run and re-apply the change there.',
    context: { from_run: fromRun, into_run: intoRun, recorded_parent: recordedParent },
    slug: 'promote-lineage-error',
    exitCode: ExitCode.notFound,
  });
}

/** The error lists this many conflicts, then how many more (the plan has them all). */
const SHOWN_CONFLICTS = 8;

export function promoteConflictError(plan: PromotePlan): InspectorError {
  const n = plan.conflicts.length;
  return new InspectorError('PromoteConflictError', {
    summary: `${n} conflict(s) block promoting '${plan.from_run}' into '${plan.into_run}'`,
    whatFailed:
      `runtime.promote() found ${n} conflict(s) between the fork's delta and the parent's own changes since the fork point:\n` +
      [
        ...plan.conflicts.slice(0, SHOWN_CONFLICTS).map((c) => `    [${c.kind}] ${c.entity} ${c.id}: ${c.detail}`),
        ...(n > SHOWN_CONFLICTS ? [`    ... and ${n - SHOWN_CONFLICTS} more`] : []),
      ].join('\n'),
    why: 'Promote is fail-closed and atomic: an entity changed on both sides since the fork point (or a promoted relation/removal that would break referential integrity) means a human or a higher layer decides — the runtime does no semantic merging, and nothing was applied (CONTRACT v1.3 #4).',
    howToFix:
      "Inspect the full list first:\n    run-inspector promote <store> --run-id <parent> --from-run <fork> --dry-run --json\n\nThe escape hatch is the loop itself, not a force flag: fork again from the parent's current tip, re-apply the candidate change there (caches make the shared prefix cheap), and promote the fresh fork — that re-tests the change against the parent's actual present.",
    context: { from_run: plan.from_run, into_run: plan.into_run, conflicts: plan.conflicts },
    slug: 'promote-conflict-error',
    exitCode: ExitCode.divergence,
  });
}

const sameObject = (a: GraphObject | undefined, b: GraphObject | undefined): boolean => (!a || !b ? a === b : a.type === b.type && pyEqual(a.data, b.data));
const sameRelation = (a: GraphRelation | undefined, b: GraphRelation | undefined): boolean =>
  !a || !b ? a === b : a.source === b.source && a.target === b.target && a.type === b.type && pyEqual(a.data, b.data);

/** Active Graph's sentence for an entity changed on both sides, its four forms in their order (spec §7.7). */
function bothChangedDetail(id: string, base: unknown, parent: unknown, fork: unknown, sameNow: boolean): string {
  if (!base) return `${id} was created independently on both sides after the fork point (id collision from the reseeded generators)`;
  if (!parent && !fork) return `${id} was removed on both sides`;
  if (sameNow) return `${id} was changed identically on both sides \u2014 still a conflict in v1 (no semantic judgment)`;
  return `${id} changed on both sides since the fork point`;
}

const sortIds = (ids: Iterable<string>): string[] => [...ids].sort(pyCompareStrings);

/** The three-way plan of a promotion (pure: no store, no writes). `forkTail`: the fork's events after the fork point, for warnings. */
export function planPromotion(
  sides: PromoteSides,
  forkTail: { type: string; payload: string }[],
): Omit<PromotePlan, 'from_run' | 'into_run' | 'forked_at_event' | 'computed_against' | 'dry_run'> {
  const { base, parent, fork } = sides;
  const conflicts: PromoteConflict[] = [];
  const objectsCreated: string[] = [];
  const objectsPatched: string[] = [];
  const objectsRemoved: string[] = [];
  for (const id of sortIds(new Set([...base.objects.keys(), ...parent.objects.keys(), ...fork.objects.keys()]))) {
    const b = base.objects.get(id);
    const p = parent.objects.get(id);
    const f = fork.objects.get(id);
    if (sameObject(b, f)) continue;
    if (!sameObject(b, p)) {
      conflicts.push({ kind: 'both_changed', entity: 'object', id, detail: bothChangedDetail(id, b, p, f, sameObject(p, f)) });
      continue;
    }
    (!b ? objectsCreated : !f ? objectsRemoved : objectsPatched).push(id);
  }
  const relationsCreated: string[] = [];
  const relationsRemoved: string[] = [];
  const relationConflicts: PromoteConflict[] = [];
  for (const id of sortIds(new Set([...base.relations.keys(), ...parent.relations.keys(), ...fork.relations.keys()]))) {
    const b = base.relations.get(id);
    const p = parent.relations.get(id);
    const f = fork.relations.get(id);
    if (sameRelation(b, f)) continue;
    if (!sameRelation(b, p)) {
      relationConflicts.push({ kind: 'both_changed', entity: 'relation', id, detail: bothChangedDetail(id, b, p, f, sameRelation(p, f)) });
      continue;
    }
    // A changed relation is applied as remove + create.
    if (b) relationsRemoved.push(id);
    if (f) relationsCreated.push(id);
  }
  // Referential integrity of the parent after the delta.
  const removed = new Set(objectsRemoved);
  const exists = (id: string): boolean => (parent.objects.has(id) && !removed.has(id)) || objectsCreated.includes(id);
  for (const id of relationsCreated) {
    const r = fork.relations.get(id)!;
    const missing = sortIds(new Set([r.source, r.target].filter((end) => !exists(end))));
    if (missing.length) {
      relationConflicts.push({
        kind: 'dangling_relation',
        entity: 'relation',
        id,
        detail: `${id} (${r.source} --${r.type}--> ${r.target}) references ${missing.join(', ')}, which would not exist in the parent after this promote`,
      });
    }
  }
  const relationsGone = new Set(relationsRemoved);
  for (const id of objectsRemoved) {
    const orphaned = sortIds([...parent.relations.values()].filter((r) => (r.source === id || r.target === id) && !relationsGone.has(r.id)).map((r) => r.id));
    if (orphaned.length) {
      conflicts.push({
        kind: 'orphaning_removal',
        entity: 'object',
        id,
        detail: `removing ${id} would cascade away parent relation(s) ${orphaned.join(', ')} that the fork never touched`,
      });
    }
  }
  const warnings: string[] = [];
  for (const e of forkTail) {
    if (e.type === 'pack.loaded') warnings.push(`the fork loaded a pack after the fork point (${e.payload.slice(0, 120)}); packs are not promoted`);
  }
  const lastOverride = [...forkTail].reverse().find((e) => e.type === 'pack.settings_overridden');
  if (lastOverride) warnings.push(`the fork overrides pack settings (${lastOverride.payload.slice(0, 120)}); settings are not promoted`);
  return {
    objects_created: objectsCreated,
    objects_patched: objectsPatched,
    objects_removed: objectsRemoved,
    relations_created: relationsCreated,
    relations_removed: relationsRemoved,
    // Sorted by (kind, entity, id), as Active Graph lists them.
    conflicts: [...conflicts, ...relationConflicts].sort((x, y) => pyCompareStrings(x.kind, y.kind) || pyCompareStrings(x.entity, y.entity) || pyCompareStrings(x.id, y.id)),
    warnings,
  };
}

/** The next event id of a run: past the highest `evt_<n>` it has (hot log and archive). */
function nextEventId(ids: string[]): (offset: number) => string {
  let max = 0;
  for (const id of ids) {
    const m = /^evt_(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return (offset) => `evt_${String(max + 1 + offset).padStart(3, '0')}`;
}

/** The three projections a plan was computed from. */
export interface PromoteSides {
  base: Graph;
  parent: Graph;
  fork: Graph;
}

export interface PromoteOptions {
  dryRun: boolean;
  /** Receives the three projections (the app shows each change as old → new). */
  onSides?: (sides: PromoteSides) => void;
  /**
   * Opens the writer to apply with (same store); required unless dryRun. Called only when the plan
   * has something to apply and no conflict, so a refused promotion never opens the store for writing.
   */
  openWriter?: () => Promise<StoreWriter>;
  now?: () => string;
  signal?: AbortSignal;
}

/** Plans (and, unless dry-run, applies) promoting `fromRun` into `intoRun`. Conflicts are in the plan; the caller decides the exit. */
export async function promote(store: EventStore, intoRun: string, fromRun: string, opts: PromoteOptions): Promise<PromotePlan> {
  const forkRow = await store.getRun(fromRun);
  if (!forkRow || forkRow.parent_run_id !== intoRun || !forkRow.forked_at_event_id) {
    throw promoteLineageError(
      fromRun,
      intoRun,
      forkRow?.parent_run_id ?? null,
      forkRow?.parent_run_id === intoRun ? `the store records no fork point for '${fromRun}'` : undefined,
    );
  }
  const forkPoint = await store.getEvent(intoRun, forkRow.forked_at_event_id);
  if (!forkPoint) throw promoteLineageError(fromRun, intoRun, intoRun, `its fork point '${forkRow.forked_at_event_id}' is not in the hot log of '${intoRun}'`);

  const parentIds: string[] = [];
  const parentNow = await loadRun(store, intoRun, { signal: opts.signal, onEvent: (e) => void parentIds.push(e.id) });
  const base = await loadRun(store, intoRun, { untilSeq: forkPoint.seq, signal: opts.signal });
  const forkTail: { id: string; type: string; payload: string }[] = [];
  const forkIndex = new Map<string, number>();
  const forkNow = await loadRun(store, fromRun, {
    signal: opts.signal,
    onEvent: (e) => {
      forkIndex.set(e.id, forkIndex.size);
      forkTail.push({ id: e.id, type: e.type, payload: e.payload });
    },
  });
  const cut = forkIndex.get(forkPoint.id);
  const tail = cut === undefined ? forkTail : forkTail.slice(cut + 1);

  opts.onSides?.({ base: base.graph, parent: parentNow.graph, fork: forkNow.graph });
  const result: PromotePlan = {
    from_run: fromRun,
    into_run: intoRun,
    forked_at_event: forkPoint.id,
    computed_against: parentIds[parentIds.length - 1] ?? null,
    dry_run: opts.dryRun,
    ...planPromotion({ base: base.graph, parent: parentNow.graph, fork: forkNow.graph }, tail),
  };
  if (opts.dryRun || result.conflicts.length) return result;

  if (!opts.openWriter) throw new Error('promote: a writer is required to apply');
  for (const a of await store.archivedEvents(intoRun)) parentIds.push(a.id);
  const idAt = nextEventId(parentIds);
  const markerId = idAt(0);
  const now = opts.now ?? (() => new Date().toISOString().replace('Z', '+00:00'));
  const timestamp = now();
  const lastEvent = (await store.eventsBefore(intoRun, Number.MAX_SAFE_INTEGER, 1))[0];
  const frameId = lastEvent?.frame_id ?? null;
  const actor = `promote:${fromRun}`;
  const provenance = () => ({ created_by: actor, caused_by_event: markerId, frame_id: frameId, timestamp, evidence: [], run_id: intoRun });

  const deltas: { type: string; payload: unknown }[] = [];
  for (const id of result.relations_removed) deltas.push({ type: 'relation.removed', payload: { id } });
  for (const id of result.objects_removed) deltas.push({ type: 'object.removed', payload: { id } });
  for (const id of result.objects_created) {
    const o = forkNow.graph.objects.get(id)!;
    deltas.push({ type: 'object.created', payload: { object: { id, type: o.type, data: o.data, version: 1, provenance: provenance() }, id } });
  }
  for (const id of result.objects_patched) {
    const before = parentNow.graph.objects.get(id)!;
    const after = forkNow.graph.objects.get(id)!;
    const diff: Record<string, { old: unknown; new: unknown }> = {};
    for (const k of new Set([...Object.keys(before.data), ...Object.keys(after.data)])) {
      if (!pyEqual(before.data[k], after.data[k])) diff[k] = { old: before.data[k] ?? null, new: k in after.data ? after.data[k] : null };
    }
    const patch = {
      id: `promote_patch_${id}`,
      target: id,
      op: 'replace',
      value: after.data,
      expected_version: before.version,
      proposed_by: actor,
      rationale: `promoted from ${fromRun}`,
      evidence: [],
      status: 'applied',
      rejection_reason: null,
      provenance: provenance(),
    };
    deltas.push({ type: 'patch.applied', payload: { patch, target: id, diff } });
  }
  for (const id of result.relations_created) {
    const r = forkNow.graph.relations.get(id)!;
    deltas.push({
      type: 'relation.created',
      payload: { relation: { id, source: r.source, target: r.target, type: r.type, data: r.data, provenance: provenance() }, id, source: r.source, target: r.target },
    });
  }
  const marker = {
    from_run: fromRun,
    forked_at_event: forkPoint.id,
    computed_against: result.computed_against,
    objects_created: result.objects_created,
    objects_patched: result.objects_patched,
    objects_removed: result.objects_removed,
    relations_created: result.relations_created,
    relations_removed: result.relations_removed,
    warnings: result.warnings,
  };
  const events: NewEvent[] = [
    { id: markerId, type: 'promote.applied', actor: 'runtime', payload: pyDumps(marker), frame_id: frameId, caused_by: null, timestamp },
    ...deltas.map((d, i) => ({ id: idAt(i + 1), type: d.type, actor, payload: pyDumps(d.payload), frame_id: frameId, caused_by: markerId, timestamp })),
  ];

  const writer = await opts.openWriter();
  try {
    await writer.begin();
    try {
      // Single writer per run: refuse if the parent moved since the plan was computed.
      const head = await writer.head(intoRun);
      const planned = lastEvent?.seq ?? null;
      if (head !== null && planned !== null && head > planned) throw new Error(`the parent run ${intoRun} was appended to while the promotion was planned; run promote again`);
      await writer.insertEvents(intoRun, events);
      await writer.commit();
    } catch (err) {
      await writer.rollback();
      throw err;
    }
  } finally {
    await writer.close();
  }
  result.marker_event_id = markerId;
  result.applied_event_ids = events.slice(1).map((e) => e.id);
  return result;
}

/** Promote works within one SQLite file, as Active Graph's does: said alike by the CLI and the app. */
export function requirePromotable(url: StoreUrl): asserts url is Extract<StoreUrl, { kind: 'sqlite' }> {
  if (url.kind !== 'sqlite')
    throw usageError("promote works on SQLite stores, as Active Graph's does: both runs must be in the same SQLite file (migrate a Postgres run to SQLite first)");
}

/**
 * The use case the CLI's `promote` and the app's Promote dialog both call: refused on another
 * runtime's store or outside SQLite; the plan, then (unless a dry run) the promotion, which any
 * conflict refuses whole (nothing applied).
 */
export async function promoteFork(store: EventStore, intoRun: string, fromRun: string, opts: Pick<PromoteOptions, 'dryRun' | 'onSides' | 'signal'>): Promise<PromotePlan> {
  requireActiveGraph(store, 'promote');
  requirePromotable(store.url);
  const plan = await promote(store, intoRun, fromRun, { ...opts, openWriter: () => openDestination(store.url) });
  if (plan.conflicts.length && !opts.dryRun) throw promoteConflictError(plan);
  return plan;
}

type Change = OpOutput<'promote'>['changes'][number];

/** Each entity the plan touches, as it is in the base, the parent now and the fork now. */
export function promoteChanges(plan: PromotePlan, sides: PromoteSides): Change[] {
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
