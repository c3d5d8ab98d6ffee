/**
 * Every run of the store at once (op fleet): per day, what the runs cost and how often they
 * failed (a uPlot canvas chart), each run as a point of cost against its start, the most failing
 * behaviors, the slowest and the costliest runs, each a link into its run. The figures come in
 * steps (the host rolls runs up a bounded time per call) and are asked again as runs grow; the
 * charts save as PNG and the runs as CSV.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { OpOutput } from '../../../../shared/contract';
import { call, toApiError, type ApiError } from '../../api/transport';
import { useApp } from '../../state/app-store';
import { Dialog } from '../../ui/Dialog';
import { ErrorView } from '../../ui/ErrorView';
import { saveFile } from '../../ui/save-file';
import { duration, int } from '../../ui/format';
import { THEME_CHANGED } from '../../ui/theme';
import { fleetCsv } from './fleet-csv';

type Fleet = OpOutput<'fleet'>;

/** Asked again this often once every run is counted (runs grow). */
const REFRESH_MS = 10_000;
const TOP = 8;

/** The fleet's figures: asked until complete, then again every REFRESH_MS while the view is open. */
function useFleet(storeId: string | null): { fleet: Fleet | null; error: ApiError | null } {
  const [state, setState] = useState<{ fleet: Fleet | null; error: ApiError | null }>({ fleet: null, error: null });
  useEffect(() => {
    if (!storeId) return;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const fleet = await call('fleet', { storeId }, ctl.signal);
        setState({ fleet, error: null });
        timer = setTimeout(() => void ask(), fleet.complete ? REFRESH_MS : 0);
      } catch (error) {
        if (!ctl.signal.aborted) setState((s) => ({ ...s, error: toApiError(error) }));
      }
    };
    void ask();
    return () => (ctl.abort(), clearTimeout(timer));
  }, [storeId]);
  return state;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** A uPlot chart sized to its box; `plot` keeps the instance for PNG export. */
function Chart({
  options,
  data,
  plot,
  label,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  plot: React.MutableRefObject<uPlot | null>;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot({ ...options, width: el.clientWidth || 600, height: 220 }, data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth || 600, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // A new chart for new data: uPlot redraws fast, and the options follow the data's series.
  }, [options, data, plot]);
  return <div ref={box} className="fleet-chart" role="img" aria-label={label} />;
}

function savePng(u: uPlot | null, name: string): void {
  u?.ctx.canvas.toBlob((blob) => blob && saveFile(name, [blob], 'image/png'));
}

