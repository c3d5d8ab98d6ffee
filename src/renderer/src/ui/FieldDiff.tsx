/**
 * The one field-by-field difference of the app: an object's or relation's fields in two states
 * (what-if, promote, compare) or a patch's recorded changes (event detail), as one table: field,
 * before, after, only what differs. Data fields are named `data.<key>`.
 */

/** An entity as the engine sends it (provenance left out); null where it does not exist. */
export type Entity = Record<string, unknown> | null | undefined;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What it says where the entity does not exist on that side. */
const ABSENT = Symbol('absent');

function fields(e: Entity): Record<string, unknown> {
  if (!e) return {};
  const { data, provenance: _p, id: _id, ...rest } = e;
  return { ...rest, ...Object.fromEntries(Object.entries((data ?? {}) as Record<string, unknown>).map(([k, v]) => [`data.${k}`, v])) };
}

/** The fields that differ between two states of an entity (every field when it exists on one side only). */
export function entityChanges(before: Entity, after: Entity): FieldChange[] {
  const a = fields(before);
  const b = fields(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => Number(x.startsWith('data.')) - Number(y.startsWith('data.')) || (x < y ? -1 : 1));
  return keys
    .filter((k) => !before || !after || JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => ({ field: k, before: before ? a[k] : ABSENT, after: after ? b[k] : ABSENT }));
}

/** A patch's recorded `diff` ({field: {old, new}}) as changes. */
export function patchChanges(diff: unknown): FieldChange[] {
  const d = (diff ?? {}) as Record<string, { old?: unknown; new?: unknown } | undefined>;
  return Object.entries(d).map(([field, c]) => ({ field, before: c?.old, after: c?.new }));
}

const show = (v: unknown, absent: string): string => (v === ABSENT ? absent : v === undefined ? '—' : JSON.stringify(v));

export function FieldDiff({ changes, labels = ['before', 'after'] }: { changes: FieldChange[]; labels?: [string, string] }) {
  return (
    <table className="diff-table">
      <thead>
        <tr>
          <th>field</th>
          <th>{labels[0]}</th>
          <th>{labels[1]}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <td>{c.field}</td>
            <td className="old">{show(c.before, '')}</td>
            <td className="new">{show(c.after, 'removed')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
