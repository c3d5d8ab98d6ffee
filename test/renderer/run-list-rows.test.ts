/** The run list's rows over the demo store's real runs: sorted among siblings, filtered with their context, folded. */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { buildLineage } from '../../src/renderer/src/features/runs/lineage.js';
import { familyLeftOut, forkFamily, NO_QUERY, runDurationMs, runListRows } from '../../src/renderer/src/features/runs/run-list-rows.js';
import type { RunInfo } from '../../src/renderer/src/state/app-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const demo = manifest('demo');

async function demoRuns(): Promise<RunInfo[]> {
  const service = new InspectorService({ demoStoreUrl: `sqlite:///${copyFixture('demo').file}` });
  try {
    const opened = await dispatch(service, 'openDemoStore', {});
    const listed = await dispatch(service, 'listRuns', { storeId: (opened as { value: { storeId: string } }).value.storeId });
    if (!listed.ok) throw new Error(listed.error.summary);
    return listed.value as RunInfo[];
  } finally {
    await service.close();
  }
}

const runs = await demoRuns();
const roots = buildLineage(runs);
const ids = (rows: { run: RunInfo }[]) => rows.map((r) => r.run.run_id);

describe('run list rows', () => {
  it('show every run once, each fork right under its parent or a sibling subtree', () => {
    const rows = runListRows(roots, NO_QUERY, new Set(), null);
    expect(ids(rows).sort()).toEqual(runs.map((r) => r.run_id).sort());
    rows.forEach((row, i) => {
      if (row.depth === 0) return;
      const parentAt = ids(rows).indexOf(row.run.parent_run_id!);
      expect(parentAt).toBeLessThan(i);
      expect(rows[parentAt]!.depth).toBe(row.depth - 1);
      for (const between of rows.slice(parentAt + 1, i)) expect(between.depth).toBeGreaterThanOrEqual(row.depth);
    });
  });

  it('sort siblings by size, duration or failures, larger first, runs not yet counted last', () => {
    for (const sort of ['size', 'duration', 'failures'] as const) {
      const failures = new Map(runs.map((r, i) => [r.run_id, i % 3]));
      const key = (r: RunInfo) => (sort === 'size' ? r.event_count! : sort === 'duration' ? runDurationMs(r)! : failures.get(r.run_id)!);
      const rows = runListRows(roots, { ...NO_QUERY, sort }, new Set(), failures);
      const rootKeys = rows.filter((r) => r.depth === 0).map((r) => key(r.run));
      expect(rootKeys).toEqual([...rootKeys].sort((a, b) => b - a));
    }
    const uncounted = runs.map((r) => (r.run_id === demo.runs.main ? r : { ...r, event_count: null }));
    const rows = runListRows(buildLineage(uncounted), { ...NO_QUERY, sort: 'size' }, new Set(), null);
    expect(rows[0]!.run.run_id).toBe(demo.runs.main);
  });

  it('filter to the matches and the runs above them, shown as context', () => {
    const rows = runListRows(roots, { ...NO_QUERY, text: demo.runs.fork_c_of_b }, new Set(), null);
    expect(ids(rows)).toEqual([demo.runs.main, demo.runs.fork_b, demo.runs.fork_c_of_b].filter((id) => rows.some((r) => r.run.run_id === id)));
    expect(rows.at(-1)!.run.run_id).toBe(demo.runs.fork_c_of_b);
    expect(rows.filter((r) => !r.context).map((r) => r.run.run_id)).toEqual([demo.runs.fork_c_of_b]);
    const exhausted = runListRows(roots, { ...NO_QUERY, state: 'exhausted' }, new Set(), null).filter((r) => !r.context);
    expect(ids(exhausted).sort()).toEqual(
      runs
        .filter((r) => r.state === 'exhausted')
        .map((r) => r.run_id)
        .sort(),
    );
    const none = runListRows(roots, { ...NO_QUERY, from: '2999-01-01' }, new Set(), null);
    expect(none).toEqual([]);
  });

  it('give no duration for a run whose last event is stamped before its first (other runtimes’ clocks)', () => {
    const r = runs[0]!;
    expect(runDurationMs({ ...r, first_at: '2026-11-22T00:00:36.500Z', last_at: '2026-11-22T00:00:36.000Z' })).toBeNull();
    expect(runDurationMs({ ...r, first_at: '2026-11-22T00:00:36.000Z', last_at: '2026-11-22T00:00:36.500Z' })).toBe(500);
  });

  it('fold a run’s forks away, unless a filter looks inside', () => {
    const folded = runListRows(roots, NO_QUERY, new Set([demo.runs.main]), null);
    expect(ids(folded)).not.toContain(demo.runs.fork_a);
    expect(folded.find((r) => r.run.run_id === demo.runs.main)!.collapsed).toBe(true);
    const found = runListRows(roots, { ...NO_QUERY, text: demo.runs.fork_a }, new Set([demo.runs.main]), null);
    expect(ids(found)).toContain(demo.runs.fork_a);
  });
});

describe('a run and its forks side by side', () => {
  it('says how many of the family the view leaves out, and nothing for runs picked otherwise', () => {
    const family = forkFamily(runs, demo.runs.main);
    expect(family[0]).toBe(demo.runs.main);
    expect(family.length).toBeGreaterThan(2);
    expect(familyLeftOut(runs, family)).toBe(0);
    expect(familyLeftOut(runs, forkFamily(runs, demo.runs.main, family.length - 1))).toBe(1);
    expect(familyLeftOut(runs, [demo.runs.main, family[family.length - 1]!])).toBe(0); // picked, not the family view
  });
});
