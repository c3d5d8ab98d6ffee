/**
 * The preload bridge: one typed function per contract operation, `cancel`, and a subscribe for the
 * push channels. No raw ipcRenderer, no port and no generic invoke reaches the page. Data calls go
 * straight to the data host over the MessagePort the main process hands this window; the
 * connection operations (the keyring's) go to the main process over IPC.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { frontOperationNames, operationNames, pushChannels, type InspectorApi, type OperationName, type PushChannel } from '../shared/contract.js';
import { HostWire, type CallMessage } from '../shared/host-wire.js';

let port: MessagePort | null = null;
const queued: CallMessage[] = [];
const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
const emit = (channel: PushChannel, payload: unknown): void => listeners.get(channel)?.forEach((l) => l(payload));
const wire = new HostWire((m) => (port ? port.postMessage(m) : void queued.push(m)), emit);

ipcRenderer.on('ri-host-port', (e, info: { restartReason: string | null }) => {
  if (port) {
    // The old host is gone: what was in flight there will never be answered.
    wire.failAll({ className: 'HostCrashedError', summary: `the data host stopped (${info.restartReason ?? 'restarted'}); retry`, context: {}, exitCode: 1 });
    port.close();
  }
  port = e.ports[0]!;
  port.onmessage = (ev: MessageEvent<{ kind: string }>) => void wire.receive(ev.data);
  for (const m of queued.splice(0)) port.postMessage(m);
  if (info.restartReason) emit('hostRestarted', { reason: info.restartReason });
});

// The page names a call by its request id; the wire cancels by signal.
const inFlight = new Map<number, AbortController>();
const frontOps = new Set<string>(frontOperationNames);
const api: Record<string, unknown> = {};
for (const op of operationNames) {
  api[op] = (input: unknown, requestId?: number) => {
    if (frontOps.has(op)) return ipcRenderer.invoke(`ri:${op}`, input);
    if (requestId === undefined) return wire.call(op as OperationName, input);
    const controller = new AbortController();
    inFlight.set(requestId, controller);
    return wire.call(op as OperationName, input, controller.signal).finally(() => inFlight.delete(requestId));
  };
}
api.cancel = (requestId: number): void => inFlight.get(requestId)?.abort();
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
