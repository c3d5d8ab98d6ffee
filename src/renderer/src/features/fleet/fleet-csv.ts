/** The fleet's runs as CSV: one line per run with its figures (a fork's from its fork point). */
import type { OpOutput } from '../../../../shared/contract';
import { csvText, rollupColumns } from '../../ui/csv';

type Run = OpOutput<'fleet'>['runs'][number];

const COLUMNS: [string, (r: Run) => unknown][] = [
  ['run_id', (r) => r.run_id],
  ['label', (r) => r.label],
  ['parent_run_id', (r) => r.parent_run_id],
  ['started_at', (r) => r.started_at],
  ['duration_ms', (r) => r.duration_ms],
  ['events', (r) => r.events],
  ...rollupColumns<Run>(),
];

export function fleetCsv(fleet: OpOutput<'fleet'>): string {
  return csvText(COLUMNS, fleet.runs);
}
