/** One event in full, and the archive tier paged: what the event detail and the archived timeline read. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, manifest } from '../support/fixtures.js';

describe('archive tier', () => {
  it('pages a compacted run’s archived events in seq order and shows one in full, marked archived', async () => {
    const { file } = copyFixture('archived');
    const runId = manifest('archived').runs.compacted as string;
    const db = new Database(file, { readonly: true });
    const want = db.prepare('SELECT id, archived_at FROM events_archive WHERE run_id = ? ORDER BY seq').all(runId) as { id: string; archived_at: string }[];
    db.close();
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    try {
      const opened = await dispatch(service, 'openStore', { url: `sqlite:///${file}` });
      const storeId = (opened as { value: { storeId: string } }).value.storeId;
      const got: { id: string; archivedAt?: string; index: number }[] = [];
      for (let offset = 0; ; offset += 25) {
        const page = await dispatch(service, 'archivedWindow', { storeId, runId, offset, limit: 25 });
        if (!page.ok) throw new Error(page.error.summary);
        const v = page.value as { total: number; rows: { id: string; archivedAt?: string; index: number }[] };
        expect(v.total).toBe(want.length);
        got.push(...v.rows);
        if (v.rows.length < 25) break;
      }
      expect(got.map((r) => [r.id, r.archivedAt])).toEqual(want.map((r) => [r.id, r.archived_at]));
      expect(got.map((r) => r.index)).toEqual(want.map((_, i) => i + 1));
      const detail = await dispatch(service, 'getEvent', { storeId, runId, eventId: want[0]!.id });
      expect(detail.ok && (detail.value as { archivedAt?: string }).archivedAt).toBe(want[0]!.archived_at);
      // A hot-log event carries no archive mark.
      const hot = await dispatch(service, 'timelineWindow', { storeId, runId, offset: 0, limit: 1 });
      const hotId = hot.ok ? (hot.value as { rows: { id: string }[] }).rows[0]!.id : '';
      const hotDetail = await dispatch(service, 'getEvent', { storeId, runId, eventId: hotId });
      expect(hotDetail.ok && 'archivedAt' in (hotDetail.value as object)).toBe(false);
    } finally {
      await service.close();
    }
  });
});
