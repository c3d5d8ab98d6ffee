/**
 * The fixture stores loaded into a real PostgreSQL, and Active Graph's recorded outputs
 * reproduced from there. Differences Active Graph itself has on Postgres (spec §3) are allowed
 * for: timestamps re-rendered as `+00:00`, and JSONB key order (JSON compared as values).
 * corrupted.db cannot exist in Postgres (JSONB refuses invalid JSON); archived.db's compacted run
 * needs the SQLite-only snapshot tier, so only its plain runs are replayed here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pyParse, toPlain } from '../../src/main/base/pyjson.js';
import { cli } from '../support/cli.js';
import { expectSameOutput } from '../support/compare.js';
import { FIXTURES, oracle, oracleOutput, tempDir, type StoreName } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';
import path from 'node:path';

const pyTimestamps = (s: string): string => s.replace(/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+00:00/g, '$1Z');

function expectSameEventText(actual: string, expected: string): void {
  const [headA, payloadA] = actual.split('payload:\n');
  const [headE, payloadE] = expected.split('payload:\n');
  expect(headA).toBe(headE);
  expect(toPlain(pyParse(payloadA!.trim()))).toEqual(toPlain(pyParse(payloadE!.trim())));
}

const cases: { store: StoreName; skip: (argv: string) => boolean }[] = [
  { store: 'demo', skip: (a) => a.includes('does_not_exist') },
  { store: 'schema_mismatch', skip: (a) => a.includes('does_not_exist') },
  { store: 'archived', skip: (a) => a.includes('does_not_exist') || a.includes('01M80AKMK1SNEVQPF1HQP96YE6') || !a.includes('--run-id') },
];

for (const { store, skip } of cases) {
  describe(`postgres oracle: ${store}.db`, () => {
    let url = '';
    beforeAll(async () => {
      url = await freshDatabase(store);
      await loadSqliteIntoPostgres(path.join(FIXTURES, `${store}.db`), url);
    });
    for (const cmd of oracle(store).commands.filter((c) => !c.argv.includes(' migrate ') && !skip(c.argv))) {
      it(`${cmd.n} ${cmd.slug}`, async () => {
        const argv = cmd.argv.replace(`sqlite:///${store}.db`, url).split(' ').slice(1);
        const res = await cli(argv, tempDir());
        const expectedStdout = oracleOutput(store, cmd.stdout);
        const expectedStderr = oracleOutput(store, cmd.stderr);
        expect(res.stderr).not.toMatch(/Traceback|    at /);
        if (cmd.exit_code === 1 && /SchemaVersionMismatch/.test(expectedStderr)) {
          expect(res.code).toBe(4);
          expect(res.stderr).toMatch(/^SchemaVersionMismatch: postgres store schema_version '999'/);
        } else if (cmd.slug === 'unknown_run_id') {
          expect(res.code).toBe(3);
        } else {
          expect(res.code).toBe(cmd.exit_code);
          const stdout = pyTimestamps(res.stdout);
          if (/^event\d_text$/.test(cmd.slug)) expectSameEventText(stdout, expectedStdout);
          else expectSameOutput(stdout, expectedStdout);
          if (cmd.exit_code !== 0) expect(res.stderr).toBe(expectedStderr);
        }
      });
    }
  });
}
