/**
 * The data host in an Electron utility process. The main process talks to it over
 * `process.parentPort` (the control connection) and hands it one MessagePort per window.
 */
import type { MessagePortMain } from 'electron';
import type { ServiceOptions } from '../service/inspector-service.js';
import { runHost, type HostConnection } from './host.js';
import { WINDOW_PORT, type FrontMessage } from './protocol.js';
import { configureStoreFiles } from '../store/store-files.js';
import { STORE_FILES } from '../paths.js';

configureStoreFiles(STORE_FILES);

const options = JSON.parse(process.argv[2] ?? '{}') as ServiceOptions;
const parent = process.parentPort;

const wrap = (port: MessagePortMain): HostConnection => {
  port.start();
  return { post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data as FrontMessage)) };
};

const controlListeners: ((m: FrontMessage) => void)[] = [];
const host = runHost({ post: (m) => parent.postMessage(m), onMessage: (l) => controlListeners.push(l) }, options);
parent.on('message', (e) => {
  if (e.data === WINDOW_PORT) for (const p of e.ports) host.connect(wrap(p));
  else for (const l of controlListeners) l(e.data as FrontMessage);
});
