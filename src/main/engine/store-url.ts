/** Store URLs exactly as Active Graph parses them (spec §1). */
import path from 'node:path';
import { invalidStoreUrl } from './errors.js';

export type StoreUrl = { kind: 'sqlite'; raw: string; path: string } | { kind: 'postgres'; raw: string; connectionString: string };

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
    return { kind: 'postgres', raw: url, connectionString: url };
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

/** Query parameters of a libpq URL whose values are secrets. */
const SECRET_PARAM = /pass|secret|token|key/i;

interface UrlParts {
  prefix: string; // scheme://
  userinfo: string | null; // before the last '@' of the authority
  rest: string; // host, path, query, fragment
}

function splitAuthority(url: string): UrlParts | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)/.exec(url);
  if (!m) return null;
  const after = url.slice(m[1]!.length);
  const end = after.search(/[/?#]/);
  const authority = end < 0 ? after : after.slice(0, end);
  const at = authority.lastIndexOf('@'); // a password may itself hold '@'
  if (at < 0) return { prefix: m[1]!, userinfo: null, rest: after };
  return { prefix: m[1]!, userinfo: authority.slice(0, at), rest: after.slice(at + 1) };
}

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
      let name = key;
      try {
        name = decodeURIComponent(key);
      } catch {
        /* keep the raw name */
      }
      const v = f(name, eq < 0 ? '' : pair.slice(eq + 1));
      return v === null ? null : eq < 0 ? key : `${key}=${v}`;
    })
    .filter((p): p is string => p !== null);
  return rest.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') + (hash < 0 ? '' : rest.slice(hash));
}

/**
 * Hides every secret of a URL wherever it is shown (logs, errors, JSON output, the window):
 * the password of the userinfo (all of it, whatever '@' or ':' it holds) and the values of secret
 * query parameters (`password`, `sslpassword`, …).
 */
export function redactUrl(url: string): string {
  const parts = splitAuthority(url);
  if (!parts) return url;
  let userinfo = '';
  if (parts.userinfo !== null) {
    const colon = parts.userinfo.indexOf(':');
    userinfo = (colon < 0 ? parts.userinfo : `${parts.userinfo.slice(0, colon)}:***`) + '@';
  }
  return parts.prefix + userinfo + mapQuery(parts.rest, (key, value) => (SECRET_PARAM.test(key) ? '***' : value));
}

/** The URL with its secrets removed, not masked: what may be written to disk. */
export function stripSecrets(url: string): string {
  const parts = splitAuthority(url);
  if (!parts) return url;
  const user = parts.userinfo === null ? '' : parts.userinfo.split(':', 1)[0]! + '@';
  return parts.prefix + (user === '@' ? '' : user) + mapQuery(parts.rest, (key, value) => (SECRET_PARAM.test(key) ? null : value));
}

/** The secret values a URL carries (raw and decoded), for scrubbing free text such as driver errors. */
export function urlSecrets(url: string): string[] {
  const parts = splitAuthority(url);
  if (!parts) return [];
  const found: string[] = [];
  if (parts.userinfo !== null && parts.userinfo.includes(':')) found.push(parts.userinfo.slice(parts.userinfo.indexOf(':') + 1));
  mapQuery(parts.rest, (key, value) => {
    if (SECRET_PARAM.test(key) && value) found.push(value);
    return value;
  });
  const decoded = found.map((v) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  });
  return [...new Set([...found, ...decoded])].filter((v) => v.length > 0).sort((x, y) => y.length - x.length);
}

/** Free text (a driver's message) with the URL and each of its secrets masked. */
export function redactSecrets(text: string, url: string): string {
  let out = text.replaceAll(url, redactUrl(url));
  for (const secret of urlSecrets(url)) out = out.replaceAll(secret, '***');
  return out;
}

/** A short display name: the file name, or host/db. Never a password. */
export function storeDisplayName(url: StoreUrl): string {
  if (url.kind === 'sqlite') return path.basename(url.path);
  try {
    const u = new URL(url.connectionString);
    return `${u.hostname || 'localhost'}${u.port ? ':' + u.port : ''}/${u.pathname.replace(/^\//, '') || 'postgres'}`;
  } catch {
    return redactUrl(url.raw);
  }
}
