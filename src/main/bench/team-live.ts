/**
 * Live at team scale: ten writer processes each append a run to the team's Postgres store while
 * ten windows of one data host each page one of the store's ten biggest runs and follow one of
 * the live runs as the app does (the watcher's `runGrew`, then the run's row and its tail). Prints
 * every event seen or not, the lag from a writer's commit to a window's rows (p50/p95), page
 * latencies (p50/p95), the writers' commit times alone and with the readers, the connections the
 * host held and its peak memory. The live runs stay in the bench store (30k events a time): deleting
 * them left dead index entries that made the planner's range estimates read ~30k buffers, 0.4 s
 * per page, until a vacuum.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ROOT } from '../paths.js';
import { dispatch } from '../service/dispatch.js';
import { InspectorService } from '../service/inspector-service.js';
import type { BenchContext } from './extra.js';

const WRITERS = 10;
const WINDOWS = 10;
const SECONDS = 30;
/** The writers run alone first, for their commit times without readers. */
const ALONE_S = 6;
const RATE = 100;

interface WriterReport {
  runId: string;
  written: number;
  commitP95Alone: number | null;
  commitP95WithReaders: number | null;
}

const pct = (xs: number[], p: number): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN);

export async function teamLiveBench(ctx: BenchContext, url: string, bigRuns: string[]): Promise<void> {
  process.stdout.write(
    `\nlive at team scale: ${WRITERS} writer processes at ${RATE} events/s each, ${WINDOWS} windows paging ${bigRuns.length} big runs and following the live runs\n`,
  );
  const stamp = Date.now().toString(36).toUpperCase();
  const live = Array.from({ length: WRITERS }, (_, i) => `01KLIVE${stamp}${String(i).padStart(21 - stamp.length, '0')}`);
  const readersAt = Date.now() + ALONE_S * 1000;
  const writers = live.map((runId, i) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'out', 'main', 'bench-writer.js'), url, runId, String(SECONDS), String(RATE), String(100 + i), String(readersAt)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    return new Promise<WriterReport>((resolve, reject) =>
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer ${runId} exited ${code}`)))),
    );
  });

  const admin = new pg.Client({ connectionString: url, application_name: 'bench-admin' });
  await admin.connect();
  const service = new InspectorService({ demoStoreUrl: url });
  /** [written at, lag] of each row a window showed after it began to follow the run. */
  const lags: [number, number][] = [];
  const pages: number[] = [];
  const seen = new Map<string, Set<string>>(live.map((r) => [r, new Set()])); // rows each window has shown
  let peakConnections = 0;
  let peakRss = 0;
  let stop = false;
  try {
    await new Promise((r) => setTimeout(r, Math.max(0, readersAt - Date.now())));
    const storeId = ((await dispatch(service, 'openStore', { url })) as { value: { storeId: string } }).value.storeId;
    const call = async (op: string, input: Record<string, unknown>): Promise<any> => {
      const res = await dispatch(service, op, { storeId, ...input });
      if (!res.ok) throw new Error(`${op}: ${res.error.summary}`);
      return res.value;
    };
    await call('listRuns', {});
    // Each window follows its live run: a growth notice updates the run's row and reads its tail,
    // one read at a time; notices that come meanwhile are folded into the next read.
    const following = new Map<string, { next: number | null; reading: Promise<void> | null }>(live.map((r) => [r, { next: null, reading: null }]));
    const totals = new Map<string, number>();
    let followingSince = Number.POSITIVE_INFINITY;
    const readTail = async (runId: string, total: number) => {
      await call('runInfo', { runId });
      const { rows, total: shownTotal } = await call('timelineWindow', { runId, offset: Math.max(0, total - 300), limit: 300 });
      totals.set(runId, shownTotal);
      const now = Date.now();
      for (const r of rows as { id: string; timestamp: string }[]) {
        const ids = seen.get(runId)!;
        if (ids.has(r.id)) continue;
        ids.add(r.id);
        // Rows written before the window followed the run were never "late": they were there when it looked.
        const written = Date.parse(r.timestamp);
        if (written >= followingSince) lags.push([written, now - written]);
      }
    };
    const off = service.onPush((channel, payload) => {
      if (channel !== 'runGrew') return;
      const p = payload as { runId: string; total: number };
      const f = following.get(p.runId);
      if (!f) return;
      f.next = p.total;
      f.reading ??= (async () => {
        while (f.next !== null) {
          const total = f.next;
          f.next = null;
          await readTail(p.runId, total).catch(() => {});
        }
        f.reading = null;
      })();
    });
    for (const runId of live) await call('watchRun', { runId, watch: true });
    followingSince = Date.now();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      void admin
        .query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'run-inspector' AND datname = current_database()`)
        .then((r) => (peakConnections = Math.max(peakConnections, r.rows[0].n)))
        .catch(() => {});
    }, 250);
    // Each window pages its big run: a window of 100 rows anywhere, ten times a second.
    const sizes = await Promise.all(bigRuns.map(async (runId) => (await call('timelineWindow', { runId, offset: 0, limit: 1 })).total as number));
    const bigRunsOpen = Date.now();
    const paging = Array.from({ length: WINDOWS }, async (_, w) => {
      const runId = bigRuns[w % bigRuns.length]!;
      const total = sizes[w % bigRuns.length]!;
      while (!stop) {
        const t0 = performance.now();
        await call('timelineWindow', { runId, offset: Math.floor(Math.random() * Math.max(1, total - 100)), limit: 100 });
        pages.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const reports = await Promise.all(writers);
    await new Promise((r) => setTimeout(r, 3000)); // the last notices
    stop = true;
    await Promise.all(paging);
    await Promise.all([...following.values()].map((f) => f.reading));
    clearInterval(sampler);
    off();

    const written = reports.reduce((n, r) => n + r.written, 0);
    const shown = live.reduce((n, r) => n + (totals.get(r) ?? 0), 0);
    ctx.record("events written / in the windows' timelines at the end", `${written.toLocaleString('en-US')} / ${shown.toLocaleString('en-US')}`);
    const all = lags.map(([, lag]) => lag);
    const settled = lags.filter(([at]) => at >= bigRunsOpen).map(([, lag]) => lag);
    ctx.record('lag, commit to rows in the window (p50 / p95)', `${ctx.ms(pct(all, 0.5))} / ${ctx.ms(pct(all, 0.95))} over ${all.length.toLocaleString('en-US')} rows`);
    ctx.record(
      `  once the ten big runs are open (${((bigRunsOpen - followingSince) / 1000).toFixed(1)} s)`,
      `${ctx.ms(pct(settled, 0.5))} / ${ctx.ms(pct(settled, 0.95))} over ${settled.length.toLocaleString('en-US')} rows`,
    );
    ctx.record(`page of 100 rows, ${WINDOWS} windows at once (p50 / p95)`, `${ctx.ms(pct(pages, 0.5))} / ${ctx.ms(pct(pages, 0.95))} over ${pages.length} pages`);
    const alone = reports.map((r) => r.commitP95Alone ?? NaN);
    const loaded = reports.map((r) => r.commitP95WithReaders ?? NaN);
    ctx.record('writers: commit p95, alone / with the windows (median writer)', `${ctx.ms(pct(alone, 0.5))} / ${ctx.ms(pct(loaded, 0.5))}`);
    ctx.record('connections the data host held (peak)', String(peakConnections));
    ctx.record('data host + bench peak RSS', `${(peakRss / 2 ** 20).toFixed(0)} MB`);
  } finally {
    stop = true;
    await Promise.allSettled(writers);
    await service.close();
    await admin.end();
  }
}
