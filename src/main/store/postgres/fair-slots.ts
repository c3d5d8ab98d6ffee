/**
 * At most `slots` tasks at once; waiting tasks are served round-robin by key (a run), so a small
 * run's read waits behind one read of each other run, never behind all of a big run's.
 */
export class FairSlots {
  private running = 0;
  /** Waiting tasks by key, in the order their keys are served (a served key moves to the back). */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly slots: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.running < this.slots) this.running++;
    else
      await new Promise<void>((start) => {
        const queue = this.waiting.get(key);
        if (queue) queue.push(start);
        else this.waiting.set(key, [start]);
      });
    try {
      return await task();
    } finally {
      this.handOver();
    }
  }

  /** The slot a task leaves goes to the next key's oldest task, or is freed. */
  private handOver(): void {
    const next = this.waiting.entries().next();
    if (next.done) {
      this.running--;
      return;
    }
    const [key, queue] = next.value;
    const start = queue.shift()!;
    this.waiting.delete(key);
    if (queue.length) this.waiting.set(key, queue);
    start();
  }
}
