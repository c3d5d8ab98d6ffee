/**
 * The window's exports kept between their calls (export OTLP, save page): each part is asked for
 * in turn, and an export not asked for its next part for a minute is ended, to free what it holds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpOutput } from '../../src/shared/contract.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { syntheticStore } from '../support/synthetic-store.js';

const RUN = '01KEXPORTWALK000000000001';
let service: InspectorService;
let storeId: string;

beforeAll(async () => {
  const url = `sqlite:///${await syntheticStore(RUN, 3_000, 5)}`;
  service = new InspectorService({ demoStoreUrl: url });
  const opened = await dispatch(service, 'openStore', { url });
  if (!opened.ok) throw new Error(opened.error.summary);
  storeId = (opened.value as OpOutput<'openStore'>).storeId;
});
afterEach(() => void vi.useRealTimers());
afterAll(() => service.close());

const part = (exportId?: string) => dispatch(service, 'exportOtlp', { storeId, runId: RUN, ...(exportId ? { exportId } : {}) });

describe('an export kept between its calls', () => {
  it('goes on while asked within the minute, and is ended once left unasked for a minute', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = await part();
    if (!first.ok) throw new Error(first.error.summary);
    const { exportId, done } = first.value as OpOutput<'exportOtlp'>;
    expect(done).toBe(false);
    // Asked every 50 s: 100 s after it began, it goes on.
    for (let i = 0; i < 2; i++) {
      vi.advanceTimersByTime(50_000);
      expect(await part(exportId)).toMatchObject({ ok: true, value: { done: false } });
    }
    vi.advanceTimersByTime(60_001);
    expect(await part(exportId)).toMatchObject({ ok: false, error: { summary: 'the export ended before it was finished' } });
  });
});
