/**
 * `npm run bench`: measures the engine on a generated 1,000,000-event store and prints what it
 * measured, next to the raw floor (iterating the same rows with better-sqlite3, no projection).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { diffRuns } from '../engine/diff.js';
import { forkRun } from '../usecases/fork.js';
import { mostConnected } from '../engine/most-connected.js';
import { openDestination, openStore } from '../store/open-store.js';
import { loadRun } from '../engine/projection.js';
import { ROOT, STORE_FILES } from '../paths.js';
import { TimelineIndex } from '../engine/timeline-index.js';
import { BEFORE_FIRST_SEQ } from '../store/event-store.js';
import { GraphCursor } from '../engine/graph-cursor.js';
import { cappedNeighborhood, graphHubs } from '../engine/graph-views.js';
import { BIG_RUN, DIFF_A, DIFF_B, ensureBenchStore } from './bench-store.js';
import { runExtraBenchmarks } from './extra.js';
import { configureStoreFiles } from '../store/store-files.js';

configureStoreFiles(STORE_FILES);

const results: [string, string][] = [];
const record = (name: string, value: string): void => {
  results.push([name, value]);
  process.stdout.write(`  ${name.padEnd(52)} ${value}\n`);
};
const ms = (t: number): string => `${t.toFixed(1)} ms`;
async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

/** `npm run bench -- --only migration` (or engine, search, compare, queries, family, family-pg, fleet, bounded, team, browser) runs one part. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const dir = path.join(ROOT, '.bench');
process.stdout.write('Run Inspector benchmark\n');
const [file, genMs] = await time(() => ensureBenchStore(dir, (s) => process.stdout.write(`\r${s}      `)));
process.stdout.write(`\nstore: ${file} (ready in ${(genMs / 1000).toFixed(1)} s)\n`);
if (!only || only === 'engine') await engineBench();
if (!only || only === 'search') await searchBench();
if (!only || only === 'compare') await compareBench();
await runExtraBenchmarks({ file, record, time, ms }, only);
const rss = process.resourceUsage().maxRSS / 1024;
record('peak RSS (this process)', `${rss.toFixed(0)} MB`);

/** Wall time of the sqlite3 shell dumping the big run to /dev/null, or null without the shell. */
function sqliteShellFloor(db: string): number | null {
  const sql = `SELECT seq, id, type, actor, payload, frame_id, caused_by, timestamp FROM events WHERE run_id = '${BIG_RUN}' ORDER BY seq`;
  const t0 = performance.now();
  const res = spawnSync('sqlite3', [db, sql], { stdio: ['ignore', 'ignore', 'ignore'] });
  return res.error || res.status !== 0 ? null : performance.now() - t0;
}

