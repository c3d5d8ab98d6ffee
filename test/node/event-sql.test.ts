/** The statements written once for both drivers: parameters stay parameters, in order, spelled per dialect. */
import { describe, expect, it } from 'vitest';
import { statements, writes } from '../../src/main/store/event-sql.js';
import { POSTGRES, render, SQLITE, sql, trusted } from '../../src/main/store/sql-dialect.js';

describe('event SQL', () => {
  it('keeps every value a parameter, nested fragments included, numbered in order', () => {
    const inner = sql`b = ${2} AND c = ${'x'}`;
    const q = sql`SELECT * FROM t WHERE a = ${1} AND ${inner} LIMIT ${3}`;
    expect(render(q, SQLITE)).toEqual({ text: 'SELECT * FROM t WHERE a = ? AND b = ? AND c = ? LIMIT ?', values: [1, 2, 'x', 3] });
    expect(render(q, POSTGRES).text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 LIMIT $4');
    expect(render(sql`${trusted('x')}${trusted('y')}`, SQLITE)).toEqual({ text: 'xy', values: [] });
  });

  it('spells a filtered page for each driver, the filter’s text never spliced', () => {
    const hostile = "x' OR 1=1 --";
    const q = statements.eventsAfter(POSTGRES, 'R', 5, 10, { types: ['llm.', 'behavior.failed'], actor: 'summ', text: hostile, search: '50%_off' });
    const { text, values } = render(q, POSTGRES);
    expect(text).not.toContain(hostile);
    expect(text).toContain('payload::text ILIKE');
    expect(values).toEqual([
      'R',
      5,
      'R',
      Number.MAX_SAFE_INTEGER,
      'llm.%',
      'behavior.failed',
      'summ',
      `%${hostile}%`,
      '%50\\%\\_off%',
      '%50\\%\\_off%',
      '%50\\%\\_off%',
      '%50\\%\\_off%',
      10,
    ]);
    // The run's own (run_id, seq) index is the only one that serves this range and order.
    expect(text).toMatch(/WHERE \(run_id, seq\) > \(\$1, \$2::bigint\) AND \(run_id, seq\) < \(\$3, \$4::bigint\) .* ORDER BY run_id, seq LIMIT \$13$/);
    const placeholders = text.match(/\$\d+/g)!;
    expect(placeholders).toEqual(values.map((_, i) => `$${i + 1}`));
    const lite = render(statements.eventsAfter(SQLITE, 'R', 5, 10, { compact: true }), SQLITE);
    expect(lite.text.match(/\?/g)).toHaveLength(lite.values.length);
    expect(lite.text).toContain('type NOT IN (?, ?, ?, ?, ?)');
  });

  it('writes rows through parameters only, the same statement on both drivers', () => {
    const hostile = "e'); DROP TABLE runs; --";
    const event = { id: hostile, type: 'goal.created', actor: null, payload: '{"a": 1}', frame_id: null, caused_by: null, timestamp: '2026-01-01T00:00:00Z' };
    const q = writes.insertEvent('R', event);
    for (const d of [SQLITE, POSTGRES]) {
      const { text, values } = render(q, d);
      expect(text).not.toContain(hostile);
      expect(values).toEqual([hostile, 'goal.created', null, '{"a": 1}', null, null, '2026-01-01T00:00:00Z', 'R']);
      expect(text).toMatch(/ON CONFLICT \(id, run_id\) DO NOTHING$/);
    }
    const run = { run_id: 'R', parent_run_id: 'P', forked_at_event_id: 'e', label: null, created_at: 't', goal: null, frame_id: null };
    expect(render(writes.insertRun(run), SQLITE).text).not.toContain('ON CONFLICT');
    expect(render(writes.insertRun(run, true), POSTGRES).values).toEqual(['R', 'P', 'e', null, 't', null, null]);
  });
});
