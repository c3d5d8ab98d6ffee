/** One figure of a summary row (compare, promote, what-if): the number, what it counts, red when it is bad news. */
import type { ReactNode } from 'react';

export function SummaryCard({ num, label, bad = false }: { num: ReactNode; label: string; bad?: boolean }) {
  return (
    <div className={`card${bad ? ' bad' : ''}`}>
      <div className="num">{num}</div>
      <div className="label">{label}</div>
    </div>
  );
}
