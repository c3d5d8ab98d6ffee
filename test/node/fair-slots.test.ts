/** Whole-run reads wait their turn run by run: a small run's read is not queued behind all of a big run's. */
import { describe, expect, it } from 'vitest';
import { FairSlots } from '../../src/main/store/postgres/fair-slots.js';

/** A task that runs until the test releases it, recording when it started. */
function gate(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { task: () => (started.push(name), done), release: () => release() };
}

describe('FairSlots', () => {
  it('runs at most `slots` tasks at once and serves waiting runs in turn', async () => {
    const slots = new FairSlots(2);
    const started: string[] = [];
    const tasks = [
      ['big', 'big-1'],
      ['big', 'big-2'],
      ['big', 'big-3'],
      ['big', 'big-4'],
      ['big', 'big-5'],
      ['small', 'small-1'],
      ['other', 'other-1'],
    ].map(([key, name]) => ({ key: key!, ...gate(started, name!) }));
    const runs = tasks.map((t) => slots.run(t.key, t.task));
    await Promise.resolve();
    expect(started).toEqual(['big-1', 'big-2']);
    for (const t of tasks) {
      t.release();
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all(runs);
    // After the two that had slots: big, small, other in turn, then the rest of big.
    expect(started).toEqual(['big-1', 'big-2', 'big-3', 'small-1', 'other-1', 'big-4', 'big-5']);
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new FairSlots(1);
    await expect(slots.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run('b', async () => 'ran')).toBe('ran');
  });
});
