/**
 * A JSONL trace read as a store: Active Graph's `export-trace --format jsonl` (ours writes the
 * same), or a JSONL event sink a runtime is still appending to. Each line is an event dictionary
 * (`id`, `type`, `payload`, `actor`, `frame_id`, `caused_by`, `timestamp`; a sink's lines may name
 * their `run_id`). The lines are loaded into a private SQLite copy with Active Graph's schema (in
 * the temp folder, removed on close), so every view reads the trace as it reads a store, and the
 * file is followed: lines appended later are added as they come, a line still being written waits
 * for its newline. The file itself is only read.
 *
 * A damaged line is kept, never skipped: a line that is not JSON becomes an event `line:N` whose
 * payload is the line's text, so the views report it where it stands, with its column, as they
 * report a corrupted payload; a line that is JSON but not an event becomes a `jsonl.damaged_line`
 * event saying what is wrong. The store's note lists them.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeUnreadable } from '../../base/errors.js';
import { pyDumps, pyParse } from '../../base/pyjson.js';
import { SQLITE_DDL } from '../schema.js';
import { openShared } from '../sqlite/sqlite-open.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { yieldToEventLoop } from '../event-store.js';
import type { StoreUrl } from '../store-url.js';

const JSONL_RUNTIME = 'JSONL trace';
/** How often a followed file is looked at for new lines. */
const FOLLOW_MS = 500;
/** Bytes read per step of the first load (the host answers other calls between steps). */
const STEP_BYTES = 4 * 1024 * 1024;