async function engineBench(): Promise<void> {
  process.stdout.write('\nengine (SQLite, 1,000,000-event run)\n');
  const url = `sqlite:///${file}`;

  const [store, openMs] = await time(() => openStore(url));
  const [runs, listMs] = await time(() => store.listRuns());
  const [first, firstMs] = await time(() => store.eventsAfter(BIG_RUN, BEFORE_FIRST_SEQ, 200));
  record('open store', ms(openMs));
  record(`list runs (${runs.length})`, ms(listMs));
  record(`first page of ${first.length} events`, ms(firstMs));
  record('list runs + first page', ms(listMs + firstMs));

  const [index, indexMs] = await time(async () => {
    const t = new TimelineIndex(store, BIG_RUN, undefined);
    await t.refresh();
    return t;
  });
  record(`timeline index over ${index.total} rows (UI open)`, ms(indexMs));
  const [page, pageMs] = await time(() => index.window(900_000, 200));
  record('page of 200 at row 900,000 (via index)', ms(pageMs));
  const seq900k = page[0]!.seq;
  const [, keysetMs] = await time(() => store.eventsAfter(BIG_RUN, seq900k - 1, 200));
  record(`page of 200 at seq ${seq900k} (keyset)`, ms(keysetMs));
  const [, lastMs] = await time(() => store.eventsBefore(BIG_RUN, Number.MAX_SAFE_INTEGER, 200));
  record('last page of 200', ms(lastMs));

  const raw = new Database(file, { readonly: true });
  const [rawCount, rawMs] = await time(() => {
    let n = 0;
    for (const row of raw.prepare('SELECT seq, id, type, actor, payload, frame_id, caused_by, timestamp FROM events WHERE run_id = ? ORDER BY seq').iterate(BIG_RUN)) if (row) n++;
    return n;
  });
  raw.close();
  record(`raw floor: iterate ${rawCount} rows (better-sqlite3)`, `${ms(rawMs)} (${Math.round(rawCount / (rawMs / 1000)).toLocaleString('en-US')} rows/s)`);
  // The floor: the sqlite3 shell reading the same rows, all columns, in seq order, to /dev/null.
  const shellMs = sqliteShellFloor(file);
  const [loaded, replayMs] = await time(() => loadRun(store, BIG_RUN));
  record(
    `full replay projection (${loaded.graph.objects.size} objects)`,
    `${ms(replayMs)} (${Math.round(loaded.events / (replayMs / 1000)).toLocaleString('en-US')} events/s, ${(replayMs / rawMs).toFixed(2)}x raw floor)`,
  );
  if (shellMs !== null) record('sqlite3 shell floor (same rows, all columns, to /dev/null)', `${ms(shellMs)}; replay = ${(replayMs / shellMs).toFixed(2)}x it`);
  else record('sqlite3 shell floor', 'skipped: no sqlite3 binary on PATH (apt-get install sqlite3)');

  // The graph panel: as of an event, first time (the pass that leaves checkpoints), then ten jumps back and forth.
  const rssBefore = process.memoryUsage().rss;
  const cursor = new GraphCursor(store, BIG_RUN);
  const seqs = await store.seqsAfter(BIG_RUN, BEFORE_FIRST_SEQ, 2_000_000);
  // What the graph panel asks at each event: the overview (counts, most connected objects) and the
  // neighborhood of the first hub.
  const panel = async (seq: number | undefined) => {
    const { graph } = await cursor.at(seq);
    const hubs = graphHubs(graph);
    return [graph.objects.size, graph.relations.size, graph.patches.size, hubs.length, hubs[0] ? cappedNeighborhood(graph, hubs[0].id, 2, 1500).totalObjects : 0];
  };
  const [, firstAsOfMs] = await time(() => panel(seqs[seqs.length - 1]));
  record('graph panel as of the last event, first time', `${ms(firstAsOfMs)} (${(firstAsOfMs / replayMs).toFixed(2)}x a full replay)`);
  const jumps = [0.7, 0.1, 0.95, 0.3, 0.5, 0.02, 0.85, 0.4, 0.6, 0.2].map((f) => seqs[Math.floor(f * (seqs.length - 1))]!);
  const jumpMs: number[] = [];
  for (const s of jumps) jumpMs.push((await time(() => panel(s)))[1]);
  const sorted = [...jumpMs].sort((a, b) => a - b);
  const median = (sorted[4]! + sorted[5]!) / 2;
  const worst = sorted[sorted.length - 1]!;
  record(
    `graph panel: 10 jumps back and forth (history of ${cursor.historyStats.versions.toLocaleString('en-US')} versions)`,
    `median ${ms(median)} (${((100 * median) / replayMs).toFixed(1)}% of a replay), worst ${ms(worst)} (${((100 * worst) / replayMs).toFixed(1)}%)`,
  );
  record('graph as of: extra RSS for the cursor and its history', `${((process.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(0)} MB`);

  const [d, diffMs] = await time(() => diffRuns(store, DIFF_A, DIFF_B));
  record(`diff 100k vs 100k (shared ${d.shared_events})`, ms(diffMs));
  await store.close();
}

/** The run search (`/`): its match count and first match, as the app asks for them (one filtered window). */
async function searchBench(): Promise<void> {
  process.stdout.write('\nsearch (1,000,000-event run; count + first match, a fresh query each time)\n');
  const store = await openStore(`sqlite:///${file}`);
  // A rare term (one object's id), a common one (a behavior's name), an event id and an event type.
  for (const search of ['question#74252', 'summarizer', 'evt_999999', 'tool.responded']) {
    const [found, searchMs] = await time(async () => {
      const t = new TimelineIndex(store, BIG_RUN, { search });
      await t.refresh();
      return { total: t.total, first: (await t.window(0, 1))[0] };
    });
    record(`search "${search}" (${found.total.toLocaleString('en-US')} matches, first ${found.first?.id ?? '-'})`, ms(searchMs));
  }
  await store.close();
}

/**
 * The app's compare of a 5,001-event fork with its 1M-event parent: time against the parent's replay,
 * and the size of what travels to the window. The fork is written once into the bench store.
 */
async function compareBench(): Promise<void> {
  process.stdout.write('\ncompare (a 5,001-event fork with its 1,000,000-event parent, as the app asks)\n');
  const url = `sqlite:///${file}`;
  const store = await openStore(url);
  const LABEL = 'bench-fork-at-5001';
  let fork = (await store.listRuns()).find((r) => r.label === LABEL)?.run_id;
  if (!fork) {
    const at = (await store.eventsAfter(BIG_RUN, BEFORE_FIRST_SEQ, 5001)).at(-1)!;
    const writer = await openDestination(url);
    fork = (await forkRun(store, writer, BIG_RUN, at.id, { label: LABEL })).new_run_id;
    await writer.close();
  }
  const [, replayMs] = await time(() => loadRun(store, BIG_RUN));
  const [d, diffMs] = await time(() => diffRuns(store, BIG_RUN, fork!));
  const reply = mostConnected(d, 300);
  record(
    `diff fork vs parent (${d.divergent_objects.toLocaleString('en-US')} divergent objects)`,
    `${ms(diffMs)} (${(diffMs / replayMs).toFixed(2)}x the parent's replay of ${ms(replayMs)})`,
  );
  record(
    'compare reply to the window (300 most connected)',
    `${(JSON.stringify(reply).length / 1e6).toFixed(2)} MB (the whole diff: ${(JSON.stringify(d).length / 1e6).toFixed(1)} MB)`,
  );
  await store.close();
}
