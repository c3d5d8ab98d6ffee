/**
 * Postgres store URLs, parsed by us before any driver sees them. One parser decides what the
 * user, the password, the host and each parameter are; the driver is given those parts (never the
 * URL), and every place that shows a URL masks it with the same parts, so no password can be
 * shown because two parsers disagreed about where it ends.
 *
 * The userinfo runs to the last '@' before the host, so a password may hold '@', ':', '/', '?'
 * or '#' unencoded. A '@' inside a query value must then be written %40.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidStoreUrl } from '../../base/errors.js';

export interface PgUrlParts {
  /** `postgres://` or `postgresql://`, as written. */
  prefix: string;
  /** Before the last '@' of the authority (still percent-encoded), or null without one. */
  userinfo: string | null;
  /** Host and port, as written. */
  hostport: string;
  /** Path, query and fragment, as written. */
  rest: string;
}

const URL_PARTS = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)(?:([\s\S]*)@)?([^@/?#]*)([\s\S]*)$/;

/** Splits a URL of any scheme into its parts (masking shows no scheme's password), or null without `scheme://`. */
export function splitPgUrl(raw: string): PgUrlParts | null {
  const m = URL_PARTS.exec(raw);
  return m ? { prefix: m[1]!, userinfo: m[2] ?? null, hostport: m[3]!, rest: m[4]! } : null;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The password a URL carries, decoded, or null. */
export function pgUrlPassword(parts: PgUrlParts): string | null {
  const colon = parts.userinfo?.indexOf(':') ?? -1;
  return parts.userinfo !== null && colon >= 0 ? decode(parts.userinfo.slice(colon + 1)) : null;
}

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** What a postgres URL asks for, checked. */
export interface PgTarget {
  host: string | undefined;
  port: number | undefined;
  user: string | undefined;
  password: string | undefined;
  database: string | undefined;
  sslmode: SslMode | undefined;
  sslrootcert: string | undefined;
  sslcert: string | undefined;
  sslkey: string | undefined;
  sslpassword: string | undefined;
  applicationName: string | undefined;
  /** From `connect_timeout` (seconds), in ms. */
  connectTimeoutMs: number | undefined;
}

/** The query parameters we support, with what each means (the error for an unknown one lists them). */
const SUPPORTED: Record<string, string> = {
  host: 'host name, address, or a socket directory (/var/run/postgresql)',
  port: 'port, 1-65535',
  user: 'user name',
  password: 'password (better: PGPASSWORD or ~/.pgpass, so it is not on a command line)',
  dbname: 'database name',
  sslmode: SSL_MODES.join(' | '),
  sslrootcert: 'file of the CA certificate(s) that signed the server’s certificate',
  sslcert: 'file of the client certificate',
  sslkey: 'file of the client certificate’s key',
  sslpassword: 'pass phrase of sslkey',
  application_name: 'name shown in pg_stat_activity',
  connect_timeout: 'seconds to wait for the connection (TLS and authentication included)',
};

function urlError(raw: string, param: string, problem: string, fix: string): Error {
  const shown = maskPgUrl(raw);
  return invalidStoreUrl(`postgres URL '${shown}': ${param} ${problem}`, `The postgres URL '${shown}' has ${param} ${problem}.`, fix, shown);
}

function parsePort(raw: string, value: string, where: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) throw urlError(raw, where, `'${value}', which is not a port`, 'A port is a whole number from 1 to 65535, e.g. postgres://host:5432/db');
  return n;
}

/** Parses and checks a postgres URL (no file is read here: see resolvePgFiles). */
export function parsePgUrl(raw: string): PgTarget {
  const parts = splitPgUrl(raw);
  if (!parts || !/^postgres(ql)?:\/\/$/i.test(parts.prefix))
    throw urlError(raw, 'the scheme', 'is not postgres:// or postgresql://', 'Write it as postgres://user@host:5432/dbname');
  const q = parts.rest.search(/[?#]/);
  const pathPart = q < 0 ? parts.rest : parts.rest.slice(0, q);
  const query = q >= 0 && parts.rest[q] === '?' ? parts.rest.slice(q + 1).split('#', 1)[0]! : '';

  const params = new Map<string, string>();
  for (const pair of query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (!(key in SUPPORTED)) {
      throw urlError(
        raw,
        `the parameter '${key.slice(0, 40)}'`,
        'that Run Inspector does not support',
        `Remove it. Supported parameters:\n${Object.entries(SUPPORTED)
          .map(([k, v]) => `    ${k.padEnd(17)} ${v}`)
          .join('\n')}`,
      );
    }
    if (params.has(key)) throw urlError(raw, `the parameter '${key}'`, 'twice', 'Give each parameter once.');
    params.set(key, value);
  }

  let host: string | undefined;
  let port: number | undefined;
  const hp = parts.hostport;
  if (hp.includes(',')) throw urlError(raw, 'the host', 'naming several hosts', 'Name one host: Run Inspector connects to the server (or standby) you give it.');
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hp);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2] !== undefined) port = parsePort(raw, bracketed[2], 'the port');
  } else if (hp !== '') {
    const colon = hp.lastIndexOf(':');
    host = decode(colon < 0 ? hp : hp.slice(0, colon)) || undefined;
    if (colon >= 0) port = parsePort(raw, hp.slice(colon + 1), 'the port');
  }
  if (params.has('host')) host = params.get('host') || undefined;
  if (params.has('port')) port = parsePort(raw, params.get('port')!, 'the parameter port');

  const colon = parts.userinfo?.indexOf(':') ?? -1;
  let user = parts.userinfo === null ? undefined : decode(colon < 0 ? parts.userinfo : parts.userinfo.slice(0, colon)) || undefined;
  let password = pgUrlPassword(parts) ?? undefined;
  if (params.has('user')) user = params.get('user');
  if (params.has('password')) password = params.get('password');
  let database = decode(pathPart.replace(/^\//, '')) || undefined;
  if (params.has('dbname')) database = params.get('dbname') || undefined;

  const sslmode = params.get('sslmode');
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode as SslMode)) {
    throw urlError(raw, 'the parameter sslmode', `'${sslmode}', which is not an SSL mode`, `Use one of: ${SSL_MODES.join(', ')}.`);
  }
  for (const file of ['sslrootcert', 'sslcert', 'sslkey'] as const) {
    if (params.get(file) === '') throw urlError(raw, `the parameter ${file}`, 'empty', `Give ${file} the path of a file, or remove it.`);
  }
  if (params.has('sslcert') !== params.has('sslkey')) throw urlError(raw, 'sslcert and sslkey', 'not given together', 'A client certificate needs its key: give both, or neither.');
  let connectTimeoutMs: number | undefined;
  if (params.has('connect_timeout')) {
    const s = params.get('connect_timeout')!;
    if (!/^\d{1,6}$/.test(s) || Number(s) < 1)
      throw urlError(
        raw,
        'the parameter connect_timeout',
        `'${s}', which is not a number of seconds`,
        'Give connect_timeout a whole number of seconds (at least 1), e.g. connect_timeout=10.',
      );
    connectTimeoutMs = Number(s) * 1000;
  }
  if (host !== undefined && host.startsWith('/') === false && /[^A-Za-z0-9.\-:%_]/.test(host)) {
    throw urlError(
      raw,
      'the host',
      `'${host.slice(0, 80)}', which is not a host name, an address or a socket directory`,
      'Write the host as a name (db.example.com), an address (10.0.0.5, [::1]) or a socket directory (/var/run/postgresql).',
    );
  }
  return {
    host,
    port,
    user,
    password,
    database,
    sslmode: sslmode as SslMode | undefined,
    sslrootcert: params.get('sslrootcert'),
    sslcert: params.get('sslcert'),
    sslkey: params.get('sslkey'),
    sslpassword: params.get('sslpassword'),
    applicationName: params.get('application_name'),
    connectTimeoutMs,
  };
}

