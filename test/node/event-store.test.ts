/** Event filters as every driver applies them (exact types, family prefixes, actor, text, search), and the store's types. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';
import { freshDatabase } from '../support/pg.js';

describe('event filters', () => {
  it('match what a plain query over the same store finds', async () => {
    const { file } = copyFixture('demo');
    const runId = manifest('demo').runs.main as string;
    const db = new Database(file, { readonly: true });
    const count = (where: string, ...params: unknown[]) =>
      db
        .prepare(`SELECT count(*) FROM events WHERE run_id = ? AND ${where}`)
        .pluck()
        .get(runId, ...params) as number;
    const store = await openStore(`sqlite:///${file}`);
    try {
      const cases: [Parameters<typeof store.countEvents>[1], number][] = [
        [{ types: ['behavior.failed'] }, count(`type = 'behavior.failed'`)],
        [{ types: ['llm.'] }, count(`type LIKE 'llm.%'`)],
        [{ types: ['llm.', 'behavior.failed'] }, count(`(type LIKE 'llm.%' OR type = 'behavior.failed')`)],
        [{ actor: 'runtime' }, count(`actor = 'runtime'`)],
        [{ actor: 'summ' }, count(`substr(actor, 1, 4) = 'summ'`)], // the actor filter matches by prefix
        [{ text: 'PLAN' }, count(`payload LIKE '%plan%'`)],
      ];
      for (const [filter, want] of cases) {
        expect(want, JSON.stringify(filter)).toBeGreaterThan(0);
        expect(await store.countEvents(runId, filter), JSON.stringify(filter)).toBe(want);
      }
    } finally {
      await store.close();
      db.close();
    }
  });

  it('counts through several seqs (in any order, repeated) in one statement, on both drivers', async () => {
    const { file } = copyFixture('demo');
    const runId = manifest('demo').runs.main as string;
    const db = new Database(file, { readonly: true });
    const seqs = db.prepare('SELECT seq FROM events WHERE run_id = ? ORDER BY seq').pluck().all(runId) as number[];
    db.close();
    const pg = await freshDatabase('counts_through');
    await loadSqliteIntoPostgres(file, pg);
    for (const url of [`sqlite:///${file}`, pg]) {
      const store = await openStore(url);
      try {
        // Postgres numbers its own seqs: ask at the run's own, first, middle and last, and between two.
        const own = (await store.eventsAfter(runId, Number.MIN_SAFE_INTEGER, seqs.length)).map((e) => e.seq);
        const at = [own[0]! - 1, own[0]!, own[40]!, own[41]! - 1, own.at(-1)!];
        expect(await store.countsThrough(runId, at), url).toEqual(at.map((q) => own.filter((s) => s <= q).length));
        expect(await store.countsThrough(runId, [...at].reverse()), url).toEqual([...at].reverse().map((q) => own.filter((s) => s <= q).length));
        expect(await store.countsThrough(runId, []), url).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it('search: an event whose id, type, actor or payload has the text, case-insensitively, on both drivers', async () => {
    const { file } = copyFixture('demo');
    const runId = manifest('demo').runs.main as string;
    const db = new Database(file, { readonly: true });
    const count = (where: string, q: string) =>
      db
        .prepare(`SELECT count(*) FROM events WHERE run_id = @runId AND ${where}`)
        .pluck()
        .get({ runId, q: `%${q}%` }) as number;
    const anyColumn = (q: string) => count('(id LIKE @q OR type LIKE @q OR actor LIKE @q OR payload LIKE @q)', q);
    // Terms found in the id, the type and the actor of events whose payload does not have them.
    const terms = ['EVT_04', 'Failed', 'LINKer'];
    const want = Object.fromEntries(terms.map((q) => [q, anyColumn(q)]));
    for (const q of terms) expect(want[q], q).toBeGreaterThan(count('payload LIKE @q', q));
    db.close();
    const pg = await freshDatabase('search');
    await loadSqliteIntoPostgres(file, pg);
    for (const url of [`sqlite:///${file}`, pg]) {
      const store = await openStore(url);
      try {
        for (const q of terms) expect(await store.countEvents(runId, { search: q }), `${url} ${q}`).toBe(want[q]);
        // Within other filters: the search narrows them.
        expect(await store.countEvents(runId, { search: 'summarizer', types: ['llm.'] }), url).toBe(await store.countEvents(runId, { types: ['llm.'], text: 'summarizer' }));
      } finally {
        await store.close();
      }
    }
  });

  it('control characters in a search or text filter mean themselves on both drivers (a NUL matches nothing)', async () => {
    const { file } = copyFixture('demo');
    const runId = manifest('demo').runs.main as string;
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, type, actor, payload FROM events WHERE run_id = ?').all(runId) as Record<string, string | null>[];
    db.close();
    const has = (v: string | null, q: string) => (v ?? '').toLowerCase().includes(q.toLowerCase());
    const want = (q: string, cols: string[]) => rows.filter((r) => cols.some((c) => has(r[c]!, q))).length;
    const queries = ['\u0000', '\u0000summarizer', 'summarizer\u0000', '\u0001', '\n', '\u001f', 'summarizer'];
    const pg = await freshDatabase('controls');
    await loadSqliteIntoPostgres(file, pg);
    for (const url of [`sqlite:///${file}`, pg]) {
      const store = await openStore(url);
      try {
        for (const q of queries) {
          expect(await store.countEvents(runId, { search: q }), `${url} search ${JSON.stringify(q)}`).toBe(want(q, ['id', 'type', 'actor', 'payload']));
          expect(await store.countEvents(runId, { text: q }), `${url} text ${JSON.stringify(q)}`).toBe(want(q, ['payload']));
        }
      } finally {
        await store.close();
      }
    }
    expect(want('summarizer', ['payload'])).toBeGreaterThan(0); // the ground truth is not empty everywhere
  });

  it('lists the store’s distinct event types by index seeks, as a plain DISTINCT would', async () => {
    const { file } = copyFixture('demo');
    const db = new Database(file, { readonly: true });
    const want = db.prepare('SELECT DISTINCT type FROM events ORDER BY type').pluck().all();
    db.close();
    const pg = await freshDatabase('types');
    await loadSqliteIntoPostgres(file, pg);
    for (const url of [`sqlite:///${file}`, pg]) {
      const store = await openStore(url);
      try {
        expect(await store.eventTypes(), url).toEqual(want);
      } finally {
        await store.close();
      }
    }
  });
});
