/**
 * A whole store's runs at once: per run, per day and per behavior, what they cost (events,
 * executions, failures, first-turn LLM calls, tokens, dollars), rolled up where the data is
 * (store `fleetWindow`: grouped SQL over bounded windows of each run's own index) and kept per run,
 * so asking again reads only what runs appended since. A fork counts from its fork point, as its
 * own roll-up does (spans.ts): the prefix it copied was not run again.
 */
import type { RunInfo } from '../../shared/model.js';
import { DecimalSum } from '../base/decimal-sum.js';
import { BEFORE_FIRST_SEQ, yieldToEventLoop, type EventStore, type FleetGroup } from '../store/event-store.js';

type Figures = Omit<FleetGroup, 'day' | 'behavior' | 'cost_usd'> & { cost: DecimalSum };

/** Rows per statement: small enough that a step ends near its deadline, even on a cold cache. */
const WINDOW = 5_000;

const empty = (): Figures => ({ events: 0, executions: 0, failures: 0, llm_calls: 0, tokens_in: 0, tokens_out: 0, cost: new DecimalSum() });

function add(into: Figures, g: Omit<FleetGroup, 'day' | 'behavior'> | Figures): void {
  into.events += g.events;
  into.executions += g.executions;
  into.failures += g.failures;
  into.llm_calls += g.llm_calls;
  into.tokens_in += g.tokens_in;
  into.tokens_out += g.tokens_out;
  into.cost.add('cost' in g ? g.cost.toString() : g.cost_usd);
}

const view = (f: Figures): Omit<FleetGroup, 'day' | 'behavior'> => ({
  events: f.events,
  executions: f.executions,
  failures: f.failures,
  llm_calls: f.llm_calls,
  tokens_in: f.tokens_in,
  tokens_out: f.tokens_out,
  cost_usd: f.cost.toString(),
});

interface RunRollup {
  /** Rows read through this seq. */
  read: number;
  unreadable: number;
  /** By day and behavior. */
  groups: Map<string, { day: string | null; behavior: string | null; figures: Figures }>;
}

export interface FleetRun extends Omit<FleetGroup, 'day' | 'behavior'> {
  run_id: string;
  label: string | null;
  parent_run_id: string | null;
  started_at: string | null;
  duration_ms: number | null;
  unreadable: number;
}

export interface FleetView {
  total_runs: number;
  counted_runs: number;
  /** Every run is counted up to its last event. */
  complete: boolean;
  runs: FleetRun[];
  days: (Omit<FleetGroup, 'day' | 'behavior'> & { day: string; runs_started: number })[];
  behaviors: (Omit<FleetGroup, 'day' | 'behavior'> & { behavior: string })[];
}

export class FleetIndex {
  private readonly runs = new Map<string, RunRollup>();

  /** The run list the last step used, and when it was read. */
  private listed: { at: number; runs: RunInfo[] } | null = null;

  constructor(private readonly store: EventStore) {}

  /**
   * The store's runs, listed again only when the last list is older than `maxAgeMs`: the steps of
   * one roll-up come a moment apart, and a team store's list costs a statement per run.
   */
  async runList(maxAgeMs: number): Promise<RunInfo[]> {
    if (!this.listed || Date.now() - this.listed.at > maxAgeMs) this.listed = { at: Date.now(), runs: await this.store.listRuns({ counts: false }) };
    return this.listed.runs;
  }

  private answered = false;

  /**
   * One answer to the window: the figures after rolling up for `stepMs`. The first answer does not
   * wait for a roll-up: the run list alone gives the runs and the runs started per day (the first
   * chart), and the window asks again at once for the rest.
   */
  async step(runs: RunInfo[], stepMs: number, signal?: AbortSignal): Promise<FleetView> {
    if (this.answered) await this.refresh(runs, Date.now() + stepMs, signal);
    this.answered = true;
    return this.view(runs);
  }

  /** Heap kept: a few groups per run. */
  approxBytes(): number {
    let groups = 0;
    for (const r of this.runs.values()) groups += r.groups.size;
    return 1024 + groups * 300;
  }

  /**
   * Rolls the runs up to their last events, run by run, until `deadline` (ms since the epoch) or
   * the signal: the caller asks again to go on (the answer says whether it is complete).
   */
  private async refresh(runs: RunInfo[], deadline: number, signal?: AbortSignal): Promise<void> {
    if (!this.store.fleetWindow) return;
    // Small runs first (by their seq span): the count of runs done grows from the first step on.
    const span = (r: RunInfo) => (r.last_seq ?? 0) - (r.first_seq ?? 0);
    for (const run of [...runs].sort((a, b) => span(a) - span(b))) {
      let r = this.runs.get(run.run_id);
      if (!r) {
        const cut = run.forked_at_event_id ? await this.store.getEvent(run.run_id, run.forked_at_event_id) : null;
        this.runs.set(run.run_id, (r = { read: cut?.seq ?? BEFORE_FIRST_SEQ, unreadable: 0, groups: new Map() }));
      }
      while (run.last_seq !== null && r.read < run.last_seq) {
        if (Date.now() > deadline) return;
        await yieldToEventLoop();
        signal?.throwIfAborted();
        const w = await this.store.fleetWindow(run.run_id, r.read, WINDOW);
        if (w.lastSeq === null) break;
        for (const g of w.groups) {
          const key = `${g.day}\u0000${g.behavior ?? '\u0001'}`; // \u0001: events of no behavior
          let at = r.groups.get(key);
          if (!at) r.groups.set(key, (at = { day: g.day, behavior: g.behavior, figures: empty() }));
          add(at.figures, g);
        }
        r.read = w.lastSeq;
        r.unreadable += w.unreadable;
      }
    }
  }

  /** The figures as far as they are counted (a run counted in part shows its part). */
  view(runs: RunInfo[]): FleetView {
    const days = new Map<string, Figures & { runs_started: number }>();
    const behaviors = new Map<string, Figures>();
    let counted = 0;
    const rows = runs.map((run): FleetRun => {
      const r = this.runs.get(run.run_id);
      if (r && (run.last_seq === null || r.read >= run.last_seq)) counted++;
      const total = empty();
      for (const { day, behavior, figures } of r?.groups.values() ?? []) {
        add(total, figures);
        if (day !== null) {
          let d = days.get(day);
          if (!d) days.set(day, (d = { ...empty(), runs_started: 0 }));
          add(d, figures);
        }
        if (behavior !== null) {
          let b = behaviors.get(behavior);
          if (!b) behaviors.set(behavior, (b = empty()));
          add(b, figures);
        }
      }
      const started = run.first_at?.slice(0, 10);
      if (started) {
        let d = days.get(started);
        if (!d) days.set(started, (d = { ...empty(), runs_started: 0 }));
        d.runs_started++;
      }
      const [first, last] = [Date.parse(run.first_at ?? ''), Date.parse(run.last_at ?? '')];
      return {
        run_id: run.run_id,
        label: run.label,
        parent_run_id: run.parent_run_id,
        started_at: run.first_at,
        duration_ms: Number.isFinite(first) && Number.isFinite(last) && last >= first ? last - first : null,
        unreadable: r?.unreadable ?? 0,
        ...view(total),
      };
    });
    return {
      total_runs: runs.length,
      counted_runs: counted,
      complete: counted === runs.length,
      runs: rows,
      days: [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, f]) => ({ day, runs_started: f.runs_started, ...view(f) })),
      behaviors: [...behaviors].sort(([a], [b]) => (a < b ? -1 : 1)).map(([behavior, f]) => ({ behavior, ...view(f) })),
    };
  }
}