const SECRET_PARAM = /pass|secret|token|key/i;

function mapQuery(rest: string, f: (key: string, value: string) => string | null): string {
  const q = rest.indexOf('?');
  if (q < 0) return rest;
  const hash = rest.indexOf('#', q);
  const query = rest.slice(q + 1, hash < 0 ? undefined : hash);
  const kept = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const v = f(decode(key), eq < 0 ? '' : pair.slice(eq + 1));
      return v === null ? null : eq < 0 ? key : `${key}=${v}`;
    })
    .filter((p): p is string => p !== null);
  return rest.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') + (hash < 0 ? '' : rest.slice(hash));
}

/** The URL with its password and secret parameters shown as `***`. */
export function maskPgUrl(raw: string): string {
  const parts = splitPgUrl(raw);
  if (!parts) return raw;
  const colon = parts.userinfo?.indexOf(':') ?? -1;
  const userinfo = parts.userinfo === null ? '' : (colon < 0 ? parts.userinfo : `${parts.userinfo.slice(0, colon)}:***`) + '@';
  return parts.prefix + userinfo + parts.hostport + mapQuery(parts.rest, (key, value) => (SECRET_PARAM.test(key) ? '***' : value));
}

/** The URL without its password and secret parameters: what may be written to disk. */
export function stripPgSecrets(raw: string): string {
  const parts = splitPgUrl(raw);
  if (!parts) return raw;
  const user = parts.userinfo === null ? '' : parts.userinfo.split(':', 1)[0]!;
  return parts.prefix + (user ? `${user}@` : '') + parts.hostport + mapQuery(parts.rest, (key, value) => (SECRET_PARAM.test(key) ? null : value));
}

