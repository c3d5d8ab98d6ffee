import { describe, expect, it } from 'vitest';
import { InspectorError } from '../../src/main/engine/errors.js';
import { parseStoreUrl, parseStoreUrlLenient, redactUrl, storeDisplayName } from '../../src/main/engine/store-url.js';

const fails = (url: string): InspectorError => {
  try {
    parseStoreUrl(url);
  } catch (e) {
    return e as InspectorError;
  }
  throw new Error(`accepted ${url}`);
};

describe('store URLs (spec §1)', () => {
  it.each([
    ['sqlite:///run.db', 'run.db'],
    ['sqlite:///./data/run.db', './data/run.db'],
    ['sqlite:////abs/path/run.db', '/abs/path/run.db'],
    ['sqlite://host/x.db', '/host/x.db'],
    ['sqlite:run.db', 'run.db'],
    ['SQLITE:///run.db', 'run.db'],
    ['sqlite:///run.db?mode=ro#x', 'run.db'],
  ])('%s → %s', (url, path) => {
    expect(parseStoreUrl(url)).toMatchObject({ kind: 'sqlite', path });
  });

  it('accepts postgres and postgresql, with or without a host', () => {
    for (const u of ['postgres://u:p@h:5432/db', 'postgresql://h/db', 'postgres:///dbname']) expect(parseStoreUrl(u).kind).toBe('postgres');
  });

  it.each([
    ['', 'store URL is empty'],
    ['run.db', "store URL 'run.db' has no scheme"],
    ['/abs/path/run.db', 'has no scheme'],
    ['sqlite:', 'has no path'],
    ['sqlite://', 'has no path'],
    ['sqlite:/', 'has no path'],
    ['postgres://', 'has no host or database'],
    ['C:\\runs\\x.db', "unsupported store URL scheme 'c'"],
    ['falkor://x/y', "unsupported store URL scheme 'falkor'"],
  ])('refuses %j with exit 2', (url, gist) => {
    const e = fails(url);
    expect(e.className).toBe('InvalidStoreURL');
    expect(e.message).toContain(gist);
    expect(e.exitCode).toBe(2);
  });

  it('bare paths are SQLite files only where Runtime.load accepts them', () => {
    expect(parseStoreUrlLenient('runs/x.db')).toMatchObject({ kind: 'sqlite', path: 'runs/x.db' });
  });

  it('never shows a password', () => {
    expect(redactUrl('postgres://alice:s3cret@db:5432/runs')).toBe('postgres://alice:***@db:5432/runs');
    expect(fails('mysql://alice:s3cret@h/db').render()).not.toContain('s3cret');
    expect(storeDisplayName(parseStoreUrl('postgres://alice:s3cret@db:5432/runs'))).toBe('db:5432/runs');
  });
});
