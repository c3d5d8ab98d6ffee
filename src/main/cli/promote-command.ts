/** `run-inspector promote <url> --run-id PARENT --from-run FORK [--dry-run] [--json]` (spec §7.7). */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { requireActiveGraph } from '../base/errors.js';
import { openStore, toStoreUrl } from '../store/open-store.js';
import { promoteFork, requirePromotable, type PromotePlan } from '../usecases/promote.js';
import { pyDumps } from '../base/pyjson.js';
import { CliExit, type CliIO } from './io.js';

const LISTS = ['objects_created', 'objects_patched', 'objects_removed', 'relations_created', 'relations_removed'] as const;

/** Active Graph's keys in its order: marker and applied ids only once applied. */
function planJson(p: PromotePlan): string {
  const { marker_event_id, applied_event_ids, ...rest } = p;
  return pyDumps(marker_event_id === undefined ? rest : { ...rest, marker_event_id, applied_event_ids }) + '\n';
}

function planText(p: PromotePlan): string {
  const lines = [`${p.dry_run ? 'would promote' : 'promoted'} ${p.from_run} -> ${p.into_run}:`];
  for (const key of LISTS) if (p[key].length) lines.push(`  ${key.padEnd(20)} ${p[key].join(', ')}`);
  if (p.warnings.length) lines.push('warnings (not applied):', ...p.warnings.map((w) => `  - ${w}`));
  if (p.conflicts.length) lines.push('conflicts (promote would fail):', ...p.conflicts.map((c) => `  - [${c.kind}] ${c.entity} ${c.id}: ${c.detail}`));
  return lines.join('\n') + '\n';
}

export interface PromoteCliOptions {
  runId: string;
  fromRun: string;
  dryRun?: boolean;
  json?: boolean;
}

export async function promoteCommand(io: CliIO, url: string, o: PromoteCliOptions): Promise<void> {
  const parsed = toStoreUrl(url);
  requirePromotable(parsed);
  const resolved = { ...parsed, path: path.resolve(io.cwd, parsed.path) };
  const noSuchRun = (flag: string, id: string) => new CliExit(3, `${flag} '${id}': no such run in ${url} (run-inspector inspect ${url} --json lists them)`);
  // A store that does not exist has no runs; it is never created by asking.
  if (!fs.existsSync(resolved.path)) throw noSuchRun('--run-id', o.runId);
  const store = await openStore(resolved);
  try {
    requireActiveGraph(store, 'promote'); // before the runs are looked for
    if (!(await store.getRun(o.runId))) throw noSuchRun('--run-id', o.runId);
    if (!(await store.getRun(o.fromRun))) throw noSuchRun('--from-run', o.fromRun);
    const plan = await promoteFork(store, o.runId, o.fromRun, { dryRun: o.dryRun === true });
    io.out(o.json ? planJson(plan) : planText(plan));
    if (plan.conflicts.length) throw new CliExit(5);
  } finally {
    await store.close();
  }
}

export function registerPromote(program: Command, io: CliIO): void {
  program
    .command('promote')
    .description("Apply a fork's net structural delta to its parent (fail-closed and atomic: any conflict aborts with nothing applied, exit 5)")
    .argument('<store_url>')
    .requiredOption('--run-id <id>', 'destination (parent) run')
    .requiredOption('--from-run <id>', 'source (fork) run')
    .option('--dry-run', 'compute and print the plan without applying anything')
    .option('--json', 'machine-readable output')
    .action((url: string, o: PromoteCliOptions) => promoteCommand(io, url, o));
}
