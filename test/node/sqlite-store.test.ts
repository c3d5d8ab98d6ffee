/**
 * Reading a SQLite store leaves its folder as it was, follows a writer that starts later, and
 * never fails for want of write permission (a read-only folder, a -wal without its -shm).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { copyFixture, manifest, sha256File } from '../support/fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = manifest('demo').runs.main as string;
const isRoot = process.getuid?.() === 0;

const sideFiles = (file: string): string[] => ['-wal', '-shm', '-journal'].filter((s) => fs.existsSync(file + s));

/** Another process writing the store: inserts one run and one event, then stays alive (a live writer). */
function liveWriter(file: string, runId: string): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules/better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.pragma('wal_autocheckpoint = 0');
    db.prepare("INSERT INTO runs(run_id, created_at, goal) VALUES (?, '2026-12-01T00:00:00+00:00', 'live')").run(${JSON.stringify(runId)});
    db.prepare("INSERT INTO events(id, type, actor, payload, timestamp, run_id) VALUES ('evt_live_1', 'runtime.started', 'runtime', '{}', '2026-12-01T00:00:00+00:00', ?)").run(${JSON.stringify(runId)});
    process.stdout.write('written\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`writer exited ${code}`)));
  });
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Runs the built CLI as a user who cannot write the store's folder. */
function inspectAsReader(dir: string, url: string): { code: number | null; stdout: string; stderr: string } {
  const argv = [path.join(ROOT, 'bin/run-inspector.js'), 'inspect', url, '--json'];
  // As root, permissions do not bind: drop the capabilities that override them, so the folder really is
  // read-only to the reader (while the project, wherever it is cloned, stays readable to its owner).
  const [cmd, args] = isRoot ? ['setpriv', ['--bounding-set', '-dac_override,-dac_read_search,-fowner', '--', process.execPath, ...argv]] : [process.execPath, argv];
  const res = spawnSync(cmd, args, { cwd: '/', encoding: 'utf8' });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function readOnlyFolder(dir: string): void {
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o444);
  fs.chmodSync(dir, 0o555);
}

