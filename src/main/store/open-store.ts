/** The single entry point from a store URL to a driver. */
import path from 'node:path';
import { openPostgresDestination } from './postgres/postgres-writer.js';
import { isJsonlTrace, openJsonlTrace } from './formats/jsonl-trace.js';
import { openSqliteDestination } from './sqlite/sqlite-writer.js';
import type { EventStore } from './event-store.js';
import { openPostgresAnyRuntime, openSqliteAnyRuntime } from './formats/detect.js';
import type { StoreWriter } from './store-writer.js';
import { parseStoreUrl, parseStoreUrlLenient, type StoreUrl } from './store-url.js';

export interface OpenOptions {
  /** Accept a bare path as a SQLite file, as Active Graph's Runtime.load does (spec §1). */
  lenient?: boolean;
}

export function toStoreUrl(url: string | StoreUrl, opts: OpenOptions = {}): StoreUrl {
  if (typeof url !== 'string') return url;
  return opts.lenient ? parseStoreUrlLenient(url) : parseStoreUrl(url);
}

/**
 * Opens a store for reading, whichever runtime wrote it (detected from its schema); user stores
 * are never written through this.
 */
export async function openStore(url: string | StoreUrl, opts: OpenOptions = {}): Promise<EventStore> {
  const parsed = toStoreUrl(url, opts);
  if (parsed.kind === 'postgres') return openPostgresAnyRuntime(parsed);
  return isJsonlTrace(path.resolve(parsed.path)) ? openJsonlTrace(parsed) : openSqliteAnyRuntime(parsed);
}

/** Opens the explicit destination of a fork or migration, creating Active Graph's schema. */
export async function openDestination(url: string | StoreUrl): Promise<StoreWriter> {
  const parsed = toStoreUrl(url);
  return parsed.kind === 'sqlite' ? openSqliteDestination(parsed) : openPostgresDestination(parsed);
}
