/** The fork family a matrix shows, and the matrix as CSV, on the demo store's real runs and rows. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { differencesCsv, matrixCsv } from '../../src/renderer/src/features/compare/matrix-csv.js';
import { forkFamily } from '../../src/renderer/src/features/runs/run-list-rows.js';
import { copyFixture } from '../support/fixtures.js';

describe('runs side by side', () => {
  let runs: any[];
  let rows: any[];
  let differences: any[];
  let family: string[];
  beforeAll(async () => {
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${copyFixture('demo').file}` });
    const storeId = ((await dispatch(service, 'openDemoStore', {})) as any).value.storeId;
    runs = ((await dispatch(service, 'listRuns', { storeId })) as any).value;
    const root = runs.find((r) => !r.parent_run_id && runs.some((f) => f.parent_run_id === r.run_id));
    family = forkFamily(runs, root.run_id);
    rows = ((await dispatch(service, 'compareRuns', { storeId, runIds: family })) as any).value;
    differences = ((await dispatch(service, 'runDifferences', { storeId, runIds: family, offset: 0, limit: 200 })) as any).value.entities;
    await service.close();
  });

  it('a run’s family: the run, then its forks and theirs, each once, at most twenty', () => {
    for (const r of runs) {
      const family = forkFamily(runs, r.run_id);
      expect(family[0]).toBe(r.run_id);
      expect(new Set(family).size).toBe(family.length);
      for (const id of family.slice(1)) expect(family).toContain(runs.find((x) => x.run_id === id).parent_run_id);
      const descendants = (id: string): string[] => runs.filter((x) => x.parent_run_id === id).flatMap((x) => [x.run_id, ...descendants(x.run_id)]);
      expect(family.slice(1).sort()).toEqual(descendants(r.run_id).sort());
    }
    expect(forkFamily(runs, runs[0].run_id, 1)).toEqual([runs[0].run_id]);
  });

  it('CSV: a header and one line per run, values as the rows hold them', () => {
    const lines = matrixCsv(rows).trim().split('\n');
    expect(lines).toHaveLength(rows.length + 1);
    const header = lines[0]!.split(',');
    rows.forEach((row, i) => {
      const cells = lines[i + 1]!.split(',');
      expect(cells[header.indexOf('run_id')]).toBe(row.run_id);
      expect(cells[header.indexOf('cost_usd')]).toBe(row.cost_usd);
      expect(cells[header.indexOf('created_vs_parent')]).toBe(row.vs_parent ? String(row.vs_parent.created) : '');
    });
  });

  it('the differences as CSV: one line per entity and run, its outcome group, its state there', () => {
    const lines = differencesCsv(differences, family).trim().split('\n');
    expect(lines[0]).toBe('kind,id,run_id,group,state');
    expect(lines).toHaveLength(1 + differences.length * family.length);
    const first = differences[0];
    const mine = lines.slice(1, 1 + family.length);
    mine.forEach((line, i) => {
      expect(line.startsWith(`${first.kind},${first.id},${family[i]},`)).toBe(true);
      const group = first.groups.findIndex((g: any) => g.runs.includes(i)) + 1;
      expect(line.split(',')[3]).toBe(String(group));
      if (first.values[i] === null) expect(line.endsWith(',')).toBe(true);
    });
  });
});
