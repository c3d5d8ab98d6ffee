/**
 * A throwaway PostgreSQL 15 cluster for tests and benchmarks: initdb in a temp dir, a free loopback port,
 * started and stopped by the harness itself (as the postgres user when running as root).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const PGBIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

function asPostgres(cmd: string, args: string[]): string {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A role whose password holds every character a URL's userinfo would cut at, unencoded. */
export const ODD_SECRET_ROLE = 'odd_secret';
export const ODD_SECRET = 'p@ss/w#rd?x:y%z';

export interface PgCluster {
  port: number;
  dir: string;
  /** URL of a database on this cluster. */
  url(db?: string, user?: string, password?: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): void;
  start(): void;
}

/** Starting and stopping the server of the cluster in `dir` on a loopback `port`, and its URLs. */
function serverControls(dir: string, port: number, extra: string): Pick<PgCluster, 'start' | 'stop' | 'url'> {
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off ${extra}`;
  return {
    start: () => void asPostgres(path.join(PGBIN, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', opts, 'start']),
    stop: () => {
      try {
        asPostgres(path.join(PGBIN, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', '-t', '30', 'stop']);
      } catch {
        /* already stopped */
      }
    },
    url: (db = 'postgres', user = 'postgres', password?: string) => `postgres://${user}${password ? ':' + password : ''}@127.0.0.1:${port}/${db}`,
  };
}

/** A new cluster in a temp folder, or (`dir`) the cluster kept in that folder, created there the first time (the benchmarks' stores). */
export async function startCluster(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pg-'))): Promise<PgCluster> {
  fs.mkdirSync(dir, { recursive: true });
  if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  const fresh = !fs.existsSync(path.join(dir, 'data', 'PG_VERSION'));
  if (fresh) asPostgres(path.join(PGBIN, 'initdb'), ['-D', path.join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  // Password auth over TCP for one role, so wrong-password handling is testable against a real server.
  fs.appendFileSync(path.join(dir, 'data', 'pg_hba.conf'), '');
  const hba = path.join(dir, 'data', 'pg_hba.conf');
  if (fresh) fs.writeFileSync(hba, `host all secured,${ODD_SECRET_ROLE} 127.0.0.1/32 scram-sha-256\n` + fs.readFileSync(hba, 'utf8'));
  const { start, stop, url } = serverControls(dir, port, '-c synchronous_commit=off -c full_page_writes=off');
  start();
  const admin = new pg.Client({ connectionString: url() });
  await admin.connect();
  if (fresh) {
    await admin.query(`CREATE ROLE secured LOGIN SUPERUSER PASSWORD 'right-password'`);
    await admin.query(`CREATE ROLE ${ODD_SECRET_ROLE} LOGIN SUPERUSER PASSWORD '${ODD_SECRET.replace(/'/g, "''")}'`);
  }
  await admin.end();
  return {
    port,
    dir,
    url,
    async createDatabase(name: string): Promise<string> {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      await c.end();
      return url(name);
    },
    start,
    stop() {
      stop();
    },
  };
}

export function removeCluster(c: PgCluster): void {
  c.stop();
  fs.rmSync(c.dir, { recursive: true, force: true });
}

/**
 * A hot standby of `primary` (pg_basebackup -R: standby.signal and the primary's conninfo), on a
 * loopback port of its own, streaming from the primary: read-only, as a team's replica is.
 */
export async function startStandby(primary: PgCluster): Promise<PgCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-pg-standby-'));
  if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  asPostgres(path.join(PGBIN, 'pg_basebackup'), [
    '-D',
    path.join(dir, 'data'),
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  const { start, stop, url } = serverControls(dir, port, '-c hot_standby=on');
  start();
  return {
    port,
    dir,
    url,
    createDatabase: () => Promise.reject(new Error('a standby is read-only: create databases on its primary')),
    start,
    stop,
  };
}

/** One statement on its own connection. */
export async function pgQuery<T extends pg.QueryResultRow = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}
