/** A store with one run written by the project's generator (removals and patches included), for tests that need size. */
import path from 'node:path';
import { openDestination } from '../../src/main/store/open-store.js';
import { SyntheticRun } from '../../src/main/synthetic/synthetic-run.js';
import { tempDir } from './fixtures.js';

export async function syntheticStore(runId: string, events: number, seed: number): Promise<string> {
  const file = path.join(tempDir(), 'synthetic.db');
  const writer = await openDestination(`sqlite:///${file}`);
  await writer.begin();
  await writer.insertRun({ run_id: runId, parent_run_id: null, forked_at_event_id: null, label: null, created_at: '2026-10-01T00:00:00Z', goal: 'synthetic', frame_id: null });
  await writer.commit();
  await new SyntheticRun(runId, { seed }).write(writer, events, 20_000);
  await writer.close();
  return file;
}
