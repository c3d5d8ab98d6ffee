/**
 * `run-inspector query <url> --run-id R [--as-of EVENT] (--match PATTERN | --events EXPR) [--json]`:
 * a query of the run's graph as of an event (engine/graph-query), or of its events, compiled to SQL
 * (store/event-query). Text: a table; `--json`: one object per binding or event and line. Exit 2
 * for a query that does not parse (with the column), 3 for an unknown run or event.
 */
import type { Command } from 'commander';
import { usageError } from '../base/errors.js';
import { pyDumps } from '../base/pyjson.js';
import { asOfSeqOf, columnsOf, parseQuery, queryPage, type QueryCell } from '../engine/graph-query.js';
import { summarizePayload } from '../engine/event-summary.js';
import { decodePayload, loadRun } from '../engine/projection.js';
import { BEFORE_FIRST_SEQ } from '../store/event-store.js';
import { eventQueryOf } from '../store/event-query.js';
import { resolveRunId } from '../engine/runs.js';
import { withStore } from './commands.js';
import { columnsText } from './format.js';
import type { CliIO } from './io.js';

interface QueryCliOptions {
  runId?: string;
  asOf?: string;
  match?: string;
  events?: string;
  json?: boolean;
  limit: string;
}

const cellText = (c: QueryCell): string => (c.label ? `${c.id} (${c.type}: ${c.label.length > 40 ? c.label.slice(0, 39) + '…' : c.label})` : `${c.id} (${c.type})`);

export async function queryCommand(io: CliIO, url: string, o: QueryCliOptions): Promise<void> {
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit ${o.limit}: give a whole number of bindings, 1 or more`);
  if ((o.match === undefined) === (o.events === undefined)) throw usageError('give one of --match PATTERN (the graph) or --events EXPR (the events)');
  if (o.events !== undefined) return eventsCommand(io, url, o.events, o, limit);
  const q = parseQuery(o.match!);
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
    io.out(columnsText(table));
    const more = page.complete ? page.total : `more than ${page.total - 1}`;
    io.out(`${more} binding${page.total === 1 ? '' : 's'}${page.rows.length < page.total ? ` (the first ${page.rows.length} shown; --limit N for more)` : ''}\n`);
  });
}

/** `--events`: the run's events the query picks, in seq order (up to the event `--as-of` names). */
async function eventsCommand(io: CliIO, url: string, expr: string, o: QueryCliOptions, limit: number): Promise<void> {
  eventQueryOf(expr); // a query that does not parse is said before the store is opened
  await withStore(io, url, true, async (store) => {
    const runId = await resolveRunId(store, o.runId);
    const until = o.asOf ? await asOfSeqOf(store, runId, { eventId: o.asOf }) : undefined;
    const filter = { where: expr };
    const events = (await store.eventsAfter(runId, BEFORE_FIRST_SEQ, limit, filter)).filter((e) => until === undefined || e.seq <= until);
    const total = until === undefined ? await store.countEvents(runId, filter) : events.length;
    if (o.json) {
      for (const e of events)
        io.out(pyDumps({ seq: e.seq, id: e.id, type: e.type, actor: e.actor, timestamp: e.timestamp, caused_by: e.caused_by, payload: decodePayload(e, runId) }) + '\n');
      return;
    }
    const table = [
      ['seq', 'id', 'type', 'actor', 'summary'],
      ...events.map((e) => [String(e.seq), e.id, e.type, e.actor ?? '', summarizePayload(e.type, decodePayload(e, runId)).slice(0, 80)]),
    ];
    io.out(columnsText(table));
    io.out(`${total} event${total === 1 ? '' : 's'}${events.length < total ? ` (the first ${events.length} shown; --limit N for more)` : ''}\n`);
  });
}

export function registerQuery(program: Command, io: CliIO): void {
  program
    .command('query')
    .description('Query a run’s graph as of an event: (c:claim)<-[:supports]-(s:source) where c.data.confidence < 0.5')
    .argument('<store_url>')
    .option('--run-id <id>', 'the run (default: the most recently appended)')
    .option('--as-of <event_id>', 'the graph as of this event (default: the end of the run)')
    .option('--match <pattern>', 'a graph pattern, with an optional `where` and `as of`')
    .option('--events <expr>', "an event query: type = 'llm.responded' and payload.cost_usd > 0.01, descendant of evt_12, …")
    .option('--limit <n>', 'bindings printed at most', '1000')
    .option('--json', 'one JSON object per binding and line')
    .action((url: string, o: QueryCliOptions) => queryCommand(io, url, o));
}
