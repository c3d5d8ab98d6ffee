/** The timeline as a table: places in the run, durations, compact mode, and a column layout that is remembered. */
import { expect, test } from '@playwright/test';
import { manifest, shot } from './helpers';
import { serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

const row = (page: import('@playwright/test').Page, id: string) => page.locator(`.row[data-event-id="${id}"]`);

test('a span row shows its duration and leads to its end; compact mode folds the ends away', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  // The planner ran from evt_002 (09:00:01) to evt_012 (09:00:20): 19 s, from both ends.
  await expect(row(page, 'evt_002').locator('.col.duration')).toHaveText('19 s');
  await expect(row(page, 'evt_012').locator('.col.duration')).toHaveText('↤ 19 s');
  await row(page, 'evt_002').locator('.col.duration').getByRole('button').click();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_012');
  // The researcher that failed: its start is marked too, apart from the failure event itself.
  await page.getByLabel('jump to').fill('evt_029');
  await page.getByLabel('jump to').press('Enter');
  await expect(row(page, 'evt_029')).toHaveClass(/span-failed/);
  await expect(row(page, 'evt_030')).toHaveClass(/(^| )failed( |$)/);

  await page.getByLabel('compact').check();
  await expect(page.getByTestId('filter-count')).toHaveText('67 of 97 events');
  await expect(row(page, 'evt_012')).toHaveCount(0);
  await expect(row(page, 'evt_002').locator('.col.duration')).toHaveText('19 s');
  await expect(page).toHaveURL(/compact=1/);
  await shot(page, 'table-01-compact');
  // Following a span to its end leaves compact mode, since the end is folded away there.
  await row(page, 'evt_029').locator('.col.duration').getByRole('button').click();
  await expect(page.getByLabel('compact')).not.toBeChecked();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_030');
});

test('a fork’s events are numbered from 1 beside their store-wide seq, and a jump by number finds them', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.fork_b}"]`).click();
  const first = page.locator('.row').first();
  await expect(first.locator('.col.index')).toHaveText('1');
  expect(Number(await first.locator('.col.seq').textContent())).toBeGreaterThan(300);
  const jump = page.getByLabel('jump to');
  await jump.fill('5');
  await jump.press('Enter');
  await expect(page.locator('.row.selected .col.index')).toHaveText('5');
  await expect(page.getByTestId('jump-hint')).toContainText('seq 5 is not in this run');
  await jump.fill('#3');
  await jump.press('Enter');
  await expect(page.locator('.row.selected .col.index')).toHaveText('3');
  // Filtered, the # column still says where each event is in the run.
  await page.getByRole('group', { name: 'type families' }).getByRole('button', { name: 'relation', exact: true }).click();
  await expect(page.getByTestId('filter-count')).toContainText('of 12 events');
  const firstRelation = page.locator('.row[data-event-id]').first();
  await expect(firstRelation.locator('.col.type')).toContainText('relation.');
  expect(Number(await firstRelation.locator('.col.index').textContent())).toBeGreaterThan(1);
});

test('columns can be hidden, shown, moved and resized, and stay so after a reload', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await expect(page.locator('.timeline-head .col.frame')).toHaveCount(0);
  await page.getByRole('button', { name: 'columns', exact: true }).click();
  const menu = page.getByRole('dialog', { name: 'Timeline columns' });
  await menu.getByLabel('frame', { exact: true }).check();
  await menu.getByLabel('actor', { exact: true }).uncheck();
  await menu.getByRole('button', { name: 'move seq left' }).click();
  await page.getByRole('button', { name: 'columns', exact: true }).click();
  await expect(page.locator('.timeline-head .col.frame')).toHaveCount(1);
  await expect(page.locator('.timeline-head .col.actor')).toHaveCount(0);
  const heads = () => page.locator('.timeline-head [role="columnheader"]').evaluateAll((els) => els.map((e) => e.className.replace('col ', '')));
  expect((await heads()).slice(0, 2)).toEqual(['seq', 'index']);
  // Drag the id column's edge: it widens, header and rows alike.
  const id = page.locator('.timeline-head .col.id');
  const before = (await id.boundingBox())!.width;
  const handle = (await id.getByRole('separator').boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 40, handle.y + handle.height / 2, { steps: 4 });
  await page.mouse.up();
  const after = (await id.boundingBox())!.width;
  expect(after).toBeGreaterThan(before + 20);
  expect(Math.round((await page.locator('.row').first().locator('.col.id').boundingBox())!.width)).toBe(Math.round(after));
  await shot(page, 'table-02-columns');

  await page.reload();
  await expect(page.locator('.timeline-head .col.frame')).toHaveCount(1);
  await expect(page.locator('.timeline-head .col.actor')).toHaveCount(0);
  expect(Math.round((await page.locator('.timeline-head .col.id').boundingBox())!.width)).toBe(Math.round(after));
  // The order holds; with frame shown and id wider, the store-wide seq gives way to the summary at this width, and says so.
  await page.getByRole('button', { name: 'columns', exact: true }).click();
  const rows = menu.locator('.menu-row');
  await expect(rows.nth(0)).toContainText('seq');
  await expect(rows.nth(0)).toContainText('hidden to fit the width');
  await expect(rows.nth(1)).toContainText('#');
  expect((await heads())[0]).toBe('index');
  await page.getByRole('button', { name: 'reset columns' }).click();
  await expect(page.locator('.timeline-head .col.actor')).toHaveCount(1);
});
