/** Store URLs exactly as Active Graph parses them (spec §1). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidStoreUrl } from '../base/errors.js';
import { maskPgUrl, parsePgUrl, pgUrlSecrets, stripPgSecrets } from './postgres/pg-url.js';

export type StoreUrl = { kind: 'sqlite'; raw: string; path: string } | { kind: 'postgres'; raw: string };

const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function splitNetloc(rest: string): { netloc: string; path: string } {
  if (!rest.startsWith('//')) return { netloc: '', path: rest };
  const after = rest.slice(2);
  const slash = after.indexOf('/');
  return slash < 0 ? { netloc: after, path: '' } : { netloc: after.slice(0, slash), path: after.slice(slash) };
}

export function parseStoreUrl(url: string): StoreUrl {
  if (typeof url !== 'string' || url.trim() === '') {
    throw invalidStoreUrl(
      'store URL is empty',
      'An empty string was given where a store URL was expected.',
      'Pass a store URL such as:\n    sqlite:///path/to/run.db\n    postgres://host/dbname',
      String(url),
    );
  }
  const m = SCHEME_RE.exec(url);
  if (!m) {
    throw invalidStoreUrl(
      `store URL '${url}' has no scheme`,
      `The string '${url}' has no URL scheme, so there is no way to tell which driver should open it.`,
      `If it is a SQLite file, write it as a URL:\n    sqlite:///${url}\nFor Postgres:\n    postgres://host/dbname`,
      url,
    );
  }
  const scheme = m[1]!.toLowerCase();
  // urlparse drops the query and fragment: a '?' or '#' truncates the path.
  const rest = url.slice(m[0].length).split(/[?#]/, 1)[0]!;
  const { netloc, path: urlPath } = splitNetloc(rest);
  if (scheme === 'sqlite') {
    if (netloc === '' && urlPath === '') {
      throw invalidStoreUrl(
        `sqlite URL '${url}' has no path`,
        `The sqlite URL '${url}' names no database file.`,
        'Three slashes mean a relative path, four an absolute one:\n    sqlite:///run.db          (relative to the current directory)\n    sqlite:////abs/path/run.db',
        url,
      );
    }
    const joined = netloc ? `//${netloc}${urlPath}` : urlPath;
    const filePath = joined.startsWith('/') ? joined.slice(1) : joined;
    if (filePath === '') {
      throw invalidStoreUrl(
        `sqlite URL '${url}' has no path`,
        `The sqlite URL '${url}' has a path that resolved to empty.`,
        'Three slashes mean a relative path, four an absolute one:\n    sqlite:///run.db\n    sqlite:////abs/path/run.db',
        url,
      );
    }
    return { kind: 'sqlite', raw: url, path: filePath };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const hostPart = netloc.includes('@') ? netloc.slice(netloc.lastIndexOf('@') + 1) : netloc;
    if (hostPart === '' && urlPath.replace(/^\//, '') === '') {
      throw invalidStoreUrl(
        `postgres URL '${redactUrl(url)}' has no host or database`,
        `The postgres URL '${redactUrl(url)}' names neither a host nor a database.`,
        'Use one of:\n    postgres://host/dbname\n    postgres://user:password@host:5432/dbname',
        redactUrl(url),
      );
    }
    parsePgUrl(url); // every part and parameter checked before a driver sees it
    return { kind: 'postgres', raw: url };
  }
  throw invalidStoreUrl(
    `unsupported store URL scheme '${scheme}' in '${redactUrl(url)}'`,
    `The URL '${redactUrl(url)}' has scheme '${scheme}', which the framework does not recognize.`,
    'Supported schemes are:\n    sqlite:///...        local SQLite file\n    postgres://...       PostgreSQL (also accepted: postgresql://)\n\nOther databases are not supported in v1.0; the EventStore protocol in activegraph/store/base.py is the path for adding new backends.',
    redactUrl(url),
  );
}

/** Like parseStoreUrl, but a string without `://` is a plain SQLite path (Runtime.load's sugar). */
export function parseStoreUrlLenient(url: string): StoreUrl {
  if (typeof url === 'string' && url !== '' && !url.includes('://')) return { kind: 'sqlite', raw: url, path: url };
  return parseStoreUrl(url);
}

/** The SQLite URL of a file path (File > Open, drag and drop). */
export function sqliteUrlForFile(filePath: string): string {
  return `sqlite:///${path.resolve(filePath)}`; // resolve() starts with '/', giving the four-slash absolute form
}

/**
 * Hides every secret of a URL wherever it is shown (logs, errors, JSON output, the window): the
 * password (all of it, whatever it holds) and the values of secret query parameters. Postgres
 * URLs are split by the same parser that gives the driver its parts (pg-url.ts).
 */
export function redactUrl(url: string): string {
  return maskPgUrl(url);
}

/** The URL with its secrets removed, not masked: what may be written to disk. */
export function stripSecrets(url: string): string {
  return stripPgSecrets(url);
}

/** Free text (a driver's message) with the URL and each of its secrets masked. */
export function redactSecrets(text: string, url: string): string {
  let out = text.replaceAll(url, redactUrl(url));
  for (const secret of pgUrlSecrets(url)) out = out.replaceAll(secret, '***');
  return out;
}

/** A short display name: the file name, or host/db. Never a password. */
export function storeDisplayName(url: StoreUrl): string {
  if (url.kind === 'sqlite') return path.basename(url.path);
  const t = parsePgUrl(url.raw);
  return `${t.host ?? 'localhost'}${t.port ? ':' + t.port : ''}/${t.database ?? t.user ?? 'postgres'}`;
}

/**
 * Whether two URLs name the same store however they are written: a SQLite file by its real path
 * (relative or absolute, through a symlink), a Postgres database by host, port and name (another
 * user or password does not make it another store; libpq's defaults fill what a URL leaves out).
 */
export function sameStore(a: StoreUrl, b: StoreUrl): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return realFile(a.path) === realFile(b.path);
  if (a.kind === 'postgres' && b.kind === 'postgres') return pgIdentity(a.raw) === pgIdentity(b.raw);
  return false;
}

function realFile(p: string): string {
  const file = path.resolve(p);
  try {
    return fs.realpathSync(file);
  } catch {
    return file; // not there yet (a destination to create): its folder may still be a symlink
  }
}

function pgIdentity(raw: string): string {
  const t = parsePgUrl(raw);
  const user = t.user ?? process.env.PGUSER ?? os.userInfo().username;
  const host = (t.host ?? process.env.PGHOST ?? 'localhost').toLowerCase();
  return `${host}:${t.port ?? (Number(process.env.PGPORT) || 5432)}/${t.database ?? process.env.PGDATABASE ?? user}`;
}
