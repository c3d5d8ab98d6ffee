/** The other runtimes' fixture stores, always through temp copies. */
import fs from 'node:fs';
import path from 'node:path';
import { scanEvents, type EventStore } from '../../src/main/store/event-store.js';
import { OTHER_FIXTURES, tempDir } from './fixtures.js';

export function copyOther(name: string): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, name);
  fs.copyFileSync(path.join(OTHER_FIXTURES, name), file);
  return { dir, file };
}

/** Every event of a run, in order. */
export async function events(store: EventStore, runId: string) {
  const out = [];
  for await (const chunk of scanEvents(store, runId)) out.push(...chunk);
  return out;
}
