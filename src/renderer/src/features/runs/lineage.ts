/** The store's runs as a lineage forest: forks under their parents, every run shown exactly once. */
import type { RunInfo } from '../../state/app-store';

export interface LineageNode {
  run: RunInfo;
  children: LineageNode[];
  /** Its parent chain leads back to itself (a damaged or hand-edited store): shown at the top, marked. */
  inCycle: boolean;
}

export function buildLineage(runs: RunInfo[]): LineageNode[] {
  const byId = new Map<string, LineageNode>(runs.map((r) => [r.run_id, { run: r, children: [], inCycle: false }]));
  const parentOf = (n: LineageNode): LineageNode | undefined => (n.run.parent_run_id ? byId.get(n.run.parent_run_id) : undefined);
  for (const node of byId.values()) {
    const seen = new Set<LineageNode>();
    let cur: LineageNode | undefined = node;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      cur = parentOf(cur);
    }
    node.inCycle = cur === node; // the walk came back to where it started
  }
  const roots: LineageNode[] = [];
  for (const node of byId.values()) {
    const parent = node.inCycle ? undefined : parentOf(node);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
