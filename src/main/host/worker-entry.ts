/** The data host in a Node worker thread (browser mode, and the host's own tests). */
import { parentPort, workerData } from 'node:worker_threads';
import type { ServiceOptions } from '../service/inspector-service.js';
import { runHost } from './host.js';
import type { FrontMessage } from './protocol.js';
import { configureStoreFiles } from '../store/store-files.js';
import { STORE_FILES } from '../paths.js';

configureStoreFiles(STORE_FILES);

if (!parentPort) throw new Error('host-worker must run in a worker thread');
const port = parentPort;
runHost({ post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (m: FrontMessage) => l(m)) }, workerData as ServiceOptions);
