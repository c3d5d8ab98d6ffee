/** CSV as spreadsheets read it: a header, then one line per row; cells quoted where they hold a comma, quote or line break. */
export const csvCell = (v: unknown): string => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function csvText<T>(columns: [string, (row: T) => unknown][], rows: T[]): string {
  return [columns.map(([h]) => h).join(','), ...rows.map((r) => columns.map(([, f]) => csvCell(f(r))).join(','))].join('\n') + '\n';
}
