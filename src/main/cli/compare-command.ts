/**
 * `run-inspector compare <url> --runs A B C … [--json]`: many runs side by side (engine/run-matrix),
 * the same figures as the app's matrix. Text: one row per run; `--json`: the rows as a list.
 */
import type { Command } from 'commander';
import { usageError } from '../base/errors.js';
import { pyDumps } from '../base/pyjson.js';
import { GraphCursor } from '../engine/graph-cursor.js';
import { cursorHistories, RunEnds } from '../engine/run-ends.js';
import { runMatrix, type RunFigures } from '../engine/run-matrix.js';
import { RunSpans } from '../engine/spans.js';
import { withStore } from './commands.js';
import { columnsText } from './format.js';
import type { CliIO } from './io.js';

const COLUMNS: [string, (r: RunFigures) => string][] = [
  ['run', (r) => r.run_id],
  ['label', (r) => r.label ?? ''],
  ['fork point', (r) => r.forked_at_event_id ?? ''],
  ['events', (r) => String(r.events)],
  ['after fork', (r) => (r.events_after_fork === null ? '' : String(r.events_after_fork))],
  ['executions', (r) => String(r.executions)],
  ['failures', (r) => String(r.failures)],
  ['llm calls', (r) => String(r.llm_calls)],
  ['tokens', (r) => `${r.tokens_in}/${r.tokens_out}`],
  ['cost $', (r) => r.cost_usd],
  ['duration', (r) => (r.duration_ms === null ? '' : `${(r.duration_ms / 1000).toFixed(1)} s`)],
  ['objects', (r) => String(r.objects)],
  ['relations', (r) => String(r.relations)],
  ['vs parent +/~/-', (r) => (r.vs_parent ? `+${r.vs_parent.created} ~${r.vs_parent.patched} -${r.vs_parent.removed}` : '')],
];

export async function compareCommand(io: CliIO, url: string, o: { runs: string[]; json?: boolean }): Promise<void> {
  if (o.runs.length < 2 || o.runs.length > 20) throw usageError(`--runs names ${o.runs.length} run${o.runs.length === 1 ? '' : 's'}: compare 2 to 20 runs`);
  await withStore(io, url, true, async (store) => {
    const cursors = new Map<string, GraphCursor>();
    const cursor = (runId: string) => cursors.get(runId) ?? cursors.set(runId, new GraphCursor(store, runId)).get(runId)!;
    const ends = new RunEnds(store, cursorHistories(cursor));
    const rows = await runMatrix(
      { store, spans: (runId) => new RunSpans(store, runId).refresh(), ends: (runIds) => ends.ends(runIds), forkPoints: (runId, seqs) => ends.forkPoints(runId, seqs) },
      o.runs,
    );
    if (o.json) return void io.out(pyDumps(rows) + '\n');
    const table = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
    io.out(columnsText(table));
  });
}

export function registerCompare(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('Many runs side by side: fork point, events, executions, failures, LLM calls, tokens, cost, duration, graph at the end, change against the parent')
    .argument('<store_url>')
    .requiredOption('--runs <ids...>', '2 to 20 run ids')
    .option('--json', 'the rows as JSON')
    .action((url: string, o: { runs: string[]; json?: boolean }) => compareCommand(io, url, o));
}
