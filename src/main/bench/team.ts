/**
 * A team's store at scale: ~1,000 runs and 10M events (RI_TEAM_EVENTS scales it) written by ten
 * concurrent writers so that each run's seqs interleave with the others', one 1M-event run among
 * them, and a contiguous copy of that run written alone; in a throwaway Postgres and the same rows
 * in SQLite. Every figure is printed beside the SQLite copy's, and the floor is psql's \copy of
 * the run's rows through its index. Both stores are kept (a cluster in the temp folder, a file in
 * .bench) for the next run.
 */
import { eventQueryFirstPage } from './queries.js';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { BEFORE_FIRST_SEQ, type EventStore } from '../store/event-store.js';
import { GraphCursor } from '../engine/graph-cursor.js';
import { openDestination, openStore } from '../store/open-store.js';
import { loadRun } from '../engine/projection.js';
import { runStatus } from '../engine/status.js';
import { ROOT } from '../paths.js';
import { dispatch } from '../service/dispatch.js';
import { InspectorService } from '../service/inspector-service.js';
import { BIG_TEAM_RUN, buildTeamStore } from '../synthetic/team-store.js';
import { forkRun } from '../usecases/fork.js';
import Database from 'better-sqlite3';
import { teamLiveBench } from './team-live.js';
import { pgQuery, startCluster } from '../../../test/support/throwaway-postgres.js';
import type { BenchContext } from './extra.js';

const VERSION = 'team-store-v1';

/** `part`: 'reads' (every figure of one client), 'live' (ten writers and ten windows), or both. */
/** The team store's Postgres cluster, when a team bench has built it (its folder and marker). */
export function teamCluster(): { dir: string; built: boolean } {
  const total = Number(process.env.RI_TEAM_EVENTS ?? 10_000_000);
  const dir = path.join(os.tmpdir(), `run-inspector-bench-${VERSION}-${total}`);
  return { dir, built: fs.existsSync(path.join(dir, 'built')) };
}

export async function teamBench(ctx: BenchContext, part?: 'reads' | 'live'): Promise<void> {
  const total = Number(process.env.RI_TEAM_EVENTS ?? 10_000_000);
  const big = Math.min(1_000_000, Math.round(total / 10));
  const runs = Math.max(20, Math.round(total / 10_000));
  const spec = { bigRunEvents: big, runs, runEvents: Math.round((total - big) / runs), concurrent: 10, forkShare: 0.6, seed: 11 };
  const key = `${VERSION}-${total}`;
  process.stdout.write(`\nteam store on Postgres (${runs + 1} runs, ~${(total / 1e6).toFixed(1)}M events, 10 writers at once) beside its SQLite copy\n`);
  const clusterDir = path.join(os.tmpdir(), `run-inspector-bench-${key}`);
  const file = path.join(ROOT, '.bench', `${key}.db`);
  const marker = path.join(clusterDir, 'built');
  // Both copies are built together (the same rows in the same order): a missing one rebuilds both.
  if (!fs.existsSync(marker) || !fs.existsSync(file)) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
  const cluster = await startCluster(clusterDir);
  try {
    const url = cluster.url('team');
    if (!fs.existsSync(marker)) {
      await cluster.createDatabase('team');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const [, buildMs] = await ctx.time(() => buildTeamStore(spec, url, file, (s) => process.stdout.write(`\r  ${s}      `)));
      await writeContiguousCopy(url, file);
      process.stdout.write(`\n  built in ${(buildMs / 1000).toFixed(0)} s\n`);
      fs.writeFileSync(marker, key);
    }
    const size = (await pgQuery<{ s: string }>(url, `SELECT pg_size_pretty(pg_database_size('team')) AS s`))[0]!.s;
    const count = (await pgQuery<{ n: number }>(url, `SELECT count(*)::int AS n FROM events`))[0]!.n;
    ctx.record('team store', `${count.toLocaleString('en-US')} events, ${size} in Postgres`);
    if (part !== 'live') await measure(ctx, url, file);
    if (part !== 'live') await teamEventQueries(ctx, url, file);
    if (part !== 'reads') await teamLiveBench(ctx, url, biggestRuns(file, 10));
  } finally {
    cluster.stop();
  }
}

/** An event query's first page on the team's biggest run: Postgres, and its SQLite copy. */
async function teamEventQueries(ctx: BenchContext, url: string, file: string): Promise<void> {
  for (const [label, storeUrl] of [
    ['team store on Postgres', url],
    ['its SQLite copy', `sqlite:///${file}`],
  ] as const) {
    const store = await openStore(storeUrl);
    try {
      await eventQueryFirstPage(ctx, store, BIG_TEAM_RUN, label);
    } finally {
      await store.close();
    }
  }
}

