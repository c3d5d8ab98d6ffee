/** The waterfall: spans on a time axis, zoomed and panned, a click selects the event. */
import { expect, test } from '@playwright/test';
import { manifest, shot } from './helpers';
import { serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

test('the waterfall draws the run’s spans; keys zoom and pan; a click on a bar selects its event', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.getByLabel('waterfall', { exact: true }).check();
  const wf = page.getByTestId('waterfall');
  await expect(wf).toContainText(/\d+ spans|behavior/);
  await expect.poll(() => wf.getAttribute('data-painted').then(Number)).toBeGreaterThan(0);
  await shot(page, 'waterfall-01-run');
  // The planner's execution is the first bar of the first lane: click it, its event is selected.
  const main = wf.locator('canvas.waterfall-main');
  const box = (await main.boundingBox())!;
  await page.mouse.click(box.x + 160, box.y + 16 + 9); // past the lane labels (120 px), inside the first lane
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_002');
  // Zoom in with the keyboard and come back to the whole run: each is drawn anew.
  const painted = Number(await wf.getAttribute('data-painted'));
  await wf.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => wf.getAttribute('data-painted').then(Number)).toBeGreaterThan(painted);
  await shot(page, 'waterfall-02-zoomed');
  await page.keyboard.press('0');
  // Remembered: the waterfall is there after a reload.
  await page.reload();
  await expect(page.getByTestId('waterfall')).toBeVisible();
});
