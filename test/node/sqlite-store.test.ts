/**
 * Reading a SQLite store leaves its folder as it was, follows a writer that starts later, and
 * never fails for want of write permission (a read-only folder, a -wal without its -shm).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
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
});
