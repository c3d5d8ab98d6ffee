/**
 * The rate strip over a run's (filtered) timeline: per bucket of rows, how many events, how many
 * failed and how long it took. One pass over the run's failures (seqs only, through the type index), then each bucket is
 * two point reads, so it costs the same for a small run and a million-event one.
 */
import type { OpOutput } from '../../shared/contract.js';
import type { EventFilter } from '../../shared/model.js';
import { isFailureType } from '../../shared/event-types.js';
import { BEFORE_FIRST_SEQ, yieldToEventLoop, type EventStore } from '../store/event-store.js';
import type { TimelineIndex } from './timeline-index.js';
import { firstAtLeast } from '../base/sorted.js';

const FAILURE_PAGE = 50_000;

/** Whether a type passes a filter's types (exact, or a family prefix ending in '.'); no types: all. */
const typeIn = (type: string, types: string[] | undefined): boolean => !types?.length || types.some((t) => t === type || (t.endsWith('.') && type.startsWith(t)));

/**
 * `rows` is the view the strip is drawn over (the timeline's filter); failures are counted among the
 * events that filter shows, except that compact mode's folded span ends (a `behavior.failed`) still count.
 */
export async function rateStrip(
  store: EventStore,
  runId: string,
  rows: TimelineIndex,
  buckets: number,
  filter: EventFilter | undefined,
  signal?: AbortSignal,
): Promise<OpOutput<'rateStrip'>> {
  const failureTypes = (await store.eventTypes()).filter((t) => isFailureType(t) && typeIn(t, filter?.types));
  const failureFilter: EventFilter = { ...filter, compact: undefined, types: failureTypes };
  const failureSeqs: number[] = [];
  for (let after = BEFORE_FIRST_SEQ; failureTypes.length;) {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    const seqs = await store.seqsAfter(runId, after, FAILURE_PAGE, failureFilter);
    failureSeqs.push(...seqs);
    if (seqs.length < FAILURE_PAGE) break;
    after = seqs[seqs.length - 1]!;
  }
  /** How many failures have a seq below `seq`. */
  const below = (seq: number): number => firstAtLeast(failureSeqs, seq);
  const size = Math.max(1, Math.ceil(rows.total / Math.max(1, buckets)));
  const out = [];
  for (let from = 0; from < rows.total; from += size) {
    const count = Math.min(size, rows.total - from);
    const [firstRow] = await rows.window(from, 1);
    const [lastRow] = await rows.window(from + count - 1, 1);
    const seconds = Math.max(0, (Date.parse(lastRow?.timestamp ?? '') - Date.parse(firstRow?.timestamp ?? '')) / 1000);
    const failures = firstRow && lastRow ? below(lastRow.seq + 1) - below(firstRow.seq) : 0;
    out.push({ fromOffset: from, count, failures, seconds: Number.isFinite(seconds) ? seconds : 0 });
  }
  return { total: rows.total, buckets: out };
}
