/**
 * Forks and migrations never write into a file or database that is not ours: refused before any
 * PRAGMA or DDL (bytes, mtime and side files as they were), accepted when absent, empty or ours.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { copyFixture, manifest, sha256File } from '../support/fixtures.js';
import { freshDatabase, pgQuery } from '../support/pg.js';

const demo = manifest('demo');
const main = demo.runs.main;

function state(file: string): string {
  const side = ['-wal', '-shm', '-journal'].map((s) => `${s}:${fs.existsSync(file + s)}`).join(' ');
  return fs.existsSync(file) ? `${sha256File(file)} ${fs.statSync(file).mtimeMs} ${side}` : `absent ${side}`;
}

/** Another application's database in WAL mode, as browsers keep theirs (cookies.sqlite). */
function browserCookies(dir: string): string {
  const file = path.join(dir, 'cookies.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec(`CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, name TEXT, value TEXT, host TEXT); INSERT INTO moz_cookies VALUES (1, 'sid', 'secret', 'example.com')`);
  db.close();
  return file;
}

async function expectRefused(dir: string, dest: string, reason: RegExp): Promise<void> {
  const before = state(dest);
  for (const argv of [
    ['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--to', `sqlite:///${dest}`],
    ['migrate', '--from', 'sqlite:///demo.db', '--to', `sqlite:///${dest}`],
  ]) {
    const res = await cli(argv, dir);
    expect(res.code, `${argv[0]}: ${res.stderr}`).toBe(4);
    expect(res.stderr).toMatch(/^DestinationRefusedError: /);
    expect(res.stderr).toMatch(reason);
    expect(res.stderr).toContain('How to fix:');
    expect(state(dest), `${argv[0]} changed ${dest}`).toBe(before);
  }
}

describe('destinations (SQLite)', () => {
  it("refuses another application's database, untouched", async () => {
    const { dir } = copyFixture('demo');
    await expectRefused(dir, browserCookies(dir), /another application's database \(1 table/);
  });

  it('refuses a 0-byte file whose name does not say it is a database', async () => {
    const { dir } = copyFixture('demo');
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, '');
    await expectRefused(dir, notes, /empty file whose name does not say/);
  });

  it('refuses a text file, and a database with a foreign events table', async () => {
    const { dir } = copyFixture('demo');
    const text = path.join(dir, 'readme.db');
    fs.writeFileSync(text, 'not a database at all\n'.repeat(100));
    await expectRefused(dir, text, /not a SQLite database/);
    const foreign = path.join(dir, 'analytics.db');
    const db = new Database(foreign);
    db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT, at TEXT)`);
    db.close();
    await expectRefused(dir, foreign, /table named events that is not Active Graph's \(it lacks the columns seq, type, actor, payload/);
  });

  it('accepts an absent file, an empty .db file and an existing Active Graph store', async () => {
    const { dir } = copyFixture('demo');
    const fresh = path.join(dir, 'sub', 'fresh.db');
    expect((await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', `sqlite:///${fresh}`, '--run-id', main], dir)).code).toBe(0);
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    expect((await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--to', `sqlite:///${empty}`], dir)).code).toBe(0);
    // A store we wrote before takes more.
    const again = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_b_at, '--to', `sqlite:///${empty}`], dir);
    expect(again.code, again.stderr).toBe(0);
    const inspected = await cli(['inspect', `sqlite:///${empty}`, '--json'], dir);
    expect(inspected.code).toBe(0);
  });
});

describe('destinations (Postgres)', () => {
  it('refuses a database whose tables of our names are foreign, and writes nothing', async () => {
    const { dir } = copyFixture('demo');
    const url = await freshDatabase('foreign');
    await pgQuery(url, `CREATE TABLE events (id serial PRIMARY KEY, name text); CREATE TABLE runs (id int)`);
    const res = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', url], dir);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stderr).toMatch(/^DestinationRefusedError: /);
    const tables = await pgQuery(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.table_name)).toEqual(['events', 'runs']);
  });

  it('writes beside unrelated tables of a shared database', async () => {
    const { dir } = copyFixture('demo');
    const url = await freshDatabase('shared');
    await pgQuery(url, `CREATE TABLE invoices (id int)`);
    const res = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', url, '--run-id', main], dir);
    expect(res.code, res.stderr).toBe(0);
    expect((await pgQuery(url, `SELECT count(*)::int AS n FROM invoices`))[0].n).toBe(0);
  });
});
