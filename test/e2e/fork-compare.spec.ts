/** Fork at an event and compare the fork with its parent, visually. */
import { expect, test } from '@playwright/test';
import { fixtureCopy, manifest, shot } from './helpers';
import { serve, type Served } from './serve';

const demo = manifest('demo');
let server: Served;
test.beforeAll(async () => {
  server = await serve(`sqlite:///${fixtureCopy('demo')}`);
});
test.afterAll(async () => server.stop());

test('fork from an event, see it under its parent, compare it with the parent', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_020"]').click();
  await page.getByTestId('event-detail').getByRole('button', { name: 'Fork here…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fork run' });
  await expect(dialog).toContainText('evt_020');
  await dialog.getByLabel('fork label').fill('what-if');
  await shot(page, 'fork-01-dialog');
  await dialog.getByRole('button', { name: 'Fork', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The new run sits under its parent, is selected, and shows where it branched.
  const child = page.locator(`li:has(> [data-run-id="${demo.runs.main}"]) > ul [data-run-id]`).filter({ hasText: 'what-if' });
  await expect(child).toBeVisible();
  await expect(child).toHaveClass(/active/);
  await expect(child).toContainText('at evt_020');
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '20');
  await expect(page.locator('.run-title')).toContainText('at evt_020');
  await shot(page, 'fork-02-new-run');

  // Compare the fork with its parent: one click.
  await page.getByRole('button', { name: 'compare with parent' }).click();
  const summary = page.getByTestId('diff-summary');
  await expect(summary).toBeVisible();
  // The fork is a strict prefix of its parent: everything shared, nothing fork-only.
  await expect(summary.locator('.card').filter({ hasText: 'only in B' }).locator('.num')).toHaveText('0');
  await expect(page.getByTestId('divergence')).toContainText('B with nothing');
  await shot(page, 'fork-03-compare-prefix');

  // A real divergence: main vs fork_a, against the diff Active Graph recorded (30/28/26/4/6).
  await page.getByLabel('run A').selectOption(demo.runs.main);
  await page.getByLabel('run B').selectOption(demo.runs.fork_a);
  await expect(summary.locator('.card').filter({ hasText: 'shared events' }).locator('.num')).toHaveText('30');
  await expect(summary.locator('.card').filter({ hasText: 'only in A' }).locator('.num')).toHaveText('28');
  await expect(summary.locator('.card').filter({ hasText: 'only in B' }).locator('.num')).toHaveText('26');
  await expect(summary.locator('.card').filter({ hasText: 'divergent objects' }).locator('.num')).toHaveText('4');
  await expect(summary.locator('.card').filter({ hasText: 'divergent relations' }).locator('.num')).toHaveText('6');
  await expect(page.getByTestId('divergence')).toContainText('A continues with');
  await expect(page.getByTestId('aligned').locator('.pair').first()).toBeVisible();
  // Both logs after the divergence point are there to their ends (main ends at evt_097, fork_a at evt_095).
  await expect(page.getByTestId('aligned').locator('.side-a', { hasText: 'evt_097' })).toHaveCount(1);
  await expect(page.getByTestId('aligned').locator('.side-b', { hasText: 'evt_095' })).toHaveCount(1);
  // The coloured graph diff: only-in-A, only-in-B and changed elements are all there.
  await expect.poll(() => page.evaluate(() => (window as any).__cyDiff?.elements('.only-b').length)).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as any).__cyDiff.elements('.changed').length)).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as any).__cyDiff.elements('.only-a').length)).toBeGreaterThan(0);
  // Field-level old/new on click of a changed object.
  const box = await page.getByTestId('diff-graph').boundingBox();
  const pos = await page.evaluate(() => (window as any).__cyDiff.nodes('.changed').first().renderedPosition());
  await page.mouse.click(box!.x + pos.x, box!.y + pos.y);
  await expect(page.locator('.graph-pick .diff-table')).toBeVisible();
  await shot(page, 'fork-04-compare-diverged');
});
