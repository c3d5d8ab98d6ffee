/**
 * Benchmarks beyond the engine: migration against a throwaway Postgres (with the bare-COPY floor),
 * and the browser UI on the million-event store (first rows painted, jump to the end).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openStore } from '../store/open-store.js';
import { copyText } from '../store/copy-text.js';
import { scanEvents } from '../store/event-store.js';
import { POSTGRES_DDL } from '../store/schema.js';
import { ROOT } from '../paths.js';
import { BIG_RUN } from './bench-store.js';
import { boundedBench } from './bounded.js';
import { familyBench, familyBenchPostgres } from './family.js';
import { fleetBench } from './fleet.js';
import { graphQueryBench } from './queries.js';
import { teamBench } from './team.js';
import { removeCluster, startCluster } from '../../../test/support/throwaway-postgres.js';

export interface BenchContext {
  file: string;
  record(name: string, value: string): void;
  time<T>(fn: () => Promise<T> | T): Promise<[T, number]>;
  ms(t: number): string;
}

const CLI = path.join(ROOT, 'out', 'main', 'cli.js');
const ROUNDS = 3;

/** Runs the CLI as a child and samples its resident memory from /proc (peak RSS of that process). */
async function runCliMeasured(args: string[]): Promise<{ wallMs: number; peakRssMb: number; stdout: string; code: number | null }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  let peak = 0;
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      /* exited */
    }
  }, 50);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(sample);
  return { wallMs: performance.now() - t0, peakRssMb: peak, stdout, code };
}

