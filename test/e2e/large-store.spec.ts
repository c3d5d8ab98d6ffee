/** The 1,000,000-event store of the benchmark: first rows appear quickly, the last event is reachable. */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { BIG_RUN, ensureBenchStore } from '../../src/main/bench/bench-store.js';
import { ROOT, shot } from './helpers';
import { serve, type Served } from './serve';

let server: Served;
test.beforeAll(async () => {
  test.setTimeout(300_000);
  const file = await ensureBenchStore(path.join(ROOT, '.bench'));
  server = await serve(`sqlite:///${file}`);
});
test.afterAll(async () => server?.stop());

test('a million-event run opens, scrolls and jumps to its last event', async ({ page }) => {
  await page.goto(server.url);
  // Found by the list's search: the bench store may hold more runs than the list shows at once (the benches' forks).
  await page.getByPlaceholder('Search runs by id, label or goal').fill(BIG_RUN);
  await page.locator(`[data-run-id="${BIG_RUN}"]`).click();
  const body = page.locator('.timeline-body');
  await expect(body).toHaveAttribute('data-total', /^\d{7}$/, { timeout: 30_000 });
  const total = Number(await body.getAttribute('data-total'));
  expect(total).toBeGreaterThanOrEqual(1_000_000);
  await expect(page.locator('.row[data-event-id]').first()).toBeVisible();
  // Only what is visible is in the DOM.
  expect(await page.locator('.row').count()).toBeLessThan(100);

  await body.focus();
  await page.keyboard.press('End');
  await expect(page.locator('.row.selected')).toHaveAttribute('aria-rowindex', String(total));
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', /^evt_\d+$/);
  const lastId = await page.locator('.row.selected').getAttribute('data-event-id');
  expect(Number(lastId!.slice(4))).toBe(total);
  await shot(page, 'large-01-last-event');

  // Scroll to the middle by dragging the scroll space: rows there load.
  await body.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  const firstRow = async () => Number(await page.locator('.row[data-event-id]').first().getAttribute('aria-rowindex'));
  await expect.poll(firstRow).toBeLessThan(total * 0.6);
  expect(await firstRow()).toBeGreaterThan(total * 0.4);

  // Jump by id deep into the run.
  await page.getByLabel('jump to').fill('evt_900000');
  await page.getByLabel('jump to').press('Enter');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_900000');
  await shot(page, 'large-02-jump');
});
