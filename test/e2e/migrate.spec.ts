/** The migration wizard: a fixture store into a throwaway Postgres, with progress and the verified report. */
import { expect, test } from '@playwright/test';
import { removeCluster, startCluster, type PgCluster } from '../support/throwaway-postgres.js';
import { fixtureCopy, manifest, shot } from './helpers';
import { serve, type Served } from './serve';

let server: Served;
let cluster: PgCluster;
test.beforeAll(async () => {
  cluster = await startCluster();
  server = await serve(`sqlite:///${fixtureCopy('archived')}`);
});
test.afterAll(async () => {
  await server?.stop();
  if (cluster) removeCluster(cluster);
});

test('migrate a store into Postgres through the wizard, then open the result', async ({ page }) => {
  const archived = manifest('archived');
  const dest = await cluster.createDatabase('wizard');
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate runs' });
  await dialog.getByLabel('migration destination').fill(dest);
  await shot(page, 'migrate-01-wizard');
  await dialog.getByRole('button', { name: /^Migrate 3 runs$/ }).click();
  const report = dialog.getByTestId('migration-report');
  await expect(dialog.getByTestId('migration')).toContainText('Finished', { timeout: 30_000 });
  await expect(report.locator('tbody tr')).toHaveCount(3);
  await expect(report.locator('tbody tr.ok')).toHaveCount(3);
  // The compacted run carried its archive and snapshot, and every run verified.
  await expect(report.locator('tr', { has: page.locator(`td[title="${archived.runs.compacted}"]`) })).toContainText('1 snapshot(s)');
  await expect(report.locator('td', { hasText: '✓' })).toHaveCount(3);
  await shot(page, 'migrate-02-report');

  await dialog.getByRole('button', { name: 'Open destination' }).click();
  await expect(page.locator('.store-url')).toContainText('postgres');
  await page.locator(`[data-run-id="${archived.runs.compacted}"]`).click();
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '60');
  // The compacted run replays at the destination: its graph is seeded from the carried snapshot.
  await page.locator('.row[data-event-id="evt_064"]').click();
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('graph-meta')).toContainText(/graph \d+ objects/);
  await expect(page.getByTestId('graph-meta')).not.toContainText('graph 0 objects');
  await shot(page, 'migrate-03-opened-postgres');
});

test('a wizard opened before the run list arrives takes in every run the list then shows', async ({ page }) => {
  // The run list is held back until the wizard is open (a slow store, or a busy host).
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/listRuns', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate runs' });
  await expect(dialog.getByRole('button', { name: /^Migrate 0 runs$/ })).toBeVisible();
  release();
  await expect(dialog.getByRole('button', { name: /^Migrate 3 runs$/ })).toBeVisible();
  await expect(dialog.getByRole('checkbox', { name: 'all runs' })).toBeChecked();
});
