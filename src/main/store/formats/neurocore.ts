/**
 * NeuroCore (`neurocore-ai`) SQLiteRunStore: a run per `runs` row; its steps (by step_index) as
 * events between a synthetic `run.started` and `run.<status>` (spec other-stores §3).
 */
import type Database from 'better-sqlite3';
import { pyParse } from '../../base/pyjson.js';
import type { StoreUrl } from '../store-url.js';
import { ForeignStore, isoUtc, type ForeignEvent, type ForeignRun } from './foreign-store.js';

const json = (text: string | null): unknown => {
  if (text === null || text === undefined) return null;
  try {
    return pyParse(text);
  } catch {
    return text; // shown raw rather than lost
  }
};

interface RunRowNC {
  run_id: string;
  blueprint_name: string;
  blueprint_version: string;
  blueprint_path: string | null;
  blueprint_snapshot: string;
  flow_type: string;
  status: string;
  initial_data: string;
  final_context: string | null;
  error: string | null;
  suspended_at_node: string | null;
  suspension_reason: string | null;
  checkpoint_id: string | null;
  created_at: string;
  updated_at: string;
  duration_ms: number | null;
}

interface StepRow {
  step_index: number;
  component: string;
  skill_type: string | null;
  status: string;
  started_at: string;
  duration_ms: number | null;
  error: string | null;
  output_keys: string;
  context_snapshot: string | null;
}

export function openNeuroCore(url: StoreUrl, db: Database.Database): ForeignStore {
  const hasCheckpoints = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'`).get() !== undefined;
  const checkpoint = hasCheckpoints ? db.prepare(`SELECT checkpoint_id, flow_config, context, created_at FROM checkpoints WHERE checkpoint_id = ?`) : null;
  const stepsOf = db.prepare(
    `SELECT step_index, component, skill_type, status, started_at, duration_ms, error, output_keys, context_snapshot FROM steps WHERE run_id = ? ORDER BY step_index`,
  );
  const runs: ForeignRun[] = [];
  for (const r of db.prepare(`SELECT * FROM runs ORDER BY created_at, run_id`).all() as RunRowNC[]) {
    const blueprint = json(r.blueprint_snapshot) as { flow?: { edges?: { source: string; target: string }[] } } | null;
    const edges = blueprint?.flow?.edges ?? [];
    const events: ForeignEvent[] = [
      {
        id: 'run.start',
        type: 'run.started',
        actor: 'executor',
        payload: { blueprint: r.blueprint_name, version: r.blueprint_version, flow_type: r.flow_type, initial_data: json(r.initial_data) },
        frame_id: null,
        caused_by: null,
        timestamp: isoUtc(r.created_at),
      },
    ];
    const stepIds = new Map<string, string>();
    let previous = 'run.start';
    for (const st of stepsOf.all(r.run_id) as StepRow[]) {
      const id = `step.${st.step_index}`;
      // Graph flows: the edge into this node names its cause; sequential flows: the step before.
      const from = r.flow_type === 'graph' ? edges.find((e) => e.target === st.component)?.source : undefined;
      const cause = from !== undefined ? (stepIds.get(from) ?? 'run.start') : r.flow_type === 'graph' ? 'run.start' : previous;
      const ended = st.duration_ms !== null ? new Date(Date.parse(st.started_at) + st.duration_ms).toISOString() : null;
      events.push({
        id,
        type: `step.${st.status}`,
        actor: st.component,
        payload: {
          step_index: st.step_index,
          component: st.component,
          skill_type: st.skill_type,
          status: st.status,
          started_at: st.started_at,
          ended_at: ended,
          duration_ms: st.duration_ms,
          error: st.error,
          output_keys: json(st.output_keys),
          context_snapshot: json(st.context_snapshot),
        },
        frame_id: null,
        caused_by: cause,
        timestamp: isoUtc(st.started_at),
      });
      stepIds.set(st.component, id);
      previous = id;
    }
    const cp = r.checkpoint_id && checkpoint ? (checkpoint.get(r.checkpoint_id) as Record<string, string> | undefined) : undefined;
    const checkpointRow = cp ? { checkpoint_id: cp.checkpoint_id, created_at: cp.created_at, flow_config: json(cp.flow_config ?? null), context: json(cp.context ?? null) } : null;
    if (r.status !== 'running') {
      events.push({
        id: 'run.end',
        type: `run.${r.status}`,
        actor: 'executor',
        payload: {
          status: r.status,
          error: r.error,
          duration_ms: r.duration_ms,
          suspended_at_node: r.suspended_at_node,
          suspension_reason: r.suspension_reason,
          checkpoint_id: r.checkpoint_id,
          checkpoint: checkpointRow,
          final_context: json(r.final_context),
        },
        frame_id: null,
        caused_by: previous,
        timestamp: isoUtc(r.updated_at),
      });
    }
    runs.push({
      row: {
        run_id: r.run_id,
        parent_run_id: null,
        forked_at_event_id: null,
        label: null,
        created_at: r.created_at,
        goal: `${r.blueprint_name} v${r.blueprint_version}`,
        frame_id: null,
      },
      nativeStatus: r.status,
      attributes: {
        blueprint: `${r.blueprint_name} v${r.blueprint_version}`,
        blueprint_path: r.blueprint_path,
        flow_type: r.flow_type,
        status: r.status,
        error: r.error,
        suspended_at_node: r.suspended_at_node,
        suspension_reason: r.suspension_reason,
        checkpoint_id: r.checkpoint_id,
        checkpoint: checkpointRow,
        duration_ms: r.duration_ms,
        updated_at: r.updated_at,
      },
      events,
    });
  }
  return new ForeignStore(url, 'sqlite', 'NeuroCore', runs);
}
