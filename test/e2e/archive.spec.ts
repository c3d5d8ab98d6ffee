/** A compacted run's archive tier can be read in the timeline, each event marked as archived. */
import { expect, test } from '@playwright/test';
import { manifest, shot } from './helpers';
import { serveFixture } from './serve';

const archived = manifest('archived');
const server = serveFixture('archived');

test('the archived events of a compacted run are browsable, marked archived, with their detail', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${archived.runs.compacted}"]`).click();
  const total = async () => Number(await page.locator('.timeline-body').getAttribute('data-total'));
  await expect.poll(total).toBeGreaterThan(0); // the hot log's first page is in
  const hotTotal = await total();
  const toggle = page.getByLabel(/archived \(\d+\)/);
  await toggle.check();
  // The fixture's compaction moved 63 of this run's events to the archive tier.
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '63');
  const first = page.locator('.row').first();
  await expect(first).toHaveAttribute('data-event-id', 'evt_001');
  await expect(first).toHaveClass(/archived/);
  await expect(first.locator('.flag.archived')).toBeVisible();
  await first.click();
  await expect(page.getByTestId('event-detail')).toContainText('goal.created');
  await expect(page.getByTestId('archived-at')).toContainText('archived 2026-');
  await shot(page, 'archive-01-tier');
  // An archived event's archived cause is a link into the archive tier.
  await page.locator('.row[data-event-id="evt_005"]').click();
  const cause = page.getByTestId('event-detail').locator('[data-event-link="evt_001"]');
  await expect(cause).toContainText('archived');
  await cause.click();
  await expect(page.locator('.row.selected')).toHaveAttribute('data-event-id', 'evt_001');
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '63');
  await first.click();
  // There is no graph as of an archived event (it lies before the snapshot the graph starts from): said, not an empty canvas.
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByTestId('graph-archived')).toContainText('evt_001 is archived');
  await toggle.uncheck();
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', String(hotTotal));
  await expect(page.getByTestId('graph-archived')).toHaveCount(0);
});
