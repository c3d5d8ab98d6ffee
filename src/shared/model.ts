/** Data shapes shared by the engine, the contract and the renderer. Plain JSON only. */
import type { z } from 'zod';
import type { eventFilterSchema } from './contract.js';

/** One row of a run's event log. `payload` is decoded lazily by the engine. */
export interface EventRow {
  seq: number;
  id: string;
  type: string;
  actor: string | null;
  frame_id: string | null;
  caused_by: string | null;
  timestamp: string;
}

export interface RunInfo {
  run_id: string;
  parent_run_id: string | null;
  forked_at_event_id: string | null;
  label: string | null;
  created_at: string;
  goal: string | null;
  frame_id: string | null;
  /** Hot-log events. */
  event_count: number;
  archived_count: number;
  /** Max hot-log seq, or null for a run with no hot events. */
  last_seq: number | null;
  /** Stores of other runtimes: the run's own status word (e.g. `failed`, `suspended`), else null. */
  native_status: string | null;
  /** Stores of other runtimes: what the store records about the run beyond its events. */
  attributes: Record<string, unknown> | null;
}

/** Which events a view shows (the contract's schema is the one definition). */
export type EventFilter = z.infer<typeof eventFilterSchema>;

export interface GraphObject {
  id: string;
  type: string;
  data: Record<string, unknown>;
  version: number;
  provenance: unknown;
}

export interface GraphRelation {
  id: string;
  source: string;
  target: string;
  type: string;
  data: Record<string, unknown>;
  provenance: unknown;
}

export interface PatchRecord {
  id: string;
  target?: string;
  op?: string;
  status?: string;
  [key: string]: unknown;
}

export const BUDGET_DIMENSIONS = ['max_events', 'max_behavior_calls', 'max_llm_calls', 'max_tool_calls', 'max_patches', 'max_depth', 'max_seconds', 'max_cost_usd'] as const;

export interface RunStatus {
  run_id: string;
  state: 'idle' | 'running' | 'stopped' | 'exhausted';
  queue_depth: number;
  events_processed: number;
  budget: {
    used: Record<string, number>;
    limits: Record<string, number | null>;
    cost_used_usd: string;
    cost_limit_usd: string | null;
    exhausted_by: string | null;
  };
  frame: { id: string; name: string | null } | null;
  registered_behaviors: unknown[];
  recent_events: { id: string; type: string; actor: string | null; timestamp: string }[];
}

/** What the inspector shows beyond AG's status(): the last recorded budget snapshot and frames seen. */
export interface RunStatusExtras {
  last_budget_snapshot: unknown | null;
  last_budget_event_id: string | null;
  frames_seen: string[];
  failures: number;
}

export interface DiffSummary {
  run_a: string;
  run_b: string;
  shared_events: number;
  parent_only_events: number;
  fork_only_events: number;
  divergent_objects: number;
  divergent_relations: number;
}

export interface DivergentEntity<T> {
  id: string;
  in_parent: T | null;
  in_fork: T | null;
}

export interface DiffDetail extends DiffSummary {
  objects: DivergentEntity<Omit<GraphObject, 'provenance'>>[];
  relations: DivergentEntity<Omit<GraphRelation, 'provenance'>>[];
  /** Seq of the first non-shared filtered event on each side (null: none). */
  divergence: { a_seq: number | null; b_seq: number | null; a_event_id: string | null; b_event_id: string | null };
}

export interface ReplaySummary {
  run_id: string;
  events: number;
  objects: number;
  relations: number;
}

export interface ForkResult {
  parent_run_id: string;
  new_run_id: string;
  at_event: string;
  label: string | null;
  events_copied: number;
  recording?: boolean;
}
