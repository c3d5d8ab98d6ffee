/** A big store's run list paints before its counts: the counts it left out are asked run by run, the shown run first, and fill in. */
import { describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import type { OperationName } from '../../src/shared/contract.js';
import { copyFixture } from '../support/fixtures.js';

const { file } = copyFixture('demo');
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
const asked: [OperationName, unknown][] = [];
vi.mock('../../src/renderer/src/api/transport', async () =>
  (await import('../support/renderer-transport.js')).transportOver(service, { onCall: (op, input) => void asked.push([op, input]) }),
);
const { useApp } = await import('../../src/renderer/src/state/app-store.js');

describe('run counts of a big store', () => {
  it('come after the list, the shown run first, and equal the store’s', async () => {
    process.env.RUN_INSPECTOR_COUNT_BUDGET_MS = '0';
    try {
      await useApp.getState().openInitialStore();
      const runId = useApp.getState().runId;
      await vi.waitFor(() => expect(useApp.getState().runs.every((r) => r.event_count !== null)).toBe(true));
      const store = await openStore(`sqlite:///${file}`);
      const exact = new Map((await store.listRuns()).map((r) => [r.run_id, r.event_count]));
      await store.close();
      expect(useApp.getState().runs.map((r) => [r.run_id, r.event_count])).toEqual(useApp.getState().runs.map((r) => [r.run_id, exact.get(r.run_id)]));
      const firstAsk = asked.find(([op]) => op === 'runCounts')![1] as { runIds: string[] };
      expect(firstAsk.runIds[0]).toBe(runId);
    } finally {
      delete process.env.RUN_INSPECTOR_COUNT_BUDGET_MS;
      await service.close();
    }
  });
});
