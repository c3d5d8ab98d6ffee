/**
 * export-trace prints payloads as Active Graph does, whichever store they come from: keys in the
 * order the payload has them (Python dicts keep it; JavaScript objects would list "9" and "10"
 * first), the empty key, nested objects as Python's str() of them, non-ASCII text, on SQLite and
 * on the same rows in a real Postgres (where Active Graph prints JSONB's own key order).
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonizeJsonbText } from '../../src/main/base/pyjson.js';
import { cli } from '../support/cli.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { freshDatabase, pgQuery } from '../support/pg.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';

const run = manifest('demo').runs.main as string;
// As Python's json.dumps (default separators, ensure_ascii) wrote them.
const PAYLOADS: [string, string][] = [
  ['evt_900', '{"b": 1, "10": "ten", "9": "nine", "": "empty", "a": {"2": true, "1": null}}'],
  ['evt_901', '{"goal": {"title": "caf\\u00e9 \\u00fcber", "steps": [1, 2.0, {"z": 0, "10": 1}]}}'],
];

describe('export-trace payloads', () => {
  let dir = '';
  let pg = '';
  beforeAll(async () => {
    const copy = copyFixture('demo');
    dir = copy.dir;
    const db = new Database(copy.file);
    const ins = db.prepare(`INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (?, ?, 'user', ?, NULL, NULL, '2026-09-03T00:00:00Z', ?)`);
    ins.run(PAYLOADS[0]![0], 'note.keys', PAYLOADS[0]![1], run);
    ins.run(PAYLOADS[1]![0], 'goal.created', PAYLOADS[1]![1], run);
    db.close();
    pg = await freshDatabase('trace');
    await loadSqliteIntoPostgres(copy.file, pg);
  });

  const jsonlPayload = (out: string, id: string): string => {
    const line = out.split('\n').find((l) => l.startsWith(`{"id": "${id}"`))!;
    return line.slice(line.indexOf('"payload": ') + '"payload": '.length, line.indexOf(', "actor": '));
  };

  it('SQLite: every payload printed byte for byte as stored', async () => {
    const res = await cli(['export-trace', 'sqlite:///demo.db', '--run-id', run, '--format', 'jsonl'], dir);
    expect(res.code, res.stderr).toBe(0);
    for (const [id, text] of PAYLOADS) expect(jsonlPayload(res.stdout, id)).toBe(text);
  });

  it("Postgres: every payload printed in JSONB's own order, as Active Graph prints it from there", async () => {
    const res = await cli(['export-trace', pg, '--run-id', run, '--format', 'jsonl'], dir);
    expect(res.code, res.stderr).toBe(0);
    for (const [id] of PAYLOADS) {
      const [{ text }] = await pgQuery(pg, `SELECT payload::text AS text FROM events WHERE id = $1 AND run_id = $2`, [id, run]);
      const expected = pythonizeJsonbText(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(jsonlPayload(res.stdout, id)).toBe(expected);
    }
  });

  it("text: a field holding an object prints as Python's str() of it, on both drivers", async () => {
    for (const url of ['sqlite:///demo.db', pg]) {
      const res = await cli(['export-trace', url, '--run-id', run, '--format', 'text'], dir);
      const line = res.stdout.split('\n').find((l) => l.includes('evt_901'))!;
      expect(line).not.toContain('[object Object]');
      expect(line).toMatch(/"\{'title': 'café über', 'steps': \[1, 2\.0, \{'z': 0, '10': 1\}\]\}"|"\{'steps': \[1, 2\.0, \{'z': 0, '10': 1\}\], 'title': 'café über'\}"/);
    }
  });
});

describe('export-trace in pages (what the window saves)', () => {
  it('pages of any size join into the bytes the CLI writes, each page holding at most its lines', async () => {
    const { dispatch } = await import('../../src/main/service/dispatch.js');
    const { InspectorService } = await import('../../src/main/service/inspector-service.js');
    const { dir, file } = copyFixture('demo');
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    try {
      const opened = await dispatch(service, 'openStore', { url: `sqlite:///${file}` });
      const storeId = (opened as { value: { storeId: string } }).value.storeId;
      for (const format of ['jsonl', 'text'] as const) {
        const want = (await cli(['export-trace', 'sqlite:///demo.db', '--run-id', run, ...(format === 'jsonl' ? ['--format', 'jsonl'] : [])], dir)).stdout;
        for (const maxLines of [1, 7, 5000]) {
          let out = '';
          let after: { seq: number; events: number } | undefined;
          let pages = 0;
          for (;;) {
            const page = await dispatch(service, 'exportTrace', { storeId, runId: run, format, after, maxLines });
            if (!page.ok) throw new Error(page.error.summary);
            const v = page.value as { lines: string[]; next: { seq: number; events: number } | null };
            expect(v.lines.length).toBeLessThanOrEqual(maxLines + 2); // the text trace's two closing lines
            out += v.lines.map((l) => l + '\n').join('');
            pages++;
            if (!v.next) break;
            after = v.next;
          }
          expect(out, `${format} by ${maxLines}`).toBe(want);
          if (maxLines === 1) expect(pages).toBeGreaterThan(50);
        }
      }
    } finally {
      await service.close();
    }
  });
});
