/** Migration: Active Graph's recorded reports, lossless round trips, idempotence, crash safety. */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/usecases/migrate.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { ROOT } from '../../src/main/paths.js';
import { SyntheticRun } from '../../src/main/synthetic/synthetic-run.js';
import { cli } from '../support/cli.js';
import { FIXTURES, copyFixture, oracle, oracleOutput, sha256File, tempDir, type StoreName } from '../support/fixtures.js';
import { freshDatabase, pgQuery } from '../support/pg.js';
import { removeCluster, startCluster } from '../support/throwaway-postgres.js';
import { until } from '../support/until.js';

type Report = { run_id: string; status: string; events_migrated: number; error?: string; skipped_events?: string[]; verification?: { ok: boolean } };
const agView = (r: Report) => ({ run_id: r.run_id, status: r.status, events_migrated: r.events_migrated, ...(r.skipped_events ? { skipped_events: r.skipped_events } : {}) });

describe('migrate: Active Graph oracle (sqlite → sqlite)', () => {
  for (const store of ['demo', 'archived', 'corrupted', 'schema_mismatch'] as StoreName[]) {
    for (const cmd of oracle(store).commands.filter((c) => c.argv.includes(' migrate '))) {
      it(`${store} ${cmd.slug}`, async () => {
        const { dir, file } = copyFixture(store);
        const before = sha256File(file);
        const res = await cli(cmd.argv.split(' ').slice(1), dir);
        const expectedOut = oracleOutput(store, cmd.stdout);
        expect(res.stderr).not.toMatch(/Traceback|\n\s+at /);
        if (store === 'schema_mismatch') {
          // Documented contract: a structured error and exit 4, nothing written.
          expect(res.code).toBe(4);
          expect(res.stderr).toMatch(/^SchemaVersionMismatch: /);
          expect(fs.existsSync(path.join(dir, 'migrated.db'))).toBe(false);
          return;
        }
        expect(res.code).toBe(cmd.exit_code);
        if (cmd.slug.includes('json')) {
          const got = JSON.parse(res.stdout);
          const want = JSON.parse(expectedOut);
          expect([got.source_url, got.dest_url]).toEqual([want.source_url, want.dest_url]);
          expect(got.runs.map(agView)).toEqual(want.runs.map(agView));
          for (const r of got.runs as Report[]) if (r.status === 'ok') expect(r.verification?.ok).toBe(true);
        } else {
          // Active Graph's lines, in order, within ours (we add carried/verified lines).
          const ours = res.stdout.split('\n');
          let at = 0;
          for (const line of expectedOut
            .split('\n')
            .filter((l) => (!l.startsWith('What') && !/^ {2}\S/.test(l) === false) || /^(migrate |summary:| {2}(ok|failed) {2,}| {4}skipped)/.test(l))) {
            if (!/^(migrate |summary:| {2}(ok|failed) {2,}| {4}skipped)/.test(line)) continue;
            const found = ours.findIndex((l, i) => i >= at && (l === line || (line.includes(' error=') && l.startsWith(line.slice(0, line.indexOf(' error=') + 7)))));
            expect(found, `missing line: ${line}`).toBeGreaterThanOrEqual(0);
            at = found + 1;
          }
        }
        expect(sha256File(file)).toBe(before);
      });
    }
  }
});

