/** Worker thread of HashPool: hashes chunks of rows beside the copy, on another core. */
import { parentPort } from 'node:worker_threads';
import { hashChunk } from './content-hash.js';

parentPort!.on('message', (m: { id: number; data: string | Uint8Array }) => {
  const text = typeof m.data === 'string' ? m.data : Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString('utf8');
  const result = hashChunk(text);
  parentPort!.postMessage({ id: m.id, result }, [result.lines.buffer as ArrayBuffer]);
});
