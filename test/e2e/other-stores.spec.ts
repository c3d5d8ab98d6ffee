/** Graphite, DIR and NeuroCore stores in the same timeline, detail and status views. */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeCluster, startCluster, type PgCluster } from '../support/throwaway-postgres.js';
import { FIXTURES, shot } from './helpers';
import { serve, type Served } from './serve';

const OTHER = path.resolve(FIXTURES, '../other-stores');
function copyOther(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-other-'));
  fs.copyFileSync(path.join(OTHER, name), path.join(dir, name));
  return path.join(dir, name);
}

let cluster: PgCluster;
test.beforeAll(async () => {
  cluster = await startCluster();
});
test.afterAll(() => cluster && removeCluster(cluster));

async function openRun(page: import('@playwright/test').Page, server: Served, runText: string) {
  await page.goto(server.url);
  await page.locator('[data-run-id]', { hasText: runText }).first().click();
  await expect(page.locator('.row[data-event-id]').first()).toBeVisible();
}

test('NeuroCore: the failed run, its failing steps and the executor error', async ({ page }) => {
  const server = await serve(`sqlite:///${copyOther('neurocore.db')}`);
  try {
    await openRun(page, server, 'rag-agent');
    await expect(page.locator('.run.active .state')).toHaveText('failed');
    await expect(page.locator('.row.failed')).toHaveCount(3); // the two failing DAG nodes and run.failed
    await page.locator('.row', { hasText: 'step.failed' }).first().click();
    await expect(page.getByTestId('event-detail')).toContainText('UnexpectedResponse');
    // Steps are spans with the durations NeuroCore recorded: in the duration column and the waterfall.
    await expect(page.locator('.row', { hasText: 'step.failed' }).first().locator('.col.duration')).toHaveText(/\d/);
    await page.getByLabel('waterfall', { exact: true }).check();
    await expect.poll(() => page.getByTestId('waterfall').getAttribute('data-painted').then(Number)).toBeGreaterThan(0);
    await shot(page, 'other-01b-neurocore-waterfall');
    await page.getByLabel('waterfall', { exact: true }).uncheck();
    await page.getByRole('tab', { name: 'Status' }).click();
    await expect(page.getByTestId('native-status')).toContainText('Blueprint execution failed');
    await shot(page, 'other-01-neurocore');
    // The suspended run shows its checkpoint.
    await page.locator('[data-run-id]', { hasText: 'email-outreach' }).click();
    await expect(page.getByTestId('native-status')).toContainText('human_review');
    await expect(page.getByTestId('native-status')).toContainText('checkpoint_id');
    await expect(page.getByRole('button', { name: 'Fork here' })).toBeDisabled();
    // NeuroCore records no graph: the Graph tab says so instead of staying blank.
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.getByTestId('graph-none')).toContainText('NeuroCore records no objects or relations');
  } finally {
    await server.stop();
  }
});

test('DIR: flows under their simulation, lifecycle in the timeline, state tables beside it', async ({ page }) => {
  const server = await serve(`sqlite:///${copyOther('dir_core.db')}`);
  try {
    await page.goto(server.url);
    await page.locator('[data-run-id]', { hasText: 'PARTIAL_SUCCESS_DIRTY' }).click();
    await expect(page.locator('.row', { hasText: 'lifecycle.partial_success_dirty' })).toBeVisible();
    await page.getByRole('tab', { name: 'Status' }).click();
    // Its registry, locks and sagas are tables, one column per field, as many rows as DIR recorded.
    const native = page.getByTestId('native-status');
    for (const [table, rows] of [
      ['resource_locks', 2],
      ['saga_dirty_state', 1],
      ['agents', 1],
    ] as const)
      await expect(native.getByRole('table', { name: table }).locator('tbody tr')).toHaveCount(rows);
    await expect(native).toContainText('none recorded: escalation_requests, idempotency_cache');
    await shot(page, 'other-02-dir');
  } finally {
    await server.stop();
  }
});

test('Graphite: requests under conversations, nested spans, the failure chain', async ({ page }) => {
  const url = await cluster.createDatabase('graphite_ui');
  const u = new URL(url);
  execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-h', u.hostname, '-p', u.port, '-U', 'postgres', '-d', 'graphite_ui', '-f', path.join(OTHER, 'graphite.sql')], {
    stdio: 'ignore',
  });
  const server = await serve(url);
  try {
    await page.goto(server.url);
    await expect(page.locator('[data-run-id="conversation:support-7f3a"]')).toBeVisible();
    await page.locator('[data-parent-run-id="conversation:support-7f3a"]', { hasText: 'failed' }).click();
    await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '21');
    const failed = page.locator('.row.failed .chip');
    await expect(failed).toHaveText(['tool.failed', 'node.failed', 'workflow.failed', 'assistant.failed']);
    // Nested spans: the tool span is indented under node, workflow and assistant.
    const toolSummary = await page.locator('.row', { hasText: 'tool.invoke' }).first().locator('.col.summary').textContent();
    expect(toolSummary!.startsWith('      tool invoke')).toBe(true);
    await shot(page, 'other-03-graphite');
    // The Graph tab draws the request's components and the topics they publish to and consume from.
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.getByTestId('graph-meta')).toContainText(/graph [1-9]\d* objects, [1-9]\d* relations/);
    await expect(page.getByTestId('graph-legend')).toContainText('topic');
    await expect(page.getByTestId('graph-legend')).toContainText('node');
    await expect(page.getByTestId('graph-none')).toHaveCount(0);
    await shot(page, 'other-04-graphite-graph');
  } finally {
    await server.stop();
  }
});
