/** Navigate a run like a browser: places in the URL, reload, Back/Forward, links in new tabs, keys, search, inline hints. */
import { expect, test } from '@playwright/test';
import { fixtureCopy, manifest, shot } from './helpers';
import { serve, serveFixture } from './serve';

const demo = manifest('demo');
const server = serveFixture('demo');

test('the location names the view; reload, Back/Forward and a new tab restore it', async ({ page, context }) => {
  await page.goto(server.url);
  await expect(page).not.toHaveURL(/token=/); // the token never stays in the address bar
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_010"]').click();
  await expect(page).toHaveURL(new RegExp(`run=${demo.runs.main}.*event=evt_010`));
  await page.locator('.row[data-event-id="evt_020"]').click();
  await expect(page).toHaveURL(/event=evt_020/);
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page).toHaveURL(/tab=graph/);

  await page.reload();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_020');
  await expect(page.getByRole('tab', { name: 'Graph' })).toHaveAttribute('aria-selected', 'true');

  await page.goBack(); // the tab change
  await page.goBack(); // back to evt_010
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_010');
  await page.keyboard.press('Alt+ArrowRight');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_020');

  // A link opened in a new tab (same origin: the token is found in localStorage) shows the same place.
  const link = new URL(page.url());
  const tab = await context.newPage();
  await tab.goto(link.toString());
  await expect(tab.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_020');
  await expect(tab.locator(`[data-run-id="${demo.runs.main}"]`)).toHaveClass(/active/);
  await tab.close();
});

test('keys move the selection, show the shortcuts, and Escape closes dialogs', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_005"]').click();
  await page.locator('body').press('j');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_006');
  await page.locator('body').press('k');
  await page.locator('body').press('k');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_004');
  await page.locator('body').press('Shift+G');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_097');
  await page.locator('body').press('g');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_001');
  // The command palette: a run by its label, then an event by id.
  await page.locator('body').press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByLabel('command').fill('fork-b');
  await palette.getByLabel('command').press('Enter');
  await expect(page.locator(`[data-run-id="${demo.runs.fork_b}"]`)).toHaveClass(/active/);
  await page.locator('body').press('Control+k');
  await palette.getByLabel('command').fill('evt_007');
  await palette.getByLabel('command').press('Enter');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_007');
  // An object by its label: the graph panel opens on it (as of the selected event), and stays on it.
  await page.locator('body').press('Control+k');
  await palette.getByLabel('command').fill('SINGLE QUESTION');
  await palette.getByRole('option', { name: /^Object: plan#1 “plan v2 \(single question\)”/ }).click();
  await expect(page.getByLabel('focus object')).toHaveValue('plan#1');
  await expect(page.getByRole('tab', { name: /graph/i })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('graph-meta')).toContainText(/as of evt_007 .* neighborhood \d+ objects/);
  await page.getByRole('tab', { name: /event/i }).click();
  // Arrows in the run list move between runs.
  await page.locator(`[data-run-id="${demo.runs.main}"]`).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(`[data-run-id="${demo.runs.fork_a}"]`)).toHaveClass(/active/);
  await page.locator('body').press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toContainText('Next event');
  // The sheet, the keys and the palette read one registry: a row here is a key that works and a command there.
  await expect(shortcuts.locator('tr', { hasText: 'Search the run' }).locator('kbd')).toHaveText('/ or Ctrl+F');
  await expect(shortcuts.locator('tr', { hasText: 'Graph panel' }).locator('kbd')).toHaveText('2');
  await shot(page, 'nav-01-shortcuts');
  // Focus stays inside the open dialog.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
  await page.keyboard.press('Escape');
  await expect(shortcuts).toBeHidden();
  await page.locator('body').press('2');
  await expect(page.getByRole('tab', { name: /graph/i })).toHaveAttribute('aria-selected', 'true');
  await page.locator('body').press('Control+k');
  await palette.getByLabel('command').fill('graph panel');
  await expect(palette.getByRole('option', { name: /^Graph panel/ })).toContainText('2');
  await palette.getByLabel('command').fill('search the run');
  await palette.getByLabel('command').press('Enter');
  await expect(page.getByLabel('search the run')).toBeFocused();
});

