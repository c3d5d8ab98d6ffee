/**
 * What a saved page of a run holds (usecases/save-page writes it, the page's viewer reads it): the
 * run's events (all, or a window of them), its graph as changes per event (so the viewer shows the
 * graph as of any event kept without the engine), and its spans for the waterfall.
 */
import type { GraphObject, GraphRelation } from './model.js';

export interface PageEvent {
  seq: number;
  id: string;
  type: string;
  actor: string | null;
  caused_by: string | null;
  frame_id: string | null;
  timestamp: string;
  /** The decoded payload; for a corrupted one, its stored text. */
  payload: unknown;
  corrupted?: true;
}

/** What one event changed in the graph: records set, ids removed ('o' an object, 'r' a relation). */
export interface PageGraphChange {
  seq: number;
  set: (['o', GraphObject] | ['r', GraphRelation])[];
  del: ['o' | 'r', string][];
}

export interface PageSpan {
  id: string;
  kind: 'behavior' | 'llm' | 'tool' | 'embedding';
  name: string;
  start: number | null;
  end: number | null;
  status: 'ok' | 'failed' | 'open';
  parent: number;
  depth: number;
}

export interface RunPage {
  version: 1;
  savedAt: string;
  store: string;
  run: { run_id: string; label: string | null; goal: string | null; parent_run_id: string | null; forked_at_event_id: string | null };
  /** The run's events, and the ones the page keeps (a window when the run is bigger than the page allows). */
  eventsTotal: number;
  kept: { events: number; fromSeq: number | null; toSeq: number | null; whole: boolean };
  events: PageEvent[];
  /** The graph before the first kept event (empty from the run's start). */
  base: { objects: GraphObject[]; relations: GraphRelation[] };
  changes: PageGraphChange[];
  /** Why the graph stops before the last kept event (a damaged payload), if it does. */
  graphError: string | null;
  spans: PageSpan[];
}
