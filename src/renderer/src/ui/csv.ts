/** CSV as spreadsheets read it: a header, then one line per row; cells quoted where they hold a comma, quote or line break. */
export const csvCell = (v: unknown): string => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** A run's cost roll-up (the matrix's rows and the fleet's share it), as CSV columns. */
type RollupRow = { executions: number; failures: number; llm_calls: number; tokens_in: number; tokens_out: number; cost_usd: string };
export const rollupColumns = <T extends RollupRow>(): [string, (row: T) => unknown][] =>
  (['executions', 'failures', 'llm_calls', 'tokens_in', 'tokens_out', 'cost_usd'] as const).map((k) => [k, (r: T) => r[k]]);

export function csvText<T>(columns: [string, (row: T) => unknown][], rows: T[]): string {
  return [columns.map(([h]) => h).join(','), ...rows.map((r) => columns.map(([, f]) => csvCell(f(r))).join(','))].join('\n') + '\n';
}
