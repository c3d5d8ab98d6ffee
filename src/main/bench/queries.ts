/**
 * Queries on the stores users have: a two-hop chain with a `where` on the million-event run, as of
 * events across it once the run's graph history is built (its first page, and its count); and an
 * event query's first page on a big run of a team's store, on SQLite and on Postgres.
 */
import { performance } from 'node:perf_hooks';
import { GraphCursor } from '../engine/graph-cursor.js';
import { matchQuery, parseQuery, queryPage } from '../engine/graph-query.js';
import { BEFORE_FIRST_SEQ, type EventStore } from '../store/event-store.js';
import { openStore } from '../store/open-store.js';
import type { BenchContext } from './extra.js';
import { BIG_RUN } from './bench-store.js';

export const CHAIN = '(c:claim)-[:supported_by]->(s:source)<-[:answered_by]-(q:question) where c.data.confidence < 0.9';
export const EVENTS_QUERY = "type = 'llm.responded' and payload.cost_usd > 0.004";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const worst = (xs: number[]) => Math.max(...xs);

export async function graphQueryBench(ctx: BenchContext): Promise<void> {
  process.stdout.write('\nqueries (1,000,000-event run, SQLite)\n');
  const store = await openStore(`sqlite:///${ctx.file}`);
  try {
    const cursor = new GraphCursor(store, BIG_RUN);
    const [, buildMs] = await ctx.time(() => cursor.at());
    ctx.record('graph history of the run built', ctx.ms(buildMs));
    const last = (await store.eventsBefore(BIG_RUN, Number.MAX_SAFE_INTEGER, 1))[0]!.seq;
    const first = (await store.eventsAfter(BIG_RUN, BEFORE_FIRST_SEQ, 1))[0]!.seq;
    const q = parseQuery(CHAIN);
    const pages: number[] = [];
    const counts: number[] = [];
    let bindings = 0;
    for (const f of [0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
      const { graph } = await cursor.at(Math.round(first + (last - first) * f));
      const t0 = performance.now();
      let n = 0;
      for (const _ of matchQuery(graph, q)) if (++n === 50) break;
      pages.push(performance.now() - t0);
      const [page, countMs] = await ctx.time(() => queryPage(graph, q, { offset: 0, limit: 50 }));
      counts.push(countMs);
      bindings = page.total;
    }
    ctx.record(`two-hop chain with a where, first page of 50 (6 points of the run)`, `p50 ${ctx.ms(median(pages))}, worst ${ctx.ms(worst(pages))}`);
    ctx.record(`the same, counted (${bindings.toLocaleString('en-US')} bindings at the end)`, `p50 ${ctx.ms(median(counts))}, worst ${ctx.ms(worst(counts))}`);
  } finally {
    await store.close();
  }
}

/** An event query's first page (50 events) on `runId`, five times: its median and worst. */
export async function eventQueryFirstPage(ctx: BenchContext, store: EventStore, runId: string, label: string): Promise<void> {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < 5; i++) {
    const [rows, t] = await ctx.time(() => store.eventsAfter(runId, BEFORE_FIRST_SEQ, 50, { where: EVENTS_QUERY }));
    times.push(t);
    found = rows.length;
  }
  ctx.record(`event query, first page (${found} events), ${label}`, `p50 ${ctx.ms(median(times))}, worst ${ctx.ms(worst(times))}`);
}
