/**
 * Event-rate overview of the timeline as filtered (by position in the log): bar height is the rate,
 * the red fill each bar's failure rate; the rows in view are marked; click to go there.
 */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { int, share } from '../../ui/format';

export function RateStrip() {
  const { storeId, runId, filter, selectOffset, view } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, filter: s.filter, selectOffset: s.selectOffset, view: s.timelineView })),
  );
  // Asked once the timeline has its first rows: opening a run must not wait for the whole-run scan.
  const timelineReady = useApp((s) => s.timelineTotal !== null);
  const f = Object.keys(filter).length ? filter : undefined;
  const { data: strip } = useView('rateStrip', 'rateStrip', storeId && runId && timelineReady ? { storeId, runId, buckets: 240, filter: f } : null, { live: true });

  if (!strip || strip.total === 0) return <div className="ratestrip empty" />;
  // Bar height is the event rate (events per second of wall clock): bursts stand tall, waits stay low.
  const rate = (b: { count: number; seconds: number }) => b.count / Math.max(b.seconds, 1);
  const max = Math.max(...strip.buckets.map(rate));
  // The red fill is the bar's failure rate (a run with 4% failures is mostly blue), never less than
  // a sliver where there is one, so a single failure stays findable.
  const failFill = (b: { count: number; failures: number }) => (b.failures ? Math.max(12, (100 * b.failures) / Math.max(b.count, 1)) : 0);
  const inView = (b: { fromOffset: number; count: number }) => view !== null && b.fromOffset < view.first + view.count && b.fromOffset + b.count > view.first;
  return (
    <div className="ratestrip" role="navigation" aria-label="event overview">
      {strip.buckets.map((b, i) => (
        <button
          key={i}
          className={`bucket${b.failures ? ' has-failures' : ''}${inView(b) ? ' here' : ''}`}
          style={{ height: `${Math.max(8, (rate(b) / max) * 100)}%`, ['--fail-fill' as string]: `${failFill(b)}%` }}
          title={`rows ${int(b.fromOffset + 1)}–${int(b.fromOffset + b.count)} in ${b.seconds.toFixed(0)} s${b.failures ? `, ${int(b.failures)} failed (${share(b.failures, b.count)})` : ''}`}
          onClick={() => void selectOffset(b.fromOffset)}
        />
      ))}
    </div>
  );
}
