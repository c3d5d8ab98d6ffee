/** Binary searches over an ascending list of numbers. */

/** The first index whose value is at least `x` (the list's length when none is): how many are below `x`. */
export function firstAtLeast(sorted: ArrayLike<number>, x: number): number {
  return firstWhere(sorted, (v) => v >= x);
}

/** The first index whose value is above `x`: how many are at most `x`. */
export function firstAbove(sorted: ArrayLike<number>, x: number): number {
  return firstWhere(sorted, (v) => v > x);
}

/** The first index where `holds` is true, for a condition that, once true, stays true along the list. */
function firstWhere(sorted: ArrayLike<number>, holds: (v: number) => boolean): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(sorted[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
