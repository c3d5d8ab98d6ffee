/** The migration wizard: source runs, destination, options, a real progress bar, the verified report. */
import { useState } from 'react';
import type { ApiError } from '../../api/transport';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { ErrorView } from '../../ui/ErrorView';
import { Dialog } from '../../ui/Dialog';

export function MigrateWizard() {
  const { storeId, stores, runs, setShowMigrate, openStore, startMigration, cancelMigration, migration } = useApp(
    useShallow((s) => ({
      storeId: s.storeId,
      stores: s.stores,
      runs: s.runs,
      setShowMigrate: s.setShowMigrate,
      openStore: s.openStore,
      startMigration: s.startMigration,
      cancelMigration: s.cancelMigration,
      migration: s.followedMigration ? (s.migrations[s.followedMigration] ?? null) : null,
    })),
  );
  // The runs left out (all are in by default, also those the list shows after the wizard opened).
  const [excluded, setExcluded] = useState<Set<string>>(() => new Set());
  const selected = new Set(runs.map((r) => r.run_id).filter((id) => !excluded.has(id)));
  const [dest, setDest] = useState('');
  const [skipCorrupted, setSkipCorrupted] = useState(() => useApp.getState().migrateSkipCorrupted);
  // Shown in the wizard, where the action was taken.
  const [error, setError] = useState<ApiError | null>(null);
  const source = stores.find((s) => s.storeId === storeId);

  const start = async () => setError(await startMigration({ storeId: storeId!, destUrl: dest.trim(), runIds: [...selected], skipCorrupted }));

  const totalEvents = runs.filter((r) => selected.has(r.run_id)).reduce((a, r) => a + (r.event_count ?? 0), 0) || 1;
  const doneEvents = migration
    ? migration.reports.reduce((a, r) => a + (runs.find((x) => x.run_id === r.run_id)?.event_count ?? 0), 0) +
      (migration.current && !migration.reports.some((r) => r.run_id === migration.current!.runId) ? migration.current.eventsDone : 0)
    : 0;
  const running = migration?.state === 'running';

  return (
    <Dialog label="Migrate runs" className="wide">
      <h3>Migrate runs</h3>
      {error && <ErrorView error={error} onClose={() => setError(null)} />}
      {!migration ? (
        <>
          <p>
            From <b>{source?.displayName}</b> <span className="muted">({source?.url}, read only)</span>
          </p>
          <div className="run-picks">
            <label className="check">
              <input type="checkbox" checked={selected.size === runs.length} onChange={(e) => setExcluded(new Set(e.target.checked ? [] : runs.map((r) => r.run_id)))} /> all runs
            </label>
            {runs.map((r) => (
              <label key={r.run_id} className="check">
                <input
                  type="checkbox"
                  checked={selected.has(r.run_id)}
                  onChange={(e) => {
                    const next = new Set(excluded);
                    if (e.target.checked) next.delete(r.run_id);
                    else next.add(r.run_id);
                    setExcluded(next);
                  }}
                />{' '}
                {r.label ?? r.goal ?? r.run_id}{' '}
                <span className="muted">
                  · {r.event_count} events{r.archived_count ? ` + ${r.archived_count} archived` : ''}
                </span>
              </label>
            ))}
          </div>
          <label>
            Destination (a Postgres URL or a SQLite file URL; created if absent)
            <input value={dest} onChange={(e) => setDest(e.target.value)} placeholder="postgres://user@host/db  or  sqlite:////path/to/new.db" aria-label="migration destination" />
          </label>
          <label className="check">
            <input type="checkbox" checked={skipCorrupted} onChange={(e) => setSkipCorrupted(e.target.checked)} aria-label="skip corrupted" /> skip corrupted payloads (the run is
            migrated partially; skipped ids are listed)
          </label>
          <p className="muted small">
            Each run is copied in one transaction and verified (event count and content hash on both sides) before it commits. Archived events and snapshots of compacted runs are
            carried too.
          </p>
          <div className="buttons">
            <button className="primary" disabled={!dest.trim() || selected.size === 0} onClick={() => void start()}>
              Migrate {selected.size} run{selected.size === 1 ? '' : 's'}
            </button>
            <button onClick={() => setShowMigrate(false)}>Cancel</button>
          </div>
        </>
      ) : (
        <div data-testid="migration">
          <p>
            {migration.state === 'running' ? 'Migrating' : migration.state === 'finished' ? 'Finished' : migration.state === 'cancelled' ? 'Cancelled' : 'Failed'} ·{' '}
            {migration.reports.length} of {migration.runCount || selected.size} runs
          </p>
          <div className="progress" aria-label="overall progress" role="progressbar" aria-valuenow={Math.round((doneEvents / totalEvents) * 100)}>
            <div style={{ width: `${migration.state === 'finished' ? 100 : Math.min(100, (doneEvents / totalEvents) * 100)}%` }} />
          </div>
          {migration.current && (
            <>
              <p className="small">
                run {migration.current.runIndex + 1}: <code>{migration.current.runId}</code> · {migration.current.eventsDone} / {migration.current.eventsTotal} events
              </p>
              <div className="progress" aria-label="run progress">
                <div style={{ width: `${migration.current.eventsTotal ? (migration.current.eventsDone / migration.current.eventsTotal) * 100 : 100}%` }} />
              </div>
            </>
          )}
          {migration.error && <ErrorView error={migration.error} />}
          {migration.reports.length > 0 && (
            <table className="diff-table report" data-testid="migration-report">
              <thead>
                <tr>
                  <th>run</th>
                  <th>status</th>
                  <th>events</th>
                  <th>verified</th>
                  <th>carried</th>
                  <th>skipped / error</th>
                </tr>
              </thead>
              <tbody>
                {migration.reports.map((r) => (
                  <tr key={r.run_id} className={r.status}>
                    <td title={r.run_id}>
                      <code>{r.run_id.slice(0, 12)}…</code>
                    </td>
                    <td>{r.status}</td>
                    <td>{r.events_migrated}</td>
                    <td>{r.verification ? (r.verification.ok ? `✓ ${r.verification.dest_events} events, ${r.verification.dest_hash.slice(0, 10)}` : 'MISMATCH') : '—'}</td>
                    <td>{r.archived_migrated || r.snapshots_migrated ? `${r.archived_migrated} archived, ${r.snapshots_migrated} snapshot(s)` : '—'}</td>
                    <td>
                      {r.skipped_events?.length ? `skipped ${r.skipped_events.join(', ')}` : ''}
                      {r.error && <pre className="error-text">{r.error}</pre>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="buttons">
            {running && <button onClick={() => void cancelMigration()}>Cancel migration</button>}
            {!running && migration.state !== 'failed' && (
              <button className="primary" onClick={() => void openStore(dest.trim()).then(() => setShowMigrate(false))}>
                Open destination
              </button>
            )}
            {!running && <button onClick={() => setShowMigrate(false)}>Close</button>}
          </div>
        </div>
      )}
    </Dialog>
  );
}
