/** Worker thread of payload-check: finds the payloads SQLite's JSON parser rejects, beside a replay, on another core (one job after another). */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './sqlite-native.js';
import { runPayloadCheck, type PayloadCheckJob } from './payload-check.js';
import { configureStoreFiles, type StoreFiles } from '../store-files.js';

configureStoreFiles(workerData as StoreFiles); // a thread has its own modules: given by the one that started it

parentPort!.on('message', (job: PayloadCheckJob) => {
  try {
    const db = openDatabase(job.file, { readonly: true, fileMustExist: true });
    try {
      parentPort!.postMessage({ ok: true, ...runPayloadCheck(db, job) });
    } finally {
      db.close();
    }
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).message });
  }
});
