/** Active Graph's newer event types in the app: what a step read (in the detail and as graph edges), and the governance record. */
import { expect, test } from '@playwright/test';
import { fixtureCopy, manifest, shot } from './helpers';
import { serve, type Served } from './serve';
import { withNewerEvents } from '../support/newer-events';

const demo = manifest('demo');
let server: Served;
test.beforeAll(async () => {
  const file = fixtureCopy('demo');
  withNewerEvents(file, demo.runs.main);
  server = await serve(`sqlite:///${file}`);
});
test.afterAll(async () => server?.stop());

test('a context.read lists what the step read and draws it as read edges; the governance record is in Status', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.fill('[aria-label="jump to"]', 'evt_901');
  await page.press('[aria-label="jump to"]', 'Enter');
  await expect(page.locator('.row.selected[data-event-id="evt_901"]')).toBeVisible();
  const read = page.getByTestId('context-read');
  await expect(read).toContainText('verifier read 3 objects');
  await expect(read.getByRole('button')).toHaveText(['claim#9', 'source#6', 'question#2']);

  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('graph-reads')).toContainText(/verifier \(evt_901\) read 3 objects, [1-3] in view \(dashed\)/);
  await page.getByTestId('graph-list').locator('summary').click();
  await expect(page.getByTestId('graph-list').getByRole('button', { name: /verifier \(evt_901\) —read→ claim#9/ })).toBeVisible();
  await shot(page, 'newer-events-01-reads');

  await page.getByRole('tab', { name: 'Status' }).click();
  const governance = page.getByTestId('governance');
  await expect(governance).toContainText('Governance: policy decisions and overrides (3)');
  await expect(governance.locator('tr')).toHaveCount(3);
  await expect(governance).toContainText('allow web.fetch (read), ceiling read, policy default-read');
  await expect(governance).toContainText('ceiling act → suggest');
  await expect(governance).toContainText('publish (run) → act');
  await governance.getByRole('button', { name: 'evt_904' }).click();
  await expect(page.locator('.row.selected[data-event-id="evt_904"]')).toBeVisible();
  await shot(page, 'newer-events-02-governance');
  expect(errors).toEqual([]);
});
