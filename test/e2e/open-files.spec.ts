/** Browser mode opens local files too: a picker over the serving machine's folders, and a file dropped on the page. */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureCopy, FIXTURES, manifest, shot } from './helpers';
import { serve, type Served } from './serve';

let server: Served;
let demo: string;
test.beforeAll(async () => {
  demo = fixtureCopy('demo');
  // Beside the demo: a folder holding another store, and a file that is not one.
  fs.mkdirSync(path.join(path.dirname(demo), 'more'));
  fs.copyFileSync(path.join(FIXTURES, 'archived.db'), path.join(path.dirname(demo), 'more', 'archived.db'));
  fs.writeFileSync(path.join(path.dirname(demo), 'notes.txt'), 'not a store');
  server = await serve(`sqlite:///${demo}`);
});
test.afterAll(() => server?.stop());

test('Browse… lists the folder of the store shown; a folder opens, a store opens with a click, other files are greyed', async ({ page }) => {
  const archived = manifest('archived');
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByRole('button', { name: 'Browse…' }).click();
  const picker = page.getByTestId('file-browser');
  await expect(picker.locator('code')).toHaveText(path.dirname(demo));
  await expect(picker.getByRole('button', { name: /notes\.txt/ })).toBeDisabled();
  await expect(picker.getByRole('button', { name: /demo\.db/ })).toBeEnabled();
  await picker.getByRole('button', { name: /more/ }).click();
  await expect(picker.locator('code')).toHaveText(path.join(path.dirname(demo), 'more'));
  await shot(page, 'open-01-browse');
  await picker.getByRole('button', { name: /archived\.db/ }).click();
  await expect(page.getByRole('dialog', { name: 'Open store' })).toBeHidden();
  await expect(page.locator(`[data-run-id="${archived.runs.plain}"]`)).toBeVisible();
  await expect(page.getByLabel('open stores')).toContainText('archived.db');
  // Up from there: the parent folder again.
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByRole('button', { name: 'Browse…' }).click();
  await page.getByTestId('file-browser').getByRole('button', { name: 'parent folder' }).click();
  await expect(page.getByTestId('file-browser').locator('code')).toHaveText(path.dirname(demo));
});

test('a store dropped on the page opens as a copy the server keeps, and says so', async ({ page }) => {
  const archived = manifest('archived');
  await page.goto(server.url);
  await expect(page.locator('[data-run-id]').first()).toBeVisible();
  const bytes = fs.readFileSync(path.join(FIXTURES, 'archived.db')).toString('base64');
  await page.evaluate(
    ({ b64 }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'dropped-archived.db'));
      document.querySelector('.app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { b64: bytes },
  );
  await expect(page.getByTestId('dropped-copy')).toContainText('A copy of dropped-archived.db');
  await expect(page.locator(`[data-run-id="${archived.runs.plain}"]`)).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  await shot(page, 'open-02-dropped');
  // A store's companion alone is refused with what to drop instead.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'run.db-wal'));
    document.querySelector('.app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('error')).toContainText('drop the store file itself');
});
