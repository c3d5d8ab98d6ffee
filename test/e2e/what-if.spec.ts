/** What-if from the event detail: the graph without an event and what it caused, said plainly to be a projection. */
import { expect, test } from '@playwright/test';
import { manifest, shot } from './helpers';
import { serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

test('leave out an object creation and what it caused; see what the graph loses', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_004"]').click();
  await page.getByTestId('event-detail').getByRole('button', { name: 'What if not…' }).click();
  const dialog = page.getByRole('dialog', { name: 'What if' });
  await expect(dialog.getByTestId('projection-note')).toContainText('not a replay of behaviors');
  const changes = dialog.getByTestId('what-if-changes');
  await expect(changes.locator('[data-kind="only-real"]').first()).toBeVisible();
  await expect(changes).toContainText('question#2');
  const withAll = Number(await dialog.getByTestId('what-if-summary').locator('.card').first().locator('.num').textContent());
  await shot(page, 'what-if-01');
  await dialog.getByLabel('with consequences').uncheck();
  await expect(dialog.getByTestId('what-if-summary').locator('.card').first().locator('.num')).toHaveText('1');
  expect(withAll).toBeGreaterThan(1);
  // Without its consequences, question#2 is never created but the relation to it is: said, not silently kept.
  await expect(dialog.getByTestId('what-if-dangling')).toContainText('points at an object this what-if removed');
  await shot(page, 'what-if-02-dangling');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
