/** Layout: runs on the left, the timeline in the middle, event/graph/status on the right. */
import { RunMatrix } from './features/compare/RunMatrix';
import { FleetView } from './features/fleet/FleetView';
import { SavePageDialog } from './features/export/SavePageDialog';
import { QueryPanel } from './features/query/QueryPanel';
import { useEffect, useState, type DragEvent } from 'react';
import { onConnection, type Connection } from './api/transport';
import { CompareView } from './features/compare/CompareView';
import { downloadTrace } from './features/export/export-trace';
import { downloadOtlp } from './features/export/export-otlp';
import { Waterfall } from './features/waterfall/Waterfall';
import { ErrorView } from './ui/ErrorView';
import { PaneSplitter } from './ui/PaneSplitter';
import { clampPane, usePaneSizes } from './ui/pane-sizes';
import { EventDetail } from './features/event/EventDetail';
import { FilterBar } from './features/timeline/FilterBar';
import { ForkDialog } from './features/fork/ForkDialog';
import { PromoteDialog } from './features/promote/PromoteDialog';
import { WhatIfDialog } from './features/what-if/WhatIfDialog';
import { placeFromSearch } from './features/navigation/place';
import { showingPlace, startPlaceSync } from './features/navigation/place-sync';
import { onGlobalKey } from './features/navigation/global-keys';
import { Shortcuts } from './features/navigation/Shortcuts';
import { CommandPalette } from './features/navigation/CommandPalette';
import { SearchBar } from './features/search/SearchBar';
import { GraphView } from './features/graph/GraphView';
import { MigrateWizard } from './features/migrate/MigrateWizard';
import { OpenStoreDialog } from './features/open-store/OpenStoreDialog';
import { RateStrip } from './features/timeline/RateStrip';
import { RunTree } from './features/runs/RunTree';
import { StatusPanel } from './features/status/StatusPanel';
import { Timeline } from './features/timeline/Timeline';
import { useShallow } from 'zustand/react/shallow';
import { useApp, type RightTab } from './state/app-store';

