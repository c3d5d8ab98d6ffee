/** The benchmark's stores, generated deterministically with the engine's own writer and cached. */
import fs from 'node:fs';
import path from 'node:path';
import { forkRun } from '../usecases/fork.js';
import { openDestination } from '../store/open-store.js';
import { scanEvents } from '../store/event-store.js';
import { countersFromLog, SyntheticRun } from '../synthetic/synthetic-run.js';

export const BIG_RUN = '01KBENCHMILLION0000000000001';
export const DIFF_A = '01KBENCHDIFFA00000000000002';
export const DIFF_B = '01KBENCHDIFFB00000000000003';
const VERSION = 'bench-store-v2'; // v2: operators remove objects (cascades) and relations, as real runs do

async function addRun(writer: Awaited<ReturnType<typeof openDestination>>, runId: string, events: number, seed: number, log: (s: string) => void): Promise<void> {
  await writer.begin();
  await writer.insertRun({
    run_id: runId,
    parent_run_id: null,
    forked_at_event_id: null,
    label: null,
    created_at: '2026-10-01T00:00:00Z',
    goal: 'benchmark',
    frame_id: 'frame_001',
  });
  await writer.commit();
  const gen = new SyntheticRun(runId, { seed, startTime: '2026-10-01T00:00:00Z' });
  await gen.write(writer, events, 50_000, (n) => log(`  ${runId}: ${n} events`));
}

/** A store with one 1,000,000-event run and two 100k runs that share their first 50k events. */
export async function ensureBenchStore(dir: string, log: (s: string) => void = () => {}): Promise<string> {
  const file = path.join(dir, 'bench.db');
  const marker = path.join(dir, 'bench.version');
  if (fs.existsSync(file) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === VERSION) return file;
  fs.mkdirSync(dir, { recursive: true });
  for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  const writer = await openDestination(`sqlite:///${file}`);
  try {
    await addRun(writer, BIG_RUN, 1_000_000, 1, log);
    await addRun(writer, DIFF_A, 100_000, 2, log);
    const cut = await nthEvent(writer.reader, DIFF_A, 50_000);
    await forkRun(writer.reader, writer, DIFF_A, cut, { newRunId: DIFF_B, label: 'bench-fork', createdAt: '2026-10-02T00:00:00Z' });
    const prefix = [];
    for await (const chunk of scanEvents(writer.reader, DIFF_B)) prefix.push(...chunk);
    const gen = new SyntheticRun(DIFF_B, { seed: 3, counters: countersFromLog(prefix), startTime: prefix[prefix.length - 1]!.timestamp });
    await gen.write(writer, 50_000, 50_000);
  } finally {
    await writer.close();
  }
  fs.writeFileSync(marker, VERSION);
  return file;
}

async function nthEvent(store: Awaited<ReturnType<typeof openDestination>>['reader'], runId: string, n: number): Promise<string> {
  let seen = 0;
  for await (const chunk of scanEvents(store, runId)) {
    if (seen + chunk.length >= n) return chunk[n - seen - 1]!.id;
    seen += chunk.length;
  }
  throw new Error(`run ${runId} has fewer than ${n} events`);
}
