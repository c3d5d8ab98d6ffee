/** Active Graph's newer event types (1.8-1.10), as the spec gives their payloads, for tests of the views that read them. */
import Database from 'better-sqlite3';

/** Events as Active Graph 1.8-1.10 writes them (spec §5.2-§5.4), appended to the main run. */
export const NEWER_EVENTS: [string, string, string | null, Record<string, unknown>][] = [
  ['evt_901', 'context.read', 'runtime', { behavior: 'verifier', event_id: 'evt_024', execution_event_id: 'evt_025', object_ids: ['claim#9', 'source#6', 'question#2'], count: 3 }],
  [
    'evt_902',
    'authority.decision',
    'verifier',
    {
      capability: 'web.fetch',
      action_class: 'read',
      ceiling: 'act',
      capability_ceiling: 'read',
      effective_ceiling: 'read',
      matched_policy: 'default-read',
      decision: 'allow',
      reason: 'within ceiling',
    },
  ],
  ['evt_903', 'authority.ceiling_changed', 'ops', { ceiling: 'suggest', previous_ceiling: 'act', actor: 'ops', reason: 'incident 42' }],
  ['evt_904', 'dev.override', 'alice', { actor: 'alice', reason: 'hotfix', target_gate: 'publish', scope: 'run', resulting_authority: 'act' }],
  ['evt_905', 'pack.settings_overridden', 'runtime', { pack: 'diligence', overrides: { verifier: { strict: true } }, assignments: ['diligence.verifier.strict=true'] }],
  [
    'evt_906',
    'runtime.budget_exhausted',
    'runtime',
    { exhausted_by: 'max_seconds', snapshot: {}, stop_position: { accepted_sequence: 905, event_tick: 77, queue_depth: 3, delayed_depth: 1 } },
  ],
];

/** Appends NEWER_EVENTS to `runId` of the store at `file`. */
export function withNewerEvents(file: string, runId: string): void {
  const db = new Database(file);
  const ins = db.prepare(`INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (?, ?, ?, ?, NULL, NULL, '2026-09-01T10:00:00Z', ?)`);
  for (const [id, type, actor, payload] of NEWER_EVENTS) ins.run(id, type, actor, JSON.stringify(payload), runId);
  db.close();
}
