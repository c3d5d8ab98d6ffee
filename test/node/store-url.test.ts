import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InspectorError } from '../../src/main/base/errors.js';
import { parseStoreUrl, parseStoreUrlLenient, redactSecrets, redactUrl, sameStore, storeDisplayName, stripSecrets } from '../../src/main/store/store-url.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, tempDir } from '../support/fixtures.js';

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

  it.each([
    ['userinfo', 'postgres://alice:s3cret@db:5432/runs', 'postgres://alice:***@db:5432/runs', 'postgres://alice@db:5432/runs'],
    ["a password holding '@'", 'postgres://u:s3cr@t@db/runs', 'postgres://u:***@db/runs', 'postgres://u@db/runs'],
    [
      "a password holding ':' and '@'",
      'postgresql://u:a:b@c@db:5432/runs?sslmode=require',
      'postgresql://u:***@db:5432/runs?sslmode=require',
      'postgresql://u@db:5432/runs?sslmode=require',
    ],
    ['?password=', 'postgres://u@db/runs?password=s3cret', 'postgres://u@db/runs?password=***', 'postgres://u@db/runs'],
    [
      '?user=&password=',
      'postgres://db/runs?user=u&password=s3cret&sslmode=disable',
      'postgres://db/runs?user=u&password=***&sslmode=disable',
      'postgres://db/runs?user=u&sslmode=disable',
    ],
    ['?sslpassword=', 'postgres://db/runs?sslpassword=s3cret', 'postgres://db/runs?sslpassword=***', 'postgres://db/runs'],
    ['an encoded parameter name', 'postgres://db/runs?pass%77ord=s3cret', 'postgres://db/runs?pass%77ord=***', 'postgres://db/runs'],
    ['no secret', 'postgres://u@db/runs?application_name=x', 'postgres://u@db/runs?application_name=x', 'postgres://u@db/runs?application_name=x'],
  ])('redacts %s', (_form, url, shown, stored) => {
    expect(redactUrl(url)).toBe(shown);
    expect(stripSecrets(url)).toBe(stored);
    expect(redactUrl(url)).not.toMatch(/s3cr|a:b/);
    expect(redactSecrets(`failed for ${url}`, url)).not.toMatch(/s3cr|a:b/);
  });

  it('scrubs a secret a driver echoes in its own words', () => {
    expect(redactSecrets('password authentication failed (tried "s3cr@t")', 'postgres://u:s3cr@t@db/runs')).toBe('password authentication failed (tried "***")');
    expect(redactSecrets('bad sslpassword s3cret', 'postgres://db/runs?sslpassword=s3cret')).toBe('bad sslpassword ***');
  });

  it('never shows a secret in the errors of a URL it refuses', () => {
    for (const url of ['mysql://u:s3cr@t@h/db', 'mysql://h/db?password=s3cret', 'postgres://u:s3cret@?password=s3cret']) {
      let rendered = '';
      try {
        parseStoreUrl(url);
      } catch (e) {
        rendered = (e as InspectorError).render() + JSON.stringify((e as InspectorError).toJSON());
      }
      expect(rendered, url).not.toContain('s3cr');
    }
  });
});

describe('sameStore', () => {
  it('knows a SQLite file however its path is written: relative, absolute, through a symlink', () => {
    const { file } = copyFixture('demo');
    const dir = path.dirname(file);
    const link = path.join(tempDir(), 'link-to-dir');
    fs.symlinkSync(dir, link);
    const url = (u: string) => parseStoreUrl(u);
    expect(sameStore(url(`sqlite:///${file}`), url(`sqlite:///${path.relative(process.cwd(), file)}`))).toBe(true);
    expect(sameStore(url(`sqlite:///${file}`), url(`sqlite:///${path.join(link, path.basename(file))}`))).toBe(true);
    expect(sameStore(url(`sqlite:///${file}`), url(`sqlite:///${path.join(dir, 'other.db')}`))).toBe(false);
  });

  it('knows a Postgres database by host, port and name, whoever connects', () => {
    const url = (u: string) => parseStoreUrl(u);
    expect(sameStore(url('postgres://alice:secret@DB.example.com/runs'), url('postgres://bob@db.example.com:5432/runs?sslmode=require'))).toBe(true);
    expect(sameStore(url('postgres://db.example.com/runs'), url('postgres://db.example.com/runs2'))).toBe(false);
    expect(sameStore(url('postgres://db.example.com:5433/runs'), url('postgres://db.example.com/runs'))).toBe(false);
    expect(sameStore(url('postgres://db.example.com/runs'), url('sqlite:///runs'))).toBe(false);
  });

  it('keeps a migration in the app from writing into its own source, however the destination is spelled', async () => {
    const { file } = copyFixture('demo');
    const link = path.join(tempDir(), 'alias.db');
    fs.symlinkSync(file, link);
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    try {
      const storeId = ((await dispatch(service, 'openDemoStore', {})) as { value: { storeId: string } }).value.storeId;
      const started = await dispatch(service, 'startMigration', { storeId, destUrl: `sqlite:///${link}`, skipCorrupted: false });
      if (!started.ok) throw new Error(started.error.summary);
      const migrationId = (started.value as { migrationId: string }).migrationId;
      let status: { state: string; error: { summary: string } | null } | undefined;
      await vi.waitFor(async () => {
        const res = await dispatch(service, 'migrationStatus', { migrationId });
        status = (res as { value: typeof status }).value;
        expect(status!.state).not.toBe('running');
      });
      expect(status!.state).toBe('failed');
      expect(status!.error!.summary).toContain('the source and the destination are the same store');
    } finally {
      await service.close();
    }
  });
});
