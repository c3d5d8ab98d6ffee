/**
 * Connecting to a Postgres store: the connection settings (TLS, passwords from the prompt or
 * ~/.pgpass, timeouts), the pool, the type parsers that keep Active Graph's values as it reads
 * them, and connection failures said as what happened to the store.
 */
import pg from 'pg';
import { InspectorError, storeConnection } from '../../base/errors.js';
import { parsePgUrl, pgTls } from './pg-url.js';
import pgPass from 'pgpass';
import { redactSecrets, redactUrl, type StoreUrl } from '../store-url.js';

export type PgUrl = Extract<StoreUrl, { kind: 'postgres' }>;

/** Python's isoformat() of a TIMESTAMPTZ as Active Graph re-renders it: `2026-05-15T10:32:01+00:00`. */
export function pgTimestampToPython(raw: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?([+-]\d{2})(?::?(\d{2}))?$/.exec(raw);
  if (!m) return raw;
  const frac = m[3] ? '.' + m[3].padEnd(6, '0') : '';
  return `${m[1]}T${m[2]}${frac}${m[4]}:${m[5] ?? '00'}`;
}

/** Connections a store's reads may hold, and how many of them whole-run reads may take at once. */
const POOL_SIZE = 4;
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID) return (v: string) => pgTimestampToPython(v);
    if (oid === INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/**
 * How long a read may wait for the server. A stalled server (stopped, or a network that drops
 * packets) otherwise holds a call for minutes; the kernel's keepalives are answered even by a
 * stopped process, so only a timeout finds it. Settable for slow links.
 */
export function pgReadTimeoutMs(): number {
  const v = Number(process.env.RUN_INSPECTOR_PG_TIMEOUT_MS);
  return Number.isInteger(v) && v > 0 ? v : 15_000;
}

/** Asks the user for a password (the CLI sets one on a terminal; the app has its own dialog). */
export type PasswordPrompt = (who: { user: string; host: string; port: number; database: string }) => Promise<string | undefined>;
let passwordPrompt: PasswordPrompt | null = null;
export function setPasswordPrompt(prompt: PasswordPrompt | null): void {
  passwordPrompt = prompt;
}

/** A password the URL does not carry, where libpq looks for one: PGPASSWORD, then ~/.pgpass (PGPASSFILE), then a prompt. */
async function passwordFor(who: { user: string; host: string; port: number; database: string }): Promise<string | undefined> {
  if (process.env.PGPASSWORD) return process.env.PGPASSWORD;
  const fromFile = await new Promise<string | undefined>((resolve) => pgPass({ ...who, port: String(who.port) }, resolve));
  if (fromFile !== undefined) return fromFile;
  return passwordPrompt ? passwordPrompt(who) : undefined;
}

/**
 * Connection settings every Postgres connection of ours shares, from our parse of the URL (the
 * driver never parses it). The connect timeout runs until the server is ready for queries, so it
 * covers TLS and authentication too.
 */
export async function pgConnectionConfig(url: PgUrl, reads: boolean): Promise<pg.ClientConfig> {
  const target = parsePgUrl(url.raw);
  const timeout = pgReadTimeoutMs();
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    password: target.password ?? ((p: { user: string; host: string; port: number; database: string }) => passwordFor(p)),
    ssl: await pgTls(url.raw, target),
    application_name: target.applicationName ?? 'run-inspector',
    connectionTimeoutMillis: target.connectTimeoutMs ?? Math.min(timeout, 10_000),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Writers stream COPY for as long as a migration takes (their silence is watched instead); only reads get a deadline.
    // The server cancels a slow statement first (a live server says so); the client's own deadline,
    // a little later, is for a server that does not answer at all.
    ...(reads ? { statement_timeout: timeout, query_timeout: Math.round(timeout * 1.2) + 500 } : {}),
  } as pg.ClientConfig;
}

/**
 * A failed connection as the structured error users read. Network-level failures all read the
 * same (refused, timed out, reset, not Postgres): telling them apart would let the app map which
 * ports of a host are open. What a Postgres server itself said (wrong password, no such database)
 * is told as it is, with the URL's secrets scrubbed from it.
 */
export function connectionError(url: PgUrl, err: unknown): Error {
  if (err instanceof InspectorError) return err;
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  const fromServer = typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !/^E[A-Z]+$/.test(e.code);
  const detail = /client password must be a string|password authentication is required|no password supplied/i.test(message)
    ? 'the server asks for a password and none was given (put it in the URL, in PGPASSWORD or ~/.pgpass, or save it in the OS keyring)'
    : /Query read timeout|timeout exceeded when trying to connect|timeout expired|Connection terminated due to connection timeout/.test(message)
      ? `the server did not answer within ${Math.round(pgReadTimeoutMs() / 1000)} s (stopped, overloaded, or unreachable); the next call tries again`
      : /Connection terminated unexpectedly|ECONNRESET|terminating connection|server closed the connection/.test(message) || /^57P0/.test(e?.code ?? '')
        ? 'the connection to the server was lost (the server restarted, or the network dropped it); the next call connects again'
        : /does not support SSL/.test(message)
          ? 'the server does not accept TLS connections (sslmode asks for TLS: use sslmode=disable or prefer, or enable ssl on the server)'
          : /self[- ]signed|unable to verify|certificate|Hostname\/IP does not match/i.test(message)
            ? `the server's certificate was not accepted: ${redactSecrets(message, url.raw)}`
            : fromServer
              ? redactSecrets(message, url.raw)
              : 'no Postgres server answered there (down, unreachable, or not a Postgres server)';
  return storeConnection(redactUrl(url.raw), detail);
}

/** Table name → column names in the connection's current schema. */
export async function postgresSchema(client: pg.ClientBase): Promise<Map<string, string[]>> {
  const rows = (
    await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    )
  ).rows;
  const schema = new Map<string, string[]>();
  for (const r of rows) schema.set(r.table_name, [...(schema.get(r.table_name) ?? []), r.column_name]);
  return schema;
}

/** Foreign tables named like ours are refused before any DDL (see destination-check.ts). */

/** A pool for reads (statement and read timeouts) or for a destination's writes. */
export async function createPool(url: PgUrl, reads: boolean): Promise<pg.Pool> {
  // JIT compiling costs a large statement 0.4-1.7 s and saves our indexed reads nothing.
  const pool = new pg.Pool({ ...(await pgConnectionConfig(url, reads)), types, max: POOL_SIZE, options: '-c TimeZone=UTC -c jit=off' });
  pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
  return pool;
}
