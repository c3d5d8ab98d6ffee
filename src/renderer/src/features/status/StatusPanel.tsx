/** The run's status() snapshot, refreshed live while another process writes it (pausable). */
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { int } from '../../ui/format';
import { BUDGET_DIMENSIONS } from '../../../../shared/model';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { TypeChip } from '../../ui/TypeChip';
import { CostRollup } from './CostRollup';
import { Governance } from './Governance';
import { HostMemory } from './HostMemory';
import { NativeRecord } from './NativeRecord';

export function StatusPanel() {
  const { storeId, runId, jumpTo, runs, stores } = useApp(useShallow((s) => ({ storeId: s.storeId, runId: s.runId, jumpTo: s.jumpTo, runs: s.runs, stores: s.stores })));
  const run = runs.find((r) => r.run_id === runId);
  const runtime = stores.find((x) => x.storeId === storeId)?.runtime ?? 'Active Graph';
  const [paused, setPaused] = useState(false);
  const { data: status, at: updated } = useView('status', 'status', storeId && runId ? { storeId, runId, tail: 12 } : null, { live: !paused });
  // Frames, failures and the last budget snapshot read the whole run the first time: their own view, so status shows at once.
  const { data: readExtras } = useView('status.extras', 'statusExtras', storeId && runId ? { storeId, runId } : null, { live: !paused, quiet: true });
  const reading = useReadingProgress(readExtras === undefined);

  if (!status) return <div className="panel-empty">Loading status…</div>;
  const s = status.status;
  const extras = readExtras ?? status.extras;
  const snap = (extras?.last_budget_snapshot ?? null) as {
    used?: Record<string, number>;
    limits?: Record<string, number | null>;
    cost_used_usd?: string;
    cost_limit_usd?: string | null;
  } | null;
  return (
    <div className="status-panel" data-testid="status-panel">
      <header>
        <h3>{run?.native_status ? <span className="state">{run.native_status}</span> : <span className={`state state-${s.state}`}>{s.state}</span>}</h3>
        <button onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume live' : 'Pause'}
        </button>
        <span className="muted">
          {paused ? 'paused' : 'live'} · updated {updated === null ? '' : new Date(updated).toLocaleTimeString()}
        </span>
      </header>
      {run?.attributes && (
        <section className="native" data-testid="native-status">
          <h4>
            Recorded by {runtime}: <span className="state">{run.native_status}</span>
          </h4>
          <NativeRecord attributes={run.attributes as Parameters<typeof NativeRecord>[0]['attributes']} />
        </section>
      )}
      {runtime !== 'Active Graph' ? (
        <dl className="facts big">
          <div>
            <dt>events</dt>
            <dd data-testid="events-processed">{s.events_processed}</dd>
          </div>
        </dl>
      ) : (
        <>
          <dl className="facts big">
            <div>
              <dt>events processed</dt>
              <dd data-testid="events-processed">{s.events_processed}</dd>
            </div>
            <div>
              <dt>queue depth</dt>
              <dd>{s.queue_depth}</dd>
            </div>
            <div>
              <dt>failures</dt>
              <dd data-testid="status-failures">{extras ? extras.failures : reading}</dd>
            </div>
            <div>
              <dt>frames</dt>
              <dd>{extras ? extras.frames_seen.join(', ') || '(none)' : reading}</dd>
            </div>
          </dl>
          {storeId && runId && <CostRollup storeId={storeId} runId={runId} />}
          {storeId && runId && <Governance storeId={storeId} runId={runId} />}
          <h4>Budget (status())</h4>
          <p className="muted small">
            status() of a stored run reports an unlimited, unused budget (as Active Graph's inspect does); the bars show the last budget snapshot the run recorded
            {!extras ? ' (reading the run…)' : extras.last_budget_event_id ? ` (${extras.last_budget_event_id})` : ' (none recorded)'}.
          </p>
          <table className="budget">
            <tbody>
              {BUDGET_DIMENSIONS.map((d) => {
                const used = snap?.used?.[d] ?? 0;
                const limit = snap?.limits?.[d] ?? null;
                const pct = limit ? Math.min(100, (used / limit) * 100) : 0;
                return (
                  <tr key={d}>
                    <td>{d}</td>
                    <td className="bar-cell">{limit ? <div className={`bar${pct >= 100 ? ' full' : ''}`} style={{ width: `${pct}%` }} /> : null}</td>
                    <td className="num">
                      {used} / {limit ?? 'unlimited'}
                    </td>
                  </tr>
                );
              })}
              {snap?.cost_used_usd !== undefined && (
                <tr>
                  <td>cost (USD)</td>
                  <td />
                  <td className="num">
                    ${snap.cost_used_usd} / {snap.cost_limit_usd ? `$${snap.cost_limit_usd}` : 'unlimited'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      <h4>Recent events</h4>
      <ul className="links">
        {s.recent_events.map((e) => (
          <li key={e.id}>
            <button className="link" onClick={() => void jumpTo({ eventId: e.id })}>
              {e.id}
            </button>{' '}
            <TypeChip type={e.type} /> <span className="muted">{e.actor}</span>
          </li>
        ))}
      </ul>
      <HostMemory />
    </div>
  );
}

/** While the roll-up reads a big run the first time: how far it got, from the host's progress pushes. */
function useReadingProgress(reading: boolean): string {
  const [read, setRead] = useState<{ done: number; total: number | null } | null>(null);
  useEffect(() => {
    if (!reading) return setRead(null);
    return api.subscribe('progress', (p) => p.operation === 'statusExtras' && setRead({ done: p.done, total: p.total }));
  }, [reading]);
  if (!read) return '…';
  return read.total ? `reading the run… ${Math.min(99, Math.floor((read.done / read.total) * 100))}%` : `reading the run… ${int(read.done)} events`;
}
