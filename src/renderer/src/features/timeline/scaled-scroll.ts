/**
 * Scroll math for lists taller than a browser can lay out (about 33M px in Chromium, less
 * elsewhere): above MAX_SCROLL_PX the scroll space is scaled, so a million rows still scroll
 * from the first to the very last.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollGeometry {
  total: number;
  rowHeight: number;
  viewport: number;
}

export function scrollSpace(g: ScrollGeometry): number {
  return Math.min(g.total * g.rowHeight, MAX_SCROLL_PX);
}

const maxFirstRow = (g: ScrollGeometry): number => Math.max(0, g.total - Math.floor(g.viewport / g.rowHeight));

/** The first visible row and how far (px) it is scrolled out of view. */
export function rowAtScroll(g: ScrollGeometry, scrollTop: number): { first: number; shift: number } {
  const natural = g.total * g.rowHeight;
  if (natural <= MAX_SCROLL_PX) {
    const first = Math.max(0, Math.floor(scrollTop / g.rowHeight));
    return { first, shift: scrollTop - first * g.rowHeight };
  }
  const maxScroll = Math.max(1, scrollSpace(g) - g.viewport);
  const exact = (Math.min(Math.max(scrollTop, 0), maxScroll) / maxScroll) * maxFirstRow(g);
  const first = Math.floor(exact);
  return { first, shift: (exact - first) * g.rowHeight };
}

/** The scrollTop that shows `row` at the top (or as close as the end allows). */
export function scrollForRow(g: ScrollGeometry, row: number): number {
  const natural = g.total * g.rowHeight;
  if (natural <= MAX_SCROLL_PX) return row * g.rowHeight;
  const maxScroll = Math.max(1, scrollSpace(g) - g.viewport);
  return (Math.min(row, maxFirstRow(g)) / Math.max(1, maxFirstRow(g))) * maxScroll;
}
