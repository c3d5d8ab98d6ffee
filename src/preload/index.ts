/**
 * The preload bridge: one typed function per contract operation, `cancel`, and a subscribe for the
 * push channels. No raw ipcRenderer, no port and no generic invoke reaches the page. Data calls go
 * straight to the data host over the MessagePort the main process hands this window; the
 * connection operations (the keyring's) go to the main process over IPC.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { frontOperationNames, operationNames, pushChannels, type InspectorApi, type OpResult, type OperationName, type PushChannel } from '../shared/contract.js';

type Result = OpResult<OperationName>;
type HostMessage = { kind: 'result'; id: number; result: Result } | { kind: 'push'; channel: PushChannel; payload: unknown };

const failed = (className: string, summary: string): Result => ({ ok: false, error: { className, summary, context: {}, exitCode: 1 } });

let port: MessagePort | null = null;
const queued: unknown[] = [];
const pending = new Map<number, (r: Result) => void>();
const byRequest = new Map<number, number>();
const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
let nextId = 1;

const emit = (channel: PushChannel, payload: unknown): void => listeners.get(channel)?.forEach((l) => l(payload));
const send = (m: unknown): void => (port ? port.postMessage(m) : void queued.push(m));

ipcRenderer.on('ri-host-port', (e, info: { restartReason: string | null }) => {
  if (port) {
    // The old host is gone: what was in flight there will never be answered.
    for (const resolve of pending.values()) resolve(failed('HostCrashedError', `the data host stopped (${info.restartReason ?? 'restarted'}); retry`));
    pending.clear();
    byRequest.clear();
    port.close();
  }
  port = e.ports[0]!;
  port.onmessage = (ev: MessageEvent<HostMessage>) => {
    const m = ev.data;
    if (m.kind === 'push') emit(m.channel, m.payload);
    else if (m.kind === 'result') {
      pending.get(m.id)?.(m.result);
      pending.delete(m.id);
    }
  };
  for (const m of queued.splice(0)) port.postMessage(m);
  if (info.restartReason) emit('hostRestarted', { reason: info.restartReason });
});

const frontOps = new Set<string>(frontOperationNames);
const api: Record<string, unknown> = {};
for (const op of operationNames) {
  api[op] = (input: unknown, requestId?: number): Promise<Result> => {
    if (frontOps.has(op)) return ipcRenderer.invoke(`ri:${op}`, input);
    const id = nextId++;
    if (requestId !== undefined) byRequest.set(requestId, id);
    return new Promise<Result>((resolve) => {
      pending.set(id, (r) => {
        if (requestId !== undefined) byRequest.delete(requestId);
        resolve(r);
      });
      send({ kind: 'call', id, op, input });
    });
  };
}
api.cancel = (requestId: number): void => {
  const id = byRequest.get(requestId);
  if (id === undefined) return;
  byRequest.delete(requestId);
  const resolve = pending.get(id);
  pending.delete(id);
  send({ kind: 'cancel', id });
  resolve?.(failed('CancelledError', 'the request was cancelled'));
};
api.subscribe = (channel: PushChannel, listener: (payload: unknown) => void) => {
  if (!Object.prototype.hasOwnProperty.call(pushChannels, channel)) throw new Error(`unknown channel ${String(channel)}`);
  let set = listeners.get(channel);
  if (!set) listeners.set(channel, (set = new Set()));
  set.add(listener);
  // Pushes the main process itself sends (a store opened from the menu) arrive over IPC.
  const handler = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(`ri-push:${channel}`, handler);
  return () => {
    set.delete(listener);
    ipcRenderer.removeListener(`ri-push:${channel}`, handler);
  };
};

contextBridge.exposeInMainWorld('inspector', api as InspectorApi);
contextBridge.exposeInMainWorld('inspectorShell', {
  /** The filesystem path of a dropped File (Electron only). */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
