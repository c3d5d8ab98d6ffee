#!/usr/bin/env node
// Runs every test suite (vitest: engine, CLI, Postgres, contract, server; Playwright: the UI in
// Debian's Chromium; the Electron smoke test, which says plainly when it is skipped) and ends with
// one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
// Every temp file of the run (store copies, throwaway Postgres clusters, the served app's caches)
// goes under one folder, removed at the end: a run leaves nothing behind, even when a test does.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-tests-'));
fs.chmodSync(tmp, 0o755); // the throwaway clusters run as the postgres user
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TMPDIR: tmp } }).status ?? 1;

let passed = 0;
let failed = 0;

// The shared fixtures are read-only inputs: tests work on copies. Check that nothing changed there.
const fixtures = path.resolve(root, '..', 'shared', 'fixtures');
const fixtureState = () =>
  fs.existsSync(fixtures)
    ? fs
        .readdirSync(fixtures, { recursive: true })
        .sort()
        .map((f) => {
          const st = fs.statSync(path.join(fixtures, String(f)));
          return `${f} ${st.size} ${st.mtimeMs}`;
        })
    : [];
const fixturesBefore = fixtureState().join('\n');

const vitestJson = path.join(results, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
const vitestCode = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (fs.existsSync(vitestJson)) {
  const v = JSON.parse(fs.readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests + (v.numTotalTestSuites > 0 && vitestCode !== 0 && v.numFailedTests === 0 ? 1 : 0);
} else failed += 1;

const pwJson = path.join(results, 'playwright.json');
fs.rmSync(pwJson, { force: true });
const pwCode = run(bin('playwright'), ['test']);
if (fs.existsSync(pwJson)) {
  const p = JSON.parse(fs.readFileSync(pwJson, 'utf8'));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  if (pwCode !== 0 && p.stats.unexpected === 0) failed += 1;
} else failed += 1;

const electronCode = run(process.execPath, [path.join(root, 'test/electron/smoke.mjs')]);
if (electronCode === 0) passed += 1;
else if (electronCode !== 77) failed += 1; // 77: skipped, no Electron binary (printed by the test)

const fixturesAfter = fixtureState().join('\n');
if (fixturesAfter === fixturesBefore) passed += 1;
else {
  failed += 1;
  console.log(`shared fixtures were modified by the tests:\n${fixturesAfter}`);
}

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
