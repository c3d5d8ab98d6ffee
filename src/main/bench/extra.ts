/** Benchmarks contributed by other parts of the app (browser UI, migration) hook in here. */
export interface BenchContext {
  file: string;
  record(name: string, value: string): void;
  time<T>(fn: () => Promise<T> | T): Promise<[T, number]>;
  ms(t: number): string;
}

export async function runExtraBenchmarks(_ctx: BenchContext): Promise<void> {}
