/** Saving a run as OpenTelemetry traces from the app: the file holds the spans the CLI's export-otlp writes, part by part. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, fixtureCopy } from './helpers';
import { serve } from './serve';

const spansOf = (text: string) =>
  text
    .trim()
    .split('\n')
    .flatMap((l) => JSON.parse(l).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)))
    .map((s: any) => `${s.spanId} ${s.parentSpanId ?? ''} ${s.name} ${s.startTimeUnixNano} ${s.events?.length ?? 0}`)
    .sort();

test('OTLP: the run’s spans saved from the app are the CLI’s', async ({ page }) => {
  const file = fixtureCopy('demo');
  const served = await serve(`sqlite:///${file}`);
  try {
    await page.goto(served.url);
    const run = page.locator('[data-run-id]').first();
    const runId = (await run.getAttribute('data-run-id'))!;
    await run.click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'OTLP' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`trace-${runId}.otlp.jsonl`);
    const fromApp = fs.readFileSync((await saved.path())!, 'utf8');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-otlp-')), 'trace.jsonl');
    execFileSync(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'export-otlp', `sqlite:///${file}`, '--run-id', runId, '-o', out]);
    expect(spansOf(fromApp)).toEqual(spansOf(fs.readFileSync(out, 'utf8')));
  } finally {
    await served.stop();
  }
});
