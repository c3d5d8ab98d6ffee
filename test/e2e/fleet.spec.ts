/**
 * The fleet view in Chromium: every run of the demo store counted, the charts drawn by uPlot on a
 * canvas, the tables linking into runs, the charts saved as PNG and the runs as CSV; both themes.
 */
import { expect, test } from '@playwright/test';
import { fixtureCopy, shot } from './helpers';
import { serve } from './serve';

test('all the store’s runs: counted, charted, linked, saved', async ({ page }) => {
  const served = await serve(`sqlite:///${fixtureCopy('demo')}`);
  try {
    await page.goto(served.url);
    await expect(page.locator('[data-run-id]').first()).toBeVisible();
    await page.locator('body').press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByLabel('command').fill('fleet');
    await palette.getByLabel('command').press('Enter');
    const fleet = page.getByRole('dialog', { name: 'All the store’s runs' });
    await expect(fleet.getByTestId('fleet-progress')).toContainText(/^\d+ runs:/);
    await expect(fleet.locator('.fleet-chart canvas')).toHaveCount(2);
    for (const title of ['Most failing behaviors', 'Slowest runs', 'Costliest runs']) await expect(fleet.getByRole('heading', { name: title })).toBeVisible();
    for (const [w, h] of [
      [1024, 768],
      [1440, 900],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await shot(page, `fleet-${w}`);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'fleet-1920-dark');
    const saved: string[] = [];
    page.on('download', (d) => saved.push(d.suggestedFilename()));
    await fleet.getByRole('button', { name: 'Save the day chart (PNG)' }).click();
    await fleet.getByRole('button', { name: 'Save the runs (CSV)' }).click();
    await expect.poll(() => saved.sort()).toEqual(['fleet-per-day.png', 'fleet-runs.csv']);
    // The costliest run opens.
    const costliest = fleet.locator('section', { hasText: 'Costliest runs' }).getByRole('button').first();
    const runId = await costliest.getAttribute('title');
    await costliest.click();
    await expect(fleet).toBeHidden();
    await expect(page).toHaveURL(new RegExp(runId!));
  } finally {
    await served.stop();
  }
});
