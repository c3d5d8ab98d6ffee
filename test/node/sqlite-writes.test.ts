/**
 * What a fork, promote or migration writes into a SQLite store is in the `.db` itself when the
 * command ends (people copy the file alone), and a refused or failed write leaves the destination
 * as it was: no file that was not there, nothing beside one that was.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { copyFixture, manifest, sha256File, tempDir } from '../support/fixtures.js';

const demo = manifest('demo');
const main = demo.runs.main as string;

/** The run ids a copy of the `.db` file alone holds (its -wal left behind, as a copy does). */
function runsInCopyOfDbAlone(file: string): string[] {
  const copy = path.join(tempDir(), 'copy.db');
  fs.copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare('SELECT DISTINCT run_id FROM events').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Side files that hold pages not in the main file (a -shm is only an index of the -wal). */
const sideFiles = (file: string) => ['-wal', '-journal'].filter((s) => fs.existsSync(file + s) && fs.statSync(file + s).size > 0);

/** Everything a folder holds, by name, size and content. */
function folderState(dir: string): string {
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => `${f} ${fs.statSync(path.join(dir, f)).size} ${sha256File(path.join(dir, f))}`)
    .join('\n');
}

describe('writes are in the .db when the command ends', () => {
  it('a fork inside the store: a copy of the .db alone holds it, the -wal is empty', async () => {
    const { dir, file } = copyFixture('demo');
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--json'], dir);
    expect(res.code, res.stderr).toBe(0);
    const forkId = JSON.parse(res.stdout).new_run_id as string;
    expect(runsInCopyOfDbAlone(file)).toContain(forkId);
    expect(sideFiles(file)).toEqual([]);
  });

  it('a fork into another store and a migration: the same', async () => {
    const { dir } = copyFixture('demo');
    const fork = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--to', 'sqlite:///other.db', '--json'], dir);
    expect(fork.code, fork.stderr).toBe(0);
    expect(runsInCopyOfDbAlone(path.join(dir, 'other.db'))).toEqual([JSON.parse(fork.stdout).new_run_id]);
    const migrated = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', 'sqlite:///migrated.db'], dir);
    expect(migrated.code, migrated.stderr).toBe(0);
    const source = new Database(path.join(dir, 'demo.db'), { readonly: true });
    const want = source.prepare('SELECT DISTINCT e.run_id FROM events e JOIN runs r USING (run_id) ORDER BY 1').pluck().all();
    source.close();
    expect(runsInCopyOfDbAlone(path.join(dir, 'migrated.db')).sort()).toEqual(want);
    expect(sideFiles(path.join(dir, 'migrated.db'))).toEqual([]);
  });

  it('a promote while another reader has the store open (as the app does): a copy of the .db alone holds the marker', async () => {
    const { dir, file } = copyFixture('demo');
    const reader = new Database(file, { readonly: true });
    reader.prepare('SELECT count(*) FROM events').get();
    const res = await cli(['promote', 'sqlite:///demo.db', '--run-id', demo.runs.fork_b, '--from-run', demo.runs.fork_c_of_b, '--json'], dir);
    expect(res.code, res.stderr).toBe(0);
    expect(reader.prepare(`SELECT count(*) FROM events WHERE type = 'promote.applied'`).pluck().get()).toBe(1);
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(file, copy);
    const db = new Database(copy, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM events WHERE type = 'promote.applied'`).pluck().get()).toBe(1);
    db.close();
    expect(sideFiles(file)).toEqual([]);
    reader.close();
  });
});

describe('a refused or failed write leaves the destination as it was', () => {
  it('fork at an unknown event into a new path: exit 3, no file', async () => {
    const { dir } = copyFixture('demo');
    const before = folderState(dir);
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', 'evt_nope', '--to', 'sqlite:///new/fork.db'], dir);
    expect(res.code, res.stderr).toBe(3);
    expect(folderState(dir)).toBe(before);
  });

  it('migrate of an unknown run into a new path: nothing to copy, no file', async () => {
    const { dir } = copyFixture('demo');
    const before = folderState(dir);
    const res = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', 'sqlite:///new.db', '--run-id', 'nope'], dir);
    expect(res.code, res.stderr).toBe(0); // Active Graph ignores unknown names (spec §11)
    expect(res.stdout).toContain('summary: 0 ok, 0 failed');
    expect(folderState(dir)).toBe(before);
  });

  it('a destination locked by another writer: a typed error that says so, the store unchanged', async () => {
    const { dir } = copyFixture('demo');
    const other = copyFixture('demo', tempDir()).file;
    const holder = new Database(other);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const before = sha256File(other);
      const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--to', `sqlite:///${other}`], dir);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^DestinationWriteError: could not write to .*another process holds a write lock on it/);
      expect(res.stderr).toContain('How to fix:');
      expect(sha256File(other)).toBe(before);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  describe('on file systems of their own (tmpfs mounts)', () => {
    const mounts: string[] = [];
    const mount = (opts: string): string => {
      const dir = tempDir('ri-mnt-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
      mounts.push(dir);
      return dir;
    };
    afterAll(() => {
      for (const m of mounts) execFileSync('umount', ['-l', m]);
    });

    it('a full disk: a typed error, and the destination it created is gone', async () => {
      const { dir } = copyFixture('demo');
      const full = mount('size=96k');
      const res = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', `sqlite:///${full}/dest.db`], dir);
      expect(res.code).toBe(1);
      expect(res.stdout + res.stderr).toMatch(/the disk is full/);
      expect(res.stdout + res.stderr).not.toMatch(/database or disk is full/);
      expect(fs.readdirSync(full)).toEqual([]);
    });

    it('a store on a read-only mount: refused before any side file could be created', async () => {
      const { dir } = copyFixture('demo');
      const ro = mount('size=4m');
      fs.copyFileSync(path.join(dir, 'demo.db'), path.join(ro, 'dest.db'));
      execFileSync('mount', ['-o', 'remount,ro', ro]);
      const before = folderState(ro);
      const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--to', `sqlite:///${ro}/dest.db`], dir);
      expect(res.code).toBe(4);
      expect(res.stderr).toMatch(/^DestinationRefusedError: .*read-only/s);
      expect(folderState(ro)).toBe(before);
    });
  });
});