const CONTIGUOUS_RUN = '01KTEAMBIGRUNCONTIGUOUS00002';
const FORK_LABEL = 'bench-fork-at-5001';

/** The store's `n` runs with the most events (from the SQLite copy: the same rows). */
function biggestRuns(file: string, n: number): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT run_id FROM events GROUP BY run_id ORDER BY count(*) DESC LIMIT ?`).pluck().all(n) as string[];
  } finally {
    db.close();
  }
}

/** A fork of the big run at its 5,001st event, written by our fork into both stores once (the same run id in both). */
async function forkOfBigRun(stores: Record<'pg' | 'lite', EventStore>): Promise<string> {
  const have = (await stores.pg.listRuns({ counts: false })).find((r) => r.label === FORK_LABEL);
  if (have) return have.run_id;
  const at = (await stores.pg.eventsAfter(BIG_TEAM_RUN, BEFORE_FIRST_SEQ, 5001)).at(-1)!;
  let runId = '';
  for (const s of [stores.lite, stores.pg]) {
    const writer = await openDestination(s.url.raw);
    runId = (await forkRun(s, writer, BIG_TEAM_RUN, at.id, { label: FORK_LABEL, ...(runId ? { newRunId: runId } : {}) })).new_run_id;
    await writer.close();
  }
  return runId;
}

/** The big run's events again, under another id, written alone at the end (its seqs contiguous). */
async function writeContiguousCopy(url: string, file: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(
    `INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id)
                 SELECT id, type, actor, payload, frame_id, caused_by, timestamp, $2 FROM events WHERE (run_id, seq) >= ($1, 0) AND (run_id, seq) <= ($1, 9223372036854775807) ORDER BY run_id, seq`,
    [BIG_TEAM_RUN, CONTIGUOUS_RUN],
  );
  await c.query(`INSERT INTO runs(run_id, label, created_at, goal, frame_id) VALUES ($1, 'contiguous copy', now(), 'team store', 'frame_001')`, [CONTIGUOUS_RUN]);
  await c.query('VACUUM ANALYZE');
  await c.end();
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file);
  db.prepare(
    `INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) SELECT id, type, actor, payload, frame_id, caused_by, timestamp, ? FROM events WHERE run_id = ? ORDER BY seq`,
  ).run(CONTIGUOUS_RUN, BIG_TEAM_RUN);
  db.prepare(`INSERT INTO runs(run_id, label, created_at, goal, frame_id) VALUES (?, 'contiguous copy', '2026-12-01T00:00:00Z', 'team store', 'frame_001')`).run(CONTIGUOUS_RUN);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function measure(ctx: BenchContext, url: string, file: string): Promise<void> {
  const row = (name: string, pgMs: number, liteMs: number | null) =>
    ctx.record(name, `${ctx.ms(pgMs)}${liteMs === null ? '' : ` · SQLite ${ctx.ms(liteMs)} · ${(pgMs / liteMs).toFixed(2)}x`}`);
  const stores: Record<'pg' | 'lite', EventStore> = { pg: await openStore(url), lite: await openStore(`sqlite:///${file}`) };
  const both = async (f: (s: EventStore) => Promise<unknown>): Promise<[number, number]> => [(await ctx.time(() => f(stores.pg)))[1], (await ctx.time(() => f(stores.lite)))[1]];
  try {
    // Open + run list, through the service as the window asks it.
    for (const [label, u] of [
      ['pg', url],
      ['lite', `sqlite:///${file}`],
    ] as const) {
      const service = new InspectorService({ demoStoreUrl: u });
      const t0 = performance.now();
      const opened = await dispatch(service, 'openStore', { url: u });
      const storeId = (opened as { value: { storeId: string } }).value.storeId;
      const list = await dispatch(service, 'listRuns', { storeId });
      const ms = performance.now() - t0;
      const rows = list.ok ? (list.value as { run_id: string; event_count: number | null }[]) : [];
      const uncounted = rows.filter((r) => r.event_count === null).map((r) => r.run_id);
      const name = label === 'pg' ? 'Postgres' : 'SQLite';
      ctx.record(
        `open + run list painted (${name})`,
        `${ctx.ms(ms)}${list.ok ? `, ${rows.length - uncounted.length} of ${rows.length} runs counted` : ` FAILED: ${list.error.summary}`}`,
      );
      const t1 = performance.now();
      for (let i = 0; i < uncounted.length; i += 100) await dispatch(service, 'runCounts', { storeId, runIds: uncounted.slice(i, i + 100) });
      ctx.record(`  the other counts, filled in (${name})`, ctx.ms(performance.now() - t1));
      await service.close();
    }
    const seqs = await stores.lite.seqsAfter(BIG_TEAM_RUN, BEFORE_FIRST_SEQ, 2_000_000);
    const mid = seqs[Math.floor(seqs.length / 2)]!;
    row('first page of 200 (big run)', ...(await both((s) => s.eventsAfter(BIG_TEAM_RUN, BEFORE_FIRST_SEQ, 200))));
    row('middle page of 200', ...(await both((s) => s.eventsAfter(BIG_TEAM_RUN, mid, 200))));
    row('last page of 200', ...(await both((s) => s.eventsBefore(BIG_TEAM_RUN, Number.MAX_SAFE_INTEGER, 200))));
    row('status (engine, counting the run)', ...(await both((s) => runStatus(s, BIG_TEAM_RUN, 20))));
    row(
      'status (as the window asks it: the run open)',
      ...(await bothServices(url, file, async (call) => {
        await call('timelineWindow', { runId: BIG_TEAM_RUN, offset: 0, limit: 100 });
        return () => call('status', { runId: BIG_TEAM_RUN, tail: 12 });
      })),
    );
    row('search "summarizer": count', ...(await both((s) => s.countEvents(BIG_TEAM_RUN, { search: 'summarizer' }))));
    row('search "summarizer": first match', ...(await both((s) => s.eventsAfter(BIG_TEAM_RUN, BEFORE_FIRST_SEQ, 1, { search: 'summarizer' }))));
    const [pgReplay, liteReplay] = await both((s) => loadRun(s, BIG_TEAM_RUN));
    row('replay the big run (interleaved)', pgReplay, liteReplay);
    const [pgContiguous] = await both((s) => loadRun(s, CONTIGUOUS_RUN));
    ctx.record('  the same run written contiguously (Postgres)', `${ctx.ms(pgContiguous)} · interleaved / contiguous ${(pgReplay / pgContiguous).toFixed(2)}x`);
    const cursors = { pg: new GraphCursor(stores.pg, BIG_TEAM_RUN), lite: new GraphCursor(stores.lite, BIG_TEAM_RUN) };
    row('graph as of the last event, first time', ...(await both((s) => cursors[s === stores.pg ? 'pg' : 'lite'].at())));
    const jumps = Array.from({ length: 20 }, (_, i) => seqs[Math.floor(((i * 7919) % 20) * (seqs.length / 20))]!);
    const [pgJumps, liteJumps] = await both(async (s) => {
      for (const seq of jumps) await cursors[s === stores.pg ? 'pg' : 'lite'].at(seq);
    });
    row('graph as of an event, a jump (mean of 20 anywhere)', pgJumps / jumps.length, liteJumps / jumps.length);
    const fork = await forkOfBigRun(stores);
    row(
      'compare a 5,001-event fork with its 1M parent (as the window asks it)',
      ...(await bothServices(url, file, async (call) => () => call('diff', { runA: BIG_TEAM_RUN, runB: fork }))),
    );
    const floor = psqlFloor(url);
    if (floor !== null) ctx.record('floor: psql \\copy of the big run through its index', ctx.ms(floor));
  } finally {
    await stores.pg.close();
    await stores.lite.close();
  }
}

