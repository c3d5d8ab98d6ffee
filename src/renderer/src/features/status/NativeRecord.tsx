/**
 * What another runtime records about a run beyond its events (DIR's agents, locks, sagas; NeuroCore's
 * checkpoint): lists of records as tables, one column per field, other values as a tree.
 */
import { JsonTree } from '../../ui/JsonTree';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A cell: text as it is, anything else as compact JSON (its full value in the title). */
function Cell({ v }: { v: Json }) {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return <td title={text}>{text}</td>;
}

function RecordTable({ name, rows }: { name: string; rows: Record<string, Json>[] }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div className="native-table">
      <h5>
        {name} <span className="muted">({rows.length})</span>
      </h5>
      <div className="native-table-scroll">
        <table aria-label={name}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <Cell key={c} v={r[c] ?? null} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function NativeRecord({ attributes }: { attributes: Record<string, Json> }) {
  const tables = Object.entries(attributes).filter((e): e is [string, Record<string, Json>[]] => Array.isArray(e[1]) && e[1].length > 0 && e[1].every(isRecord));
  const empty = Object.entries(attributes)
    .filter(([, v]) => Array.isArray(v) && v.length === 0)
    .map(([k]) => k);
  const rest = Object.fromEntries(Object.entries(attributes).filter(([k, v]) => !tables.some(([t]) => t === k) && !(Array.isArray(v) && v.length === 0)));
  return (
    <>
      {Object.keys(rest).length > 0 && <JsonTree value={rest} />}
      {tables.map(([name, rows]) => (
        <RecordTable key={name} name={name} rows={rows} />
      ))}
      {empty.length > 0 && <p className="muted small">none recorded: {empty.join(', ')}</p>}
    </>
  );
}
