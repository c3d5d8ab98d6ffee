/**
 * The fleet view of a store (engine/fleet, op fleet): each run's figures, rolled up by grouped SQL,
 * are the run's own cost roll-up (spans.ts, read event by event); the behaviors' figures are the
 * runs' per-behavior roll-ups summed, and the days add up to the runs. On SQLite (Active Graph's
 * stores) and on a real Postgres the demo store is migrated into.
 */
import { describe, expect, it } from 'vitest';
import { DecimalSum } from '../../src/main/base/decimal-sum.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { cli } from '../support/cli.js';
import { copyFixture, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';

const value = async (p: Promise<{ ok: boolean; value?: unknown; error?: { summary: string } }>): Promise<any> => {
  const r = await p;
  if (!r.ok) throw new Error(r.error!.summary);
  return r.value;
};

const FIELDS = [
  ['executions', 'invocations'],
  ['failures', 'failures'],
  ['llm_calls', 'llmCalls'],
  ['tokens_in', 'tokensIn'],
  ['tokens_out', 'tokensOut'],
  ['cost_usd', 'costUsd'],
] as const;

const decimalSum = (xs: string[]) => {
  const s = new DecimalSum();
  for (const x of xs) s.add(x);
  return s.toString();
};

async function checkFleet(url: string): Promise<void> {
  const service = new InspectorService({ demoStoreUrl: url });
  const { storeId } = await value(dispatch(service, 'openStore', { url }));
  // The first answer is the run list's: every run and the runs started per day, nothing rolled up yet.
  let fleet = await value(dispatch(service, 'fleet', { storeId }));
  expect(fleet.counted_runs).toBe(0);
  expect(fleet.days.reduce((n: number, d: any) => n + d.runs_started, 0)).toBe(fleet.runs.filter((r: any) => r.started_at).length);
  expect(fleet.days.length).toBeGreaterThan(0);
  for (let asks = 0; !(fleet = await value(dispatch(service, 'fleet', { storeId }))).complete; asks++) expect(asks).toBeLessThan(50);
  const runs = await value(dispatch(service, 'listRuns', { storeId }));
  expect(fleet.runs.map((r: any) => r.run_id)).toEqual(runs.map((r: any) => r.run_id));
  const perBehavior = new Map<string, any[]>();
  for (const row of fleet.runs) {
    const costs = await value(dispatch(service, 'runCosts', { storeId, runId: row.run_id }));
    expect(
      FIELDS.map(([f]) => row[f]),
      row.run_id,
    ).toEqual(FIELDS.map(([, c]) => costs.run[c]));
    expect(row.unreadable).toBe(0);
    for (const b of costs.behaviors) perBehavior.set(b.behavior, [...(perBehavior.get(b.behavior) ?? []), b]);
  }
  expect(fleet.runs.some((r: any) => r.llm_calls > 0 && r.cost_usd !== '0')).toBe(true);
  // Every behavior's figures are its roll-ups in the runs, summed.
  for (const b of fleet.behaviors) {
    const of = perBehavior.get(b.behavior) ?? [];
    for (const [f, c] of FIELDS) expect(b[f], `${b.behavior} ${f}`).toEqual(f === 'cost_usd' ? decimalSum(of.map((x) => x[c])) : of.reduce((n, x) => n + x[c], 0));
  }
  // The days add up to the runs.
  for (const [f] of FIELDS)
    expect(f === 'cost_usd' ? decimalSum(fleet.days.map((d: any) => d.cost_usd)) : fleet.days.reduce((n: number, d: any) => n + d[f], 0)).toEqual(
      f === 'cost_usd' ? decimalSum(fleet.runs.map((r: any) => r.cost_usd)) : fleet.runs.reduce((n: number, r: any) => n + r[f], 0),
    );
  expect(fleet.days.reduce((n: number, d: any) => n + d.runs_started, 0)).toBe(fleet.runs.filter((r: any) => r.started_at).length);
  await service.close();
}

describe('the fleet view of a store', () => {
  for (const fixture of ['demo', 'archived'] as const)
    it(`equals each run’s roll-up, summed by behavior and day (${fixture}, SQLite)`, () => checkFleet(`sqlite:///${copyFixture(fixture).file}`));

  it('gives the same on Postgres (grouped SQL with exact numeric sums)', async () => {
    const url = await freshDatabase('fleet');
    expect((await cli(['migrate', '--from', `sqlite:///${copyFixture('demo').file}`, '--to', url], tempDir())).code).toBe(0);
    await checkFleet(url);
  });
});
