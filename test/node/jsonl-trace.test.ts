/**
 * A JSONL trace opened as a store (store/formats/jsonl-trace): Active Graph's own `export-trace
 * --format jsonl` of each demo run reads back as that run does, by Active Graph's recorded
 * outputs (replay, the JSONL and text exports); damaged lines are events that say which line and
 * what is wrong, and a replay stops at them as at a corrupted payload; a file still being written
 * is followed, a half-written line waiting for its newline; the file is never written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { cli } from '../support/cli.js';
import { oracle, oracleOutput, sha256File, tempDir } from '../support/fixtures.js';

const exports = oracle('demo').commands.filter((c) => c.argv.includes(' export-trace ') && c.argv.endsWith('--format jsonl') && c.exit_code === 0);
const runOf = (argv: string) => /--run-id (\S+)/.exec(argv)![1]!;
const recorded = (argvEnd: string, runId: string) => oracle('demo').commands.find((c) => c.argv.includes(`--run-id ${runId}`) && c.argv.endsWith(argvEnd) && c.exit_code === 0);

/** Active Graph's JSONL export of a run, written where a user would save it. */
function traceFile(runId: string, text = oracleOutput('demo', exports.find((c) => runOf(c.argv) === runId)!.stdout)): string {
  const file = path.join(tempDir(), `trace-${runId}.jsonl`);
  fs.writeFileSync(file, text);
  return file;
}

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await check()).toBe(true);
};

describe('a JSONL trace as a store', () => {
  it('reads each run of Active Graph’s exports as Active Graph read the run: replay, and both exports again', async () => {
    expect(exports.length).toBeGreaterThan(2);
    let compared = 0;
    for (const c of exports) {
      const runId = runOf(c.argv);
      const file = traceFile(runId);
      const before = sha256File(file);
      const url = `sqlite:///${file}`;
      for (const [args, end] of [
        [['replay', url, '--run-id', runId, '--json'], ' --json'],
        [['export-trace', url, '--run-id', runId, '--format', 'jsonl'], '--format jsonl'],
        [['export-trace', url, '--run-id', runId, '--format', 'text'], '--format text'],
      ] as const) {
        const rec = end === ' --json' ? oracle('demo').commands.find((x) => x.argv.includes(` replay `) && x.argv.includes(`--run-id ${runId} --json`)) : recorded(end, runId);
        if (!rec) continue;
        const ours = await cli([...args], tempDir());
        expect(ours.stderr, `${args.join(' ')}`).toBe('');
        expect(ours.stdout, `${args.join(' ')}`).toBe(oracleOutput('demo', rec.stdout));
        compared++;
      }
      expect(sha256File(file)).toBe(before);
    }
    expect(compared).toBe(exports.length * 3);
  });

  it('is only read: a fork into it is refused as for another runtime’s store, and the file is as it was', async () => {
    const runId = runOf(exports[0]!.argv);
    const file = traceFile(runId);
    const before = sha256File(file);
    const lines = oracleOutput('demo', exports[0]!.stdout).trimEnd().split('\n');
    const at = JSON.parse(lines[3]!).id as string;
    const fork = await cli(['fork', `sqlite:///${file}`, '--run-id', runId, '--at-event', at, '--to', `sqlite:///${file}`], tempDir());
    expect(fork.code).toBe(2);
    expect(fork.stderr).toContain('JSONL trace');
    expect(sha256File(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it('keeps damaged lines as events that say which line and what is wrong; a replay stops at one as at a corrupted payload', async () => {
    const runId = runOf(exports[0]!.argv);
    const lines = oracleOutput('demo', exports[0]!.stdout).trimEnd().split('\n');
    lines[4] = lines[4]!.slice(0, 40); // cut short: not JSON
    lines.splice(8, 0, '{"id": "evt_x", "payload": {}}'); // JSON, but no type
    const file = traceFile(runId, lines.join('\n') + '\n');
    const store = await openStore(`sqlite:///${file}`);
    try {
      expect(store.runtime).toBe('JSONL trace');
      expect(store.note).toContain('2 damaged lines');
      expect(store.note).toContain('line 5 (not JSON');
      expect(store.note).toContain('line 9 (no "type" string)');
      expect(await store.countEvents(runId)).toBe(lines.length);
      const cut = (await store.getEvent(runId, 'line:5'))!;
      expect(cut.payload).toBe(lines[4]);
      expect(JSON.parse((await store.getEvent(runId, 'line:9'))!.payload)).toMatchObject({ line: 9, problem: 'no "type" string' });
    } finally {
      await store.close();
    }
    const replay = await cli(['replay', `sqlite:///${file}`, '--run-id', runId], tempDir());
    expect(replay.code).toBe(4);
    expect(replay.stderr).toContain('line:5');
  });

  it('follows a trace a runtime is still writing: whole lines as they come, a half-written one once it ends', async () => {
    const runId = runOf(exports[0]!.argv);
    const lines = oracleOutput('demo', exports[0]!.stdout).trimEnd().split('\n');
    const half = Math.floor(lines.length / 2);
    const file = traceFile(runId, lines.slice(0, half).join('\n') + '\n');
    const store = await openStore(`sqlite:///${file}`);
    try {
      expect(await store.countEvents(runId)).toBe(half);
      const next = lines[half]!;
      fs.appendFileSync(file, next.slice(0, 30)); // a line being written
      await new Promise((r) => setTimeout(r, 1200));
      expect(await store.countEvents(runId)).toBe(half);
      fs.appendFileSync(file, next.slice(30) + '\n' + lines.slice(half + 1).join('\n') + '\n');
      await until(async () => (await store.countEvents(runId)) === lines.length);
      expect(store.note).toBeUndefined();
      expect((await store.getEvent(runId, JSON.parse(next).id))!.type).toBe(JSON.parse(next).type);
    } finally {
      await store.close();
    }
  });
});
