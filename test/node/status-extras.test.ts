/**
 * The status roll-up (frames seen, failures) reads a big run in narrow chunks: it tells how far it
 * got, stops when asked between chunks, and a later read goes on without counting a row twice.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { RunStatusExtrasTracker } from '../../src/main/engine/status.js';
import { BIG_TEAM_RUN, buildTeamStore } from '../../src/main/synthetic/team-store.js';
import { tempDir } from '../support/fixtures.js';

const file = path.join(tempDir(), 'team.db');
await buildTeamStore({ bigRunEvents: 120_000, runs: 10, runEvents: 100, concurrent: 4, forkShare: 0, seed: 4 }, null, file);

/** The store's own answer. */
function truth(): { failures: number; frames: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const failures = (db.prepare(`SELECT count(*) AS n FROM events WHERE run_id = ? AND type = 'behavior.failed'`).get(BIG_TEAM_RUN) as { n: number }).n;
    const frames = db.prepare(`SELECT frame_id FROM events WHERE run_id = ? AND frame_id IS NOT NULL GROUP BY frame_id ORDER BY min(seq)`).pluck().all(BIG_TEAM_RUN) as string[];
    return { failures, frames };
  } finally {
    db.close();
  }
}

describe('status roll-up', () => {
  it('reads in chunks, says how far it got, and equals the store’s own count', async () => {
    const store = await openStore(`sqlite:///${file}`);
    try {
      const progress: number[] = [];
      const extras = await new RunStatusExtrasTracker(store, BIG_TEAM_RUN).current(undefined, (n) => progress.push(n));
      expect(progress).toEqual([50_000, 100_000]);
      const t = truth();
      expect(extras.failures).toBe(t.failures);
      expect(t.failures).toBeGreaterThan(0);
      expect(extras.frames_seen).toEqual(t.frames);
    } finally {
      await store.close();
    }
  });

  it('stops between chunks when asked, and the next read goes on from there', async () => {
    const store = await openStore(`sqlite:///${file}`);
    try {
      const tracker = new RunStatusExtrasTracker(store, BIG_TEAM_RUN);
      const stop = new AbortController();
      const progress: number[] = [];
      await expect(
        tracker.current(stop.signal, (n) => {
          progress.push(n);
          stop.abort();
        }),
      ).rejects.toThrow();
      expect(progress).toEqual([50_000]);
      const extras = await tracker.current();
      expect(extras.failures).toBe(truth().failures);
      expect(extras.frames_seen).toEqual(truth().frames);
    } finally {
      await store.close();
    }
  });
});
