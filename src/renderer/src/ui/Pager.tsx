/** Which page of a long answer is shown ("51–100"), and the buttons to the previous and next one. */
export function Pager({ offset, size, total, onChange, what }: { offset: number; size: number; total: number; onChange(offset: number): void; what: string }) {
  if (total <= size) return null;
  return (
    <span className="pager muted small">
      {offset + 1}–{Math.min(offset + size, total)}{' '}
      <button disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - size))} aria-label={`previous ${what}`}>
        ‹
      </button>
      <button disabled={offset + size >= total} onClick={() => onChange(offset + size)} aria-label={`next ${what}`}>
        ›
      </button>
    </span>
  );
}
