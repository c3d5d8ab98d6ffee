/** For a store read from a hot standby: says so, and how far behind its primary it is (asked every few seconds). */
import { useEffect, useState } from 'react';
import { call } from '../../api/transport';
import { useTask } from '../../state/use-view';

const EVERY_MS = 5000;

export function StandbyLag({ storeId, driver }: { storeId: string; driver: string }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (driver !== 'postgres') return;
    const t = setInterval(() => setTick((n) => n + 1), EVERY_MS);
    return () => clearInterval(t);
  }, [driver]);
  const ask =
    driver === 'postgres'
      ? { key: JSON.stringify(['storeHealth', storeId, tick]), of: { storeId }, load: (signal: AbortSignal) => call('storeHealth', { storeId }, signal) }
      : null;
  const { data } = useTask('storeHealth', ask, { quiet: true });
  // The last answer stays shown while the next is asked.
  const [shown, setShown] = useState(data);
  useEffect(() => void (data && setShown(data)), [data]);
  if (!shown?.standby) return null;
  const lag = shown.lagSeconds;
  return (
    <span
      className={`standby${lag !== null && lag > 10 ? ' warn' : ''}`}
      data-testid="standby-lag"
      title="A read-only hot standby: what it shows arrives from its primary by streaming replication"
    >
      {' '}
      · standby, {lag === null ? 'replay position unknown' : lag < 0.5 ? 'caught up' : `${lag.toFixed(1)} s behind its primary`}
    </span>
  );
}