/** The secret values a URL carries (as written and decoded), longest first, for scrubbing a driver's message. */
export function pgUrlSecrets(raw: string): string[] {
  const parts = splitPgUrl(raw);
  if (!parts) return [];
  const found: string[] = [];
  const colon = parts.userinfo?.indexOf(':') ?? -1;
  if (parts.userinfo !== null && colon >= 0) found.push(parts.userinfo.slice(colon + 1));
  mapQuery(parts.rest, (key, value) => {
    if (SECRET_PARAM.test(key) && value) found.push(value);
    return value;
  });
  return [...new Set([...found, ...found.map(decode)])].filter((v) => v.length > 0).sort((x, y) => y.length - x.length);
}

const MAX_CERT_BYTES = 1 << 20;

/**
 * Reads a file a URL parameter names: asynchronously, without blocking on a FIFO or a device
 * (opened non-blocking, then it must be a regular file), at most 1 MiB. Every failure names the parameter.
 */
async function readParamFile(raw: string, param: string, file: string): Promise<Buffer> {
  const full = path.resolve(file.replace(/^~(?=$|\/)/, os.homedir()));
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(full, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read by this user' : `cannot be opened (${code})`;
    throw urlError(raw, `the parameter ${param}`, `naming ${full}, which ${why}`, `Give ${param} the path of a readable certificate file (PEM).`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile())
      throw urlError(
        raw,
        `the parameter ${param}`,
        `naming ${full}, which is not a regular file (${st.isDirectory() ? 'a directory' : 'a pipe, socket or device'})`,
        `Give ${param} the path of a certificate file (PEM).`,
      );
    if (st.size > MAX_CERT_BYTES)
      throw urlError(raw, `the parameter ${param}`, `naming ${full}, which is ${st.size} bytes: not a certificate file`, `Give ${param} the path of a certificate file (PEM).`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The TLS settings of a target: its files read (see readParamFile), the SSL mode's checks as libpq makes them. */
export async function pgTls(raw: string, t: PgTarget): Promise<false | Record<string, unknown>> {
  const mode = t.sslmode;
  if (mode === undefined || mode === 'disable' || mode === 'allow') return false;
  const defaultRoot = path.join(os.homedir(), '.postgresql', 'root.crt');
  const rootFile = t.sslrootcert ?? (fs.existsSync(defaultRoot) ? defaultRoot : undefined);
  if ((mode === 'verify-ca' || mode === 'verify-full') && rootFile === undefined) {
    throw urlError(
      raw,
      `sslmode=${mode}`,
      'without a CA certificate to verify the server with',
      `Add sslrootcert=/path/to/ca.pem (the CA that signed the server's certificate), or put it at ${defaultRoot}.`,
    );
  }
  const tls: Record<string, unknown> = {};
  if (rootFile !== undefined) tls.ca = await readParamFile(raw, 'sslrootcert', rootFile);
  if (t.sslcert !== undefined) tls.cert = await readParamFile(raw, 'sslcert', t.sslcert);
  if (t.sslkey !== undefined) tls.key = await readParamFile(raw, 'sslkey', t.sslkey);
  if (t.sslpassword !== undefined) tls.passphrase = t.sslpassword;
  // libpq: require checks nothing (unless a root certificate is there: then as verify-ca);
  // verify-ca checks the chain; verify-full the chain and the host name.
  const verify = mode === 'verify-full' || mode === 'verify-ca' || tls.ca !== undefined;
  tls.rejectUnauthorized = verify;
  if (verify && mode !== 'verify-full') tls.checkServerIdentity = () => undefined;
  return tls;
}
