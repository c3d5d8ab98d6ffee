/** The bundled demo store (resources/demo.db): a few realistic runs, a budget stop, forks of forks. */
import { openDatabase } from '../store/sqlite/sqlite-native.js';
import fs from 'node:fs';
import { scanEvents, type StoredEvent } from '../store/event-store.js';
import type { StoreWriter } from '../store/store-writer.js';
import { forkRun } from '../usecases/fork.js';
import { openDestination } from '../store/open-store.js';
import { countersFromLog, SyntheticRun } from './synthetic-run.js';

export async function makeDemoStore(file: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const writer = await openDestination(`sqlite:///${file}`);
  try {
    const runs: { id: string; goal: string; seed: number; cycles: number; exhausted?: boolean; start: string }[] = [
      { id: '01KDEMOMAIN0000000000000001', goal: 'Assess vendor Acme', seed: 7, cycles: 3, start: '2026-09-01T09:00:00Z' },
      { id: '01KDEMOBUDGET00000000000002', goal: 'Assess vendor Globex', seed: 11, cycles: 1, exhausted: true, start: '2026-09-02T09:00:00Z' },
    ];
    for (const r of runs) {
      const gen = new SyntheticRun(r.id, { seed: r.seed, startTime: r.start });
      await writer.begin();
      await writer.insertRun({ run_id: r.id, parent_run_id: null, forked_at_event_id: null, label: null, created_at: r.start, goal: r.goal, frame_id: 'frame_001' });
      await writer.commit();
      for (let i = 0; i < r.cycles; i++) await gen.writeCycle(writer, i === 0 ? r.goal : undefined);
      if (r.exhausted) {
        const last = (await writer.reader.eventsBefore(r.id, Number.MAX_SAFE_INTEGER, 1))[0]!;
        await writer.begin();
        await writer.insertEvents(r.id, [
          {
            id: last.id.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(3, '0')),
            type: 'runtime.budget_exhausted',
            actor: 'runtime',
            payload: '{"exhausted_by": "max_events", "snapshot": {"used": {"max_events": 80.0}, "limits": {"max_events": 80}, "cost_used_usd": "0.0312", "cost_limit_usd": null}}',
            frame_id: 'frame_001',
            caused_by: null,
            timestamp: gen.createdAt,
          },
        ]);
        await writer.commit();
      }
    }
    // Forks: an alternative verifier from the first claim, and a fork of that fork at its new goal.
    const main = runs[0]!.id;
    const firstClaim = await findEvent(writer, main, (e) => e.type === 'object.created' && e.payload.includes('"type": "claim"'));
    const forkA = await forkRun(writer.reader, writer, main, firstClaim, { label: 'alt-verifier', newRunId: '01KDEMOFORKA00000000000003', createdAt: '2026-09-03T09:00:00Z' });
    await continueRun(writer, forkA.new_run_id, 21, 1, 'Re-check Acme with a stricter verifier');
    const newGoal = await findEvent(writer, forkA.new_run_id, (e) => e.type === 'goal.created' && e.payload.includes('stricter'));
    const forkB = await forkRun(writer.reader, writer, forkA.new_run_id, newGoal, { label: 'new-goal', newRunId: '01KDEMOFORKB00000000000004', createdAt: '2026-09-04T09:00:00Z' });
    await continueRun(writer, forkB.new_run_id, 34, 1, 'Compare Acme with Initech');
  } finally {
    await writer.close();
  }
  // A bundled, read-only resource must open without -wal/-shm side files.
  const db = openDatabase(file);
  db.pragma('journal_mode = DELETE');
  db.close();
}

async function findEvent(writer: StoreWriter, runId: string, test: (e: StoredEvent) => boolean): Promise<string> {
  for await (const chunk of scanEvents(writer.reader, runId)) for (const e of chunk) if (test(e)) return e.id;
  throw new Error(`no matching event in ${runId}`);
}

async function continueRun(writer: StoreWriter, runId: string, seed: number, cycles: number, goal: string): Promise<void> {
  const log = [];
  for await (const chunk of scanEvents(writer.reader, runId)) log.push(...chunk);
  const last = log[log.length - 1]!;
  const gen = new SyntheticRun(runId, { seed, counters: countersFromLog(log), startTime: last.timestamp, failureRate: 0.15 });
  for (let i = 0; i < cycles; i++) await gen.writeCycle(writer, i === 0 ? goal : undefined);
}
