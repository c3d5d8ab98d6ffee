/** A run written by another process while it is open: the timeline and status follow within 2 s. */
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fixtureCopy, manifest, ROOT, shot } from './helpers';
import { serve, type Served } from './serve';

const demo = manifest('demo');
let server: Served;
let file: string;
test.beforeAll(async () => {
  file = fixtureCopy('demo');
  server = await serve(`sqlite:///${file}`);
});
test.afterAll(async () => server.stop());

test('new events appear without user action, keeping the reader in place', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  const body = page.locator('.timeline-body');
  await expect(body).toHaveAttribute('data-total', '97');
  await page.locator('.row[data-event-id="evt_010"]').click();
  await page.getByRole('tab', { name: 'Status' }).click();
  await expect(page.getByTestId('events-processed')).toHaveText('97');

  const writer = spawn(process.execPath, [path.join(ROOT, 'test/e2e/live-writer.mjs'), file, demo.runs.main, '3', '400'], { stdio: 'inherit' });
  const exited = new Promise((r) => writer.on('exit', r));
  // The first batch (2 events) must show within 2 s, with no click.
  await expect(body).toHaveAttribute('data-total', /^(99|101|103)$/, { timeout: 2_000 });
  await expect(page.getByTestId('events-processed')).toHaveText(/^(99|101|103)$/, { timeout: 2_000 });
  await exited;
  await expect(body).toHaveAttribute('data-total', '103', { timeout: 2_000 });
  await expect(page.getByTestId('events-processed')).toHaveText('103', { timeout: 2_000 });
  // The reader's place is kept.
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_010');
  await page.getByRole('tab', { name: 'Event' }).click();
  await page.locator('.timeline-body').focus();
  await page.keyboard.press('End');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_103');
  await expect(page.getByTestId('event-detail')).toContainText('runtime.idle');
  await shot(page, 'live-01-after-writer');
});
