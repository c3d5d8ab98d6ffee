/**
 * The migration the wizard follows, over the real service: started from the store, followed through
 * the host's pushes to its verified report, or to the failure that says why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, tempDir } from '../support/fixtures.js';

const { file } = copyFixture('demo');
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });

vi.mock('../../src/renderer/src/api/transport', async () =>
  // The host's pushes, as the window's transport delivers them.
  (await import('../support/renderer-transport.js')).transportOver(service, {
    subscribe: (channel, listener) => service.onPush((c, p) => void (c === channel && listener(p))),
  }),
);

const { useApp } = await import('../../src/renderer/src/state/app-store.js');

describe('migrations slice', () => {
  it('starts a migration, follows it to its verified report, and opens the wizard on its form again', async () => {
    await useApp.getState().openInitialStore();
    const s = useApp.getState();
    const dest = `sqlite:///${path.join(tempDir(), 'migrated.db')}`;
    expect(await s.startMigration({ storeId: s.storeId!, destUrl: dest, runIds: s.runs.map((r) => r.run_id), skipCorrupted: false })).toBeNull();
    const id = useApp.getState().followedMigration!;
    await vi.waitFor(() => expect(useApp.getState().migrations[id]?.state).toBe('finished'), { timeout: 20_000 });
    const report = useApp.getState().migrations[id]!;
    expect(report.reports).toHaveLength(s.runs.length);
    expect(report.reports.every((r) => r.verification?.ok)).toBe(true);
    useApp.getState().setShowMigrate(true);
    expect(useApp.getState().followedMigration).toBeNull();
    expect(useApp.getState().migrations[id]).toBe(report);
  });

  it('a destination it must refuse ends the followed migration as failed, saying why, and is left as it was', async () => {
    const s = useApp.getState();
    const notes = path.join(tempDir(), 'notes.db');
    fs.writeFileSync(notes, 'not a database\n');
    expect(await s.startMigration({ storeId: s.storeId!, destUrl: `sqlite:///${notes}`, runIds: s.runs.map((r) => r.run_id), skipCorrupted: false })).toBeNull();
    const id = useApp.getState().followedMigration!;
    await vi.waitFor(() => expect(useApp.getState().migrations[id]?.state).toBe('failed'), { timeout: 20_000 });
    expect(useApp.getState().migrations[id]!.error).toBeTruthy();
    expect(fs.readFileSync(notes, 'utf8')).toBe('not a database\n');
  });
});
