/**
 * The renderer's only way to the main process: Electron's preload bridge when present, else the
 * browser-mode HTTP/SSE client. Both expose the same typed InspectorApi, so no feature differs.
 */
import { cancelledError, isCancelled, type SerializedError } from '../../../shared/errors';
import { operationNames, type InspectorApi, type OpInput, type OpOutput, type OpResult, type OperationName, type PushChannel } from '../../../shared/contract';

declare global {
  interface Window {
    inspector?: InspectorApi;
    inspectorShell?: { pathForFile(file: File): string };
  }
}

/**
 * Browser mode's token: taken from `?token=` on first load, then kept in localStorage (per origin,
 * port included, so a new tab of this server finds it and no other local server can), and sent as a
 * header. Never a cookie: browsers send 127.0.0.1's cookies to every port.
 */
function browserToken(): string {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    localStorage.setItem('ri_token', fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + (rest ? `?${rest}` : '') + location.hash); // out of the address bar
    return fromUrl;
  }
  return localStorage.getItem('ri_token') ?? '';
}

/** Server-sent events read with fetch, so the token travels as a header; reconnects with backoff. */
function eventStream(token: string, onEvent: (channel: string, data: string) => void): void {
  let delay = 500;
  const connect = async (): Promise<void> => {
    try {
      const res = await fetch('/api/events', { headers: { 'x-inspector-token': token } });
      if (!res.ok || !res.body) throw new Error(String(res.status));
      delay = 500;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) onEvent(event, data);
        }
      }
    } catch {
      /* the server is gone or refused us: retry below */
    }
    setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 15_000);
  };
  void connect();
}

