/**
 * The calling end of a wire to the data host: calls by id, a cancel when the caller's signal aborts
 * (the answer is then "cancelled" at once, and the host stops the work), results and pushes as they
 * arrive. One implementation for every caller: the front (Electron's main process, browser mode's
 * server) and an Electron window's preload, so the path CI cannot run is the one browser mode tests.
 */
import type { OpResult, OperationName, PushChannel } from './contract.js';
import { cancelledError, type SerializedError } from './errors.js';

export type CallMessage = { kind: 'call'; id: number; op: string; input: unknown } | { kind: 'cancel'; id: number };
export type AnswerMessage = { kind: 'result'; id: number; result: OpResult<OperationName> } | { kind: 'push'; channel: PushChannel; payload: unknown };

type Result = OpResult<OperationName>;

export const cancelledResult = (): Result => ({ ok: false, error: cancelledError() });

export class HostWire {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result) => void>();

  constructor(
    private readonly post: (m: CallMessage) => void,
    private readonly onPush: (channel: PushChannel, payload: unknown) => void,
  ) {}

  call(op: OperationName, input: unknown, signal?: AbortSignal): Promise<Result> {
    if (signal?.aborted) return Promise.resolve(cancelledResult());
    const id = this.nextId++;
    return new Promise((resolve) => {
      const cancel = (): void => {
        if (!this.pending.delete(id)) return;
        this.post({ kind: 'cancel', id });
        resolve(cancelledResult());
      };
      this.pending.set(id, (r) => (signal?.removeEventListener('abort', cancel), resolve(r)));
      signal?.addEventListener('abort', cancel, { once: true });
      this.post({ kind: 'call', id, op, input });
    });
  }

  /** Takes a message from the host; false when it is not an answer (the caller's own kinds). */
  receive(m: { kind: string }): boolean {
    if (m.kind === 'push') {
      const push = m as Extract<AnswerMessage, { kind: 'push' }>;
      this.onPush(push.channel, push.payload);
      return true;
    }
    if (m.kind !== 'result') return false;
    const { id, result } = m as Extract<AnswerMessage, { kind: 'result' }>;
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(result);
    return true;
  }

  /** The host is gone: every call in flight fails with `error` (it will never be answered). */
  failAll(error: SerializedError): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, error });
    this.pending.clear();
  }
}
