/**
 * The timeline's rows, by block, over the real service on a real fixture: only the newest ask of a
 * block lands, what was asked for a view the user left is cancelled and can neither overwrite nor
 * erase what is asked for the view shown now, and a failed block is asked again.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const { file } = copyFixture('demo');
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
const asked: { op: string; input: unknown; signal?: AbortSignal }[] = [];
/** Calls wait here while the test holds the gate. */
let gate: Promise<void> | null = null;

vi.mock('../../src/renderer/src/api/transport', async () =>
  (await import('../support/renderer-transport.js')).transportOver(service, {
    onCall: (op, input, signal) => {
      asked.push({ op, input, signal });
      return gate ?? undefined;
    },
  }),
);

const { useApp } = await import('../../src/renderer/src/state/app-store.js');
const { TimelineBlocks } = await import('../../src/renderer/src/features/timeline/timeline-rows.js');
const demo = manifest('demo');

describe('timeline rows', () => {
  let storeId: string;
  beforeAll(async () => {
    await useApp.getState().openInitialStore();
    storeId = useApp.getState().storeId!;
  });
  const view = (filter = {}) => ({ storeId, runId: demo.runs.main, filter, archived: false });
  const blocksTold = () => {
    const failures: unknown[] = [];
    return {
      blocks: new TimelineBlocks(
        () => {},
        (err) => failures.push(err),
      ),
      failures,
    };
  };

  it('a view left while its first block is on the way: the block of the view shown now still lands', async () => {
    const { blocks, failures } = blocksTold();
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    blocks.show(view());
    const left = asked.at(-1)!;
    blocks.show(view({ types: ['behavior.'] }));
    gate = null;
    open();
    await vi.waitFor(() => expect(blocks.total).not.toBeNull());
    const first = blocks.rows(0, 5);
    expect(first).toHaveLength(5);
    for (const row of first) expect(row?.type).toMatch(/^behavior\./);
    expect(left.signal!.aborted).toBe(true);
    expect(failures).toEqual([]);
  });

  it('an older ask of a block never overwrites a newer one', async () => {
    const { blocks } = blocksTold();
    blocks.show(view());
    await vi.waitFor(() => expect(blocks.total).not.toBeNull());
    const total = blocks.total!;
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    blocks.grew(); // held
    gate = null;
    blocks.grew();
    await vi.waitFor(() => expect(asked.at(-1)!.signal).toBeDefined());
    open();
    await vi.waitFor(() => expect(blocks.rows(total - 1, 1)[0]).toBeDefined());
    expect(blocks.total).toBe(total);
  });

  it('a block that failed is asked again when it is shown', async () => {
    const { blocks, failures } = blocksTold();
    blocks.show({ storeId: 'no-such-store', runId: demo.runs.main, filter: {}, archived: false });
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    const before = asked.length;
    blocks.rows(0, 1);
    await vi.waitFor(() => expect(failures).toHaveLength(2));
    expect(asked.length).toBe(before + 1);
  });
});
