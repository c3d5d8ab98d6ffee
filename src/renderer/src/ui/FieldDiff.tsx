/** An object's or relation's fields as they were and as they are: old → new, only what differs. */

/** An entity as the engine sends it (provenance left out). */
export type Entity = { type?: unknown; data?: Record<string, unknown>; source?: unknown; target?: unknown; version?: unknown } | null;

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));

export function FieldDiff({ before, after }: { before: Entity; after: Entity }) {
  const a = before?.data ?? {};
  const b = after?.data ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const rows = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]) || !before || !after);
  if (before && after && before.type !== after.type) rows.unshift('(type)');
  return (
    <table className="field-diff">
      <tbody>
        {rows.map((k) => (
          <tr key={k}>
            <th>{k}</th>
            <td className="old">{k === '(type)' ? show(before?.type) : before ? show(a[k]) : ''}</td>
            <td className="arrow">→</td>
            <td className="new">{k === '(type)' ? show(after?.type) : after ? show(b[k]) : 'removed'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
