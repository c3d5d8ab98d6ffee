/** When the server goes away: one "connection lost — retrying" state with backoff (no storm), and a clear word when it comes back with a new token. */
import { expect, test } from '@playwright/test';
import { fixtureCopy } from './helpers';
import { serve } from './serve';

test('a lost server is retried with backoff; a restarted one asks for its new URL', async ({ page }) => {
  const first = await serve(`sqlite:///${fixtureCopy('demo')}`);
  const port = Number(new URL(first.origin).port);
  await page.goto(first.url);
  await expect(page.locator('[data-run-id]').first()).toBeVisible();
  await expect(page.locator('.row[data-event-id]').first()).toBeVisible(); // the row clicked below, once the server is gone
  await first.stop();

  let requests = 0;
  page.on('request', (r) => r.url().includes('/api/') && requests++);
  await page.locator('.row[data-event-id]').first().click(); // a call that finds the server gone
  await expect(page.getByTestId('connection')).toContainText('Connection to the server lost — retrying');
  await page.waitForTimeout(4000);
  expect(requests).toBeLessThan(15); // a probe with backoff, not ~220 requests a second
  await expect(page.getByTestId('error')).toHaveCount(0);

  const second = await serve(`sqlite:///${fixtureCopy('demo')}`, undefined, port);
  try {
    await expect(page.getByTestId('connection')).toContainText('restarted with a new token', { timeout: 20_000 });
  } finally {
    await second.stop();
  }
});

test('a link opened in a browser that was never given the token says so, not that the server restarted', async ({ browser }) => {
  const server = await serve(`sqlite:///${fixtureCopy('demo')}`);
  const fresh = await browser.newContext(); // nothing in its storage: no token
  try {
    const page = await fresh.newPage();
    await page.goto(`${server.origin}/?run=anything&event=evt_001`);
    await expect(page.getByTestId('connection')).toContainText('no access token for this server yet');
    await expect(page.getByTestId('connection')).not.toContainText('restarted');
    // Once its URL has been opened in this browser, the link works.
    await page.goto(server.url);
    await expect(page.locator('[data-run-id]').first()).toBeVisible();
    await page.goto(`${server.origin}/`);
    await expect(page.getByTestId('connection')).toHaveCount(0);
    await expect(page.locator('[data-run-id]').first()).toBeVisible();
  } finally {
    await fresh.close();
    await server.stop();
  }
});
