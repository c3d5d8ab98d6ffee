/**
 * The renderer's only way to the main process: Electron's preload bridge when present, else the
 * browser-mode HTTP/SSE client. Both expose the same typed InspectorApi, so no feature differs.
 */
import { operationNames, type InspectorApi, type OpInput, type OpOutput, type OpResult, type OperationName, type PushChannel } from '../../../shared/contract';

declare global {
  interface Window {
    inspector?: InspectorApi;
    inspectorShell?: { pathForFile(file: File): string };
  }
}

function browserTransport(): InspectorApi {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? sessionStorage.getItem('ri_token') ?? '';
  if (params.has('token')) {
    sessionStorage.setItem('ri_token', token);
    history.replaceState(null, '', location.pathname); // keep the token out of the address bar
  }
  const api: Record<string, unknown> = {};
  for (const op of operationNames) {
    api[op] = async (input: unknown) => {
      const res = await fetch(`/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-inspector-token': token }, body: JSON.stringify(input) });
      if (!res.ok) return { ok: false, error: { className: 'TransportError', summary: `${res.status} ${await res.text()}`, context: {}, exitCode: 1 } };
      return res.json();
    };
  }
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;
  api.subscribe = (channel: PushChannel, listener: (payload: unknown) => void) => {
    if (!source) source = new EventSource('/api/events');
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      const s = set;
      source.addEventListener(channel, (ev) => s.forEach((l) => l(JSON.parse((ev as MessageEvent).data))));
    }
    set.add(listener);
    return () => set!.delete(listener);
  };
  return api as InspectorApi;
}

export const api: InspectorApi = window.inspector ?? browserTransport();
export const isElectron = window.inspector !== undefined;

export type ApiError = Extract<OpResult<OperationName>, { ok: false }>['error'];

/** Thrown by `call` so components can show the engine's structured error. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.summary);
  }
}

export async function call<K extends OperationName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
  const fn = api[op] as (i: OpInput<K>) => Promise<OpResult<K>>;
  const result = await fn(input);
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}