async function migrationBench(ctx: BenchContext): Promise<void> {
  process.stdout.write('\nmigration (1,000,000-event run, throwaway PostgreSQL 15)\n');
  const cluster = await startCluster();
  try {
    const store = await openStore(`sqlite:///${ctx.file}`);
    const events = await store.countEvents(BIG_RUN);

    const dropDatabase = async (name: string): Promise<void> => {
      const admin = new pg.Client({ connectionString: cluster.url() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    };
    // The floor: a bare COPY of the same rows (read from SQLite, one COPY stream) into an empty table,
    // once with only the two keys and once with Active Graph's events schema (four indexes), which
    // is what a migration has to fill.
    const copyFloor = async (database: string, ddl: readonly string[], table: string): Promise<number> => {
      const client = new pg.Client({ connectionString: await cluster.createDatabase(database) });
      await client.connect();
      for (const statement of ddl) await client.query(statement);
      const rows = async function* () {
        for await (const chunk of scanEvents(store, BIG_RUN, { chunk: 10_000 })) yield copyText(chunk, BIG_RUN);
      };
      const [, ms] = await ctx.time(() =>
        pipeline(Readable.from(rows()), client.query(copyFrom(`COPY ${table} (id, type, actor, payload, frame_id, caused_by, timestamp, run_id) FROM STDIN`))),
      );
      await client.end();
      await dropDatabase(database); // a million rows each: keep the disk free
      return ms;
    };
    const keysDdl = [
      `CREATE TABLE floor_events (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, actor TEXT, payload JSONB NOT NULL, frame_id TEXT, caused_by TEXT, timestamp TIMESTAMPTZ NOT NULL, run_id TEXT NOT NULL, UNIQUE(id, run_id))`,
    ];
    const rate = (ms: number) => `${Math.round(events / (ms / 1000)).toLocaleString('en-US')} events/s`;
    // This VM's speed swings by tens of percent within a minute, so the floors and the migration
    // are measured in alternation, ROUNDS times, and compared round by round and by their medians.
    const rounds: { keys: number; schema: number; migrate: number }[] = [];
    let dest = '';
    let peakRssMb = 0;
    let verified = true;
    for (let round = 1; round <= ROUNDS; round++) {
      const keys = await copyFloor(`bench_floor_keys_${round}`, keysDdl, 'floor_events');
      const schema = await copyFloor(`bench_floor_schema_${round}`, POSTGRES_DDL, 'events');
      if (dest) await dropDatabase(`bench_migrate_${round - 1}`);
      dest = await cluster.createDatabase(`bench_migrate_${round}`);
      const there = await runCliMeasured(['migrate', '--from', `sqlite:///${ctx.file}`, '--to', dest, '--run-id', BIG_RUN, '--json']);
      verified &&= there.code === 0 && JSON.parse(there.stdout).runs[0]?.verification?.ok === true;
      peakRssMb = Math.max(peakRssMb, there.peakRssMb);
      rounds.push({ keys, schema, migrate: there.wallMs });
      ctx.record(
        `round ${round}: floors (2 keys / schema), migrate`,
        `${ctx.ms(keys)} / ${ctx.ms(schema)}, ${ctx.ms(there.wallMs)} (${(there.wallMs / schema).toFixed(2)}x / ${(there.wallMs / keys).toFixed(2)}x)`,
      );
    }
    await store.close();
    const median = (pick: (r: (typeof rounds)[number]) => number) => rounds.map(pick).sort((x, y) => x - y)[Math.floor(rounds.length / 2)]!;
    const [keysMs, schemaMs, migrateMs] = [median((r) => r.keys), median((r) => r.schema), median((r) => r.migrate)];
    ctx.record('COPY floor: SQLite rows → bare COPY, table with its 2 keys', `${ctx.ms(keysMs)} median (${rate(keysMs)})`);
    ctx.record('COPY floor: same into the events schema (4 indexes)', `${ctx.ms(schemaMs)} median (${rate(schemaMs)})`);
    ctx.record(
      'migrate sqlite → postgres (verified)',
      `${ctx.ms(migrateMs)} median (${rate(migrateMs)}, ${(migrateMs / schemaMs).toFixed(2)}x the schema floor, ${(migrateMs / keysMs).toFixed(2)}x the 2-key floor, peak RSS ${peakRssMb.toFixed(0)} MB${verified ? '' : ', FAILED'})`,
    );

    const backFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-')), 'back.db');
    const back = await runCliMeasured(['migrate', '--from', dest, '--to', `sqlite:///${backFile}`, '--run-id', BIG_RUN, '--json']);
    const ok2 = back.code === 0 && JSON.parse(back.stdout).runs[0]?.verification?.ok === true;
    ctx.record('migrate postgres → sqlite (verified)', `${ctx.ms(back.wallMs)} (${rate(back.wallMs)}, peak RSS ${back.peakRssMb.toFixed(0)} MB${ok2 ? '' : ', FAILED'})`);
    fs.rmSync(path.dirname(backFile), { recursive: true, force: true });

    // Between two Postgres stores (operators moving archives).
    const across = await runCliMeasured(['migrate', '--from', dest, '--to', await cluster.createDatabase('bench_across'), '--run-id', BIG_RUN, '--json']);
    const ok3 = across.code === 0 && JSON.parse(across.stdout).runs[0]?.verification?.ok === true;
    ctx.record('migrate postgres → postgres (verified)', `${ctx.ms(across.wallMs)} (${rate(across.wallMs)}, peak RSS ${across.peakRssMb.toFixed(0)} MB${ok3 ? '' : ', FAILED'})`);
  } finally {
    removeCluster(cluster);
  }
}

/** Whether the waterfall has drawn more than `n` times (runs in the page, so it is self-contained; this file is typed for Node). */
function paintedMoreThan([selector, n]: readonly [string, number]): boolean {
  const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document;
  return Number(doc.querySelector(selector)?.getAttribute('data-painted') ?? 0) > n;
}

async function browserBench(ctx: BenchContext): Promise<void> {
  process.stdout.write('\nbrowser UI (Debian Chromium, browser mode, 1,000,000-event run)\n');
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    ctx.record('browser UI', `not measured: no Chromium at ${chromium}`);
    return;
  }
  const { chromium: pw } = await import('@playwright/test');
  const store = await openStore(`sqlite:///${ctx.file}`);
  const total = await store.countEvents(BIG_RUN);
  await store.close();
  const server = spawn(process.execPath, [CLI, 'serve', `sqlite:///${ctx.file}`, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.on('exit', () => reject(new Error(out)));
  });
  const browser = await pw.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Runs in the page (a browser frame), where requestAnimationFrame exists; this file is typed for Node.
    const painted = () =>
      page.evaluate(() => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame;
        return new Promise<void>((r) => raf(() => raf(() => r())));
      });
    await page.goto(url);
    await page.waitForSelector('[data-run-id]');
    await page.waitForTimeout(Number(process.env.RI_BENCH_SETTLE_MS ?? 0));
    const t0 = performance.now();
    await page.click(`[data-run-id="${BIG_RUN}"]`);
    await page.waitForSelector(`.timeline-body[data-total="${total}"] .row[data-event-id]`);
    await painted();
    ctx.record('open the 1M-event run → first rows painted', ctx.ms(performance.now() - t0));
    await page.focus('.timeline-body');
    const t1 = performance.now();
    await page.keyboard.press('End');
    await page.waitForSelector(`.row.selected[aria-rowindex="${total}"]`);
    await painted();
    ctx.record('jump to the last event → painted', ctx.ms(performance.now() - t1));
    const t2 = performance.now();
    await page.fill('[aria-label="jump to"]', 'evt_500000');
    await page.press('[aria-label="jump to"]', 'Enter');
    await page.waitForSelector('.row.selected[data-event-id="evt_500000"]');
    await painted();
    ctx.record('jump to evt_500000 by id → painted', ctx.ms(performance.now() - t2));

    // The waterfall: first paint reads the run's spans once (a full pass), then a zoom asks for a window.
    const wf = '[data-testid="waterfall"]';
    const paintedCount = async () => Number((await page.getAttribute(wf, 'data-painted')) ?? 0);
    const t3 = performance.now();
    await page.check('input[type="checkbox"]:near(:text("waterfall"))');
    await page.waitForFunction(paintedMoreThan, [wf, 0] as const, { timeout: 120_000 });
    await painted();
    ctx.record('waterfall of the 1M run → first paint (spans read once)', ctx.ms(performance.now() - t3));
    for (const [label, keys] of [
      ['waterfall: zoom in ×8 (brush-sized window) → painted', ['+', '+', '+']],
      ['waterfall: pan right → painted', ['ArrowRight']],
      ['waterfall: back to the whole run → painted', ['0']],
    ] as const) {
      const before = await paintedCount();
      await page.focus(wf);
      const t = performance.now();
      for (const k of keys) await page.keyboard.press(k);
      await page.waitForFunction(paintedMoreThan, [wf, before] as const, { timeout: 60_000 });
      await painted();
      ctx.record(label, ctx.ms(performance.now() - t));
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

export async function runExtraBenchmarks(ctx: BenchContext, only?: string): Promise<void> {
  if (!only || only === 'queries') await graphQueryBench(ctx);
  if (!only || only === 'family') await familyBench(ctx);
  if (!only || only === 'family-pg') await familyBenchPostgres(ctx);
  if (!only || only === 'bounded') await boundedBench(ctx);
  if (!only || only === 'team') await teamBench(ctx);
  if (!only || only === 'fleet') await fleetBench(ctx);
  if (only === 'team-reads' || only === 'team-live') await teamBench(ctx, only === 'team-reads' ? 'reads' : 'live');
  if (!only || only === 'browser') await browserBench(ctx);
  if (!only || only === 'migration') await migrationBench(ctx);
}