test('search counts matches and walks them; a jump typo is an inline hint', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('body').press('/');
  await expect(page.getByLabel('search the run')).toBeFocused();
  await page.keyboard.type('claim#');
  const count = page.getByTestId('search-count');
  await expect(count).toHaveText(/^1 of \d+$/);
  const first = await page.locator('.row.selected').getAttribute('data-event-id');
  await page.keyboard.press('Enter');
  await expect(count).toHaveText(/^2 of \d+$/);
  await expect(page.locator('.row.selected')).not.toHaveAttribute('data-event-id', first!);
  await expect(page.locator('.row.match').first()).toBeVisible();
  // Back past the first match goes around to the last.
  await page.keyboard.press('Shift+Enter');
  await expect(count).toHaveText(/^1 of \d+$/);
  const total = (await count.textContent())!.split(' of ')[1];
  await page.keyboard.press('Shift+Enter');
  await expect(count).toHaveText(`${total} of ${total}`);
  await page.keyboard.press('Enter');
  await expect(count).toHaveText(`1 of ${total}`);
  await shot(page, 'nav-02-search');
  // Ids, types and actors are searched too, not only payloads: the demo run's 'linker' is in 12
  // payloads, and is the actor of 6 more events.
  await page.getByLabel('search the run').fill('linker');
  await expect(count).toHaveText('1 of 18');

  // The actor filter suggests the run's actors and matches by prefix.
  await page.getByLabel('actor filter').focus();
  await expect(page.locator('#ri-actors option[value="planner"]')).toHaveCount(1);
  await page.getByLabel('actor filter').fill('summ');
  await expect(page.getByTestId('filter-count')).toHaveText(/^\d+ of 97 events$/);
  await expect(page.locator('.row[data-event-id] .col.actor').first()).toHaveText('summarizer');
  await page.getByLabel('actor filter').fill('');
  await expect(page.getByTestId('filter-count')).toHaveCount(0);

  // A filter says how much of the run it shows.
  await page.getByRole('group', { name: 'type families' }).getByRole('button', { name: 'llm' }).click();
  await expect(page.getByTestId('filter-count')).toHaveText(/^\d+ of 97 events$/);
  await page.getByRole('group', { name: 'type families' }).getByRole('button', { name: 'llm' }).click();

  const jump = page.getByLabel('jump to');
  await jump.fill('evt_nope');
  await jump.press('Enter');
  await expect(page.locator('.jump-hint')).toContainText('evt_nope');
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('keys work wherever focus is, except in a text field: after a checkbox, after a jump', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_005"]').click();
  // The selected event, as the location names it (a followed tail may scroll its row away).
  const selectedNumber = async () => Number(/event=evt_(\d+)/.exec(page.url())?.[1]);
  // (compact is a filter: it starts a new view, without a selection)
  for (const box of ['waterfall', 'follow']) {
    await page.getByLabel(box, { exact: true }).click();
    await page.getByLabel(box, { exact: true }).click(); // back as it was; focus stays on the box
    const before = await selectedNumber();
    await page.keyboard.press('j');
    await expect.poll(selectedNumber).toBe(before + 1);
  }
  // Enter in the jump box lands on the event, and the keys go on from there.
  await page.getByLabel('jump to').fill('evt_040');
  await page.getByLabel('jump to').press('Enter');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_040');
  await page.keyboard.press('j');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_041');
  await expect(page.getByLabel('jump to')).toHaveValue('evt_040'); // nothing typed into the box
  // In a text field, a letter is text.
  await page.getByPlaceholder('Search runs by id, label or goal').press('j');
  await expect(page.getByPlaceholder('Search runs by id, label or goal')).toHaveValue('j');
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_041');
});

test('a link names its store by URL: another data host, whose ids differ, offers to open it and then shows the place', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.fork_b}"]`).click();
  await page.locator('.row[data-event-id="evt_005"]').click();
  await expect(page).toHaveURL(/event=evt_005/);
  const linked = new URL(page.url());
  const store = linked.searchParams.get('store')!;
  expect(store).toMatch(/^sqlite:\/\/\/.*demo\.db$/); // a URL, not a host-local id

  // Another data host (a restart, another machine) that opened another store first: that store has
  // the id the link's store had here. The link is not shown on it; its store is offered.
  const other = await serve(`sqlite:///${fixtureCopy('demo')}`);
  try {
    const there = new URL(other.url);
    linked.searchParams.forEach((v, k) => there.searchParams.set(k, v));
    await page.goto(there.toString());
    await expect(page.getByTestId('error')).toContainText('which is not open here');
    const dialog = page.getByRole('dialog', { name: 'Open store' });
    await expect(dialog.getByLabel('store URL')).toHaveValue(store);
    await shot(page, 'nav-02-link-store-not-open');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.locator(`[data-run-id="${demo.runs.fork_b}"]`)).toHaveClass(/active/);
    await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_005');
    await expect(page.locator('.store-url')).toContainText(store.replace('sqlite:///', ''));
    // Now open there too, the link goes straight to its place.
    await page.goto(`${there.origin}/${linked.search}`);
    await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_005');
    await expect(page.locator('.store-url')).toContainText(store.replace('sqlite:///', ''));
  } finally {
    await other.stop();
  }
});
