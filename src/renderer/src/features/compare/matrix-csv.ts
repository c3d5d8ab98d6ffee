/** The runs-side-by-side matrix as CSV: one row per run, flat columns (types and change left to the JSON). */
import type { OpOutput } from '../../../../shared/contract';
import { csvCell, csvText, rollupColumns } from '../../ui/csv';

type Row = OpOutput<'compareRuns'>[number];

const CSV_COLUMNS: [string, (r: Row) => unknown][] = [
  ['run_id', (r) => r.run_id],
  ['label', (r) => r.label],
  ['parent_run_id', (r) => r.parent_run_id],
  ['forked_at_event_id', (r) => r.forked_at_event_id],
  ['events', (r) => r.events],
  ['events_after_fork', (r) => r.events_after_fork],
  ...rollupColumns<Row>(),
  ['duration_ms', (r) => r.duration_ms],
  ['objects', (r) => r.objects],
  ['relations', (r) => r.relations],
  ['created_vs_parent', (r) => r.vs_parent?.created],
  ['patched_vs_parent', (r) => r.vs_parent?.patched],
  ['removed_vs_parent', (r) => r.vs_parent?.removed],
];

export function matrixCsv(rows: Row[]): string {
  return csvText(CSV_COLUMNS, rows);
}

type Difference = OpOutput<'runDifferences'>['entities'][number];

/** The differences as CSV, one line per entity and run: its state there as JSON (empty where the run lacks it). */
export function differencesCsv(differences: Difference[], runIds: string[]): string {
  const lines = ['kind,id,run_id,group,state'];
  for (const d of differences)
    d.values.forEach((v, i) => {
      const group = d.groups.findIndex((g) => g.runs.includes(i));
      lines.push([d.kind, d.id, runIds[i], group + 1, v === null ? '' : JSON.stringify(v)].map(csvCell).join(','));
    });
  return lines.join('\n') + '\n';
}
