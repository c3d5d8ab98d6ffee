/** Event filters, as every driver applies them: exact types, family prefixes, outcome suffixes, actor, text. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';

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
        [{ types: ['.failed'] }, count(`type LIKE '%.failed'`)],
        [{ types: ['llm.', '.failed'] }, count(`(type LIKE 'llm.%' OR type LIKE '%.failed')`)],
        [{ actor: 'runtime' }, count(`actor = 'runtime'`)],
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
});
