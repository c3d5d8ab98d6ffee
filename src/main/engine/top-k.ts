/** The `k` first of what is offered, in `before` order, without sorting everything (a bounded max-heap). */
export class TopK<T> {
  private readonly heap: T[] = [];

  constructor(
    private readonly k: number,
    private readonly before: (a: T, b: T) => number,
  ) {}

  get full(): boolean {
    return this.heap.length >= this.k;
  }

  /** The last of the k kept so far (the heap's root). */
  get worst(): T | undefined {
    return this.heap[0];
  }

  offer(x: T): void {
    const heap = this.heap;
    const worse = (i: number, j: number) => this.before(heap[i]!, heap[j]!) > 0;
    const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
    if (heap.length < this.k) {
      heap.push(x);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      return;
    }
    if (this.k === 0 || this.before(x, heap[0]!) >= 0) return;
    heap[0] = x;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(l, m)) m = l;
      if (r < heap.length && worse(r, m)) m = r;
      if (m === i) break;
      swap(i, m);
      i = m;
    }
  }

  sorted(): T[] {
    return [...this.heap].sort(this.before);
  }
}
