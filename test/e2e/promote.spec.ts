/** Promote a fork into its parent from the app: the plan, conflicts explained, apply, the marker in the parent's timeline. */
import { expect, test } from '@playwright/test';
import { manifest, shot } from './helpers';
import { serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

test('a conflicted fork explains each conflict and cannot be applied', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.fork_a}"]`).click();
  await page.getByRole('button', { name: 'promote into parent…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Promote into parent' });
  await expect(dialog.getByTestId('promote-summary').locator('.card.bad .num')).toHaveText('4');
  const conflict = dialog.locator('[data-change="conflict"][data-entity-id="claim#10"]');
  await expect(conflict).toContainText('created independently on both sides');
  // Conflicts come first; what to do about each kind is said once, above them.
  const changes = dialog.getByTestId('promote-changes').locator('[data-change]');
  const kinds = await changes.evaluateAll((els) => els.map((e) => e.getAttribute('data-change')));
  expect(kinds.slice(0, 4)).toEqual(['conflict', 'conflict', 'conflict', 'conflict']);
  expect(kinds.slice(4)).not.toContain('conflict');
  await expect(dialog.getByTestId('promote-remedies')).toContainText('Fork again from the parent');
  await expect(dialog.getByText('Fork again from the parent')).toHaveCount(1);
  await expect(dialog.getByRole('button', { name: 'Promote', exact: true })).toBeDisabled();
  await shot(page, 'promote-01-conflicts');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a clean fork is promoted after confirmation; the parent shows the marker', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.fork_c_of_b}"]`).click();
  await page.getByRole('button', { name: 'promote into parent…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Promote into parent' });
  const changes = dialog.getByTestId('promote-changes');
  await expect(changes.locator('[data-change="created"]')).toHaveCount(9);
  await expect(changes.locator('[data-entity-id="claim#8"]')).toContainText('verified');
  await shot(page, 'promote-02-plan');
  const apply = dialog.getByRole('button', { name: 'Promote', exact: true });
  await expect(apply).toBeDisabled();
  await dialog.getByLabel('confirm promotion').check();
  await apply.click();
  await expect(dialog).toBeHidden();
  // The parent is selected, with the marker event selected in its timeline.
  await expect(page.locator(`[data-run-id="${demo.runs.fork_b}"]`)).toHaveClass(/active/);
  await expect(page.getByTestId('event-detail')).toContainText('promote.applied');
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '22');
  // The block reads as one: the marker, then its delta events bracketed under it, each naming the marker.
  const marker = page.locator('.row.promote-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toContainText(`promoted from ${demo.runs.fork_c_of_b}`);
  const markerId = await marker.getAttribute('data-event-id');
  await expect(page.locator('.row.promote-block').first()).toContainText(`↳ ${markerId}`);
  expect(await page.locator('.row.promote-block').count()).toBeGreaterThan(0);
  await shot(page, 'promote-03-marker');
});
