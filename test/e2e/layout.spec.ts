/** Panes that resize and collapse, a graph that can take the window, and a layout that holds at 1024 px. */
import { expect, test } from '@playwright/test';
import { manifest, shot } from './helpers';
import { serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

test('panes resize with the keyboard, collapse, and stay so after a reload; the graph maximizes with a legend', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  const right = page.locator('section.right');
  const before = (await right.boundingBox())!.width;
  const edge = page.getByRole('separator', { name: 'panel width' });
  await edge.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await right.boundingBox())!.width).toBeGreaterThan(before + 50);
  const widened = (await right.boundingBox())!.width;
  // The run list collapses with a double click on its edge, and comes back the same way.
  await page.getByRole('separator', { name: 'run list width' }).dblclick();
  await expect(page.locator('aside.sidebar')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('aside.sidebar')).toHaveCount(0);
  expect(Math.round((await page.locator('section.right').boundingBox())!.width)).toBe(Math.round(widened));
  await page.getByRole('separator', { name: 'run list width' }).dblclick();
  await expect(page.locator('aside.sidebar')).toBeVisible();

  await page.locator('.row[data-event-id="evt_011"]').click();
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('graph-legend')).toContainText('plan');
  await expect(page.getByTestId('graph-legend')).toContainText('question');
  await page.getByRole('button', { name: 'Maximize' }).click();
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  expect(canvas.width).toBeGreaterThan(1000);
  await shot(page, 'layout-01-graph-maximized');
  await page.getByRole('button', { name: 'Restore' }).click();
  expect((await page.getByTestId('graph-canvas').boundingBox())!.width).toBeLessThan(900);
});

test('at 1024 px nothing overlaps: the toolbar, the timeline head and the panel keep to their places', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await expect(page.locator('.row[data-event-id]').first()).toBeVisible();
  await shot(page, 'layout-02-1024');
  // Header cells sit side by side, inside the timeline, and the panel begins after it.
  const boxes = await page.locator('.timeline-head [role="columnheader"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right] as const));
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]).toBeGreaterThanOrEqual(boxes[i - 1]![1] - 0.5);
  const timeline = (await page.locator('.timeline').boundingBox())!;
  // What does not fit scrolls sideways inside the timeline; nothing is drawn over the panel.
  const clip = (await page.locator('.timeline-head-clip').boundingBox())!;
  expect(clip.x + clip.width).toBeLessThanOrEqual(timeline.x + timeline.width + 0.5);
  expect((await page.locator('section.right').boundingBox())!.x).toBeGreaterThanOrEqual(timeline.x + timeline.width - 0.5);
  // The toolbar keeps to one line of families however many there are.
  const families = (await page.getByRole('group', { name: 'type families' }).boundingBox())!;
  expect(families.height).toBeLessThan(40);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // The summary is in view: the least telling columns gave way to it, and come back with the room.
  const summary = (await page.locator('.timeline-head [role="columnheader"]', { hasText: 'summary' }).boundingBox())!;
  expect(summary.x + Math.min(summary.width, 120)).toBeLessThanOrEqual(timeline.x + timeline.width + 0.5);
  expect(summary.width).toBeGreaterThanOrEqual(119);
  await expect(page.locator('.timeline-head [role="columnheader"]', { hasText: /^seq$/ })).toHaveCount(0);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(page.locator('.timeline-head [role="columnheader"]', { hasText: /^seq$/ })).toHaveCount(1);
  await shot(page, 'layout-02b-1920');
});

test('a theme switch repaints the graph’s canvas too: its labels take the new theme’s text colour', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_011"]').click();
  await page.getByRole('tab', { name: 'Graph' }).click();
  const canvas = page.getByTestId('graph-canvas');
  const fg = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--fg').trim());
  const toggle = page.locator('.theme-toggle');
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) {
    await toggle.click();
    const now = await fg();
    seen.add(now);
    await expect(canvas).toHaveAttribute('data-label-color', now);
  }
  expect(seen.size).toBe(2); // light and dark were both shown
  await shot(page, 'layout-03-graph-theme');
});
