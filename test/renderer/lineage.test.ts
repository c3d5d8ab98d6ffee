/** The run tree's lineage: every run of the store appears exactly once, even when lineage loops. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { buildLineage, type LineageNode } from '../../src/renderer/src/features/runs/lineage.js';
import type { RunInfo } from '../../src/renderer/src/state/app-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';

async function runsOf(file: string): Promise<RunInfo[]> {
  const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
  try {
    const opened = await dispatch(service, 'openDemoStore', {});
    if (!opened.ok) throw new Error(opened.error.summary);
    const listed = await dispatch(service, 'listRuns', { storeId: (opened.value as { storeId: string }).storeId });
    if (!listed.ok) throw new Error(listed.error.summary);
    return listed.value as RunInfo[];
  } finally {
    await service.close();
  }
}

const flatten = (nodes: LineageNode[]): LineageNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe('lineage', () => {
  it('puts the forks of the demo store under their parents', async () => {
    const runs = await runsOf(copyFixture('demo').file);
    const roots = buildLineage(runs);
    expect(flatten(roots)).toHaveLength(runs.length);
    const main = manifest('demo').runs.main;
    expect(roots.map((r) => r.run.run_id)).toContain(main);
    for (const n of flatten(roots)) for (const c of n.children) expect(c.run.parent_run_id).toBe(n.run.run_id);
    expect(flatten(roots).some((n) => n.inCycle)).toBe(false);
  });

  it('shows runs whose lineage loops, marked, instead of dropping them', async () => {
    const { file } = copyFixture('demo');
    const db = new Database(file);
    const forks = db.prepare(`SELECT run_id, parent_run_id FROM runs WHERE parent_run_id IS NOT NULL ORDER BY run_id`).all() as { run_id: string; parent_run_id: string }[];
    // Point the root at one of its forks: root → fork → root.
    db.prepare(`UPDATE runs SET parent_run_id = ? WHERE run_id = ?`).run(forks[0]!.run_id, forks[0]!.parent_run_id);
    db.close();
    const runs = await runsOf(file);
    const all = flatten(buildLineage(runs));
    expect(all).toHaveLength(runs.length);
    expect(new Set(all.map((n) => n.run.run_id)).size).toBe(runs.length);
    const looped = all.filter((n) => n.inCycle).map((n) => n.run.run_id);
    expect(looped.sort()).toEqual([forks[0]!.run_id, forks[0]!.parent_run_id].sort());
  });
});