export function App() {
  const {
    openInitialStore,
    error,
    notice,
    clearError,
    runId,
    runs,
    rightTab,
    setRightTab,
    compare,
    showWaterfall,
    forkAt,
    promote,
    whatIf,
    showShortcuts,
    showPalette,
    showOpen,
    showMigrate,
    matrix,
    showFleet,
    showSavePage,
    refreshRuns,
    storeId,
    openDropped,
    stores,
  } = useApp(
    useShallow((s) => ({
      openInitialStore: s.openInitialStore,
      error: s.error,
      notice: s.notice,
      clearError: s.clearError,
      runId: s.runId,
      runs: s.runs,
      rightTab: s.rightTab,
      setRightTab: s.setRightTab,
      compare: s.compare,
      showWaterfall: s.showWaterfall,
      forkAt: s.forkAt,
      promote: s.promote,
      whatIf: s.whatIf,
      showShortcuts: s.showShortcuts,
      showPalette: s.showPalette,
      showOpen: s.showOpen,
      showMigrate: s.showMigrate,
      matrix: s.matrix,
      showFleet: s.showFleet,
      showSavePage: s.showSavePage,
      refreshRuns: s.refreshRuns,
      storeId: s.storeId,
      stores: s.stores,
      openDropped: s.openDropped,
    })),
  );
  const [dragging, setDragging] = useState(false);
  const [panes, setPanes] = usePaneSizes();

  useEffect(() => {
    // The place a link or a reload names, shown without writing history; from then on, the location follows the view.
    const linked = placeFromSearch(location.search);
    void showingPlace(() => openInitialStore(linked)).then(() => startPlaceSync());
    return useApp.getState().followHost();
  }, [openInitialStore]);

  // Browser mode: one connection state, shown until it is over (and never a banner per failed call).
  const [connection, setConnection] = useState<Connection>('ok');
  useEffect(
    () =>
      onConnection((c) => {
        setConnection(c);
        if (c !== 'ok') return;
        useApp.getState().clearError();
        void refreshRuns();
      }),
    [refreshRuns],
  );

  useEffect(() => {
    window.addEventListener('keydown', onGlobalKey);
    return () => window.removeEventListener('keydown', onGlobalKey);
  }, []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length) void openDropped(files);
  };

  const run = runs.find((r) => r.run_id === runId);
  const tabs: [RightTab, string][] = [
    ['event', 'Event'],
    ['graph', 'Graph'],
    ['status', 'Status'],
    ['query', 'Query'],
  ];
  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      style={{ gridTemplateColumns: `${panes.sidebarCollapsed ? 0 : panes.sidebar}px auto minmax(0, 1fr)` }}
      onDragOver={(e) => (e.preventDefault(), setDragging(true))}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {panes.sidebarCollapsed ? <div /> : <RunTree />}
      <PaneSplitter
        label="run list width"
        side="left"
        width={panes.sidebarCollapsed ? 0 : panes.sidebar}
        onResize={(px) => setPanes({ sidebar: clampPane('sidebar', px), sidebarCollapsed: false })}
        onToggle={() => setPanes({ sidebarCollapsed: !panes.sidebarCollapsed })}
      />
      <main className="main">
        {connection !== 'ok' && (
          <div className="notice connection" role="status" data-testid="connection">
            {connection === 'lost'
              ? 'Connection to the server lost — retrying…'
              : connection === 'no-token'
                ? 'This browser has no access token for this server yet: open the URL run-inspector serve printed (it ends in ?token=…) once; links into runs then open here.'
                : 'The server restarted with a new token: open the URL it printed (run-inspector serve shows it), or reload from that URL.'}
          </div>
        )}
        {error && error.className !== 'ConnectionLost' && (
          <ErrorView
            error={error}
            onClose={clearError}
            remedy={
              error.className === 'CorruptedEventPayloadError' && stores.find((s) => s.storeId === storeId)?.writable ? (
                <button
                  className="primary"
                  onClick={() => {
                    clearError();
                    useApp.getState().setShowMigrate(true, true);
                  }}
                >
                  Migrate the readable events, skipping corrupted payloads…
                </button>
              ) : error.className === 'ParentRunNotOpen' ? (
                <button
                  className="primary"
                  onClick={() => {
                    clearError();
                    useApp.getState().setShowOpen(true);
                  }}
                >
                  Open the store the fork was made in…
                </button>
              ) : undefined
            }
          />
        )}
        {notice && (
          <div className="notice" role="status" data-testid="notice">
            {notice}{' '}
            <button className="close" onClick={() => useApp.setState({ notice: null })} aria-label="dismiss">
              ×
            </button>
          </div>
        )}
        {compare ? (
          <CompareView />
        ) : run ? (
          <>
            <div className="run-title">
              <h2>{run.label ?? run.goal ?? '(no goal)'}</h2>
              <span className="muted">
                <code>{run.run_id}</code> · {run.event_count === null ? 'counting' : run.event_count.toLocaleString('en-US')} events
                {run.parent_run_id && run.forked_at_event_id && (
                  <>
                    {' '}
                    · fork of{' '}
                    {runs.some((r) => r.run_id === run.parent_run_id) ? (
                      <button className="link" onClick={() => void useApp.getState().jumpTo({ eventId: run.forked_at_event_id! }, run.parent_run_id!)}>
                        {run.parent_run_id.slice(0, 10)}… at {run.forked_at_event_id}
                      </button>
                    ) : (
                      // A migrated fork: its parent is in another store.
                      <span title="the parent run is not in this store">
                        {run.parent_run_id.slice(0, 10)}… at {run.forked_at_event_id}
                      </span>
                    )}
                  </>
                )}
              </span>
              <span className="run-export muted small">
                save trace:{' '}
                <button className="link" onClick={() => void downloadTrace(run.run_id, 'jsonl')}>
                  JSONL
                </button>{' '}
                ·{' '}
                <button className="link" onClick={() => void downloadTrace(run.run_id, 'text')}>
                  text
                </button>{' '}
                ·{' '}
                <button className="link" title="OpenTelemetry traces (OTLP JSON), for Jaeger, Tempo, Langfuse, Phoenix" onClick={() => void downloadOtlp(run.run_id)}>
                  OTLP
                </button>{' '}
                ·{' '}
                <button className="link" title="One HTML file that opens in any browser, offline" onClick={() => useApp.getState().setShowSavePage(true)}>
                  page…
                </button>
              </span>
            </div>
            <FilterBar />
            <SearchBar />
            <RateStrip />
            {showWaterfall && <Waterfall />}
            <div className="workspace" style={{ gridTemplateColumns: `minmax(0, 1fr) auto ${panes.rightCollapsed ? 0 : panes.right}px` }}>
              <Timeline />
              <PaneSplitter
                label="panel width"
                side="right"
                width={panes.rightCollapsed ? 0 : panes.right}
                onResize={(px) => setPanes({ right: clampPane('right', px), rightCollapsed: false })}
                onToggle={() => setPanes({ rightCollapsed: !panes.rightCollapsed })}
              />
              <section className="right" hidden={panes.rightCollapsed}>
                <nav className="tabs" role="tablist">
                  {tabs.map(([k, label]) => (
                    <button key={k} role="tab" aria-selected={rightTab === k} className={rightTab === k ? 'active' : ''} onClick={() => setRightTab(k)}>
                      {label}
                    </button>
                  ))}
                </nav>
                <div className="tab-body">
                  {rightTab === 'event' ? <EventDetail /> : rightTab === 'graph' ? <GraphView /> : rightTab === 'status' ? <StatusPanel /> : <QueryPanel />}
                </div>
              </section>
            </div>
          </>
        ) : (
          <div className="panel-empty">{runs.length === 0 ? 'This store has no runs yet.' : 'Select a run.'}</div>
        )}
      </main>
      {showOpen && <OpenStoreDialog />}
      {forkAt && <ForkDialog />}
      {promote && <PromoteDialog />}
      {whatIf && <WhatIfDialog />}
      {showShortcuts && <Shortcuts />}
      {showPalette && <CommandPalette />}
      {showMigrate && <MigrateWizard />}
      {matrix && <RunMatrix />}
      {showFleet && <FleetView />}
      {showSavePage && <SavePageDialog />}
    </div>
  );
}
