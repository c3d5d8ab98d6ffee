/** Per-test databases on the shared throwaway cluster. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export function pgUrl(db = 'postgres', user = 'postgres', password?: string): string {
  return `postgres://${user}${password ? ':' + password : ''}@127.0.0.1:${inject('pgPort')}/${db}`;
}

export async function freshDatabase(prefix = 't'): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: pgUrl() });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return pgUrl(name);
}

export { pgQuery } from './throwaway-postgres.js';