/** Whether a file is a JSONL trace: not a SQLite file, and its first non-blank character opens a JSON object. */
export function isJsonlTrace(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return false;
    return /^\s*\{/.test(head.subarray(0, n).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

interface Damage {
  line: number;
  problem: string;
}

type Row = { id: string; type: string; payload: string; actor: unknown; frame_id: unknown; caused_by: unknown; timestamp: string; run_id: string };

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What a line of the trace is: an event, or damage (with the row that keeps it in the log). */
function readLine(line: string, n: number, runOf: (runId: unknown) => string): { row: Row; damage?: Damage } {
  const damaged = (problem: string, payload: string): { row: Row; damage: Damage } => ({
    row: { id: `line:${n}`, type: 'jsonl.damaged_line', payload, actor: null, frame_id: null, caused_by: null, timestamp: '', run_id: runOf(undefined) },
    damage: { line: n, problem },
  });
  let v: unknown;
  try {
    v = pyParse(line);
  } catch (err) {
    // The line's own text is the payload: the views report it as the corrupted payload it is.
    return damaged(`not JSON: ${(err as Error).message}`, line);
  }
  const e = v as Record<string, unknown>;
  const problem =
    v === null || typeof v !== 'object' || Array.isArray(v)
      ? 'not a JSON object'
      : typeof e.id !== 'string' || e.id === ''
        ? 'no "id" string'
        : typeof e.type !== 'string' || e.type === ''
          ? 'no "type" string'
          : e.payload !== undefined && (e.payload === null || typeof e.payload !== 'object' || Array.isArray(e.payload))
            ? '"payload" is not an object'
            : null;
  if (problem) return damaged(problem, pyDumps({ line: n, problem, text: line }));
  return {
    row: {
      id: e.id as string,
      type: e.type as string,
      payload: pyDumps(e.payload ?? {}, { ensureAscii: false }),
      actor: text(e.actor),
      frame_id: text(e.frame_id),
      caused_by: text(e.caused_by),
      timestamp: text(e.timestamp) ?? '',
      run_id: runOf(e.run_id),
    },
  };
}

const isWholeObject = (line: string): boolean => {
  try {
    const v = pyParse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
};

/** The run a trace's lines belong to when they do not say: our saved traces are `trace-<run id>.jsonl`. */
function defaultRunId(file: string): string {
  const stem = path.basename(file).replace(/\.(otlp\.)?jsonl?$/i, '');
  return /^trace-(.+)$/.exec(stem)?.[1] ?? stem;
}

export async function openJsonlTrace(url: Extract<StoreUrl, { kind: 'sqlite' }>): Promise<SqliteStore> {
  const file = path.resolve(url.path);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-inspector-jsonl-'));
  const copy = path.join(dir, 'trace.db');
  const writer = new Database(copy);
  writer.pragma('journal_mode = WAL');
  for (const ddl of SQLITE_DDL) writer.exec(ddl);
  const insertRun = writer.prepare(
    `INSERT OR IGNORE INTO runs(run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id) VALUES (?, NULL, NULL, ?, ?, NULL, NULL)`,
  );
  const insertEvent = writer.prepare(
    `INSERT OR IGNORE INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (@id, @type, @actor, @payload, @frame_id, @caused_by, @timestamp, @run_id)`,
  );
  const fallbackRun = defaultRunId(file);
  let lastRun = fallbackRun;
  const runOf = (runId: unknown) => (lastRun = typeof runId === 'string' && runId !== '' ? runId : lastRun);
  const damage: Damage[] = [];
  /** The runs the copy has a row for. */
  const runs = new Set<string>();
  let offset = 0;
  let lineNo = 0;
  let stopped: string | null = null;

  /** Adds the complete lines written since the last look, at most `maxBytes` of them; returns whether more wait. */
  const ingest = (maxBytes = Infinity): boolean => {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return false; // the file went away: keep what was read, as an open file would
    }
    if (size < offset) {
      stopped ??= `${path.basename(file)} became shorter than what was read (truncated or replaced): shown as read until then, no longer followed.`;
      return false;
    }
    if (size === offset) return false;
    const length = Math.min(size - offset, maxBytes);
    const buf = Buffer.alloc(length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buf, 0, length, offset);
    } finally {
      fs.closeSync(fd);
    }
    let end = buf.lastIndexOf(0x0a);
    const lines = end < 0 ? [] : buf.subarray(0, end).toString('utf8').split('\n');
    // The last line without its newline: a whole object is a line a file ended without one; a part
    // of one is a line still being written, which waits for its newline.
    const tail = buf.subarray(end + 1).toString('utf8');
    if (offset + length === size && tail.trim() !== '' && isWholeObject(tail)) {
      lines.push(tail);
      end = length - 1;
    }
    if (lines.length === 0) return length < size - offset ? ingest(maxBytes * 2) : false; // a line longer than a step: read on to its end
    writer.transaction(() => {
      for (const raw of lines) {
        lineNo++;
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() === '') continue;
        let { row, damage: d } = readLine(line, lineNo, runOf);
        if (!runs.has(row.run_id)) {
          insertRun.run(row.run_id, path.basename(file), row.timestamp || new Date(fs.statSync(file).mtimeMs).toISOString());
          runs.add(row.run_id);
        }
        if (insertEvent.run(row).changes === 0) {
          // An id the run already has: a repeated line is damage too.
          ({ row, damage: d } = {
            row: { ...row, id: `line:${lineNo}`, type: 'jsonl.damaged_line', payload: pyDumps({ line: lineNo, problem: `repeats event id ${row.id}`, text: line }) },
            damage: { line: lineNo, problem: `repeats event id ${row.id}` },
          });
          insertEvent.run(row);
        }
        if (d) damage.push(d);
      }
    })();
    offset += end + 1;
    return offset < size;
  };

  const noteOf = (): string | undefined => {
    const parts: string[] = [];
    if (damage.length)
      parts.push(
        `${damage.length} damaged line${damage.length === 1 ? '' : 's'} in ${path.basename(file)}, kept as events line:N: ` +
          damage
            .slice(0, 5)
            .map((d) => `line ${d.line} (${d.problem})`)
            .join('; ') +
          (damage.length > 5 ? '; …' : ''),
      );
    if (stopped) parts.push(stopped);
    return parts.length ? parts.join(' ') : undefined;
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  const cleanup = () => {
    clearInterval(timer);
    writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    while (ingest(STEP_BYTES)) await yieldToEventLoop();
    if ((writer.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n === 0) throw storeUnreadable(url.raw, 'the JSONL file holds no complete line');
    const store = SqliteStore.openReadOnly(url, { db: openShared(copy), cleanup, note: noteOf(), runtime: JSONL_RUNTIME });
    timer = setInterval(() => {
      try {
        ingest(STEP_BYTES);
        store.note = noteOf();
      } catch {
        // a read that failed now is tried again on the next look
      }
    }, FOLLOW_MS);
    timer.unref();
    return store;
  } catch (err) {
    cleanup();
    throw err;
  }
}
