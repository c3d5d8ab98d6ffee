/** Worker thread for RunHasher: big runs are hashed beside the copy, on another core. */
import { parentPort } from 'node:worker_threads';
import { RunHasher } from './content-hash.js';
import type { StoredEvent } from './event-store.js';

const hasher = new RunHasher();
parentPort!.on('message', (m: { rows?: Omit<StoredEvent, 'seq'>[]; digest?: true }) => {
  if (m.rows) {
    for (const row of m.rows) hasher.add(row);
    parentPort!.postMessage({ ack: true }); // lets the sender bound what is in flight
  }
  if (m.digest) parentPort!.postMessage({ count: hasher.count, digest: hasher.digest() });
});
