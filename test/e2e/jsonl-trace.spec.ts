/**
 * A JSONL trace in the app: Active Graph's export of a demo run opens as a store (read-only), its
 * timeline and graph as the run's, and a line appended while it is open shows up, as a live run's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { FIXTURES, shot } from './helpers';
import { serve } from './serve';

const oracleDir = path.join(FIXTURES, 'demo.oracle');
const commands = JSON.parse(fs.readFileSync(path.join(oracleDir, 'commands.json'), 'utf8')).commands as { argv: string; stdout: string; exit_code: number }[];

test('a JSONL trace opens as a read-only store and is followed as it grows', async ({ page }) => {
  const c = commands.find((x) => x.argv.includes(' export-trace ') && x.argv.endsWith('--format jsonl') && x.exit_code === 0)!;
  const runId = /--run-id (\S+)/.exec(c.argv)![1]!;
  const lines = fs.readFileSync(path.join(oracleDir, c.stdout), 'utf8').trimEnd().split('\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-jsonl-')), `trace-${runId}.jsonl`);
  fs.writeFileSync(file, lines.slice(0, -1).join('\n') + '\n');
  const served = await serve(`sqlite:///${file}`);
  try {
    await page.goto(served.url);
    await page.locator(`[data-run-id="${runId}"]`).first().click();
    await expect(page.locator('.row[data-event-id]').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Fork here' })).toBeDisabled();
    const last = JSON.parse(lines[lines.length - 1]!).id as string;
    await expect(page.locator(`.row[data-event-id="${last}"]`)).toHaveCount(0);
    await page.getByLabel('follow').check();
    fs.appendFileSync(file, lines[lines.length - 1] + '\n');
    await expect(page.locator(`.row[data-event-id="${last}"]`)).toBeVisible({ timeout: 15_000 });
    await shot(page, 'jsonl-trace');
  } finally {
    await served.stop();
  }
});
