/**
 * Aligns two event sequences after their divergence point: a longest common subsequence on
 * (type, summary) so matching events sit side by side and one-sided events stand out.
 */
export interface Alignable {
  type: string;
  summary: string;
}

export type AlignedPair<T> = { a: T | null; b: T | null; match: boolean };

export function alignEvents<T extends Alignable>(a: T[], b: T[]): AlignedPair<T>[] {
  const key = (e: Alignable) => `${e.type}\u0000${e.summary}`;
  const n = a.length;
  const m = b.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: AlignedPair<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(a[i]!) === key(b[j]!)) out.push({ a: a[i++]!, b: b[j++]!, match: true });
    else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ a: a[i++]!, b: null, match: false });
    else out.push({ a: null, b: b[j++]!, match: false });
  }
  return out;
}
