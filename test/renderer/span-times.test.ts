/**
 * Durations are asked one request at a time, for the rows in view: scrolling through a big run
 * while its span index is being read leaves one request out (the browser's few connections stay
 * free for a jump), and the next one asks what is in view then, not what was scrolled past.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { BIG_TEAM_RUN, buildTeamStore } from '../../src/main/synthetic/team-store.js';
import { tempDir } from '../support/fixtures.js';

const file = path.join(tempDir(), 'team.db');
await buildTeamStore({ bigRunEvents: 3_000, runs: 20, runEvents: 50, concurrent: 5, forkShare: 0, seed: 9 }, null, file);
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
const spanAsks: { eventIds: string[]; done: boolean }[] = [];
let gate: Promise<void> | null = null;

vi.mock('../../src/renderer/src/api/transport', async () =>
  (await import('../support/renderer-transport.js')).transportOver(service, {
    onCall: async (op, input) => {
      if (op !== 'spanTimes') return;
      const ask = { eventIds: (input as { eventIds: string[] }).eventIds, done: false };
      spanAsks.push(ask);
      await gate;
      ask.done = true;
    },
  }),
);

const { useApp } = await import('../../src/renderer/src/state/app-store.js');
const { TimelineBlocks } = await import('../../src/renderer/src/features/timeline/timeline-rows.js');

describe('durations in the timeline', () => {
  let storeId: string;
  beforeAll(async () => {
    await useApp.getState().openInitialStore();
    storeId = useApp.getState().storeId!;
  });

  it('are asked one request at a time, for the rows in view', async () => {
    const blocks = new TimelineBlocks(
      () => {},
      () => {},
    );
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    blocks.show({ storeId, runId: BIG_TEAM_RUN, filter: {}, archived: false });
    await vi.waitFor(() => expect(blocks.total).toBeGreaterThan(2_000));
    const loaded = async (first: number) => {
      await vi.waitFor(() => expect(blocks.rows(first, 30).every(Boolean)).toBe(true));
    };
    // Scroll through the run while the first durations wait on the span index.
    for (const first of [0, 500, 1_000, 2_000]) await loaded(first);
    expect(spanAsks).toHaveLength(1);
    const passed = [500, 1_000].flatMap((first) => blocks.rows(first, 100).map((r) => r!.id));
    const inView = blocks.rows(2_000, 100).map((r) => r!.id); // the block in view: rows 2,000-2,099
    gate = null;
    open();
    // The next ask is for the rows in view now; none for the blocks scrolled past.
    await vi.waitFor(() => expect(spanAsks.length).toBeGreaterThanOrEqual(2));
    expect(spanAsks[1]!.eventIds.every((id) => inView.includes(id))).toBe(true);
    expect(spanAsks.flatMap((a) => a.eventIds).some((id) => passed.includes(id))).toBe(false);
    // And what arrives is the span index's own answer.
    const rows = blocks.rows(2_000, 100);
    await vi.waitFor(() => expect(rows.some((r) => blocks.spanOf(r!.id))).toBe(true));
    const truth = await dispatch(service, 'spanTimes', { storeId, runId: BIG_TEAM_RUN, eventIds: rows.map((r) => r!.id) });
    if (!truth.ok) throw new Error(truth.error.summary);
    for (const t of truth.value as { eventId: string }[]) expect(blocks.spanOf(t.eventId)).toEqual(t);
  });
});
