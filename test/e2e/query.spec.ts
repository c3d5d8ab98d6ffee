/** The Query panel: the graph as of the selected event, asked in the pattern language; the same answer as the CLI's. */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fixtureCopy, manifest, ROOT, shot } from './helpers';
import { serve, type Served } from './serve';

const demo = manifest('demo');
let server: Served;
let file: string;
test.beforeAll(async () => {
  file = fixtureCopy('demo');
  server = await serve(`sqlite:///${file}`);
});
test.afterAll(() => server?.stop());

const QUERY = '(p:plan)-[:has_question]->(q:question)-[r]->(s)';

test('a query as of the selected event: the CLI’s bindings, objects that open in the graph ringed, a link that keeps it', async ({ page }) => {
  const cliLines = execFileSync(
    process.execPath,
    [path.join(ROOT, 'bin/run-inspector.js'), 'query', `sqlite:///${file}`, '--run-id', demo.runs.main, '--as-of', 'evt_020', '--match', QUERY, '--json'],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(cliLines.length).toBeGreaterThan(0);

  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_020"]').click();
  await page.locator('body').press('4');
  const panel = page.getByTestId('query-panel');
  await panel.getByLabel('graph query').fill(QUERY);
  await panel.getByLabel('graph query').press('Enter');
  await expect(page.getByTestId('query-meta')).toContainText(`${cliLines.length} binding`);
  const firstColumn = await page.getByTestId('query-results').locator('tbody tr td:first-child > button:first-of-type').allTextContents();
  expect(firstColumn).toEqual(cliLines.map((l) => l.p.id));
  await expect(page.getByTestId('query-results').locator('thead th')).toHaveText(['p', 'r0', 'q', 'r', 's']);
  await shot(page, 'query-01-answer');
  await expect(page).toHaveURL(/tab=query.*q=/);

  // A link keeps the query: reloaded, the same answer.
  await page.reload();
  await expect(page.getByTestId('query-meta')).toContainText(`${cliLines.length} binding`);

  // An object opens in the graph panel, where the answer's objects are ringed.
  await page.getByTestId('query-results').locator('tbody tr td:first-child > button:first-of-type').first().click();
  await expect(page.getByRole('tab', { name: 'Graph' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('focus object')).toHaveValue(cliLines[0].p.id);
  await expect(page.getByTestId('graph-query-matches')).toContainText("of the query's objects in view");
  await shot(page, 'query-02-ringed');

  // Saved for this store, and offered by the palette.
  await page.locator('body').press('4');
  await page.getByTestId('query-panel').getByRole('button', { name: 'Save' }).click();
  await page.locator('body').press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByLabel('command').fill('has_question');
  await expect(palette.getByRole('option', { name: new RegExp(`^Query: ${QUERY.replace(/[()[\]|.*+?]/g, '\\$&')}`) })).toBeVisible();
  await page.keyboard.press('Escape');

  // Each object's history: the events that created or changed it, each a jump into the timeline.
  await page.locator('body').press('4');
  await page
    .getByRole('button', { name: `history of ${cliLines[0].q.id}` })
    .first()
    .click();
  const history = page.getByTestId('query-panel').getByTestId('object-history');
  await expect(history.getByRole('button').first()).toBeVisible();
  const firstEvent = (await history.getByRole('button').first().textContent())!;
  await history.getByRole('button').first().click();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', firstEvent);
});

test('a query that does not parse points at the column; an unknown event is said as such', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('body').press('4');
  const panel = page.getByTestId('query-panel');
  await panel.getByLabel('graph query').fill('(c:claim)<-[:supports(s)');
  await panel.getByLabel('graph query').press('Enter');
  await expect(panel.getByTestId('error')).toContainText('does not parse at column 22');
  await shot(page, 'query-03-syntax');
  await panel.getByLabel('graph query').fill('(c:claim) as of evt_nope');
  await panel.getByLabel('graph query').press('Enter');
  await expect(panel.getByTestId('error')).toContainText("event 'evt_nope' not found");
});

test('an event query filters the timeline, is in the link, and counts what it shows', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  const where = "type = 'llm.responded' and payload.cost_usd > 0.001";
  const expected = execFileSync(
    process.execPath,
    [path.join(ROOT, 'bin/run-inspector.js'), 'query', `sqlite:///${file}`, '--run-id', demo.runs.main, '--events', where, '--json'],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).id);
  expect(expected.length).toBeGreaterThan(0);
  await page.getByLabel('event query filter').fill(where);
  await page.getByLabel('event query filter').press('Enter');
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', String(expected.length));
  await expect(page.locator('.row[data-event-id]')).toHaveCount(expected.length);
  expect(await page.locator('.row[data-event-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')))).toEqual(expected);
  await expect(page.getByTestId('filter-count')).toContainText(`${expected.length} of`);
  await expect(page).toHaveURL(/where=/);
  await shot(page, 'query-04-events');
  await page.reload();
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', String(expected.length));
  await expect(page.getByLabel('event query filter')).toHaveValue(where);
});
