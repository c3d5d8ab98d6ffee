/** Reading a run like a story, in real Chromium against browser mode, on Active Graph's own fixture. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURES, fixtureCopy, manifest, shot } from './helpers';
import { serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

test('runs, filters, jumps, details, causes, graph through time, status', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);

  // The lineage tree: forks sit under their parents with their fork points.
  const main = page.locator(`[data-run-id="${demo.runs.main}"]`);
  await expect(main).toBeVisible();
  const forkA = page.locator(`[data-parent-run-id="${demo.runs.main}"][data-run-id="${demo.runs.fork_a}"]`);
  await expect(forkA).toContainText(`at ${demo.fork_a_at}`);
  const forkC = page.locator(`[data-parent-run-id="${demo.runs.fork_b}"][data-run-id="${demo.runs.fork_c_of_b}"]`);
  await expect(forkC).toBeVisible();
  await shot(page, 'inspector-01-start');

  await main.click();
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '97');
  await expect(page.locator('.row[data-event-id="evt_001"]')).toBeVisible();

  // Filter by family: only llm events remain. An on chip is filled, not just less faded than an off one.
  const llm = page.getByRole('button', { name: 'llm', exact: true });
  const fill = () => llm.evaluate((el) => getComputedStyle(el).backgroundColor);
  const off = await fill();
  await llm.click();
  await expect(llm).toHaveAttribute('aria-pressed', 'true');
  expect(await fill()).not.toBe(off);
  expect(off).toBe('rgba(0, 0, 0, 0)');
  // The filtered view's count comes first (0 while it loads), then its rows: wait for both.
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '12');
  await expect(page.getByTestId('filter-count')).toHaveText('12 of 97 events');
  await expect(page.locator('.row[data-event-id]')).toHaveCount(12);
  const types = await page.locator('.row[data-event-id] .chip').allTextContents();
  expect(types.length).toBeGreaterThan(0);
  expect(types.every((t) => t.startsWith('llm.'))).toBe(true);
  await shot(page, 'inspector-02-filter-llm');
  await page.getByRole('button', { name: 'llm', exact: true }).click();
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '97');

  // Payload text filter.
  await page.getByLabel('payload text filter').fill('timed out');
  await expect(page.locator('.row[data-event-id="evt_030"]')).toBeVisible();
  await page.getByLabel('payload text filter').fill('');
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '97');

  // Jump to the failed behavior by id; its detail shows the error and traceback.
  await page.getByLabel('jump to').fill(demo.event_probe.behavior_failed);
  await page.getByLabel('jump to').press('Enter');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', demo.event_probe.behavior_failed);
  const detail = page.getByTestId('event-detail');
  await expect(detail).toContainText('researcher failed: RuntimeError');
  await expect(detail.locator('.traceback')).toContainText('Traceback (most recent call last)');
  await shot(page, 'inspector-03-failure-detail');

  // Follow the cause link: the timeline moves to the cause.
  const cause = detail.locator('section').filter({ hasText: 'Cause' }).locator('[data-event-link]').first();
  const causeId = await cause.getAttribute('data-event-link');
  await cause.click();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', causeId!);
  await expect(page.getByTestId('event-detail').locator('h3')).toContainText(causeId!);

  // Patch detail shows the field diff.
  await page.getByLabel('jump to').fill(demo.event_probe.patch_applied);
  await page.getByLabel('jump to').press('Enter');
  await expect(page.locator('.diff-table')).toBeVisible();

  // Keyboard: Home / End / arrows.
  await page.locator('.timeline-body').focus();
  await page.keyboard.press('End');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_097');
  await page.keyboard.press('Home');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_001');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_003');

  // Graph as of the selected event: plan#1 exists with no relations yet at evt_003 …
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('graph-meta')).toContainText('as of evt_003');
  await expect(page.getByTestId('graph-meta')).toContainText('graph 1 objects, 0 relations');
  const list = page.getByTestId('graph-list');
  const objectsListed = list.locator('button:not([data-kind="relation"])');
  await expect(objectsListed).toHaveCount(1);
  await shot(page, 'inspector-04-graph-early');
  // A real click on the canvas: the one node is drawn at its centre.
  const canvas = (await page.getByTestId('graph-canvas').boundingBox())!;
  await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await expect(page.locator('.graph-pick h4').first()).toContainText('plan#1');
  await page.locator('.graph-pick').getByRole('button', { name: 'close' }).click();
  // … and grows as the timeline moves forward.
  await page.locator('.timeline-body').focus();
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('graph-meta')).toContainText('as of evt_011');
  await expect.poll(() => objectsListed.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('graph-meta')).not.toContainText('0 relations');
  await shot(page, 'inspector-05-graph-grown');
  // The same graph as a list: picking an object there shows its data and the events that touched it.
  await list.locator('summary').click();
  await list.getByRole('button', { name: 'question#3', exact: true }).click();
  await expect(page.locator('.graph-pick')).toContainText('Events that touched it');
  await shot(page, 'inspector-05-graph-picked');

  // Status of the run.
  await page.getByRole('tab', { name: 'Status' }).click();
  await expect(page.getByTestId('status-panel')).toContainText('idle');
  await expect(page.getByTestId('events-processed')).toHaveText('97');
  // Beside it, what the run cost from its log: the same sum as the budget snapshot the run recorded
  // ($0.0090 for 3 LLM turn loops, 6 requests).
  const total = page.getByTestId('cost-rollup').locator('tr.total');
  await expect(total).toContainText('$0.0090');
  await expect(total.locator('td').nth(3)).toHaveText('3 (6)');
  await expect(page.getByTestId('cost-rollup').locator('tbody tr')).toHaveCount(1 + 6); // the run, and its six behaviors
  await shot(page, 'inspector-06-status');

  // What the data host keeps in memory (the graph history read above is one of its caches), and its budget.
  const memory = page.getByTestId('host-memory');
  await expect(memory).toContainText(/1 graph histor/);
  await memory.getByLabel('cache budget in MB').fill('192');
  await memory.getByRole('button', { name: 'Set' }).click();
  await expect(memory).toContainText('of 192 MB');
  await page.reload(); // remembered, and given to the host again
  await page.getByRole('tab', { name: 'Status' }).click();
  await expect(page.getByTestId('host-memory')).toContainText('of 192 MB');
  expect(errors).toEqual([]);
});

test('a corrupted store opens; its bad payloads are flagged, never crash the view', async ({ page }) => {
  const corrupted = manifest('corrupted');
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByLabel('store URL').fill(`sqlite:///${fixtureCopy('corrupted')}`);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.locator(`[data-run-id="${corrupted.runs.main}"]`).click();
  await expect(page.locator('.row.corrupted').first()).toBeVisible();
  await page.locator('.row[data-event-id="evt_003"]').click();
  await expect(page.getByTestId('event-detail')).toContainText('Corrupted payload');
  await expect(page.getByTestId('event-detail').locator('.raw')).toContainText('{"object": {"id": "question#2"');
  await shot(page, 'inspector-07-corrupted');
  // The graph cannot be projected past corruption: a structured error, not a blank screen.
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('error')).toContainText('CorruptedEventPayloadError');
  await expect(page.getByTestId('error')).toContainText('How to fix');
  // The app's own remedy comes first: the Migrate wizard, set to skip the corrupted payloads.
  await page.getByRole('button', { name: /skipping corrupted payloads/ }).click();
  const wizard = page.getByRole('dialog', { name: 'Migrate runs' });
  await expect(wizard.getByLabel('skip corrupted')).toBeChecked();
  await page.keyboard.press('Escape');
});

test('an error is shown where the action was taken, and a store that opens fine clears the last one', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open store' });
  await dialog.getByLabel('store URL').fill('/nonexistent/run.db'); // a bare path is taken as a SQLite file
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog.getByTestId('error')).toContainText('File not found');
  await expect(dialog.getByTestId('error')).toContainText('does not exist');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('store URL').fill(`sqlite:///${fixtureCopy('schema_mismatch')}`);
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog.getByTestId('error')).toContainText('SchemaVersionMismatch');
  await dialog.getByLabel('store URL').fill(fixtureCopy('demo'));
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('a schema mismatch is explained', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByLabel('store URL').fill(`sqlite:///${fixtureCopy('schema_mismatch')}`);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('error')).toContainText('SchemaVersionMismatch');
  await expect(page.getByTestId('error')).toContainText('How to fix');
  await shot(page, 'inspector-08-schema-mismatch');
});

test('a run’s trace is saved as the bytes Active Graph’s export-trace writes', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  for (const [button, format] of [
    ['JSONL', 'jsonl'],
    ['text', 'text'],
  ] as const) {
    const saved = page.waitForEvent('download');
    await page.locator('.run-export').getByRole('button', { name: button, exact: true }).click();
    const download = await saved;
    const body = fs.readFileSync((await download.path())!, 'utf8');
    expect(body).toBe(fs.readFileSync(path.join(FIXTURES, 'demo.oracle', `${format === 'jsonl' ? '009' : '010'}_run00_export_${format}.stdout`), 'utf8'));
    expect(download.suggestedFilename()).toBe(`trace-${demo.runs.main}.${format === 'jsonl' ? 'jsonl' : 'txt'}`);
  }
});
