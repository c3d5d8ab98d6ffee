/** Event filters as every driver applies them (exact types, family prefixes, actor, text), and the store's types. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
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
