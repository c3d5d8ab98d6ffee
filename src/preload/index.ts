/**
 * The preload bridge: one typed function per contract operation and a subscribe for the push
 * channels. No raw ipcRenderer, no generic invoke reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { operationNames, pushChannels, type InspectorApi, type PushChannel } from '../shared/contract.js';

const api: Record<string, unknown> = {};
for (const op of operationNames) api[op] = (input: unknown) => ipcRenderer.invoke(`ri:${op}`, input);
api.subscribe = (channel: PushChannel, listener: (payload: unknown) => void) => {
  if (!Object.prototype.hasOwnProperty.call(pushChannels, channel)) throw new Error(`unknown channel ${String(channel)}`);
  const handler = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(`ri-push:${channel}`, handler);
  return () => ipcRenderer.removeListener(`ri-push:${channel}`, handler);
};

contextBridge.exposeInMainWorld('inspector', api as InspectorApi);
contextBridge.exposeInMainWorld('inspectorShell', {
  /** The filesystem path of a dropped File (Electron only). */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
