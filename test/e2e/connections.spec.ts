/** Connecting to Postgres from the UI, and saved connections (browser mode never keeps passwords). */
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { removeCluster, startCluster, type PgCluster } from '../support/throwaway-postgres.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';
import { FIXTURES, manifest, shot } from './helpers';
import { serve, type Served } from './serve';
import path from 'node:path';

let cluster: PgCluster;
let server: Served;
test.beforeAll(async () => {
  cluster = await startCluster();
  server = await serve();
});
test.afterAll(async () => {
  await server?.stop();
  if (cluster) removeCluster(cluster);
});

test('connect with fields, save the connection, reconnect with a typed password', async ({ page }) => {
  const demo = manifest('demo');
  const url = await cluster.createDatabase('shared_runs');
  await loadSqliteIntoPostgres(path.join(FIXTURES, 'demo.db'), url);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('GRANT ALL ON ALL TABLES IN SCHEMA public TO secured');
  await admin.end();

  await page.goto(server.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open store' });
  await dialog.getByLabel('postgres port').fill(String(cluster.port));
  await dialog.getByLabel('postgres database').fill('shared_runs');
  await dialog.getByLabel('postgres user').fill('secured');
  await dialog.getByLabel('postgres password').fill('right-password');
  await dialog.getByLabel('save connection as').fill('shared');
  await dialog.getByLabel('save password').check();
  await dialog.locator('.buttons').getByRole('button', { name: 'Connect' }).click();
  // Connected; browser mode has no keyring, so it says the password was not kept.
  await expect(page.locator('.store-url')).toContainText(`postgres://secured:***@127.0.0.1:${cluster.port}/shared_runs`);
  await expect(page.locator(`[data-run-id="${demo.runs.main}"]`)).toBeVisible();
  await expect(page.getByTestId('notice')).toContainText('The password was not saved');
  await shot(page, 'connections-01-connected');

  // The saved connection is listed without a password; connecting needs it typed again.
  await page.getByRole('button', { name: 'Open…' }).click();
  const saved = page.getByTestId('saved-connections');
  await expect(saved).toContainText('shared');
  await expect(saved).not.toContainText('right-password');
  await saved.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('error')).toContainText('the server asks for a password and none was given');
  await saved.getByLabel('password for shared').fill('right-password');
  await saved.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('dialog', { name: 'Open store' })).toBeHidden();
  await shot(page, 'connections-02-saved');
});
