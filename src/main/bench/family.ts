/**
 * Many forks of one big run: twenty forks of the million-event run, each forked the way Active
 * Graph forks (the parent's rows up to the fork point copied) and run on for 2,000 events of its
 * own, compared at once as the window asks (the matrix, then the first page of what differs).
 * The budget is one replay of the parent plus each fork's own rest; the reply sizes are measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { forkRun } from '../usecases/fork.js';
import { Graph, loadRun, replayInto } from '../engine/projection.js';
import { sharedStart } from '../engine/run-ends.js';
import { GraphCursor } from '../engine/graph-cursor.js';
import type { OperationName, OpInput, OpOutput } from '../../shared/contract.js';
import { dispatch } from '../service/dispatch.js';
import { InspectorService } from '../service/inspector-service.js';
import { scanEvents } from '../store/event-store.js';
import { openDestination, openStore } from '../store/open-store.js';
import { parseStoreUrl } from '../store/store-url.js';
import { migrateInto } from '../usecases/migrate.js';
import { pgQuery, startCluster } from '../../../test/support/throwaway-postgres.js';
import { countersFromLog, type Counters, SyntheticRun } from '../synthetic/synthetic-run.js';
import { BIG_RUN } from './bench-store.js';
import type { BenchContext } from './extra.js';

const FORKS = 20;
/** Fork points every 20,000 events: 4.2M copied rows in all (what the disk of this VM holds beside the other benches' stores). */
const EVERY = 20_000;
const OWN_EVENTS = 2_000;
const label = (k: number) => `bench-family-${String(k).padStart(2, '0')}`;

/** Writes the forks that are missing: one pass over the parent finds every fork point and the id counters there. */
async function ensureFamily(file: string): Promise<string[]> {
  const writer = await openDestination(`sqlite:///${file}`);
  try {
    const have = new Map((await writer.reader.listRuns({ counts: false })).map((r) => [r.label, r.run_id]));
    const missing = Array.from({ length: FORKS }, (_, i) => i + 1).filter((k) => !have.has(label(k)));
    if (missing.length) {
      const at = new Map<number, { id: string; timestamp: string; counters: Counters }>();
      let c: Counters = { event: 0, object: 0, relation: 0, patch: 0 };
      let n = 0;
      for await (const chunk of scanEvents(writer.reader, BIG_RUN))
        for (const e of chunk) {
          const mine = countersFromLog([e]);
          c = {
            event: Math.max(c.event, mine.event),
            object: Math.max(c.object, mine.object),
            relation: Math.max(c.relation, mine.relation),
            patch: Math.max(c.patch, mine.patch),
          };
          if (++n % EVERY === 0 && missing.includes(n / EVERY)) at.set(n / EVERY, { id: e.id, timestamp: e.timestamp, counters: { ...c } });
          if (n >= FORKS * EVERY) break;
        }
      for (const k of missing) {
        const cut = at.get(k)!;
        process.stdout.write(`\r  writing ${label(k)} (${(k * EVERY).toLocaleString('en-US')} events copied)      `);
        const { new_run_id } = await forkRun(writer.reader, writer, BIG_RUN, cut.id, { label: label(k) });
        await new SyntheticRun(new_run_id, { seed: 100 + k, counters: cut.counters, startTime: cut.timestamp }).write(writer, OWN_EVENTS, 2_000);
        have.set(label(k), new_run_id);
      }
      process.stdout.write('\n');
    }
    return Array.from({ length: FORKS }, (_, i) => have.get(label(i + 1))!);
  } finally {
    await writer.close();
  }
}

export async function familyBench(ctx: BenchContext): Promise<void> {
  process.stdout.write(`\nmany forks (${FORKS} forks of the 1,000,000-event run, ${OWN_EVENTS.toLocaleString('en-US')} events each of their own; SQLite)\n`);
  await measureFamily(ctx, `sqlite:///${ctx.file}`, await ensureFamily(ctx.file));
}

/**
 * The same family on Postgres: the parent and its forks migrated once (verified) into a cluster
 * kept in the temp folder, then measured as on SQLite.
 */
