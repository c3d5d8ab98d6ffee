/**
 * `run-inspector query <url> --run-id R [--as-of EVENT] --match PATTERN [--json] [--limit N]`: a
 * query of the run's graph as of an event (engine/graph-query). Text: a table of the bindings;
 * `--json`: one object per binding and line. Exit 2 for a query that does not parse (with the
 * column), 3 for an unknown run or event.
 */
import type { Command } from 'commander';
import { usageError } from '../base/errors.js';
import { pyDumps } from '../base/pyjson.js';
import { asOfSeqOf, columnsOf, parseQuery, queryPage, type QueryCell } from '../engine/graph-query.js';
import { loadRun } from '../engine/projection.js';
import { resolveRunId } from '../engine/runs.js';
import { withStore } from './commands.js';
import type { CliIO } from './io.js';

interface QueryCliOptions {
  runId?: string;
  asOf?: string;
  match: string;
  json?: boolean;
  limit: string;
}

const cellText = (c: QueryCell): string => (c.label ? `${c.id} (${c.type}: ${c.label.length > 40 ? c.label.slice(0, 39) + '…' : c.label})` : `${c.id} (${c.type})`);

export async function queryCommand(io: CliIO, url: string, o: QueryCliOptions): Promise<void> {
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit ${o.limit}: give a whole number of bindings, 1 or more`);
  const q = parseQuery(o.match);
  if (q.asOf && o.asOf) throw usageError('the query says "as of" and --as-of is given too: say it once');
  await withStore(io, url, true, async (store) => {
    const runId = await resolveRunId(store, o.runId);
    const asOf = o.asOf ? { eventId: o.asOf } : q.asOf;
    const untilSeq = asOf ? await asOfSeqOf(store, runId, asOf) : undefined;
    const { graph } = await loadRun(store, runId, { untilSeq });
    const columns = columnsOf(q);
    const page = await queryPage(graph, q, { offset: 0, limit });
    if (o.json) {
      for (const row of page.rows) io.out(pyDumps(Object.fromEntries(columns.map((c, i) => [c.name, row[i]]))) + '\n');
      return;
    }
    const table = [columns.map((c) => c.name), ...page.rows.map((r) => r.map(cellText))];
    const widths = columns.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const r of table)
      io.out(
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd() + '\n',
      );
    const more = page.complete ? page.total : `more than ${page.total - 1}`;
    io.out(`${more} binding${page.total === 1 ? '' : 's'}${page.rows.length < page.total ? ` (the first ${page.rows.length} shown; --limit N for more)` : ''}\n`);
  });
}

export function registerQuery(program: Command, io: CliIO): void {
  program
    .command('query')
    .description('Query a run’s graph as of an event: (c:claim)<-[:supports]-(s:source) where c.data.confidence < 0.5')
    .argument('<store_url>')
    .option('--run-id <id>', 'the run (default: the most recently appended)')
    .option('--as-of <event_id>', 'the graph as of this event (default: the end of the run)')
    .requiredOption('--match <pattern>', 'the pattern, with an optional `where` and `as of`')
    .option('--limit <n>', 'bindings printed at most', '1000')
    .option('--json', 'one JSON object per binding and line')
    .action((url: string, o: QueryCliOptions) => queryCommand(io, url, o));
}
