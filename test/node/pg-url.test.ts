/**
 * Postgres URLs are parsed and checked by us before any driver sees them: only the parameters we
 * support, each validated; files they name read without blocking; one parser for what the driver
 * gets and what every display masks; passwords from PGPASSWORD or ~/.pgpass; a server that stalls
 * anywhere before it is ready for queries fails the open in bounded time.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { InspectorError } from '../../src/main/base/errors.js';
import { openStore } from '../../src/main/store/open-store.js';
import { parsePgUrl } from '../../src/main/store/postgres/pg-url.js';
import { parseStoreUrl, redactUrl, storeDisplayName, stripSecrets } from '../../src/main/store/store-url.js';
import { cli } from '../support/cli.js';
import { copyFixture, tempDir } from '../support/fixtures.js';
import { ODD_SECRET, ODD_SECRET_ROLE } from '../support/throwaway-postgres.js';
import { freshDatabase } from '../support/pg.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';

const port = () => inject('pgPort');

async function openError(url: string): Promise<InspectorError> {
  try {
    const store = await openStore(url);
    await store.close();
  } catch (err) {
    return err as InspectorError;
  }
  throw new Error(`opened ${url}`);
}

describe('postgres URL parameters', () => {
  it('refuses what it does not support or cannot mean, naming the parameter (exit 2)', () => {
    const cases: [string, RegExp][] = [
      ['postgres://h/db?port=abc', /parameter port 'abc', which is not a port/],
      ['postgres://h:99999/db', /port '99999', which is not a port/],
      ['postgres://h:0/db', /port '0', which is not a port/],
      ['postgres://h/db?sslmode=maybe', /sslmode 'maybe', which is not an SSL mode/],
      ['postgres://h/db?connect_timeout=soon', /connect_timeout 'soon'/],
      ['postgres://h/db?keepalives=0', /parameter 'keepalives' that Run Inspector does not support/],
      ['postgres://h/db?sslmode=require&sslmode=disable', /parameter 'sslmode' twice/],
      ['postgres://a,b/db', /naming several hosts/],
      ['postgres://h/db?sslcert=/x.pem', /sslcert and sslkey not given together/],
    ];
    for (const [url, why] of cases) {
      let err: InspectorError | undefined;
      try {
        parseStoreUrl(url);
      } catch (e) {
        err = e as InspectorError;
      }
      expect(err, url).toBeInstanceOf(InspectorError);
      expect(err!.className, url).toBe('InvalidStoreURL');
      expect(err!.exitCode, url).toBe(2);
      expect(err!.message, url).toMatch(why);
    }
    expect(parsePgUrl('postgresql://u@[::1]:6543/db?application_name=x&connect_timeout=3')).toMatchObject({
      host: '::1',
      port: 6543,
      user: 'u',
      database: 'db',
      connectTimeoutMs: 3000,
    });
    expect(parsePgUrl('postgres:///db?host=/var/run/postgresql&port=5433')).toMatchObject({ host: '/var/run/postgresql', port: 5433, database: 'db' });
  });

  it('a CLI command with ?port=abc exits 2 with the structured error, no crash', async () => {
    const res = await cli(['inspect', 'postgres://h/db?port=abc', '--run-id', 'r'], tempDir());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^InvalidStoreURL: .*parameter port 'abc'/);
  });

  it('files named by sslrootcert are read without blocking: a FIFO, a directory, a missing file are typed errors at once', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'ca.fifo');
    execFileSync('mkfifo', [fifo]);
    const base = `postgres://u@127.0.0.1:${port()}/postgres?sslmode=verify-ca&sslrootcert=`;
    const cases: [string, RegExp][] = [
      [fifo, /sslrootcert naming .*ca\.fifo, which is not a regular file \(a pipe, socket or device\)/],
      [dir, /sslrootcert naming .*, which is not a regular file \(a directory\)/],
      [path.join(dir, 'none.pem'), /sslrootcert naming .*none\.pem, which does not exist/],
    ];
    for (const [file, why] of cases) {
      const err = await openError(base + encodeURIComponent(file));
      expect(err.className, file).toBe('InvalidStoreURL');
      expect(err.message, file).toMatch(why);
    }
  });

  it('verify-ca or verify-full without a CA says what to add', async () => {
    const home = process.env.HOME;
    process.env.HOME = tempDir(); // no ~/.postgresql/root.crt
    try {
      const err = await openError(`postgres://u@127.0.0.1:${port()}/postgres?sslmode=verify-full`);
      expect(err.className).toBe('InvalidStoreURL');
      expect(err.message).toMatch(/sslmode=verify-full without a CA certificate/);
      expect(err.howToFix).toMatch(/sslrootcert=\/path\/to\/ca\.pem/);
    } finally {
      process.env.HOME = home;
    }
  });
});

describe('secrets in postgres URLs', () => {
  it('a password holding @ / # ? : % unencoded reaches the server whole, and is never shown', async () => {
    const db = (await freshDatabase('odd')).split('/').pop()!;
    const { file } = copyFixture('demo');
    await loadSqliteIntoPostgres(file, `postgres://postgres@127.0.0.1:${port()}/${db}`);
    const url = `postgres://${ODD_SECRET_ROLE}:${ODD_SECRET}@127.0.0.1:${port()}/${db}`;
    const store = await openStore(url); // the driver was given the same password our parser found
    expect((await store.listRuns()).length).toBeGreaterThan(0);
    await store.close();
    const parsed = parseStoreUrl(url);
    for (const shown of [redactUrl(url), stripSecrets(url), storeDisplayName(parsed)]) {
      for (const piece of ['p@ss', 'w#rd', 'rd?x', 'x:y', 'y%z']) expect(shown, shown).not.toContain(piece);
    }
    expect(redactUrl(url)).toBe(`postgres://${ODD_SECRET_ROLE}:***@127.0.0.1:${port()}/${db}`);
    // A wrong password of the same shape: the error names the server's refusal, never the password.
    const wrong = `postgres://${ODD_SECRET_ROLE}:x@y/z#w?v@127.0.0.1:${port()}/${db}`;
    const err = await openError(wrong);
    expect(err.className).toBe('StoreConnectionError');
    expect(err.message + err.whatFailed).toMatch(/password authentication failed/);
    for (const piece of ['x@y', 'y/z', 'z#w', 'w?v']) expect(JSON.stringify(err.toJSON())).not.toContain(piece);
  });

  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('a password from PGPASSWORD or ~/.pgpass (PGPASSFILE), so none has to sit on a command line', async () => {
    const url = `postgres://${ODD_SECRET_ROLE}@127.0.0.1:${port()}/postgres`;
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = path.join(tempDir(), 'none');
    expect((await openError(url)).whatFailed).toMatch(/asks for a password and none was given.*PGPASSWORD or ~\/\.pgpass/);

    process.env.PGPASSWORD = ODD_SECRET;
    await (await openStore(url).catch((e: InspectorError) => (e.className === 'StoreFormatError' || e.className === 'RunNotFoundError' ? null : Promise.reject(e))))?.close();

    delete process.env.PGPASSWORD;
    const pgpass = path.join(tempDir(), 'pgpass');
    fs.writeFileSync(pgpass, `127.0.0.1:${port()}:*:${ODD_SECRET_ROLE}:${ODD_SECRET.replace(/:/g, '\\:')}\n`, { mode: 0o600 });
    process.env.PGPASSFILE = pgpass;
    await (await openStore(url).catch((e: InspectorError) => (e.className === 'StoreFormatError' || e.className === 'RunNotFoundError' ? null : Promise.reject(e))))?.close();
  });
});

describe('a server that stalls before it is ready for queries', () => {
  const saved = process.env.RUN_INSPECTOR_PG_TIMEOUT_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.RUN_INSPECTOR_PG_TIMEOUT_MS;
    else process.env.RUN_INSPECTOR_PG_TIMEOUT_MS = saved;
  });

  /** Accepts TCP, then answers the SSL request with `ssl` ('S': go on with TLS, 'N': plain) and never anything else. */
  async function stallingServer(ssl: 'S' | 'N'): Promise<net.Server> {
    const server = net.createServer((socket) => {
      socket.on('data', (d) => {
        if (d.length === 8 && d.readInt32BE(4) === 80877103) socket.write(ssl);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return server;
  }

  it.each([
    ['in TLS', 'S', '?sslmode=require'],
    ['in authentication', 'N', ''],
  ] as const)('stalled %s: StoreConnectionError within the connect timeout, for reads and for a destination', async (_label, ssl, query) => {
    process.env.RUN_INSPECTOR_PG_TIMEOUT_MS = '1500';
    const server = await stallingServer(ssl);
    try {
      const url = `postgres://u:pw@127.0.0.1:${(server.address() as net.AddressInfo).port}/db${query}`;
      const t0 = Date.now();
      const err = await openError(url);
      expect(err.className).toBe('StoreConnectionError');
      expect(err.whatFailed).toMatch(/did not answer within 2 s/);
      const res = await cli(['migrate', '--from', 'sqlite:///demo.db', '--to', url], copyFixture('demo').dir);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^StoreConnectionError: .*did not answer within 2 s/s);
      expect(Date.now() - t0).toBeLessThan(20_000); // two opens at 1.5 s each, not minutes
    } finally {
      server.close();
    }
  });
});

describe('the CLI on a terminal', () => {
  it('asks for the password (not echoed) when neither the URL, PGPASSWORD nor ~/.pgpass has it', async () => {
    const { spawn } = await import('node:child_process');
    const cliJs = path.resolve(__dirname, '../../out/main/cli.js');
    const url = `postgres://${ODD_SECRET_ROLE}@127.0.0.1:${port()}/postgres`;
    const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: path.join(tempDir(), 'none') };
    delete env.PGPASSWORD;
    // `script` gives the command a pseudo-terminal, as a user's shell would.
    const child = spawn('script', ['-qfec', `${process.execPath} ${cliJs} inspect ${url}`, '/dev/null'], { env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes(`Password for ${ODD_SECRET_ROLE}@127.0.0.1:${port()}: `) && !out.includes('typed')) {
        out += '(typed)';
        child.stdin.write(`${ODD_SECRET}\r`);
      }
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(out).toContain('Password for');
    expect(out).not.toContain('p@ss/w#rd'); // not echoed
    expect(out).not.toMatch(/password authentication failed|StoreConnectionError/);
    expect(code).toBe(3); // logged in: the empty postgres database holds no runs
  });
});
