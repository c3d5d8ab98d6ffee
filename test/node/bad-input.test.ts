/** Bad input gets a structured error and the documented exit code, never a stack trace; nothing is written. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { copyFixture, manifest, sha256File, tempDir } from '../support/fixtures.js';
import { pgUrl } from '../support/pg.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';

const main = manifest('demo').runs.main;

async function expectRefused(file: string, argv: string[], code: number, className: string): Promise<string> {
  const before = fs.existsSync(file) ? sha256File(file) : null;
  const res = await cli(argv, path.dirname(file));
  expect(res.code).toBe(code);
  expect(res.stderr.startsWith(`${className}: `)).toBe(true);
  expect(res.stderr).not.toMatch(/Traceback|\n\s+at /);
  expect(res.stdout).toBe('');
  if (before) expect(sha256File(file)).toBe(before);
  return res.stderr;
}

describe('bad input', () => {
  it('a file that is not SQLite', async () => {
    const file = path.join(tempDir(), 'notes.db');
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    const err = await expectRefused(file, ['replay', 'sqlite:///notes.db', '--run-id', main], 4, 'StoreFormatError');
    expect(err).toContain('not a SQLite database');
    expect(err).toContain('How to fix:');
  });

  it('a missing file says where the path led, and the URL meant when the other slash count names a file', async () => {
    const { file } = copyFixture('demo');
    const dir = tempDir();
    // Three slashes before an absolute path: read relative to the working folder, where there is no such file.
    const meantAbsolute = await expectRefused(path.join(dir, 'absent.db'), ['inspect', `sqlite:///${file.slice(1)}`, '--run-id', main], 3, 'RunNotFoundError');
    expect(meantAbsolute).toContain(`Did you mean sqlite:///${file}?`);
    expect(meantAbsolute).not.toContain('List the runs');
    const nowhere = await expectRefused(path.join(dir, 'absent.db'), ['inspect', 'sqlite:///absent.db', '--run-id', main], 3, 'RunNotFoundError');
    expect(nowhere).toContain(`no file at ${path.join(fs.realpathSync(dir), 'absent.db')}`);
    expect(nowhere).toContain('three slashes');
    expect(fs.existsSync(path.join(dir, 'absent.db'))).toBe(false);
  });

  it('an empty file', async () => {
    const file = path.join(tempDir(), 'empty.db');
    fs.writeFileSync(file, '');
    const err = await expectRefused(file, ['inspect', 'sqlite:///empty.db', '--run-id', main], 4, 'StoreFormatError');
    expect(err).toContain('empty');
  });

  it('a truncated store', async () => {
    const { file } = copyFixture('demo');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
    await expectRefused(file, ['export-trace', 'sqlite:///demo.db', '--run-id', main, '--format', 'jsonl'], 4, 'StoreFormatError');
  });

  it('a SQLite file of another application says how many tables it has, never their names', async () => {
    const file = path.join(tempDir(), 'app.db');
    const db = new Database(file);
    db.exec('CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders(id INTEGER)');
    db.close();
    const err = await expectRefused(file, ['inspect', 'sqlite:///app.db', '--json'], 4, 'StoreFormatError');
    expect(err).toContain('It has 2 tables, none of them a supported event log.');
    expect(err).not.toMatch(/orders|users/);
  });

  it('a schema mismatch', async () => {
    const { file } = copyFixture('schema_mismatch');
    const err = await expectRefused(file, ['inspect', 'sqlite:///schema_mismatch.db'], 4, 'SchemaVersionMismatch');
    expect(err).toContain("schema_version='999'");
  });

  it('a corrupted payload names the event', async () => {
    const { file } = copyFixture('corrupted');
    const run = manifest('corrupted').runs.main;
    const err = await expectRefused(file, ['replay', 'sqlite:///corrupted.db', '--run-id', run], 4, 'CorruptedEventPayloadError');
    expect(err).toContain('evt_003');
    expect(err).toContain('column 41');
  });

  it('a payload nested 100,000 deep is a corrupted payload (no stack overflow), and the event detail still shows it', async () => {
    const { file } = copyFixture('demo');
    const db = new Database(file);
    const deep = '{"a": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const target = db.prepare('SELECT id FROM events WHERE run_id = ? ORDER BY seq LIMIT 1 OFFSET 3').pluck().get(main) as string;
    db.prepare('UPDATE events SET payload = ? WHERE run_id = ? AND id = ?').run(deep, main, target);
    db.close();
    for (const argv of [
      ['export-trace', 'sqlite:///demo.db', '--run-id', main, '--format', 'jsonl'],
      ['replay', 'sqlite:///demo.db', '--run-id', main, '--json'],
    ]) {
      const err = await expectRefused(file, argv, 4, 'CorruptedEventPayloadError');
      expect(err).toContain(target);
      expect(err).toContain('Nested deeper than 1000 levels');
    }
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    const opened = await dispatch(service, 'openDemoStore', {});
    const detail = await dispatch(service, 'getEvent', { storeId: (opened as any).value.storeId, runId: main, eventId: target });
    expect(detail.ok).toBe(true);
    expect((detail as any).value.payloadError).toContain('Nested deeper than 1000 levels');
    expect(JSON.stringify(detail).length).toBeGreaterThan(200_000); // the raw text travels, as text
    await service.close();
  });

  it('an unknown run id exits 3 and writes no run row', async () => {
    const { file } = copyFixture('demo');
    const err = await expectRefused(file, ['replay', 'sqlite:///demo.db', '--run-id', '01UNKNOWNRUNID0000000000000', '--json'], 3, 'RunNotFoundError');
    expect(err).toContain('01UNKNOWNRUNID0000000000000');
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM runs WHERE run_id = ?').get('01UNKNOWNRUNID0000000000000')).toEqual({ n: 0 });
    db.close();
  });

  it('an unknown event id', async () => {
    const { dir } = copyFixture('demo');
    const res = await cli(['inspect', 'sqlite:///demo.db', '--run-id', main, '--event', 'evt_nope'], dir);
    expect(res.code).toBe(3);
    expect(res.stderr).toBe(`event 'evt_nope' not found in run ${main}\n`);
  });

  it('a bare path is refused where Active Graph refuses it, accepted where it accepts it', async () => {
    const { dir } = copyFixture('demo');
    const refused = await cli(['inspect', 'demo.db'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^InvalidStoreURL: store URL 'demo.db' has no scheme/);
    expect(refused.stderr).toContain('sqlite:///demo.db');
    const accepted = await cli(['replay', 'demo.db', '--run-id', main, '--json'], dir);
    expect(accepted.code).toBe(0);
  });

  it('an unreachable Postgres', async () => {
    const res = await cli(['inspect', 'postgres://nobody:hunter2@127.0.0.1:1/nowhere', '--json'], tempDir());
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^StoreConnectionError: could not connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/nowhere/);
    expect(res.stderr).not.toContain('hunter2');
  });

  it('a wrong password, never echoed', async () => {
    const res = await cli(['inspect', pgUrl('postgres', 'secured', 'wrong-password-xyz'), '--json'], tempDir());
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^StoreConnectionError: /);
    expect(res.stderr).toContain('password authentication failed');
    expect(res.stderr).not.toContain('wrong-password-xyz');
  });
});
