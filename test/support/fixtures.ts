/** Access to the shared Active Graph fixtures, always through temp copies (fixtures stay untouched). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/activegraph');
export const OTHER_FIXTURES = path.resolve(FIXTURES, '../other-stores');

export const STORES = ['demo', 'archived', 'corrupted', 'schema_mismatch'] as const;
export type StoreName = (typeof STORES)[number];

export interface OracleCommand {
  n: number;
  slug: string;
  argv: string;
  exit_code: number;
  stdout: string;
  stderr: string;
}

export function oracle(store: StoreName): { commands: OracleCommand[]; runs: { run_id: string; parent: string | null; at: string | null; label: string | null }[] } {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${store}.oracle`, 'commands.json'), 'utf8'));
}

export function oracleOutput(store: StoreName, file: string): string {
  return fs.readFileSync(path.join(FIXTURES, `${store}.oracle`, file), 'utf8');
}

export function manifest(store: StoreName): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${store}.db.manifest.json`), 'utf8'));
}

export function tempDir(prefix = 'ri-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies `<store>.db` into a fresh temp dir; returns the dir and the copy's path. */
export function copyFixture(store: StoreName, dir = tempDir()): { dir: string; file: string } {
  const file = path.join(dir, `${store}.db`);
  fs.copyFileSync(path.join(FIXTURES, `${store}.db`), file);
  return { dir, file };
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
