/**
 * What the run and each behavior did and cost, rolled up from its events: shown beside status(),
 * whose budget of a stored run is unused and unlimited, so that the two are never confused.
 */
import type { OpOutput } from '../../../../shared/contract';
import { useView } from '../../state/use-view';
import { duration, int, share } from '../../ui/format';

type Costs = OpOutput<'runCosts'>;
type Totals = Costs['run'];

export function CostRollup({ storeId, runId }: { storeId: string; runId: string }) {
  const { data: costs } = useView('costs', 'runCosts', { storeId, runId }, { live: true });

  if (!costs) return <p className="muted">Adding up the run’s events…</p>;
  const rows: [string, Totals][] = [['whole run', costs.run], ...costs.behaviors.map((b): [string, Totals] => [b.behavior, b])];
  return (
    <section className="cost-rollup" data-testid="cost-rollup">
      <h4>From the log: what the run did and cost</h4>
      <p className="muted small">
        Counted from the run’s own events
        {costs.countedFrom ? `, after its fork point ${costs.countedFrom} (the copied history was not run again; Active Graph’s budget counts the same way)` : ''}. LLM calls count
        each turn loop once, as the budget does; requests include later turns and retries. Cost is the exact sum of the recorded <code>cost_usd</code>.
        {costs.unreadableEvents > 0 && <strong className="warn"> {int(costs.unreadableEvents)} events could not be read (corrupted payloads): their cost is missing.</strong>}
      </p>
      <div className="table-scroll">
        <table className="costs">
          <thead>
            <tr>
              <th>behavior</th>
              <th title="executions started">runs</th>
              <th title="behavior.failed, and the share of executions">failed</th>
              <th title="turn loops (requests)">LLM calls</th>
              <th title="input / output tokens">tokens in / out</th>
              <th>cost (USD)</th>
              <th title="tool calls (failed)">tools</th>
              <th title="embedding requests (Active Graph 1.8+)">embeddings</th>
              <th title="execution wall time, p50 / p95">duration p50 / p95</th>
              <th title="the provider's latency_seconds, p50 / p95">LLM latency p50 / p95</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, t], i) => (
              <tr key={name} className={i === 0 ? 'total' : ''}>
                <td>{name}</td>
                <td className="num">{int(t.invocations)}</td>
                <td className={`num${t.failures ? ' warn' : ''}`}>
                  {int(t.failures)} <span className="muted">({share(t.failures, t.invocations)})</span>
                </td>
                <td className="num">
                  {int(t.llmCalls)} <span className="muted">({int(t.llmRequests)})</span>
                  {t.llmFailures > 0 && <span className="warn"> · {int(t.llmFailures)} failed</span>}
                </td>
                <td className="num">
                  {int(t.tokensIn)} / {int(t.tokensOut)}
                </td>
                <td className="num">${t.costUsd}</td>
                <td className="num">
                  {int(t.toolCalls)}
                  {t.toolFailures > 0 && <span className="warn"> ({int(t.toolFailures)} failed)</span>}
                </td>
                <td className="num">{int(t.embeddingCalls)}</td>
                <td className="num">
                  {duration(t.durationP50Ms)} / {duration(t.durationP95Ms)}
                </td>
                <td className="num">
                  {duration(t.llmLatencyP50Ms)} / {duration(t.llmLatencyP95Ms)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