/**
 * The time of what `prepare` returns, through the service as the window asks it, on each store
 * (what `prepare` itself asks first, such as opening the run, is not timed).
 */
async function bothServices(
  url: string,
  file: string,
  prepare: (call: (op: string, input: Record<string, unknown>) => Promise<unknown>) => Promise<() => Promise<unknown>>,
): Promise<[number, number]> {
  const out: number[] = [];
  for (const u of [url, `sqlite:///${file}`]) {
    const service = new InspectorService({ demoStoreUrl: u });
    try {
      const storeId = ((await dispatch(service, 'openStore', { url: u })) as { value: { storeId: string } }).value.storeId;
      const call = async (op: string, input: Record<string, unknown>) => {
        const res = await dispatch(service, op, { storeId, ...input });
        if (!res.ok) throw new Error(`${op}: ${res.error.summary}`);
        return res.value;
      };
      const timed = await prepare(call);
      const t0 = performance.now();
      await timed();
      out.push(performance.now() - t0);
    } finally {
      await service.close();
    }
  }
  return [out[0]!, out[1]!];
}

/** psql's \copy of the big run's rows (through its index) to /dev/null, or null without psql. */
function psqlFloor(url: string): number | null {
  try {
    execFileSync('psql', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const t0 = performance.now();
  const res = spawnSync('psql', [
    url,
    '-c',
    `\\copy (SELECT seq, id, type, actor, payload, frame_id, caused_by, timestamp FROM events WHERE (run_id, seq) >= ('${BIG_TEAM_RUN}', 0) AND (run_id, seq) <= ('${BIG_TEAM_RUN}', 9223372036854775807) ORDER BY run_id, seq) TO '/dev/null'`,
  ]);
  return res.status === 0 ? performance.now() - t0 : null;
}
