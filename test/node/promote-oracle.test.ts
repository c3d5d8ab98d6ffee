/**
 * Active Graph's own `promote` on the demo store (demo.promote-oracle/), reproduced: every
 * parent/fork pair dry-run and applied, text and --json, conflicts (exit 5, nothing written),
 * lineage and run errors (exit 3), usage errors (exit 2), and on the promoted store the replay,
 * diff and second promote Active Graph ran after each apply. Commands with `"fresh": false` run on
 * the store the previous command left. Deliberate difference (spec/README.md): our hints name
 * commands that exist (`inspect --json`), Active Graph's name an `inspect --runs` it does not have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { expectSameOutput } from '../support/compare.js';
import { FIXTURES, copyFixture, sha256File, tempDir } from '../support/fixtures.js';

const ORACLE = path.join(FIXTURES, 'demo.promote-oracle');
const recorded = JSON.parse(fs.readFileSync(path.join(ORACLE, 'commands.json'), 'utf8')) as {
  commands: { n: number; slug: string; argv: string; exit_code: number; stdout: string; stderr: string; fresh: boolean }[];
};
const read = (file: string): string => fs.readFileSync(path.join(ORACLE, file), 'utf8');

/** The "What failed:" block of a rendered structured error. */
const whatFailed = (text: string): string => text.split('\nWhat failed:\n')[1]?.split('\n\nWhy:\n')[0] ?? '';

describe('oracle: promote on demo.db', () => {
  let dir = '';
  for (const cmd of recorded.commands) {
    it(`${cmd.n} ${cmd.slug}: ${cmd.argv}`, async () => {
      if (cmd.fresh !== false) dir = copyFixture('demo', tempDir()).dir;
      const file = path.join(dir, 'demo.db');
      const before = sha256File(file);
      const res = await cli(cmd.argv.split(' ').slice(1), dir);
      const stdout = read(cmd.stdout);
      const stderr = read(cmd.stderr);
      expect(res.code, res.stderr).toBe(cmd.exit_code);
      expect(res.stderr).not.toMatch(/Traceback|\n\s+at /);

      if (cmd.slug === 'promote_help') {
        for (const flag of ['--run-id', '--from-run', '--dry-run', '--json']) expect(res.stdout).toContain(flag);
        return;
      }
      expectSameOutput(res.stdout, stdout);
      const firstLine = stderr.split('\n')[0]!;
      if (/^(Promote\w+Error|InvalidStoreURL): /.test(firstLine)) {
        expect(res.stderr.split('\n')[0]).toBe(firstLine);
        expect(whatFailed(res.stderr)).toBe(whatFailed(stderr));
        expect(res.stderr).toContain('How to fix:');
      } else if (/no such run in/.test(firstLine)) {
        expect(res.stderr.split(' (')[0]).toBe(firstLine.split(' (')[0]);
      } else if (cmd.exit_code === 2) {
        expect(res.stderr).toMatch(/--from-run/);
      } else {
        expect(res.stderr).toBe(stderr);
      }
      // Only an applied promotion writes, and only into the parent's run.
      const applied = cmd.exit_code === 0 && !cmd.argv.includes('--dry-run') && cmd.argv.includes(' promote ');
      if (!applied && fs.existsSync(file)) expect(sha256File(file)).toBe(before);
      if (cmd.slug === 'missing_store') expect(fs.existsSync(path.join(dir, 'does_not_exist.db'))).toBe(false);
    });
  }
});
