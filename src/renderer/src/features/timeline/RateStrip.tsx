/** Event-rate overview over the run (by position in the log), failures marked; click to jump. */
import { useEffect, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import { call } from '../../api/transport';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';

export function RateStrip() {
  const { storeId, runId, showError, select, selected } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, showError: s.showError, select: s.select, selected: s.selected })),
  );
  const [strip, setStrip] = useState<OpOutput<'rateStrip'> | null>(null);
  const runs = useApp((s) => s.runs);
  const eventCount = runs.find((r) => r.run_id === runId)?.event_count;
  const timelineReady = useApp((s) => s.timelineTotal !== null);

  useEffect(() => {
    setStrip(null);
    if (!storeId || !runId || !timelineReady) return;
    let alive = true;
    call('rateStrip', { storeId, runId, buckets: 240 }).then((r) => alive && setStrip(r), showError);
    return () => void (alive = false);
  }, [storeId, runId, eventCount, timelineReady, showError]);

  if (!strip || strip.total === 0) return <div className="ratestrip empty" />;
  // Bar height is the event rate (events per second of wall clock): bursts stand tall, waits stay low.
  const rate = (b: { count: number; seconds: number }) => b.count / Math.max(b.seconds, 1);
  const max = Math.max(...strip.buckets.map(rate));
  // Failures fill each bar from the bottom by their share of its events, scaled to the worst bar, so
  // a run that fails now and then does not paint the whole strip red.
  const share = (b: { count: number; failures: number }) => b.failures / Math.max(b.count, 1);
  const maxShare = Math.max(...strip.buckets.map(share));
  const failFill = (b: { count: number; failures: number }) => (b.failures ? Math.max(15, (share(b) / maxShare) * 100) : 0);
  const jump = async (fromOffset: number) => {
    const { filter } = useApp.getState();
    if (Object.keys(filter).length) useApp.getState().setFilter({});
    const win = await call('timelineWindow', { storeId: storeId!, runId: runId!, offset: fromOffset, limit: 1 });
    const r = win.rows[0];
    if (r) select({ id: r.id, seq: r.seq, offset: fromOffset }, true);
  };
  const selectedBucket = selected ? Math.floor(selected.offset / Math.max(1, strip.buckets[0]!.count)) : -1;
  return (
    <div className="ratestrip" role="navigation" aria-label="event overview">
      {strip.buckets.map((b, i) => (
        <button
          key={i}
          className={`bucket${b.failures ? ' has-failures' : ''}${i === selectedBucket ? ' here' : ''}`}
          style={{ height: `${Math.max(8, (rate(b) / max) * 100)}%`, ['--fail-fill' as string]: `${failFill(b)}%` }}
          title={`events ${b.fromOffset + 1}–${b.fromOffset + b.count} in ${b.seconds.toFixed(0)} s${b.failures ? `, ${b.failures} failure(s)` : ''}`}
          onClick={() => void jump(b.fromOffset)}
        />
      ))}
    </div>
  );
}
