/**
 * The run list of a team's store of 10,001 runs (forks among them): it paints at once, keeps only
 * what is in view in the page, and filters, sorts and folds the whole list; counts fill in.
 */
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIG_TEAM_RUN, buildTeamStore, type TeamRun } from '../../src/main/synthetic/team-store.js';
import { shot } from './helpers';
import { serve, type Served } from './serve';

let server: Served;
let file: string;
let runs: TeamRun[];
test.beforeAll(async () => {
  test.setTimeout(300_000);
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-runs-')), 'team.db');
  runs = await buildTeamStore({ bigRunEvents: 3_000, runs: 10_000, runEvents: 12, concurrent: 10, forkShare: 0.4, seed: 5 }, null, file);
  server = await serve(`sqlite:///${file}`);
});
test.afterAll(async () => server?.stop());

/** A question to the store itself, the ground truth the list must agree with. */
function ask<T>(sqlText: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sqlText).all(...params) as T[];
  } finally {
    db.close();
  }
}

test('ten thousand runs: painted at once, filtered, sorted and folded over the whole list', async ({ page }) => {
  await page.goto(server.url);
  const status = page.locator('.run-filter-status');
  await expect(status).toHaveText('10,001 runs');
  // Only the rows in view are in the page.
  await expect(page.locator('button.run').first()).toBeVisible();
  expect(await page.locator('button.run').count()).toBeLessThan(60);
  await shot(page, 'run-list-01-ten-thousand');

  // The last run of the store is reachable by scrolling the whole list.
  const last = runs.filter((r) => !r.parent_run_id).at(-1)!;
  await page.locator('.runs').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator(`[data-run-id="${last.run_id}"]`)).toBeVisible();
  await expect(page.locator(`[data-run-id="${last.run_id}"]`)).not.toContainText('…ev'); // its count arrived (rows in view first)

  // Sort by size: the big run leads; every row's count is known (they all fill in).
  await page.getByLabel('sort runs').selectOption('size');
  await expect(page.locator('button.run').first()).toHaveAttribute('data-run-id', BIG_TEAM_RUN);
  await expect(page.locator('button.run').first()).toContainText('3,000 ev');

  // With failures: as many runs as the store has runs with a behavior.failed event.
  const failing = ask<{ run_id: string; n: number }>(`SELECT run_id, count(*) AS n FROM events WHERE type = 'behavior.failed' GROUP BY run_id`);
  await page.getByLabel('run state').selectOption('failed');
  await expect(status).toContainText(`${failing.length.toLocaleString('en-US')} of 10,001 runs`);
  await page.getByLabel('sort runs').selectOption('failures');
  const most = failing.reduce((a, b) => (b.n > a.n ? b : a));
  await expect(page.locator('button.run').first()).toContainText(`${most.n} failed`);

  // Created on one day: the runs table's own answer.
  await page.getByRole('button', { name: 'clear' }).click();
  await expect(status).toHaveText('10,001 runs');
  const day = '2026-10-03';
  const onDay = ask<{ n: number }>(`SELECT count(*) AS n FROM runs WHERE substr(created_at, 1, 10) = ?`, day)[0]!.n;
  expect(onDay).toBeGreaterThan(0);
  await page.getByLabel('created from').fill(day);
  await page.getByLabel('created to').fill(day);
  await expect(status).toContainText(`${onDay.toLocaleString('en-US')} of 10,001 runs`);
  await page.getByRole('button', { name: 'clear' }).click();

  // A run found by text; its forks fold away and come back (the keyboard does the same).
  const parent = runs.find((r) => runs.some((c) => c.parent_run_id === r.run_id && !runs.some((g) => g.parent_run_id === c.run_id)))!;
  const forks = runs.filter((r) => r.parent_run_id === parent.run_id);
  await page.getByPlaceholder('Search runs by id, label or goal').fill(parent.run_id);
  await expect(status).toContainText('1 of 10,001 runs');
  await page.getByPlaceholder('Search runs by id, label or goal').fill('');
  await page.getByLabel('sort runs').selectOption('tree');
  // ↓ selects the next run and keeps it in view: walk down the list to the parent.
  const runButton = page.locator(`[data-run-id="${parent.run_id}"]`);
  await page.locator('button.run').first().click();
  for (let i = 0; i < 200 && !(await runButton.isVisible()); i++) await page.keyboard.press('ArrowDown');
  await expect(runButton).toBeVisible();
  await runButton.click();
  await expect(runButton).toHaveClass(/active/);
  await expect(page.locator(`[data-parent-run-id="${parent.run_id}"]`)).toHaveCount(forks.length);
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator(`[data-parent-run-id="${parent.run_id}"]`)).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(page.locator(`[data-parent-run-id="${parent.run_id}"]`)).toHaveCount(forks.length);
  await page.getByRole('button', { name: `hide the forks of ${parent.run_id}` }).click();
  await expect(page.locator(`[data-parent-run-id="${parent.run_id}"]`)).toHaveCount(0);
  await shot(page, 'run-list-02-folded');
});