describe('SQLite reader', () => {
  it('leaves no -wal or -shm beside a store it opened, and changes no byte of it', async () => {
    const { file } = copyFixture('demo');
    const before = `${sha256File(file)} ${fs.statSync(file).mtimeMs}`;
    const store = await openStore(`sqlite:///${file}`);
    expect((await store.listRuns()).length).toBeGreaterThan(0);
    expect(await store.countEvents(main)).toBeGreaterThan(0);
    expect(sideFiles(file)).toEqual([]);
    await store.close();
    expect(sideFiles(file)).toEqual([]);
    expect(`${sha256File(file)} ${fs.statSync(file).mtimeMs}`).toBe(before);
  });

  it('sees a writer that starts after the store was opened', async () => {
    const { file } = copyFixture('demo');
    const store = await openStore(`sqlite:///${file}`);
    const runs = (await store.listRuns()).length;
    children.push(await liveWriter(file, '01LIVEWRITER0000000000000A'));
    expect((await store.listRuns()).length).toBe(runs + 1);
    expect(await store.countEvents('01LIVEWRITER0000000000000A')).toBe(1);
    await store.close();
  });

  it('reads a quiescent store in a folder the reader cannot write', () => {
    const { dir, file } = copyFixture('demo');
    readOnlyFolder(dir);
    const res = inspectAsReader(dir, `sqlite:///${file}`);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).run_id).toBeTruthy();
    expect(sideFiles(file)).toEqual([]);
  });

  it("reads a live writer's uncheckpointed commits in a read-only folder whose -shm is missing", async () => {
    const { dir, file } = copyFixture('demo');
    const writer = await liveWriter(file, '01LIVEWRITER0000000000000B');
    writer.kill('SIGKILL'); // a writer that died: its -wal holds commits no checkpoint copied
    await new Promise((r) => writer.once('exit', r));
    expect(fs.statSync(file + '-wal').size).toBeGreaterThan(0);
    fs.rmSync(file + '-shm', { force: true });
    const wal = sha256File(file + '-wal');
    readOnlyFolder(dir);
    const res = inspectAsReader(dir, `sqlite:///${file}`);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).run_id).toBe('01LIVEWRITER0000000000000B'); // the most recently appended run is the writer's
    expect(sha256File(file + '-wal')).toBe(wal);
  });

  /**
   * Every file of a folder by name, size and content; a -shm by name and size only: it is the
   * shared-memory index of a -wal, into which every reader of a live store writes its read marks.
   */
  const folder = (dir: string): string =>
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => `${f} ${fs.statSync(path.join(dir, f)).size} ${f.endsWith('-shm') ? '' : sha256File(path.join(dir, f))}`)
      .join('\n');

  /** Opens with the library and with the CLI; returns what each said (or the error's class). */
  async function openBoth(dir: string, file: string): Promise<string[]> {
    const seen: string[] = [];
    try {
      const store = await openStore(`sqlite:///${file}`);
      seen.push(`${(await store.listRuns()).length} runs`);
      await store.close();
    } catch (err) {
      seen.push((err as { className?: string }).className ?? String(err));
    }
    const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'inspect', `sqlite:///${file}`, '--json'], { cwd: dir, encoding: 'utf8' });
    seen.push(`exit ${res.status}`);
    return seen;
  }

  it('creates no file beside a store, whatever its side files: a -wal alone, a -shm alone, an empty or damaged -wal, header bit flips', async () => {
    const cases: [string, (file: string) => void][] = [
      ['an empty -wal, no -shm', (f) => fs.writeFileSync(f + '-wal', '')],
      ['a damaged -wal, no -shm', (f) => fs.writeFileSync(f + '-wal', Buffer.alloc(5000, 0xa5))],
      ['a -shm alone', (f) => fs.writeFileSync(f + '-shm', Buffer.alloc(32768, 0))],
      ['a -wal and a zeroed -shm', (f) => (fs.writeFileSync(f + '-wal', ''), fs.writeFileSync(f + '-shm', Buffer.alloc(32768, 0)))],
      ...[16, 17, 18, 19, 20, 21, 24, 28, 44, 56, 96].map((at): [string, (file: string) => void] => [
        `a bit flipped in header byte ${at}`,
        (f) => {
          const b = fs.readFileSync(f);
          b[at] = b[at]! ^ 0x01;
          fs.writeFileSync(f, b);
        },
      ]),
    ];
    for (const [label, damage] of cases) {
      const { dir, file } = copyFixture('demo');
      damage(file);
      const before = folder(dir);
      const seen = await openBoth(dir, file);
      expect(folder(dir), `${label}: ${seen.join(', ')}`).toBe(before);
      expect(seen[0], label).toMatch(/^\d+ runs$|^StoreFormatError$/); // read, or a typed error: never a raw one
    }
  });

  it('a hot rollback journal: read as of the last commit from a private copy, the file and journal untouched, and said so', async () => {
    const { dir, file } = copyFixture('demo');
    const runsBefore = await (async () => {
      const s = await openStore(`sqlite:///${file}`);
      const n = (await s.listRuns()).length;
      await s.close();
      return n;
    })();
    // A writer in rollback-journal mode that dies mid-transaction, after some of its pages reached the file.
    const script = `
      const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules/better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)});
      db.pragma('journal_mode = DELETE');
      db.pragma('cache_size = 1');
      db.exec('BEGIN');
      const ins = db.prepare("INSERT INTO runs(run_id, created_at, goal) VALUES (?, '2026-12-01T00:00:00+00:00', ?)");
      for (let i = 0; i < 3000; i++) ins.run('01HOTJOURNAL' + String(i).padStart(14, '0'), 'x'.repeat(200));
      process.stdout.write('mid-transaction\\n');
      setInterval(() => {}, 1000);`;
    const writer = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => writer.stdout!.once('data', r));
    writer.kill('SIGKILL');
    await new Promise((r) => writer.once('exit', r));
    expect(fs.statSync(file + '-journal').size).toBeGreaterThan(0);
    const before = folder(dir);
    const store = await openStore(`sqlite:///${file}`);
    expect((await store.listRuns()).length).toBe(runsBefore); // the unfinished transaction is not there
    expect(store.note).toMatch(/hot rollback journal .*stopped in the middle of a transaction.*private copy.*left as they are/);
    await store.close();
    const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'inspect', `sqlite:///${file}`, '--run-id', main, '--json'], { cwd: dir, encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(folder(dir)).toBe(before);
  });
});
