/** Fork at an event and compare the fork with its parent, visually. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ROOT, fixtureCopy, manifest, shot } from './helpers';
import { serve, serveFixture } from './serve';

/** Picks a run for a side of the compare by what the user reads in the list (its short id). */
async function pick(page: Page, side: 'A' | 'B', runId: string): Promise<void> {
  const option = page.getByLabel(`run ${side}`).locator('option', { hasText: `${runId.slice(0, 6)}…${runId.slice(-4)}` });
  await page.getByLabel(`run ${side}`).selectOption((await option.getAttribute('value'))!);
}

const demo = manifest('demo');
const server = serveFixture('demo');

test('fork from an event, see it under its parent, compare it with the parent', async ({ page }) => {
  await page.goto(server.url);
  await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
  await page.locator('.row[data-event-id="evt_020"]').click();
  await page.getByTestId('event-detail').getByRole('button', { name: 'Fork here…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fork run' });
  await expect(dialog).toContainText('evt_020');
  await dialog.getByLabel('fork label').fill('what-if');
  await shot(page, 'fork-01-dialog');
  await dialog.getByRole('button', { name: 'Fork', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The new run sits under its parent, is selected, and shows where it branched.
  const child = page.locator(`[data-parent-run-id="${demo.runs.main}"]`).filter({ hasText: 'what-if' });
  await expect(child).toBeVisible();
  await expect(child).toHaveClass(/active/);
  await expect(child).toContainText('at evt_020');
  await expect(page.locator('.timeline-body')).toHaveAttribute('data-total', '20');
  await expect(page.locator('.run-title')).toContainText('at evt_020');
  await shot(page, 'fork-02-new-run');

  // Compare the fork with its parent: one click.
  await page.getByRole('button', { name: 'compare with parent' }).click();
  const summary = page.getByTestId('diff-summary');
  await expect(summary).toBeVisible();
  // The fork is a strict prefix of its parent: everything shared, nothing fork-only.
  await expect(summary.locator('.card').filter({ hasText: 'only in B' }).locator('.num')).toHaveText('0');
  await expect(page.getByTestId('divergence')).toContainText('B with nothing');
  await shot(page, 'fork-03-compare-prefix');

  // A real divergence: main vs fork_a, against the diff Active Graph recorded (30/28/26/4/6).
  await pick(page, 'A', demo.runs.main);
  await pick(page, 'B', demo.runs.fork_a);
  await expect(summary.locator('.card').filter({ hasText: 'shared events' }).locator('.num')).toHaveText('30');
  await expect(summary.locator('.card').filter({ hasText: 'only in A' }).locator('.num')).toHaveText('28');
  await expect(summary.locator('.card').filter({ hasText: 'only in B' }).locator('.num')).toHaveText('26');
  await expect(summary.locator('.card').filter({ hasText: 'divergent objects' }).locator('.num')).toHaveText('4');
  await expect(summary.locator('.card').filter({ hasText: 'divergent relations' }).locator('.num')).toHaveText('6');
  await expect(page.getByTestId('divergence')).toContainText('A continues with');
  await expect(page.getByTestId('aligned').locator('.pair').first()).toBeVisible();
  // Both logs after the divergence point are there to their ends (main ends at evt_097, fork_a at evt_095).
  await expect(page.getByTestId('aligned').locator('.side-a', { hasText: 'evt_097' })).toHaveCount(1);
  await expect(page.getByTestId('aligned').locator('.side-b', { hasText: 'evt_095' })).toHaveCount(1);
  // The coloured graph diff: only-in-A, only-in-B and changed elements are all there.
  const diffList = page.getByTestId('diff-list');
  for (const kind of ['only-a', 'only-b', 'changed']) await expect(diffList.locator(`button[data-kind="${kind}"]`).first()).toBeAttached();
  // Field-level old/new on picking a changed object.
  await diffList.locator('summary').click();
  await diffList.locator('button[data-kind="changed"]').first().click();
  await expect(page.locator('.graph-pick .diff-table')).toBeVisible();
  await shot(page, 'fork-04-compare-diverged');

  // A relation id both runs use for different relations (the runs' counters went on apart after
  // the fork): named as two relations, not drawn as one that changed. The truth: the engine's diff.
  const reused = await relationIdsNamingTwo(demo.runs.main, demo.runs.fork_a);
  expect(reused.length).toBeGreaterThan(0);
  const named = diffList.locator('button', { hasText: 'names two relations' });
  await expect(named).toHaveCount(reused.length);
  expect((await named.allTextContents()).map((t) => t.split(' ')[0]).sort()).toEqual(reused.sort());
  await page.locator('.graph-pick .close').click(); // the object picked above
  await named.first().click();
  await expect(page.getByTestId('id-names-two')).toContainText('This id names two different relations: in A');
  await shot(page, 'fork-05-one-id-two-relations');
});

/** Relation ids the diff pairs whose two sides join other objects or have another type, from the service itself. */
async function relationIdsNamingTwo(a: string, b: string): Promise<string[]> {
  const { InspectorService } = await import('../../src/main/service/inspector-service.js');
  const { dispatch } = await import('../../src/main/service/dispatch.js');
  const service = new InspectorService({ demoStoreUrl: `sqlite:///${fixtureCopy('demo')}` });
  try {
    const opened = await dispatch(service, 'openDemoStore', {});
    const storeId = (opened as { value: { storeId: string } }).value.storeId;
    const diff = await dispatch(service, 'diff', { storeId, runA: a, runB: b });
    if (!diff.ok) throw new Error(diff.error.summary);
    type Ends = { source: string; target: string; type: string } | null;
    const rels = (diff.value as { relations: { id: string; in_parent: Ends; in_fork: Ends }[] }).relations;
    return rels
      .filter((r) => r.in_parent && r.in_fork && (r.in_parent.source !== r.in_fork.source || r.in_parent.target !== r.in_fork.target || r.in_parent.type !== r.in_fork.type))
      .map((r) => r.id);
  } finally {
    await service.close();
  }
}

test('a fork migrated to another store compares with its parent once the parent’s store is open', async ({ page }) => {
  // Active Graph forks only within a store ("fork in the source store, then migrate"): so does this one.
  const home = fixtureCopy('demo');
  const elsewhere = path.join(path.dirname(home), 'elsewhere.db');
  execFileSync(process.execPath, [
    path.join(ROOT, 'bin/run-inspector.js'),
    'migrate',
    '--from',
    `sqlite:///${home}`,
    '--to',
    `sqlite:///${elsewhere}`,
    '--run-id',
    demo.runs.fork_a,
  ]);
  const served = await serve(`sqlite:///${elsewhere}`);
  try {
    await page.goto(served.url);
    await page.locator(`[data-run-id="${demo.runs.fork_a}"]`).click();
    await page.getByRole('button', { name: 'compare with parent' }).click();
    // Its parent is in no open store: say so, and offer to open it.
    const error = page.getByTestId('error');
    await expect(error).toContainText('ParentRunNotOpen');
    await expect(error).toContainText(demo.runs.main);
    await error.getByRole('button', { name: 'Open the store the fork was made in…' }).click();
    await page.getByLabel('store URL').fill(home);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.locator(`[data-run-id="${demo.runs.main}"]`)).toBeVisible();

    // Back to the migrated fork: now its parent is found in the other open store.
    await page.getByLabel('open stores').selectOption({ label: 'elsewhere.db' });
    await page.locator(`[data-run-id="${demo.runs.fork_a}"]`).click();
    await page.getByRole('button', { name: 'compare with parent' }).click();
    const summary = page.getByTestId('diff-summary');
    // The same diff Active Graph recorded for the two runs in one store (30/28/26/4/6).
    for (const [card, n] of [
      ['shared events', '30'],
      ['only in A', '28'],
      ['only in B', '26'],
      ['divergent objects', '4'],
      ['divergent relations', '6'],
    ]) {
      await expect(summary.locator('.card').filter({ hasText: card! }).locator('.num')).toHaveText(n!);
    }
    await expect(page.getByTestId('aligned').locator('.aligned-head')).toContainText('demo.db');
    await expect(page.getByTestId('aligned').locator('.aligned-head')).toContainText('elsewhere.db');
    await expect(page.getByTestId('aligned').locator('.side-b', { hasText: 'evt_095' })).toHaveCount(1);
    await shot(page, 'fork-05-compare-across-stores');
    // The divergence link of side A leads into the parent's store.
    await page.getByTestId('divergence').getByRole('button').first().click();
    await expect(page.getByLabel('open stores').locator('option:checked')).toHaveText('demo.db');
    await expect(page.locator('.row[aria-selected="true"]')).toHaveAttribute('data-event-id', /evt_/);
  } finally {
    await served.stop();
  }
});

test('a run and its forks side by side: the CLI’s figures, a run that opens, a pair that opens in compare, CSV', async ({ page }) => {
  const file = fixtureCopy('demo');
  const served = await serve(`sqlite:///${file}`);
  try {
    await page.goto(served.url);
    await page.locator(`[data-run-id="${demo.runs.main}"]`).click();
    await page.getByRole('button', { name: 'side by side with its forks' }).click();
    const matrix = page.getByTestId('run-matrix');
    await expect(matrix.locator('tbody tr')).not.toHaveCount(0);
    const shown = await matrix.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')!));
    const cli = JSON.parse(
      execFileSync(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'compare', `sqlite:///${file}`, '--runs', ...shown, '--json'], { encoding: 'utf8' }),
    ) as { run_id: string; cost_usd: string; vs_parent: { created: number; patched: number; removed: number } | null }[];
    expect(shown[0]).toBe(demo.runs.main);
    for (const row of cli) {
      const tr = matrix.locator(`tbody tr[data-run-id="${row.run_id}"]`);
      await expect(tr).toContainText(row.cost_usd);
      if (row.vs_parent) await expect(tr).toContainText(`+${row.vs_parent.created} ~${row.vs_parent.patched} −${row.vs_parent.removed}`);
    }
    // What differs at the end: for each entity, the runs grouped by outcome, every run in one group.
    const differs = page.getByTestId('what-differs');
    await expect(differs).toContainText('What differs at the end:');
    const outcomes = await differs.locator('li[data-entity]').first().locator('.outcomes > li b').allTextContents();
    expect(outcomes.reduce((n, t) => n + Number(t.split(' ')[0]), 0)).toBe(shown.length);
    // What each did after its fork point: a row per behavior and execution, a cell per run.
    const steps = page.getByTestId('aligned-steps');
    await expect(steps).toContainText('What each did after its fork point:');
    await expect(steps.locator('thead th')).toHaveCount(shown.length + 1);
    await expect(steps.locator('tbody td.step button').first()).toBeVisible();
    await shot(page, 'matrix-01');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save CSV' }).click();
    expect((await download).suggestedFilename()).toBe('runs.csv');
    const saved: string[] = [];
    page.on('download', (d) => saved.push(d.suggestedFilename()));
    await page.getByRole('button', { name: 'Save the differences (CSV, JSON)' }).click();
    await expect.poll(() => saved.sort()).toEqual(['run-differences.csv', 'run-differences.json']);
    // A fork's change opens it beside its parent.
    const fork = cli.find((r) => r.vs_parent)!;
    await matrix
      .locator(`tbody tr[data-run-id="${fork.run_id}"]`)
      .getByRole('button', { name: /^\+\d+ ~\d+ −\d+$/ })
      .click();
    await expect(page.getByRole('dialog', { name: 'Runs side by side' })).toBeHidden();
    await expect(page.locator('.compare')).toBeVisible();
    // Any two picked runs open in the two-run compare.
    await page.locator(`[data-run-id="${demo.runs.main}"]`).first().click();
    await page.getByRole('button', { name: 'side by side with its forks' }).click();
    const [x, y] = shown.slice(-2);
    await matrix.locator(`tbody tr[data-run-id="${x}"] input[type=checkbox]`).check();
    await matrix.locator(`tbody tr[data-run-id="${y}"] input[type=checkbox]`).check();
    await page.getByRole('button', { name: 'Compare the two picked' }).click();
    await expect(page.locator('.compare')).toBeVisible();
    for (const id of [x!, y!]) await expect(page.getByTestId('aligned').locator('.aligned-head')).toContainText(`…${id.slice(-4)})`);
  } finally {
    await served.stop();
  }
});