export function FleetView() {
  const storeId = useApp((s) => s.storeId);
  const close = () => useApp.getState().setShowFleet(false);
  const open = (runId: string) => (close(), useApp.getState().selectRun(runId));
  const { fleet, error } = useFleet(storeId);
  const daysPlot = useRef<uPlot | null>(null);
  const runsPlot = useRef<uPlot | null>(null);
  const [charts, setCharts] = useState<{
    days: [Omit<uPlot.Options, 'width' | 'height'>, uPlot.AlignedData];
    runs: [Omit<uPlot.Options, 'width' | 'height'>, uPlot.AlignedData];
  } | null>(null);
  // The canvas is not painted by CSS: the charts are drawn again in the theme's colors.
  const [theme, setTheme] = useState(0);
  useEffect(() => {
    const redraw = () => setTheme((n) => n + 1);
    window.addEventListener(THEME_CHANGED, redraw);
    return () => window.removeEventListener(THEME_CHANGED, redraw);
  }, []);
  useEffect(() => {
    if (!fleet) return;
    const [fg, accent, fail] = [css('--fg'), css('--accent'), css('--fail')];
    const axes: uPlot.Axis[] = [
      { stroke: fg, grid: { stroke: css('--border') } },
      { stroke: fg, grid: { stroke: css('--border') } },
    ];
    const days = fleet.days;
    const runs = fleet.runs.filter((r) => r.started_at).sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
    setCharts({
      days: [
        {
          title: 'Per day: runs started, failures, cost ($)',
          axes: [...axes, { scale: '$', side: 1, stroke: fg, grid: { show: false } }],
          scales: { x: { time: true }, $: {} },
          series: [
            {},
            { label: 'runs started', stroke: accent, fill: accent + '33', paths: uPlot.paths.bars!({ size: [0.6, 40] }) },
            { label: 'failures', stroke: fail },
            { label: 'cost $', stroke: fg, scale: '$' },
          ],
        },
        [days.map((d) => Date.parse(d.day) / 1000), days.map((d) => d.runs_started), days.map((d) => d.failures), days.map((d) => Number(d.cost_usd))],
      ],
      runs: [
        {
          title: 'Each run: cost ($) by its start',
          axes,
          scales: { x: { time: true } },
          series: [{}, { label: 'cost $', stroke: accent, paths: () => null, points: { show: true, size: 5, fill: accent } }],
        },
        [runs.map((r) => Date.parse(r.started_at!) / 1000), runs.map((r) => Number(r.cost_usd))],
      ],
    });
  }, [fleet, theme]);
  const top = <K extends keyof Fleet['runs'][number]>(key: K) => [...(fleet?.runs ?? [])].sort((a, b) => Number(b[key] ?? -1) - Number(a[key] ?? -1)).slice(0, TOP);
  const failing = [...(fleet?.behaviors ?? [])]
    .filter((b) => b.failures > 0)
    .sort((a, b) => b.failures - a.failures)
    .slice(0, TOP);
  return (
    <Dialog label="All the store’s runs" onClose={close} className="wide fleet-dialog">
      <h3>All the store&apos;s runs</h3>
      {error && <ErrorView error={error} />}
      {!fleet && !error && <p className="muted">Rolling the runs up…</p>}
      {fleet && (
        <>
          <p className="muted small" data-testid="fleet-progress">
            {fleet.complete ? `${int(fleet.total_runs)} runs` : `${int(fleet.counted_runs)} of ${int(fleet.total_runs)} runs counted so far…`}:{' '}
            {int(fleet.runs.reduce((n, r) => n + r.events, 0))} events of their own, {int(fleet.runs.reduce((n, r) => n + r.failures, 0))} failures,{' '}
            {int(fleet.runs.reduce((n, r) => n + r.llm_calls, 0))} LLM calls. A fork counts from its fork point.
          </p>
          {charts && (
            <div className="fleet-charts">
              <Chart options={charts.days[0]} data={charts.days[1]} plot={daysPlot} label="runs started, failures and cost per day" />
              <Chart options={charts.runs[0]} data={charts.runs[1]} plot={runsPlot} label="each run's cost by its start" />
            </div>
          )}
          <div className="fleet-tables">
            <FleetTable title="Most failing behaviors" rows={failing.map((b) => [b.behavior, `${int(b.failures)} of ${int(b.executions)}`])} />
            <FleetTable title="Slowest runs" rows={top('duration_ms').map((r) => [runLink(r, open), r.duration_ms === null ? '' : duration(r.duration_ms)])} />
            {/* Runs that cost nothing (so far: the first answer counts none) are not among the costliest. */}
            <FleetTable
              title="Costliest runs"
              rows={top('cost_usd')
                .filter((r) => Number(r.cost_usd) > 0)
                .map((r) => [runLink(r, open), `$${r.cost_usd}`])}
            />
          </div>
        </>
      )}
      <div className="buttons">
        <button disabled={!charts} onClick={() => savePng(daysPlot.current, 'fleet-per-day.png')}>
          Save the day chart (PNG)
        </button>
        <button disabled={!charts} onClick={() => savePng(runsPlot.current, 'fleet-runs.png')}>
          Save the run chart (PNG)
        </button>
        <button disabled={!fleet} onClick={() => fleet && saveFile('fleet-runs.csv', [fleetCsv(fleet)], 'text/csv')}>
          Save the runs (CSV)
        </button>
        <button onClick={close}>Close</button>
      </div>
    </Dialog>
  );
}

const runLink = (r: Fleet['runs'][number], open: (runId: string) => void) => (
  <button className="link" title={r.run_id} onClick={() => open(r.run_id)}>
    {r.label ?? r.run_id.slice(0, 12) + '…'}
  </button>
);

function FleetTable({ title, rows }: { title: string; rows: [React.ReactNode, string][] }) {
  return (
    <section>
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p className="muted small">none</p>
      ) : (
        <table className="matrix">
          <tbody>
            {rows.map(([name, figure], i) => (
              <tr key={i}>
                <td>{name}</td>
                <td className="num">{figure}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
