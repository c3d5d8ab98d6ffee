/**
 * The use-case layer (src/main/usecases): fork, migrate and promote are guarded once, so the CLI
 * and the app refuse the same things in the same words, and nothing is written when they refuse.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { forkInto } from '../../src/main/usecases/fork.js';
import { migrateInto } from '../../src/main/usecases/migrate.js';
import { promoteFork } from '../../src/main/usecases/promote.js';
import { parseStoreUrl } from '../../src/main/store/store-url.js';
import { cli } from '../support/cli.js';
import { copyFixture, manifest, OTHER_FIXTURES, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';

const demo = manifest('demo');

describe('use cases, guarded once', () => {
  it('a fork of another runtime’s store, or of a run that is not there, is refused before the destination exists', async () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(OTHER_FIXTURES, 'neurocore.db'), path.join(dir, 'neurocore.db'));
    const neurocore = await openStore(`sqlite:///${path.join(dir, 'neurocore.db')}`);
    const into = path.join(dir, 'forks.db');
    const runId = (await neurocore.listRuns())[0]!.run_id;
    const first = (await neurocore.eventsAfter(runId, -1e15, 1))[0]!.id;
    await expect(forkInto(neurocore, { runId, atEventId: first, destination: parseStoreUrl(`sqlite:///${into}`) })).rejects.toThrow(/fork works on Active Graph stores/);
    await neurocore.close();
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    await expect(forkInto(store, { runId: 'no-such-run', atEventId: 'evt_001', destination: parseStoreUrl(`sqlite:///${into}`) })).rejects.toMatchObject({ exitCode: 3 });
    await store.close();
    expect(fs.existsSync(into)).toBe(false);
  });

  it('a migration into its own source is refused however the destination is spelled (a link, a relative path), in the CLI and the app alike', async () => {
    const { file } = copyFixture('demo');
    const link = path.join(tempDir(), 'alias.db');
    fs.symlinkSync(file, link);
    const store = await openStore(`sqlite:///${file}`);
    await expect(migrateInto(store, parseStoreUrl(`sqlite:///${link}`))).rejects.toThrow('the source and the destination are the same store');
    await store.close();
    const cwd = path.dirname(file);
    const viaCli = await cli(['migrate', '--from', `sqlite:///${file}`, '--to', `sqlite:///${path.basename(file)}`], cwd);
    expect(viaCli.code).toBe(2);
    expect(viaCli.stderr).toContain('the source and the destination are the same store');
  });

  it('promote outside SQLite is refused in the same words by the CLI and the app', async () => {
    const url = await freshDatabase('promote_pg');
    const viaCli = await cli(['promote', url, '--run-id', demo.runs.main, '--from-run', 'x'], tempDir());
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${copyFixture('demo').file}` });
    try {
      const migrated = await cli(['migrate', '--from', `sqlite:///${copyFixture('demo').file}`, '--to', url], tempDir());
      expect(migrated.code).toBe(0);
      const opened = await dispatch(service, 'openStore', { url });
      if (!opened.ok) throw new Error(opened.error.summary);
      const storeId = (opened.value as { storeId: string }).storeId;
      const viaApp = await dispatch(service, 'promote', { storeId, parentRunId: demo.runs.main, forkRunId: 'x', dryRun: true });
      expect(viaApp.ok).toBe(false);
      const sentence = (viaApp as { error: { summary: string } }).error.summary;
      expect(sentence).toMatch(/^promote works on SQLite stores/);
      expect(viaCli.stderr).toContain(sentence);
      expect(viaCli.code).toBe(2);
    } finally {
      await service.close();
    }
    const store = await openStore(url);
    await expect(promoteFork(store, demo.runs.main, 'x', { dryRun: true })).rejects.toThrow(/^promote works on SQLite stores/);
    await store.close();
  });
});
