/**
 * A run saved as one offline page (`run-inspector save-page`), opened from file:// in Chromium with
 * the network off: every request other than the file itself is refused and counted (none are
 * made), and the page shows the run's timeline, an event's detail, the graph as of an event (as the
 * engine projects it) and the waterfall; a page of a window says what it keeps.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { loadRun } from '../../src/main/engine/projection';
import { RunSpans } from '../../src/main/engine/spans';
import { openStore } from '../../src/main/store/open-store';
import { ROOT, fixtureCopy, shot } from './helpers';
import { serve } from './serve';

const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), ...args], { encoding: 'utf8' });

test('a saved page works offline: timeline, detail, graph as of an event, waterfall', async ({ page, context }) => {
  const file = fixtureCopy('demo');
  const store = await openStore(`sqlite:///${file}`);
  const run = (await store.listRuns()).sort((a, b) => (b.event_count ?? 0) - (a.event_count ?? 0))[0]!;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-page-')), 'run.html');
  expect(cli('save-page', `sqlite:///${file}`, '--run-id', run.run_id, '-o', out)).toMatch(/saving all \d+ events/);
  await context.setOffline(true);
  const asked: string[] = [];
  await context.route(/^(?!file:)/, (route) => (asked.push(route.request().url()), route.abort()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(out).href);
  await expect(page.locator('header h1')).toHaveText(run.label ?? run.goal ?? run.run_id);
  await expect(page.locator('header')).toContainText(`${run.event_count} events`);
  const rows = page.getByTestId('page-timeline').locator('.row');
  await expect(rows.first()).toBeVisible();
  // An event in the middle: its detail, and the graph as of it as the engine projects it.
  const events = [];
  for (let after = 0; ;) {
    const chunk = await store.eventsAfter(run.run_id, after, 500);
    events.push(...chunk);
    if (chunk.length < 500) break;
    after = chunk[chunk.length - 1]!.seq;
  }
  const middle = events[Math.floor(events.length / 2)]!;
  await page.getByTestId('page-timeline').focus();
  for (let i = 0; i < Math.floor(events.length / 2); i++) await page.keyboard.press('ArrowDown');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', middle.id);
  await expect(page.getByTestId('page-detail')).toContainText(middle.type);
  const { graph } = await loadRun(store, run.run_id, { untilSeq: middle.seq });
  await page.getByRole('tab', { name: 'Graph' }).click();
  const drawn = page.getByTestId('page-graph');
  await expect(drawn).toHaveAttribute('data-objects', String(graph.objects.size));
  await expect(drawn).toHaveAttribute('data-relations', String(graph.relations.size));
  await expect(drawn.locator('canvas').first()).toBeVisible();
  await shot(page, 'page-graph');
  const spans = (await new RunSpans(store, run.run_id).refresh()).spans;
  await page.getByRole('tab', { name: 'Waterfall' }).click();
  await expect(page.getByTestId('page-waterfall').locator('.lane')).toHaveCount(spans.length);
  await shot(page, 'page-waterfall');
  // A span leads to its event.
  await page.getByTestId('page-waterfall').locator('.lane').nth(1).click();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', spans[1]!.id);
  expect(asked).toEqual([]);
  expect(errors).toEqual([]);
  // The page's own policy refuses the network, whatever a script in it would try.
  const refused = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective));
        void fetch('https://example.com/').catch(() => setTimeout(() => resolve('no policy refused it'), 1000));
      }),
  );
  expect(refused).toBe('connect-src');
  // A page of a window says so.
  const windowed = path.join(path.dirname(out), 'window.html');
  expect(cli('save-page', `sqlite:///${file}`, '--run-id', run.run_id, '-o', windowed, '--max-events', '20', '--around', middle.id)).toMatch(/saving events \d+–\d+ \(20 of \d+\)/);
  await page.goto(pathToFileURL(windowed).href);
  await expect(page.getByTestId('page-kept')).toContainText(`20 of the run's ${run.event_count}`);
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('page-graph')).toHaveAttribute('data-objects', /^\d+$/);
  await store.close();
});

test('Save as page… in the app: what it keeps and its size first, then the page, which opens offline', async ({ page, context }) => {
  const served = await serve(`sqlite:///${fixtureCopy('demo')}`);
  try {
    await page.goto(served.url);
    const run = page.locator('[data-run-id]').first();
    const runId = (await run.getAttribute('data-run-id'))!;
    await run.click();
    await page.getByRole('button', { name: 'page…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as page' });
    await expect(dialog.getByTestId('page-plan')).toContainText(/It keeps all \d+ events of the run\. About .*B\./);
    await shot(page, 'save-page-dialog');
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Save page' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`run-${runId}.html`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-page-')), 'saved.html');
    await saved.saveAs(file);
    await context.setOffline(true);
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator('header')).toContainText(runId);
    await expect(page.getByTestId('page-timeline').locator('.row').first()).toBeVisible();
  } finally {
    await served.stop();
  }
});
