/**
 * Event-rate overview of the timeline as filtered (by position in the log): bar height is the rate,
 * the red fill each bar's failure rate; the rows in view are marked; click to go there.
 */
import { useEffect, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import { call, unlessCancelled } from '../../api/transport';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { int, share } from '../../ui/format';

export function RateStrip() {
  const { storeId, runId, filter, showError, select, view } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, filter: s.filter, showError: s.showError, select: s.select, view: s.timelineView })),
  );
  const [strip, setStrip] = useState<OpOutput<'rateStrip'> | null>(null);
  const runs = useApp((s) => s.runs);
  const eventCount = runs.find((r) => r.run_id === runId)?.event_count;
  const timelineReady = useApp((s) => s.timelineTotal !== null);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    setStrip(null);
    if (!storeId || !runId || !timelineReady) return;
    const changed = new AbortController();
    const f = Object.keys(filter).length ? filter : undefined;
    call('rateStrip', { storeId, runId, buckets: 240, filter: f }, changed.signal).then(setStrip, unlessCancelled(showError));
    return () => changed.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filterKey stands for the filter's value
  }, [storeId, runId, eventCount, timelineReady, filterKey, showError]);

  if (!strip || strip.total === 0) return <div className="ratestrip empty" />;
  // Bar height is the event rate (events per second of wall clock): bursts stand tall, waits stay low.
  const rate = (b: { count: number; seconds: number }) => b.count / Math.max(b.seconds, 1);
  const max = Math.max(...strip.buckets.map(rate));
  // The red fill is the bar's failure rate (a run with 4% failures is mostly blue), never less than
  // a sliver where there is one, so a single failure stays findable.
  const failFill = (b: { count: number; failures: number }) => (b.failures ? Math.max(12, (100 * b.failures) / Math.max(b.count, 1)) : 0);
  const jump = async (fromOffset: number) => {
    const f = useApp.getState().filter;
    const win = await call('timelineWindow', { storeId: storeId!, runId: runId!, filter: Object.keys(f).length ? f : undefined, offset: fromOffset, limit: 1 });
    const r = win.rows[0];
    if (r) select({ id: r.id, seq: r.seq, offset: fromOffset }, true);
  };
  const inView = (b: { fromOffset: number; count: number }) => view !== null && b.fromOffset < view.first + view.count && b.fromOffset + b.count > view.first;
  return (
    <div className="ratestrip" role="navigation" aria-label="event overview">
      {strip.buckets.map((b, i) => (
        <button
          key={i}
          className={`bucket${b.failures ? ' has-failures' : ''}${inView(b) ? ' here' : ''}`}
          style={{ height: `${Math.max(8, (rate(b) / max) * 100)}%`, ['--fail-fill' as string]: `${failFill(b)}%` }}
          title={`rows ${int(b.fromOffset + 1)}–${int(b.fromOffset + b.count)} in ${b.seconds.toFixed(0)} s${b.failures ? `, ${int(b.failures)} failed (${share(b.failures, b.count)})` : ''}`}
          onClick={() => void jump(b.fromOffset)}
        />
      ))}
    </div>
  );
}
