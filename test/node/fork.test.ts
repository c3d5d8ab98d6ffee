/** Forks written by the engine, compared with forks Active Graph wrote into the fixtures. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { forkRun } from '../../src/main/usecases/fork.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { runStatus } from '../../src/main/engine/status.js';
import { cli } from '../support/cli.js';
import { copyFixture, manifest, sha256File, tempDir } from '../support/fixtures.js';
import { freshDatabase, pgQuery } from '../support/pg.js';

const demo = manifest('demo');
const COLS = 'id, type, actor, payload, frame_id, caused_by, timestamp';

function rows(file: string, runId: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT ${COLS} FROM events WHERE run_id = ? ORDER BY seq`).all(runId) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

function runRow(file: string, runId: string): Record<string, unknown> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM runs WHERE run_id = ?`).get(runId) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

describe('fork', () => {
  it.each([
    ['fork_a', 'main', demo.fork_a_at],
    ['fork_b', 'main', demo.fork_b_at],
    ['fork_c_of_b', 'fork_b', demo.fork_c_at],
  ])('reproduces the copied prefix of Active Graph fork %s byte for byte', async (forkRole, parentRole, at) => {
    const { dir, file } = copyFixture('demo');
    const parent = demo.runs[parentRole];
    const agFork = demo.runs[forkRole];
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', parent, '--at-event', at, '--label', 'mine', '--json'], dir);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ parent_run_id: parent, at_event: at, label: 'mine' });
    expect(out.new_run_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const ours = rows(file, out.new_run_id);
    expect(ours.length).toBe(out.events_copied);
    expect(ours).toEqual(rows(file, agFork).slice(0, ours.length));
    const mine = runRow(file, out.new_run_id);
    const theirs = runRow(file, agFork);
    for (const k of ['parent_run_id', 'forked_at_event_id']) expect(mine[k]).toBe(theirs[k]);
    const parentRow = runRow(file, parent);
    expect(mine.goal).toBe(parentRow.goal);
    expect(mine.frame_id).toBe(parentRow.frame_id);
    expect(mine.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('a fork of an Active Graph fork at its last event replays and reports status identically', async () => {
    const { dir } = copyFixture('demo');
    const agFork = demo.runs.fork_a;
    const store = await openStore(`sqlite:///${dir}/demo.db`);
    const last = (await store.eventsBefore(agFork, Number.MAX_SAFE_INTEGER, 1))[0]!;
    const dest = await openDestination(`sqlite:///${dir}/demo.db`);
    const result = await forkRun(store, dest, agFork, last.id, { label: 'copy' });
    await dest.close();
    await store.close();
    const reread = await openStore(`sqlite:///${dir}/demo.db`);
    const a = await loadRun(reread, agFork);
    const b = await loadRun(reread, result.new_run_id);
    expect([b.events, b.graph.objects.size, b.graph.relations.size]).toEqual([a.events, a.graph.objects.size, a.graph.relations.size]);
    expect([...b.graph.objects.values()]).toEqual([...a.graph.objects.values()]);
    const sa = await runStatus(reread, agFork);
    const sb = await runStatus(reread, result.new_run_id);
    expect({ ...sb, run_id: agFork }).toEqual(sa);
    await reread.close();
  });

  it('--record suffixes the label and says so', async () => {
    const { dir } = copyFixture('demo');
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', demo.runs.main, '--at-event', 'evt_010', '--label', 'trial', '--record'], dir);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^forked \w{26} at evt_010 -> \w{26} \(10 events\)\n  recording fork: load this run without replay_strict=True to accept new LLM\/tool cache entries\.\n$/,
    );
    const id = res.stdout.split(' ')[5]!;
    expect(runRow(`${dir}/demo.db`, id).label).toBe('trial-recording');
  });

  it('refuses an unknown fork point with exit 3 and writes nothing', async () => {
    const { dir, file } = copyFixture('demo');
    const runsBefore = rows(file, demo.runs.main).length;
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', demo.runs.main, '--at-event', 'evt_nope'], dir);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^EventNotFoundError: event 'evt_nope' not found/);
    expect(rows(file, demo.runs.main).length).toBe(runsBefore);
  });

  it('refuses a fork point archived below the compaction horizon', async () => {
    const { dir } = copyFixture('archived');
    const compacted = manifest('archived').runs.compacted;
    const res = await cli(['fork', 'sqlite:///archived.db', '--run-id', compacted, '--at-event', 'evt_010'], dir);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('archived below the compaction horizon');
  });

  it('a fork of a compacted run carries its snapshot and replays like its parent', async () => {
    const src = copyFixture('archived');
    const compacted = manifest('archived').runs.compacted;
    const destDir = tempDir();
    const res = await cli(['fork', 'sqlite:///archived.db', '--run-id', compacted, '--at-event', 'evt_123', '--to', `sqlite:///${destDir}/other.db`, '--json'], src.dir);
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout);
    const replay = await cli(['replay', `sqlite:///${destDir}/other.db`, '--run-id', out.new_run_id, '--json'], destDir);
    const parentReplay = await cli(['replay', 'sqlite:///archived.db', '--run-id', compacted, '--json'], src.dir);
    expect({ ...JSON.parse(replay.stdout), run_id: compacted }).toEqual(JSON.parse(parentReplay.stdout));
  });

  it('forks into another store: Postgres', async () => {
    const { dir, file } = copyFixture('demo');
    const before = sha256File(file);
    const url = await freshDatabase('fork');
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', demo.runs.main, '--at-event', demo.fork_a_at, '--to', url, '--json'], dir);
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout);
    const replayPg = await cli(['replay', url, '--run-id', out.new_run_id, '--json'], dir);
    const store = await openStore(`sqlite:///${file}`);
    const cut = (await store.getEvent(demo.runs.main, demo.fork_a_at))!;
    const prefix = await loadRun(store, demo.runs.main, { untilSeq: cut.seq });
    await store.close();
    expect(JSON.parse(replayPg.stdout)).toEqual({ run_id: out.new_run_id, events: prefix.events, objects: prefix.graph.objects.size, relations: prefix.graph.relations.size });
    const meta = await pgQuery(url, `SELECT value FROM meta WHERE key = 'schema_version'`);
    expect(meta).toEqual([{ value: '1' }]);
    expect(sha256File(file)).toBe(before);
  });

  it('--set records a pack.settings_overridden event only for packs loaded by the fork point', async () => {
    const { dir } = copyFixture('demo');
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', demo.runs.main, '--at-event', 'evt_010', '--set', 'research.depth=3'], dir);
    // demo.db loads no packs: refused as a usage error before anything is written
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("no pack.loaded event for 'research'");
    const bad = await cli(['fork', 'sqlite:///demo.db', '--run-id', demo.runs.main, '--at-event', 'evt_010', '--set', 'nodots'], dir);
    expect(bad.code).toBe(2);
  });
});