/** Browser mode's link to its server: answering, gone (retrying), restarted with another token, or never given one (a link opened in a new browser). */
export type Connection = 'ok' | 'lost' | 'stale-token' | 'no-token';
const connectionListeners = new Set<(c: Connection) => void>();
let connection: Connection = 'ok';
const setConnection = (c: Connection): void => {
  if (c === connection) return;
  connection = c;
  connectionListeners.forEach((l) => l(c));
};
export function onConnection(listener: (c: Connection) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

/**
 * One probe with backoff while the server is gone, and every call waits for it instead of failing
 * on its own: a lost server sees one request every few seconds, never a storm.
 */
let reconnected: Promise<void> | null = null;
function waitForServer(token: string): Promise<void> {
  if (reconnected) return reconnected;
  setConnection('lost');
  reconnected = new Promise<void>((resolve) => {
    let delay = 500;
    const probe = async (): Promise<void> => {
      try {
        const res = await fetch('/api/listStores', { method: 'POST', headers: { 'content-type': 'application/json', 'x-inspector-token': token }, body: '{}' });
        if (res.status === 401) return setConnection('stale-token'); // a new server: only its own URL opens it
        if (res.ok) {
          reconnected = null;
          setConnection('ok');
          return resolve();
        }
      } catch {
        /* still gone */
      }
      delay = Math.min(delay * 2, 15_000);
      setTimeout(() => void probe(), delay);
    };
    setTimeout(() => void probe(), delay);
  });
  return reconnected;
}

function browserTransport(): InspectorApi {
  const token = browserToken();
  const api: Record<string, unknown> = {};
  // Aborting the fetch closes its connection; the server cancels the call in the data host.
  const inFlight = new Map<number, AbortController>();
  for (const op of operationNames) {
    api[op] = async (input: unknown, requestId?: number) => {
      if (reconnected) await reconnected;
      const controller = new AbortController();
      if (requestId !== undefined) inFlight.set(requestId, controller);
      try {
        const res = await fetch(`/api/${op}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-inspector-token': token },
          body: JSON.stringify(input),
          signal: controller.signal,
        });
        if (res.status === 401) {
          setConnection(token ? 'stale-token' : 'no-token');
          const summary = token
            ? 'the server does not know this page’s token (it restarted): open the URL it printed'
            : 'this browser has no token for the server yet: open the URL run-inspector serve printed once, then links work here';
          return { ok: false, error: { className: 'TransportError', summary, context: {}, exitCode: 1 } };
        }
        if (!res.ok) return { ok: false, error: { className: 'TransportError', summary: `${res.status} ${await res.text()}`, context: {}, exitCode: 1 } };
        return await res.json();
      } catch (err) {
        if (controller.signal.aborted) return { ok: false, error: cancelledError() };
        void waitForServer(token);
        return { ok: false, error: { className: 'ConnectionLost', summary: `connection to the server lost (${(err as Error).message}); retrying`, context: {}, exitCode: 1 } };
      } finally {
        if (requestId !== undefined) inFlight.delete(requestId);
      }
    };
  }
  api.cancel = (requestId: number) => inFlight.get(requestId)?.abort();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let connected = false;
  api.subscribe = (channel: PushChannel, listener: (payload: unknown) => void) => {
    if (!connected) {
      connected = true;
      eventStream(token, (event, data) => listeners.get(event)?.forEach((l) => l(JSON.parse(data))));
    }
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };
  return api as InspectorApi;
}

export const api: InspectorApi = window.inspector ?? browserTransport();
export const isElectron = window.inspector !== undefined;

/** What a store's companion files end with: dropped with it, they are kept beside it, never opened alone. */
const COMPANION = /-(wal|shm|journal)$/;

/**
 * The store a drop of files names: in Electron, the dropped file where it is; in browser mode, whose
 * page gets a file's bytes but not its path, a copy the server keeps (with its -wal, when both are
 * dropped together, so no committed row is left behind).
 */
export async function droppedStore(files: File[]): Promise<{ url: string; copyOf: string | null; keptAt: string | null }> {
  const main = files.find((f) => !COMPANION.test(f.name));
  if (!main) throw new Error(`${files.map((f) => f.name).join(', ')}: only a store's companion files were dropped; drop the store file itself (with them, if it has any)`);
  if (window.inspectorShell) return { url: `sqlite:///${window.inspectorShell.pathForFile(main)}`, copyOf: null, keptAt: null };
  const batch = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => (b % 36).toString(36)).join('');
  let keptAt = '';
  // The companions first: the store file is opened only once all of it is there.
  for (const f of [...files.filter((f) => f !== main), main]) {
    const res = await fetch(`/api/drop?name=${encodeURIComponent(f.name)}&batch=${batch}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-inspector-token': browserToken() },
      body: f,
    });
    if (!res.ok) throw new Error(`${f.name} could not be copied to the server (${res.status} ${(await res.text()).trim()})`);
    keptAt = ((await res.json()) as { value: { path: string } }).value.path;
  }
  return { url: `sqlite:///${keptAt}`, copyOf: main.name, keptAt };
}

export type ApiError = SerializedError;

/** Any failure as the structured error the views show (an engine error as it came, anything else wrapped). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.error;
  return { className: 'Error', summary: (err as Error)?.message ?? String(err), context: {}, exitCode: 1 };
}

/** Thrown by `call` so components can show the engine's structured error. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.summary);
  }
}

let nextRequestId = 1;

/**
 * Calls an operation. With a signal, aborting it cancels the call in the data host and the call
 * rejects with a CancelledError (which `unlessCancelled` lets callers ignore): an answer to a
 * request the view has moved on from never reaches it.
 */
export async function call<K extends OperationName>(op: K, input: OpInput<K>, signal?: AbortSignal): Promise<OpOutput<K>> {
  const fn = api[op] as (i: OpInput<K>, requestId?: number) => Promise<OpResult<K>>;
  let result: OpResult<K>;
  if (signal) {
    if (signal.aborted) throw new ApiFailure(cancelledError());
    const requestId = nextRequestId++;
    const cancel = () => api.cancel(requestId);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      result = await fn(input, requestId);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
    if (signal.aborted) throw new ApiFailure(cancelledError());
  } else result = await fn(input);
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}

/** Wraps an error handler so that cancelled calls (the view moved on) are not errors. */
export const unlessCancelled =
  (handler: (err: unknown) => void) =>
  (err: unknown): void => {
    if (!(err instanceof ApiFailure && isCancelled(err.error))) handler(err);
  };
