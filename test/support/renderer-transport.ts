/**
 * The renderer's transport for tests of its store: every call goes to the real service over the
 * contract (dispatch), a dropped call fails as CancelledError the way the real transport's does,
 * and pushes come from where the test says.
 */
import type { OperationName } from '../../src/shared/contract.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import type { InspectorService } from '../../src/main/service/inspector-service.js';

export interface TransportHooks {
  /** Where pushes come from (none by default). */
  subscribe?: (channel: string, listener: (payload: unknown) => void) => () => void;
  /** Told of each call before it runs; the answer waits for what it returns. */
  onCall?: (op: OperationName, input: unknown, signal?: AbortSignal) => Promise<void> | void;
}

export function transportOver(service: InspectorService, hooks: TransportHooks = {}) {
  class ApiFailure extends Error {
    constructor(readonly error: { className: string; summary: string; context?: unknown; exitCode?: number }) {
      super(error.summary);
    }
  }
  return {
    api: { subscribe: hooks.subscribe ?? (() => () => {}) },
    isElectron: false,
    ApiFailure,
    toApiError: (err: unknown) => (err instanceof ApiFailure ? err.error : { className: 'Error', summary: String(err), context: {}, exitCode: 1 }),
    call: async (op: OperationName, input: unknown, signal?: AbortSignal) => {
      const held = hooks.onCall?.(op, input, signal);
      const res = await dispatch(service, op, input);
      await held;
      if (signal?.aborted) throw new ApiFailure({ className: 'CancelledError', summary: 'the request was cancelled' });
      if (!res.ok) throw new ApiFailure(res.error);
      return res.value;
    },
  };
}
