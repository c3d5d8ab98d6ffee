/**
 * Columns that give way when the timeline is too narrow for all of them at their minimum: the
 * least telling first (the store-wide seq, the time since start, frame, cause, actor, time, the
 * place), so the summary keeps its room, as DevTools' and Jaeger's tables do. Only columns the
 * user did not choose to show; nothing is remembered: a wider window shows them again.
 */
export const GIVE_WAY = ['seq', 'relative', 'frame', 'cause', 'actor', 'time', 'index'];

/** The gap between grid columns and the row's padding (see the timeline's grid). */
const GAP = 6;
const PADDING = 20;

export function columnsToHide(
  visible: { id: string; minWidth: number }[],
  width: number,
  /** Columns the user showed or hid themselves (their choice holds). */
  chosen: Record<string, boolean>,
): string[] {
  const needed = (cols: { minWidth: number }[]) => cols.reduce((w, c) => w + c.minWidth, 0) + GAP * (cols.length - 1) + PADDING;
  let shown = visible;
  const hidden: string[] = [];
  for (const id of GIVE_WAY) {
    if (needed(shown) <= width) break;
    if (chosen[id] === true || !shown.some((c) => c.id === id)) continue;
    shown = shown.filter((c) => c.id !== id);
    hidden.push(id);
  }
  return hidden;
}
