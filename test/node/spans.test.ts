/** Spans and cost roll-ups from the log, checked against what Active Graph itself recorded. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { scanEvents, type StoredEvent } from '../../src/main/store/event-store.js';
import { SpanIndex } from '../../src/main/engine/spans.js';
import { copyFixture, STORES } from '../support/fixtures.js';

type Snapshot = { used: Record<string, number>; cost_used_usd: string };
function snapshotOf(e: StoredEvent): Snapshot | undefined {
  if (e.type !== 'runtime.idle' && e.type !== 'runtime.budget_exhausted') return undefined;
  try {
    return JSON.parse(e.payload).snapshot;
  } catch {
    return undefined; // a corrupted payload holds no snapshot
  }
}

describe('cost roll-ups', () => {
  // Every runtime.idle / runtime.budget_exhausted carries Active Graph's budget snapshot: what the
  // runtime counted up to that event. The roll-up of the events before it must say the same.
  for (const name of STORES.filter((s) => s !== 'schema_mismatch')) {
    it(`${name}: behavior calls, LLM calls, tool calls and cost agree with every budget snapshot`, async () => {
      const store = await openStore(`sqlite:///${copyFixture(name).file}`);
      let exact = 0;
      try {
        for (const run of await store.listRuns()) {
          const index = new SpanIndex(run.forked_at_event_id);
          // A fork's events up to its fork point are its parent's history, snapshots included.
          let own = run.forked_at_event_id === null;
          for await (const chunk of scanEvents(store, run.run_id)) {
            for (const e of chunk) {
              const snap = own ? snapshotOf(e) : undefined;
              if (snap) {
                const { run: got, unreadableEvents } = index.costs();
                const at = `${run.run_id} ${e.id}`;
                if (unreadableEvents > 0) {
                  // A payload that cannot be read hides its cost: less, never more, and said so.
                  expect(Number(got.costUsd), at).toBeLessThanOrEqual(Number(snap.cost_used_usd));
                } else {
                  expect(got.invocations, at).toBe(snap.used.max_behavior_calls);
                  expect(got.llmCalls, at).toBe(snap.used.max_llm_calls);
                  expect(got.toolCalls, at).toBe(snap.used.max_tool_calls);
                  expect(got.costUsd, at).toBe(snap.cost_used_usd);
                  exact++;
                }
              }
              index.add(e);
              if (e.id === run.forked_at_event_id) own = true;
            }
          }
        }
      } finally {
        await store.close();
      }
      expect(exact).toBeGreaterThan(0);
    });
  }
});

describe('spans', () => {
  it('pair every start with its end, nest requests inside the execution that made them, leave the unfinished open', async () => {
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    try {
      for (const run of await store.listRuns()) {
        const index = new SpanIndex(run.forked_at_event_id);
        const events = new Map<string, StoredEvent>();
        for await (const chunk of scanEvents(store, run.run_id))
          for (const e of chunk) {
            events.set(e.id, e);
            index.add(e);
          }
        const ends = [...events.values()].filter((e) => /^(behavior\.(completed|failed)|(llm|tool|embedding)\.responded)$/.test(e.type));
        const starts = [...events.values()].filter((e) => /^((relation_)?behavior\.started|(llm|tool|embedding)\.requested)$/.test(e.type));
        expect(index.spans.map((s) => s.id).sort(), run.run_id).toEqual(starts.map((e) => e.id).sort());
        // Each end closes exactly one span, of the same behavior and trigger (or the request it answers).
        expect(index.spans.filter((s) => s.endId).length, run.run_id).toBe(ends.length);
        for (const s of index.spans) {
          const start = JSON.parse(events.get(s.id)!.payload);
          if (s.status === 'open') continue;
          const end = events.get(s.endId!)!;
          if (s.kind === 'behavior') {
            expect([JSON.parse(end.payload).behavior, JSON.parse(end.payload).event_id]).toEqual([start.behavior, start.event_id]);
            expect(s.status).toBe(end.type === 'behavior.failed' ? 'failed' : 'ok');
          } else expect(end.caused_by).toBe(s.id);
          expect(end.seq).toBeGreaterThan(s.seq);
          expect(s.end! - s.start!).toBeGreaterThanOrEqual(0);
          if (s.kind !== 'behavior') {
            const parent = index.spans[s.parent]!;
            // Embedding requests name their behavior as the actor only.
            expect([parent.kind, parent.name]).toEqual(['behavior', start.behavior ?? events.get(s.id)!.actor]);
            expect(s.seq).toBeGreaterThan(parent.seq);
            expect(s.depth).toBe(1);
          }
        }
        // A run that ends inside an execution leaves it open: exactly the starts without an end.
        expect(index.spans.filter((s) => s.status === 'open').length).toBe(starts.length - ends.length);
      }
    } finally {
      await store.close();
    }
  });
});
