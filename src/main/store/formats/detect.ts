/** Which runtime wrote a store, decided from its schema when it is opened. */
import pg from 'pg';
import { runNotFound, storeUnreadable } from '../../base/errors.js';
import type { EventStore } from '../event-store.js';
import { connectionError, pgConnectionConfig, postgresSchema } from '../postgres/pg-connect.js';
import { PostgresStore } from '../postgres/postgres-store.js';
import { openSqliteFileReadOnly, sqliteFailure, sqliteSchema } from '../sqlite/sqlite-open.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { redactUrl, type StoreUrl } from '../store-url.js';
import { openDirCore } from './dir-core.js';
import { graphiteLayout, openGraphite } from './graphite.js';
import { openNeuroCore } from './neurocore.js';

const hasColumns = (schema: Map<string, string[]>, table: string, columns: string[]): boolean => columns.every((c) => schema.get(table)?.includes(c));

export function openSqliteAnyRuntime(url: Extract<StoreUrl, { kind: 'sqlite' }>): EventStore {
  const opened = openSqliteFileReadOnly(url);
  const close = () => {
    opened.db.close();
    opened.cleanup?.();
  };
  try {
    const schema = sqliteSchema(opened.db);
    const tables = [...schema.keys()];
    if (schema.has('events') && schema.has('runs') && hasColumns(schema, 'events', ['run_id', 'payload'])) return SqliteStore.openReadOnly(url, opened);
    if (schema.has('decision_flows') || hasColumns(schema, 'decision_audit_events', ['event_type'])) {
      throw storeUnreadable(url.raw, 'it is a dir-core 0.3+ store (decision_flows / decision_audit_events.event_type); only the dir-core 0.2 layout is supported so far', tables);
    }
    if (hasColumns(schema, 'decision_audit_events', ['dfid', 'event', 'timestamp', 'detail_json']) && schema.has('flow_transitions')) {
      const store = openDirCore(url, opened.db);
      close();
      return store;
    }
    if (hasColumns(schema, 'runs', ['run_id', 'blueprint_name', 'status']) && hasColumns(schema, 'steps', ['run_id', 'step_index', 'component'])) {
      const store = openNeuroCore(url, opened.db);
      close();
      return store;
    }
    throw storeUnreadable(url.raw, 'its schema matches none of the supported run stores', tables);
  } catch (err) {
    if (opened.db.open) close();
    sqliteFailure(url, err); // damage met while reading the schema or an adapter's tables
  }
}

export async function openPostgresAnyRuntime(url: Extract<StoreUrl, { kind: 'postgres' }>): Promise<EventStore> {
  const client = new pg.Client(await pgConnectionConfig(url, true));
  try {
    await client.connect();
  } catch (err) {
    // A refused login can leave the socket open until the server's authentication timeout.
    await client.end().catch(() => {});
    throw connectionError(url, err);
  }
  try {
    const schema = await postgresSchema(client);
    const tables = [...schema.keys()];
    if (tables.length === 0) throw runNotFound(null, redactUrl(url.raw), 'empty_catalog');
    if (schema.has('runs') && hasColumns(schema, 'events', ['run_id', 'payload'])) return await PostgresStore.open(url);
    const layout = schema.has('events') ? graphiteLayout(schema.get('events')!) : null;
    if (layout) return await openGraphite(url, client, layout);
    throw storeUnreadable(redactUrl(url.raw), 'its schema matches none of the supported run stores', tables);
  } finally {
    await client.end().catch(() => {});
  }
}
