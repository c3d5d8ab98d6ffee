/**
 * The JSON check of the payloads a replay does not project runs aside on a worker thread past the
 * first pages. A corrupted payload must still stop the replay at the same event, with the same error,
 * as decoding every payload in order (what Active Graph does), wherever it is, whichever kind it is;
 * a payload only SQLite's JSON rejects (NaN, which Python reads) is no error.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { BEFORE_FIRST_SEQ, PROJECTED_EVENT_TYPES } from '../../src/main/store/event-store.js';
import { checkPayloadsAside } from '../../src/main/store/sqlite/payload-check.js';
import { tempDir } from '../support/fixtures.js';
import { syntheticStore } from '../support/synthetic-store.js';

const RUN = '01KPAYLOADCHECKASIDE000001';
const projected = PROJECTED_EVENT_TYPES.map((t) => `'${t}'`).join(', ');

/** A 60,000-event run (past the point where a replay checks aside), generated once. */
let base: Promise<string> | null = null;

/** A fresh copy of the run with `damage` done to it. */
async function damaged(damage: (db: Database.Database) => void): Promise<string> {
  base ??= syntheticStore(RUN, 60_000, 41);
  const file = path.join(tempDir(), 'damaged.db');
  fs.copyFileSync(await base, file);
  const db = new Database(file);
  damage(db);
  db.close();
  return file;
}

/** The event (by seq) at `fraction` of the run's events of the given kind. */
function nth(db: Database.Database, projectedKind: boolean, fraction: number): number {
  const where = `run_id = ? AND type ${projectedKind ? '' : 'NOT '}IN (${projected})`;
  const count = db.prepare(`SELECT count(*) FROM events WHERE ${where}`).pluck().get(RUN) as number;
  return db
    .prepare(`SELECT seq FROM events WHERE ${where} ORDER BY seq LIMIT 1 OFFSET ?`)
    .pluck()
    .get(RUN, Math.floor(fraction * count)) as number;
}
const corrupt = (db: Database.Database, seq: number, text: string) => db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(text, seq);

/** The replay's outcome: the graph's size, or the error's class and what it says. */
async function outcome(file: string, everyPayload: boolean): Promise<unknown> {
  const store = await openStore(`sqlite:///${file}`);
  try {
    const { graph, events } = await loadRun(store, RUN, everyPayload ? { onEvent: () => {} } : {});
    return { events, objects: [...graph.objects.keys()], relations: graph.relations.size };
  } catch (err) {
    return { error: (err as Error).name, whatFailed: (err as { whatFailed?: string }).whatFailed };
  } finally {
    await store.close();
  }
}

describe('payload check aside', () => {
  it.each([
    ['an unprojected payload deep in the run', (db: Database.Database) => corrupt(db, nth(db, false, 0.9), '{"truncated": ')],
    ['a projected payload deep in the run', (db: Database.Database) => corrupt(db, nth(db, true, 0.8), 'not json')],
    [
      'an unprojected payload before a projected one: the earlier is the error',
      (db: Database.Database) => {
        corrupt(db, nth(db, false, 0.7), '{"a": tru}');
        corrupt(db, nth(db, true, 0.85), '{"b": ');
      },
    ],
    [
      'a projected payload before an unprojected one',
      (db: Database.Database) => {
        corrupt(db, nth(db, true, 0.75), '{"b": ');
        corrupt(db, nth(db, false, 0.95), '{"a": tru}');
      },
    ],
    ['NaN in an unprojected payload, which Python reads', (db: Database.Database) => corrupt(db, nth(db, false, 0.9), '{"score": NaN}')],
  ])('%s: the same outcome as decoding every payload in order', async (_name, damage) => {
    const file = await damaged(damage);
    const fast = await outcome(file, false);
    expect(fast).toEqual(await outcome(file, true));
    if (_name.startsWith('NaN')) expect(fast).not.toHaveProperty('error');
    else expect(fast).toHaveProperty('error', 'CorruptedEventPayloadError');
  });

  it('the worker thread finds what SQLite’s JSON parser rejects, how far it looked, and what a diff compares there', async () => {
    let bad: number[] = [];
    const file = await damaged((db) => {
      bad = [nth(db, false, 0.01), nth(db, false, 0.9)];
      for (const seq of bad) corrupt(db, seq, '{"x": ');
      corrupt(db, nth(db, true, 0.5), '{"projected, so not this check": ');
    });
    const last = (new Database(file, { readonly: true }).prepare('SELECT max(seq) FROM events').pluck().get() as number) - 10;
    const db = new Database(file, { readonly: true });
    const count = db.prepare('SELECT count(*) FROM events WHERE run_id = ? AND seq <= ?').pluck().get(RUN, last);
    const lifecycle = db
      .prepare(`SELECT count(*) FROM events WHERE run_id = ? AND seq <= ? AND (type LIKE 'behavior.%' OR type LIKE 'relation_behavior.%' OR type LIKE 'runtime.%')`)
      .pluck()
      .get(RUN, last) as number;
    db.close();
    expect(lifecycle).toBeGreaterThan(0);
    expect(await checkPayloadsAside({ file, runId: RUN, afterSeq: BEFORE_FIRST_SEQ, untilSeq: last })).toEqual({
      seqs: bad,
      through: last,
      count,
      compared: (count as number) - lifecycle,
    });
  });

  it('checks asked at once each get their own answer (they take turns), and one cancelled while it waits ends', async () => {
    let bad = 0;
    const file = await damaged((db) => corrupt(db, (bad = nth(db, false, 0.5)), '{"x": '));
    const db = new Database(file, { readonly: true });
    const seqs = db.prepare('SELECT seq FROM events WHERE run_id = ? ORDER BY seq').pluck().all(RUN) as number[];
    db.close();
    const bounds = [0.25, 0.5, 0.75, 1].map((f) => seqs[Math.floor(f * seqs.length) - 1]!);
    const cancel = new AbortController();
    const jobs = bounds.map((until) => checkPayloadsAside({ file, runId: RUN, afterSeq: BEFORE_FIRST_SEQ, untilSeq: until }));
    const cancelled = checkPayloadsAside({ file, runId: RUN, afterSeq: BEFORE_FIRST_SEQ, untilSeq: bounds[3]! }, cancel.signal);
    cancel.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' }); // the caller's call ends cancelled
    const found = await Promise.all(jobs);
    expect(found.map((f) => [f.count, f.through])).toEqual(bounds.map((b) => [seqs.indexOf(b) + 1, b]));
    expect(found.map((f) => f.seqs)).toEqual(bounds.map((b) => (bad <= b ? [bad] : [])));
    expect(found.filter((f) => f.seqs.length).length).toBeGreaterThan(1);
  });

  it('a replay that stops before the damage does not fail on it', async () => {
    let at = 0;
    const file = await damaged((db) => corrupt(db, (at = nth(db, false, 0.9)), 'garbage'));
    const store = await openStore(`sqlite:///${file}`);
    const seqs = await store.seqsAfter(RUN, BEFORE_FIRST_SEQ, 100_000);
    const before = seqs[seqs.indexOf(at) - 1]!;
    const { lastSeq } = await loadRun(store, RUN, { untilSeq: before });
    expect(lastSeq).toBe(before);
    await expect(loadRun(store, RUN, { untilSeq: at })).rejects.toThrow(/could not be decoded/);
    await store.close();
  });
});
