/** Runs the alignment in a worker, so a long compare never freezes the window; one worker per call, ended when done or dropped. */
import type { Alignable, AlignedPair } from './align';

export function alignOffThread<T extends Alignable>(a: T[], b: T[], signal: AbortSignal): Promise<AlignedPair<T>[]> {
  return new Promise((resolve, reject) => {
    // A call dropped before it started must not start: its result would overwrite a newer one.
    if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const worker = new Worker(new URL('./align-worker.ts', import.meta.url), { type: 'module' });
    const done = () => worker.terminate();
    signal.addEventListener('abort', () => (done(), reject(new DOMException('aborted', 'AbortError'))), { once: true });
    worker.onmessage = (e: MessageEvent<AlignedPair<T>[]>) => (done(), resolve(e.data));
    worker.onerror = (e) => (done(), reject(new Error(e.message)));
    worker.postMessage({ a, b });
  });
}
