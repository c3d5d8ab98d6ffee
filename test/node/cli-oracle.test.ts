/**
 * Every recorded Active Graph CLI output in ../shared/fixtures/activegraph reproduced by our CLI
 * on SQLite (migrate lives in migrate.test.ts). Documented deviations (spec/README.md): schema
 * mismatch and corrupted payloads exit 4 with a structured error instead of a traceback; an
 * unknown run id exits 3 and writes nothing.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { STORES, copyFixture, oracle, oracleOutput, sha256File } from '../support/fixtures.js';

for (const store of STORES) {
  describe(`oracle: ${store}.db`, () => {
    for (const cmd of oracle(store).commands.filter((c) => !c.argv.includes(' migrate '))) {
      it(`${cmd.n} ${cmd.slug}: ${cmd.argv}`, async () => {
        const { dir, file } = copyFixture(store);
        const before = sha256File(file);
        const runsBefore = fs.statSync(file).size;
        const res = await cli(cmd.argv.split(' ').slice(1), dir);
        const expectedStdout = oracleOutput(store, cmd.stdout);
        const expectedStderr = oracleOutput(store, cmd.stderr);
        expect(res.stderr).not.toMatch(/Traceback|    at /);

        if (cmd.exit_code === 1 && /SchemaVersionMismatch|CorruptedEventPayloadError/.test(expectedStderr)) {
          // Documented contract: exit 4 with the same structured error class, no traceback.
          expect(res.code).toBe(4);
          const cls = /SchemaVersionMismatch/.test(expectedStderr) ? 'SchemaVersionMismatch' : 'CorruptedEventPayloadError';
          expect(res.stderr.startsWith(`${cls}: `)).toBe(true);
          expect(res.stderr).toContain('What failed:');
          expect(res.stderr).toContain('How to fix:');
          expect(res.stdout).toBe('');
        } else if (cmd.slug === 'unknown_run_id') {
          expect(res.code).toBe(3);
          expect(res.stderr).toContain('RunNotFoundError');
          expect(res.stdout).toBe('');
        } else {
          expect(res.code).toBe(cmd.exit_code);
          // SQLite keeps Active Graph's key order and number forms: byte-identical, not just equal values.
          expect(res.stdout).toBe(expectedStdout);
          if (cmd.exit_code !== 0) expect(res.stderr).toBe(expectedStderr);
        }
        expect(sha256File(file)).toBe(before);
        expect(fs.statSync(file).size).toBe(runsBefore);
      });
    }
  });
}
