/** The app's compare reply: complete counts, the most connected divergent entities only, runs of one store or of two. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/main/engine/diff.js';
import { migrate } from '../../src/main/usecases/migrate.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { mostConnected } from '../../src/main/engine/most-connected.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import type { OpOutput } from '../../src/shared/contract.js';
import { copyFixture, manifest, oracle, oracleOutput } from '../support/fixtures.js';

const demo = manifest('demo');
type Diff = OpOutput<'diff'>;

describe('compare reply', () => {
  it('keeps the counts of the whole diff and lists the most connected divergent objects first', async () => {
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    const full = await diffRuns(store, demo.runs.main, demo.runs.fork_b);
    expect(full.objects.length).toBeGreaterThan(4);
    const capped = mostConnected(full, 3);
    expect(capped.divergent_objects).toBe(full.divergent_objects);
    expect(capped.divergent_relations).toBe(full.divergent_relations);
    expect(capped.objects).toHaveLength(3);
    const degree = (id: string) => full.relations.filter((r) => [r.in_parent ?? r.in_fork].some((x) => x!.source === id || x!.target === id)).length;
    const kept = Math.min(...capped.objects.map((o) => degree(o.id)));
    const dropped = full.objects.filter((o) => !capped.objects.some((c) => c.id === o.id)).map((o) => degree(o.id));
    expect(Math.max(...dropped)).toBeLessThanOrEqual(kept);
    for (const r of capped.relations) {
      const one = (r.in_parent ?? r.in_fork)!;
      expect(capped.objects.some((o) => o.id === one.source || o.id === one.target)).toBe(true);
    }
    expect(mostConnected(full, 1000)).toBe(full); // small diffs travel whole
    await store.close();
  });
});

describe('compare across stores', () => {
  // A fork cannot be written to another store (Active Graph: "fork in the source store, then migrate"),
  // so a fork that lives elsewhere got there by migration; its diff with the parent must not change.
  for (const cmd of oracle('demo').commands.filter((c) => /^diff\d+_json$/.test(c.slug))) {
    it(`${cmd.slug}: run B migrated to another store diffs with run A as Active Graph's diff in one store`, async () => {
      const argv = cmd.argv.split(' ');
      const [runA, runB] = [argv[argv.indexOf('--run-a') + 1]!, argv[argv.indexOf('--run-b') + 1]!];
      const { dir, file } = copyFixture('demo');
      const source = await openStore(`sqlite:///${file}`);
      const elsewhere = `sqlite:///${path.join(dir, 'elsewhere.db')}`;
      const dest = await openDestination(elsewhere);
      await migrate(source, dest, { runIds: [runB] });
      await dest.close();
      await source.close();

      const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
      const open = async (url: string) => ((await dispatch(service, 'openStore', { url })) as { value: { storeId: string } }).value.storeId;
      const [home, other] = [await open(`sqlite:///${file}`), await open(elsewhere)];
      const across = await dispatch(service, 'diff', { storeId: home, runA, storeIdB: other, runB });
      const inOne = await dispatch(service, 'diff', { storeId: home, runA, runB });
      if (!across.ok || !inOne.ok) throw new Error('diff failed');
      const value = across.value as Diff;
      const counts = JSON.parse(oracleOutput('demo', cmd.stdout));
      expect(Object.fromEntries(Object.keys(counts).map((k) => [k, value[k as keyof Diff]]))).toEqual(counts);
      // Objects, relations and the divergence point too: the same as within one store, except that
      // B's seq is of B's store (seq is store-wide; the migration numbered the run anew).
      const sansSeqB = (d: Diff) => ({ ...d, divergence: { ...d.divergence, b_seq: null } });
      expect(sansSeqB(value)).toEqual(sansSeqB(inOne.value as Diff));
      if (value.divergence.b_seq !== null) {
        const at = await dispatch(service, 'locateEvent', { storeId: other, runId: runB, seq: value.divergence.b_seq });
        const offset = at.ok ? (at.value as { offset: number }).offset : -1;
        const row = await dispatch(service, 'timelineWindow', { storeId: other, runId: runB, offset, limit: 1 });
        expect(row.ok && (row.value as { rows: { id: string }[] }).rows[0]?.id).toBe(value.divergence.b_event_id);
      }
      await service.close();
    });
  }
});