function sqliteRows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('migrate: round trips through a real Postgres', () => {
  it.each(['demo', 'archived', 'corrupted'] as StoreName[])(
    '%s: sqlite → postgres → sqlite keeps events, runs, archive and snapshots; replay and status equal the oracle',
    async (store) => {
      const { dir, file } = copyFixture(store);
      const before = sha256File(file);
      const pg = await freshDatabase(`rt_${store}`);
      const skip = store === 'corrupted' ? ['--skip-corrupted'] : [];
      const there = await cli(['migrate', '--from', `sqlite:///${store}.db`, '--to', pg, '--json', ...skip], dir);
      expect(there.code, there.stderr + there.stdout).toBe(0);
      const back = await cli(['migrate', '--from', pg, '--to', 'sqlite:///back.db', '--json'], dir);
      expect(back.code, back.stderr + back.stdout).toBe(0);
      expect(sha256File(file)).toBe(before);

      const back_ = path.join(dir, 'back.db');
      const cols = 'run_id, id, type, actor, frame_id, caused_by';
      const corruptRun = store === 'corrupted' ? JSON.parse(fs.readFileSync(path.join(FIXTURES, 'corrupted.db.manifest.json'), 'utf8')).runs.main : '';
      const skipped = store === 'corrupted' ? `AND NOT (run_id = '${corruptRun}' AND id IN ('evt_003','evt_021','evt_027'))` : '';
      const srcEvents = sqliteRows(file, `SELECT ${cols}, payload FROM events WHERE run_id IN (SELECT run_id FROM runs) ${skipped} ORDER BY run_id, seq`) as Record<
        string,
        string
      >[];
      const dstEvents = sqliteRows(back_, `SELECT ${cols}, payload FROM events ORDER BY run_id, seq`) as Record<string, string>[];
      expect(dstEvents.length).toBe(srcEvents.length);
      dstEvents.forEach((e, i) => {
        const s = srcEvents[i]!;
        expect({ ...e, payload: JSON.parse(e.payload!) }).toEqual({ ...s, payload: JSON.parse(s.payload!) });
      });
      expect(sqliteRows(back_, 'SELECT run_id, parent_run_id, forked_at_event_id, label, goal, frame_id FROM runs ORDER BY run_id')).toEqual(
        sqliteRows(file, 'SELECT run_id, parent_run_id, forked_at_event_id, label, goal, frame_id FROM runs ORDER BY run_id'),
      );
      expect(sqliteRows(back_, 'SELECT run_id, seq, id, type, payload FROM events_archive ORDER BY run_id, seq')).toEqual(
        sqliteRows(file, 'SELECT run_id, seq, id, type, payload FROM events_archive ORDER BY run_id, seq'),
      );
      expect(sqliteRows(back_, 'SELECT state_hash, blob FROM snapshots')).toEqual(sqliteRows(file, 'SELECT state_hash, blob FROM snapshots'));

      // Replay and status at the destination equal Active Graph's recorded outputs on the source.
      for (const cmd of oracle(store).commands.filter((c) => /^run\d\d_(replay_json|inspect_json)$/.test(c.slug) && c.exit_code === 0)) {
        const argv = cmd.argv.replace(`sqlite:///${store}.db`, 'sqlite:///back.db').split(' ').slice(1);
        const res = await cli(argv, dir);
        const want = JSON.parse(oracleOutput(store, cmd.stdout));
        const got = JSON.parse(res.stdout.replace(/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+00:00/g, '$1Z'));
        expect(got, cmd.slug).toEqual(want);
      }
    },
  );

  it('is idempotent: a second run copies nothing and says so', async () => {
    const { dir } = copyFixture('demo');
    const pg = await freshDatabase('idem');
    const first = JSON.parse((await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', pg, '--json'], dir)).stdout);
    expect(first.runs.every((r: Report) => r.events_migrated > 0)).toBe(true);
    const second = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', pg, '--json'], dir);
    expect(second.code).toBe(0);
    const runs = JSON.parse(second.stdout).runs as Report[];
    expect(runs.map((r) => [r.status, r.events_migrated, r.verification?.ok])).toEqual(runs.map(() => ['ok', 0, true]));
    const [{ n }] = await pgQuery(pg, 'SELECT count(*)::int AS n FROM events');
    expect(n).toBe(first.runs.reduce((a: number, r: Report) => a + r.events_migrated, 0));
  });

  it('completes a run partly present at the destination: only the missing events, in order, verified', async () => {
    const { dir, file, runId } = await largeStore(30_000);
    const pg = await freshDatabase('partial');
    expect((await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--run-id', runId], dir)).code).toBe(0);
    // Keep the first 12,345 events at the destination, as if an older migration had stopped there.
    const [{ cut }] = await pgQuery(pg, `SELECT seq AS cut FROM events WHERE run_id = $1 ORDER BY seq OFFSET 12344 LIMIT 1`, [runId]);
    await pgQuery(pg, `DELETE FROM events WHERE run_id = $1 AND seq > $2`, [runId, cut]);
    const res = await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--run-id', runId, '--json'], dir);
    expect(res.code, res.stderr).toBe(0);
    const source = new Database(file, { readonly: true });
    const want = source.prepare('SELECT id FROM events WHERE run_id = ? ORDER BY seq').pluck().all(runId);
    source.close();
    const [report] = JSON.parse(res.stdout).runs as Report[];
    expect([report!.status, report!.events_migrated, report!.verification?.ok]).toEqual(['ok', want.length - 12_345, true]);
    expect((await pgQuery(pg, `SELECT id FROM events WHERE run_id = $1 ORDER BY seq`, [runId])).map((r) => r.id)).toEqual(want);
  }, 120_000);

  it('fails a run whose destination copy differs from the source, and rolls it back', async () => {
    const { dir, file, runId } = await largeStore(60_000);
    const source = new Database(file, { readonly: true });
    const [altered, dropped] = source.prepare('SELECT id FROM events WHERE run_id = ? ORDER BY seq LIMIT 2 OFFSET 30000').pluck().all(runId) as string[];
    source.close();
    for (const [name, id, action, missing] of [
      ['altered payload', altered, `NEW.payload := NEW.payload || '{"tampered": true}'::jsonb`, 0],
      ['dropped event', dropped, 'RETURN NULL', 1],
    ] as const) {
      const pg = await freshDatabase('tamper');
      // A destination that changes what it is given: a real trigger on the server.
      expect((await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--run-id', '01KSMALLRUN000000000000002'], dir)).code).toBe(0);
      await pgQuery(
        pg,
        `CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = '${id}' THEN ${action}; END IF; RETURN NEW; END $$;
         CREATE TRIGGER tamper BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION tamper()`,
      );
      const res = await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--run-id', runId, '--json'], dir);
      expect(res.code, name).toBe(1);
      const [report] = JSON.parse(res.stdout).runs as (Report & { error: string; verification: { ok: boolean; source_events: number; dest_events: number } })[];
      expect([report!.status, report!.events_migrated, report!.verification.ok], name).toEqual(['failed', 0, false]);
      expect(report!.error, name).toMatch(/^verification failed: /);
      expect(report!.verification.source_events - report!.verification.dest_events, name).toBe(missing);
      expect(await pgQuery(pg, `SELECT 1 FROM events WHERE run_id = $1`, [runId]), name).toEqual([]);
    }
  }, 120_000);

  it('fails a run whose payload Postgres cannot hold (NaN, valid JSON for Python) with the server’s reason and line; the others migrate', async () => {
    const { dir, file, runId } = await largeStore(3000);
    const db = new Database(file);
    const victim = db.prepare('SELECT id FROM events WHERE run_id = ? ORDER BY seq LIMIT 1 OFFSET 2000').pluck().get(runId) as string;
    db.prepare(`UPDATE events SET payload = '{"score": NaN}' WHERE run_id = ? AND id = ?`).run(runId, victim);
    db.close();
    const pg = await freshDatabase('nan');
    const res = await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--json'], dir);
    expect(res.code).toBe(1);
    const runs = JSON.parse(res.stdout).runs as (Report & { error?: string })[];
    const failed = runs.find((r) => r.run_id === runId)!;
    expect([failed.status, failed.events_migrated]).toEqual(['failed', 0]);
    expect(failed.error).toMatch(/^write failure: invalid input syntax for type json \(Token "NaN" is invalid\..*COPY events, line 2001, column payload/);
    expect(runs.filter((r) => r.run_id !== runId).map((r) => r.status)).toEqual(['ok']);
    expect(await pgQuery(pg, `SELECT 1 FROM events WHERE run_id = $1`, [runId])).toEqual([]);
  }, 120_000);

  it('refuses a destination with another schema_version before writing anything', async () => {
    const { dir } = copyFixture('demo');
    const pg = await freshDatabase('mismatch');
    await pgQuery(pg, `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '7')`);
    const res = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', pg], dir);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/^SchemaVersionMismatch: postgres store schema_version '7'/);
    const tables = await pgQuery(pg, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    expect(tables.map((t) => t.table_name)).toEqual(['meta']);
    const other = copyFixture('schema_mismatch', tempDir());
    const res2 = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', `sqlite:///${other.file}`], dir);
    expect(res2.code).toBe(4);
  });
});

/** A store with one large run written by the synthetic generator. */
async function largeStore(events: number): Promise<{ dir: string; file: string; runId: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'large.db');
  const runId = '01KLARGERUN000000000000001';
  const writer = await openDestination(`sqlite:///${file}`);
  await writer.begin();
  await writer.insertRun({ run_id: runId, parent_run_id: null, forked_at_event_id: null, label: null, created_at: '2026-10-01T00:00:00Z', goal: 'large', frame_id: null });
  await writer.commit();
  await new SyntheticRun(runId, { seed: 5 }).write(writer, events, 20_000);
  const small = '01KSMALLRUN000000000000002';
  await writer.begin();
  await writer.insertRun({ run_id: small, parent_run_id: null, forked_at_event_id: null, label: null, created_at: '2026-10-02T00:00:00Z', goal: 'small', frame_id: null });
  await writer.commit();
  await new SyntheticRun(small, { seed: 6 }).write(writer, 500, 500);
  await writer.close();
  return { dir, file, runId };
}

function migrateChild(dir: string, to: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'migrate', '--from', 'sqlite:///large.db', '--to', to, '--json'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('migrate: crash safety', () => {
  it('SIGKILL in the middle of a large run: the rerun completes, no duplicates, hashes equal', async () => {
    const { dir, runId } = await largeStore(150_000);
    const pg = await freshDatabase('crash');
    const child = migrateChild(dir, pg);
    const exited = new Promise((r) => child.on('exit', r));
    const dbName = new URL(pg).pathname.slice(1);
    // Mid-run: the child's bulk load into the destination is in flight.
    await until(
      async () =>
        (
          await pgQuery(
            pg,
            `SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = $1 AND (query LIKE 'COPY events%' OR query LIKE 'COPY ri_stage%' OR query LIKE '%FROM ri_stage%')`,
            [dbName],
          )
        ).length > 0,
    );
    child.kill('SIGKILL');
    await exited;
    const [{ n: afterKill }] = await pgQuery(pg, `SELECT count(*)::int AS n FROM events WHERE run_id = $1`, [runId]);
    expect(afterKill).toBe(0); // the interrupted run is untouched

    const rerun = await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--json'], dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout).runs as (Report & { verification: { ok: boolean; dest_events: number } })[];
    const big = report.find((r) => r.run_id === runId)!;
    expect(big.verification.ok).toBe(true);
    const [{ n, d }] = await pgQuery(pg, `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM events WHERE run_id = $1`, [runId]);
    expect(n).toBe(d);
    expect(n).toBe(big.verification.dest_events);
  }, 120_000);

  it('Postgres stopped mid-run: the run fails cleanly, the migration goes on and reports; the rerun completes', async () => {
    const cluster = await startCluster();
    try {
      const { dir, runId } = await largeStore(150_000);
      const pg = await cluster.createDatabase('crashpg');
      const child = migrateChild(dir, pg);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      await until(
        async () =>
          (await pgQuery(pg, `SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (query LIKE 'COPY events%' OR query LIKE '%ri_stage%') AND state <> 'idle'`))
            .length > 0,
      );
      cluster.stop();
      const code = await exited;
      expect(code, err).toBe(1);
      expect(out, err).not.toBe('');
      const report = JSON.parse(out).runs as Report[];
      expect(report.find((r) => r.run_id === runId)).toMatchObject({ status: 'failed', events_migrated: 0 });
      expect(report.length).toBe(2); // the other run was attempted too, not abandoned
      cluster.start();
      const rerun = await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--json'], dir);
      expect(rerun.code, rerun.stderr).toBe(0);
      const runs = JSON.parse(rerun.stdout).runs as Report[];
      expect(runs.every((r) => r.status === 'ok' && r.verification?.ok)).toBe(true);
      const [{ n, d }] = await pgQuery(pg, `SELECT count(*)::int AS n, count(DISTINCT (id, run_id))::int AS d FROM events`);
      expect(n).toBe(d);
    } finally {
      removeCluster(cluster);
    }
  }, 180_000);
});

describe('migrate: a destination that stops answering', () => {
  it('a backend frozen mid-COPY fails its run in bounded time, untouched; the rerun completes', async () => {
    const { dir, runId } = await largeStore(150_000);
    const pg = await freshDatabase('frozen');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'migrate', '--from', 'sqlite:///large.db', '--to', pg, '--json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUN_INSPECTOR_PG_TIMEOUT_MS: '2000' },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    let pid = 0;
    await until(async () => {
      const rows = await pgQuery(pg, `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE 'COPY events%' AND state <> 'idle'`);
      pid = rows[0]?.pid ?? 0;
      return pid !== 0;
    });
    process.kill(pid, 'SIGSTOP'); // the server process stops; its kernel still holds the socket
    const frozenAt = Date.now();
    let code: number | null;
    try {
      code = await exited;
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(Date.now() - frozenAt).toBeLessThan(30_000); // the 2 s watchdog, not the minutes a stalled COPY waited
    expect(code, err).toBe(1);
    const report = JSON.parse(out).runs as Report[];
    const failed = report.find((r) => r.run_id === runId)!;
    expect(failed).toMatchObject({ status: 'failed', events_migrated: 0 });
    expect(failed.error).toMatch(/the server stopped answering \(nothing moved for 2 s/);
    await until(async () => (await pgQuery(pg, `SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid])).length === 0); // the frozen backend saw its client go
    expect((await pgQuery(pg, `SELECT count(*)::int AS n FROM events WHERE run_id = $1`, [runId]))[0].n).toBe(0);
    const rerun = await cli(['migrate', '--from', 'sqlite:///large.db', '--to', pg, '--json'], dir);
    expect(rerun.code, rerun.stderr).toBe(0);
  }, 180_000);
});

describe('migrate: cancellation', () => {
  it('leaves every run fully migrated or untouched', async () => {
    const { dir, file } = copyFixture('demo');
    const source = await openStore(`sqlite:///${file}`);
    const dest = await openDestination(`sqlite:///${path.join(dir, 'dest.db')}`);
    const controller = new AbortController();
    const result = await migrate(source, dest, {
      chunk: 10, // progress within a run, so the abort lands mid-run
      signal: controller.signal,
      onProgress: (p) => {
        if (p.runIndex === 2 && p.eventsDone >= 20 && !p.report) controller.abort();
      },
    });
    await dest.close();
    await source.close();
    expect(result.cancelled).toBe(true);
    expect(result.runs.map((r) => r.status)).toEqual(['ok', 'ok', 'failed']);
    expect(result.runs[2]!.error).toMatch(/^cancelled/);
    const runs = oracle('demo').runs.map((r) => r.run_id);
    const counts = (f: string) =>
      Object.fromEntries((sqliteRows(f, 'SELECT run_id, count(*) AS n FROM events GROUP BY run_id') as { run_id: string; n: number }[]).map((r) => [r.run_id, r.n]));
    const src = counts(file);
    const dst = counts(path.join(dir, 'dest.db'));
    const migratedRuns = result.runs.filter((r) => r.status === 'ok').map((r) => r.run_id);
    for (const run of runs) expect(dst[run] ?? 0).toBe(migratedRuns.includes(run) ? src[run] : 0);
  });
});
