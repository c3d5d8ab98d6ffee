/** The two logs after their divergence point, `count` rows a side from the engine, aligned off the render thread. */
import { call } from '../../api/transport';
import type { RunRef } from '../../state/app-store';
import type { Ask } from '../../state/slices/views-slice';
import type { TimelineRow } from '../timeline/timeline-rows';
import type { AlignedPair } from './align';
import { alignOffThread } from './align-off-thread';

export const PAGE = 150;
/** Beyond this many events per side the alignment (quadratic) would stall the window. */
export const MAX_ALIGNED = 1500;

export interface Aligned {
  pairs: AlignedPair<TimelineRow>[];
  /** Either side has rows beyond `count` (and the bound is not reached). */
  more: boolean;
}

/** One side after the divergence point: `count` rows from `seq` on (the engine pages). */
async function rowsFrom(ref: RunRef, seq: number | null, count: number, signal: AbortSignal): Promise<TimelineRow[]> {
  if (seq === null) return [];
  const loc = await call('locateEvent', { storeId: ref.storeId, runId: ref.runId, seq }, signal);
  if (loc.offset === null) return [];
  return (await call('timelineWindow', { storeId: ref.storeId, runId: ref.runId, offset: loc.offset, limit: count }, signal)).rows;
}

export function alignedAsk(a: RunRef, b: RunRef, from: { a_seq: number | null; b_seq: number | null }, count: number): Ask<Aligned> {
  return {
    key: JSON.stringify(['aligned', a, b, from, count]),
    of: { a, b },
    async load(signal) {
      const [ra, rb] = await Promise.all([rowsFrom(a, from.a_seq, count, signal), rowsFrom(b, from.b_seq, count, signal)]);
      return { pairs: await alignOffThread(ra, rb, signal), more: count < MAX_ALIGNED && (ra.length === count || rb.length === count) };
    },
  };
}
