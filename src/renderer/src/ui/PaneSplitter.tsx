/** A draggable pane edge (also moved with ←/→ when focused); a double click collapses the pane. */
import type { KeyboardEvent, PointerEvent } from 'react';

export function PaneSplitter({ label, width, side, onResize, onToggle }: { label: string; width: number; side: 'left' | 'right'; onResize(px: number): void; onToggle(): void }) {
  // The pane is left of the edge (its width grows as the edge moves right) or right of it.
  const sign = side === 'left' ? 1 : -1;
  const start = (e: PointerEvent<HTMLDivElement>) => {
    const x0 = e.clientX;
    const w0 = width;
    e.currentTarget.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => onResize(w0 + sign * (ev.clientX - x0));
    const el = e.currentTarget;
    const end = () => (el.removeEventListener('pointermove', move), el.removeEventListener('pointerup', end));
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', end);
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      onResize(width + sign * (e.key === 'ArrowRight' ? 20 : -20));
    } else if (e.key === 'Enter') onToggle();
  };
  return (
    <div
      className="pane-splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={start}
      onDoubleClick={onToggle}
      onKeyDown={key}
      title={`${label}: drag to resize, double-click to collapse`}
    />
  );
}
