/**
 * The graph drawn on a canvas, as a list too: what a screen reader (or a search with the eyes)
 * can read, and where a keyboard can pick an element as a click on the canvas would.
 */
export interface ListedElement {
  id: string;
  label: string;
  /** What the element is in this view (a node type, or only-a / only-b / changed in a diff). */
  kind: string;
}

export function GraphList({ items, onPick, testId }: { items: ListedElement[]; onPick(id: string): void; testId: string }) {
  if (items.length === 0) return null;
  return (
    <details className="graph-list" data-testid={testId}>
      <summary>as a list ({items.length.toLocaleString('en-US')})</summary>
      <ul>
        {items.map((it) => (
          <li key={it.id}>
            <button className="link" data-kind={it.kind} onClick={() => onPick(it.id)}>
              {it.label}
            </button>{' '}
            <span className="muted small">{it.kind}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