export async function familyBenchPostgres(ctx: BenchContext): Promise<void> {
  process.stdout.write(`\nmany forks on Postgres (the same ${FORKS} forks and their parent, migrated from the SQLite bench store)\n`);
  const forks = await ensureFamily(ctx.file);
  const dir = path.join(os.tmpdir(), 'run-inspector-bench-family-pg');
  const marker = path.join(dir, 'built');
  if (!fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
  const cluster = await startCluster(dir);
  try {
    const url = cluster.url('family');
    if (!fs.existsSync(marker)) {
      await cluster.createDatabase('family');
      const source = await openStore(`sqlite:///${ctx.file}`);
      try {
        const [result, ms] = await ctx.time(() => migrateInto(source, parseStoreUrl(url), { runIds: [BIG_RUN, ...forks] }));
        if (result.runs.length !== FORKS + 1 || !result.runs.every((r) => r.verification?.ok)) throw new Error('the family did not migrate whole');
        ctx.record('the family migrated into Postgres (verified, once)', `${(ms / 1000).toFixed(0)} s`);
        // The store as a server that has been up a while keeps it: autovacuum has set the visibility
        // map (the bench's server runs only while it measures, too briefly for autovacuum to come).
        await pgQuery(url, 'VACUUM ANALYZE');
      } finally {
        await source.close();
      }
      fs.writeFileSync(marker, 'family');
    }
    await measureFamily(ctx, url, forks);
  } finally {
    cluster.stop();
  }
}

async function measureFamily(ctx: BenchContext, url: string, forks: string[]): Promise<void> {
  const store = await openStore(url);
  try {
    // The budget: one replay of the parent, and each fork's own rest replayed.
    const [, parentMs] = await ctx.time(() => loadRun(store, BIG_RUN));
    let restsMs = 0;
    for (const id of forks) {
      const start = (await sharedStart(store, (await store.getRun(id))!))!;
      restsMs += (await ctx.time(() => replayInto(store, id, new Graph(), { afterSeq: start.ownSeq })))[1];
    }
    ctx.record('one replay of the parent / the forks’ own rests', `${ctx.ms(parentMs)} / ${ctx.ms(restsMs)}`);
    // What the matrix reads first: the parent's history (its graph at every event), here alone.
    const [, historyMs] = await ctx.time(() => new GraphCursor(store, BIG_RUN).at());
    ctx.record('the parent’s history alone (graph at every event)', `${ctx.ms(historyMs)} (${(historyMs / parentMs).toFixed(2)}x its replay)`);

    const service = new InspectorService({ demoStoreUrl: url });
    // The twenty forks (the contract's most); each row's change against the parent reads the parent's end too.
    const runIds = forks;
    /** A call as the window makes it, and the size of its reply. */
    const ask = async <O extends OperationName>(op: O, input: OpInput<O>): Promise<[OpOutput<O>, number]> => {
      const r = await dispatch(service, op, input);
      if (!r.ok) throw new Error(r.error.summary);
      return [r.value as OpOutput<O>, JSON.stringify(r.value).length];
    };
    const { storeId } = (await ask('openStore', { url }))[0];
    const t0 = performance.now();
    const [rows, matrixBytes] = await ask('compareRuns', { storeId, runIds });
    const matrixMs = performance.now() - t0;
    ctx.record(`the matrix of the ${runIds.length} forks, first time`, `${ctx.ms(matrixMs)} (${(matrixMs / (parentMs + restsMs)).toFixed(2)}x the budget)`);
    const t1 = performance.now();
    const [page, pageBytes] = await ask('runDifferences', { storeId, runIds, offset: 0, limit: 100 });
    ctx.record('what differs among them, first page of 100', `${ctx.ms(performance.now() - t1)} (${page.total.toLocaleString('en-US')} entities differ)`);
    const t2 = performance.now();
    await ask('compareRuns', { storeId, runIds });
    ctx.record('the matrix again (layers kept)', ctx.ms(performance.now() - t2));
    // As "side by side with its forks" asks: the parent and the first 19 (the most is 20). The
    // parent's row adds its own cost roll-up, a read of all its events (the forks' rows read their own).
    const t3 = performance.now();
    await ask('compareRuns', { storeId, runIds: [BIG_RUN, ...runIds.slice(0, 19)] });
    ctx.record('the parent and 19 forks, after the above', ctx.ms(performance.now() - t3));
    ctx.record('replies to the window: matrix / a page of differences', `${(matrixBytes / 1e3).toFixed(1)} KB / ${(pageBytes / 1e3).toFixed(1)} KB`);
    const [stats] = await ask('cacheStats', {});
    const forkBytes = stats.entries.filter((e) => e.kind === 'fork').reduce((t, e) => t + e.bytes, 0);
    ctx.record(
      'forks’ own layers kept / the parent’s history',
      `${(forkBytes / 1e6).toFixed(1)} MB / ${(stats.entries.find((e) => e.kind === 'graph' && e.runId === BIG_RUN)!.bytes / 1e6).toFixed(0)} MB`,
    );
    if (rows.length !== runIds.length) throw new Error('the matrix lost a run');
    await service.close();
  } finally {
    await store.close();
  }
}
