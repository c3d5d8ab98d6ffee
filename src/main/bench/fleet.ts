/**
 * The fleet view on the team's store (Postgres, ~10M events, 1,001 runs written by ten writers at
 * once): as the window asks it, the store opened and the first answer (the first chart drawn), then
 * the steps until every run is counted, then asking again when nothing grew. Uses the cluster the
 * team bench built (`--only team` builds it once).
 */
import { performance } from 'node:perf_hooks';
import type { OperationName, OpInput, OpOutput } from '../../shared/contract.js';
import { dispatch } from '../service/dispatch.js';
import { InspectorService } from '../service/inspector-service.js';
import { startCluster } from '../../../test/support/throwaway-postgres.js';
import type { BenchContext } from './extra.js';
import { teamCluster } from './team.js';

export async function fleetBench(ctx: BenchContext): Promise<void> {
  process.stdout.write('\nfleet view (the team store on Postgres)\n');
  const team = teamCluster();
  if (!team.built) {
    ctx.record('fleet view', 'not measured: the team store is not built here (npm run bench -- --only team builds it, ~1 h)');
    return;
  }
  const cluster = await startCluster(team.dir);
  const url = cluster.url('team');
  const service = new InspectorService({ demoStoreUrl: url });
  const ask = async <O extends OperationName>(op: O, input: OpInput<O>): Promise<[OpOutput<O>, number]> => {
    const r = await dispatch(service, op, input);
    if (!r.ok) throw new Error(r.error.summary);
    return [r.value as OpOutput<O>, JSON.stringify(r.value).length];
  };
  try {
    const t0 = performance.now();
    const [{ storeId }] = await ask('openStore', { url });
    let [fleet, bytes] = await ask('fleet', { storeId });
    ctx.record('open to the first chart (first answer)', `${ctx.ms(performance.now() - t0)}: ${fleet.counted_runs} of ${fleet.total_runs} runs counted, ${fleet.days.length} days`);
    let steps = 1;
    let most = bytes;
    while (!fleet.complete) {
      [fleet, bytes] = await ask('fleet', { storeId });
      steps++;
      most = Math.max(most, bytes);
    }
    const events = fleet.runs.reduce((n, r) => n + r.events, 0);
    ctx.record('every run counted', `${ctx.ms(performance.now() - t0)} in ${steps} steps (${events.toLocaleString('en-US')} events of their own rolled up)`);
    const t1 = performance.now();
    await ask('fleet', { storeId });
    ctx.record('asked again, nothing grew', ctx.ms(performance.now() - t1));
    ctx.record('largest reply', `${(most / 1e6).toFixed(2)} MB`);
  } finally {
    await service.close();
    cluster.stop();
  }
}
