/**
 * DIR (`dir-core` 0.2.0) SQLite bundle: a run per decision flow (dfid) from its audit events and
 * lifecycle transitions; session-level rows (SIMULATION_*) form the parent run of their flows;
 * the current-state tables become the flow's side panel (spec other-stores §2).
 */
import type Database from 'better-sqlite3';
import { pyParse, toPlain } from '../../base/pyjson.js';
import type { StoreUrl } from '../store-url.js';
import { ForeignStore, isoUtc, type ForeignEvent, type ForeignRun } from './foreign-store.js';

const parse = (text: unknown): unknown => {
  if (typeof text !== 'string') return text ?? null;
  try {
    return toPlain(pyParse(text));
  } catch {
    return text;
  }
};

interface AuditRow {
  id: number;
  dfid: string;
  event: string;
  timestamp: string;
  step_id: string;
  state: string;
  detail_json: string;
}
interface TransitionRow {
  id: number;
  dfid: string;
  from_status: string | null;
  to_status: string;
  created_at: string;
}

const tableExists = (db: Database.Database, name: string): boolean => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

function rowsOf(db: Database.Database, table: string, where = '', ...params: unknown[]): Record<string, unknown>[] {
  if (!tableExists(db, table)) return [];
  return (db.prepare(`SELECT * FROM ${table} ${where}`).all(...params) as Record<string, unknown>[]).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /json|data|contract|result/.test(k) ? parse(v) : v])),
  );
}

export function openDirCore(url: StoreUrl, db: Database.Database): ForeignStore {
  const audits = db.prepare(`SELECT id, dfid, event, timestamp, step_id, state, detail_json FROM decision_audit_events ORDER BY id`).all() as AuditRow[];
  const transitions = db.prepare(`SELECT id, dfid, from_status, to_status, created_at FROM flow_transitions ORDER BY id`).all() as TransitionRow[];
  const details = new Map(audits.map((a) => [a.id, (parse(a.detail_json) ?? {}) as Record<string, unknown>]));

  // Sessions: dfids of SIMULATION_* rows (not decision flows); a flow's session is its correlation id.
  const sessions = new Set(audits.filter((a) => a.event.startsWith('SIMULATION_')).map((a) => a.dfid));
  const dfids = [...new Set([...audits.map((a) => a.dfid), ...transitions.map((t) => t.dfid)])];
  const sessionOf = new Map<string, string>();
  for (const a of audits) {
    const d = details.get(a.id)!;
    const s = [d.simulation_id, d.correlation_id].find((x) => typeof x === 'string' && sessions.has(x)) as string | undefined;
    if (s && !sessions.has(a.dfid)) sessionOf.set(a.dfid, s);
  }

  const runs: ForeignRun[] = [];
  for (const dfid of dfids) {
    // Merge the two logs by time; transitions have whole seconds, so they follow the audit rows of their second.
    const merged: { key: [string, number, number]; event: ForeignEvent }[] = [];
    for (const a of audits.filter((x) => x.dfid === dfid)) {
      const d = details.get(a.id)!;
      merged.push({
        key: [isoUtc(a.timestamp).slice(0, 19), 0, a.id],
        event: {
          id: `audit-${a.id}`,
          type: `audit.${a.event.toLowerCase()}`,
          actor: typeof d.agent_id === 'string' ? d.agent_id : 'kernel',
          payload: { event: a.event, step_id: a.step_id, state: a.state, detail: d },
          frame_id: null,
          caused_by: typeof d.causation_id === 'string' ? d.causation_id : null,
          timestamp: isoUtc(a.timestamp),
        },
      });
    }
    for (const t of transitions.filter((x) => x.dfid === dfid)) {
      merged.push({
        key: [isoUtc(t.created_at).slice(0, 19), 1, t.id],
        event: {
          id: `transition-${t.id}`,
          type: `lifecycle.${t.to_status.toLowerCase()}`,
          actor: 'kernel',
          payload: { from_status: t.from_status, to_status: t.to_status },
          frame_id: null,
          caused_by: null,
          timestamp: isoUtc(t.created_at),
        },
      });
    }
    merged.sort((x, y) => (x.key[0] < y.key[0] ? -1 : x.key[0] > y.key[0] ? 1 : x.key[1] - y.key[1] || x.key[2] - y.key[2]));
    const events = merged.map((m) => m.event);
    const lastTransition = transitions.filter((t) => t.dfid === dfid).pop();
    const isSession = sessions.has(dfid);
    const agentIds = [
      ...new Set(
        audits
          .filter((a) => a.dfid === dfid)
          .map((a) => details.get(a.id)!.agent_id)
          .filter((x): x is string => typeof x === 'string'),
      ),
    ];
    const attributes: Record<string, unknown> = isSession
      ? { kind: 'simulation session', agent_registry: rowsOf(db, 'agent_registry'), escalation_budget: rowsOf(db, 'escalation_budget'), context_state: rowsOf(db, 'context_state') }
      : {
          kind: 'decision flow',
          status: lastTransition?.to_status ?? null,
          agents: rowsOf(db, 'agent_registry').filter((a) => agentIds.includes(String(a.agent_id))),
          context_session: rowsOf(db, 'context_session', 'WHERE dfid = ?', dfid),
          resource_locks: rowsOf(db, 'resource_locks', 'WHERE dfid = ?', dfid),
          escalation_requests: rowsOf(db, 'escalation_requests', 'WHERE dfid = ?', dfid),
          saga_dirty_state: rowsOf(db, 'saga_dirty_state', 'WHERE dfid = ?', dfid),
          intent_retry: rowsOf(db, 'intent_retry', 'WHERE dfid = ?', dfid),
          idempotency_cache: rowsOf(db, 'idempotency_cache').filter((r) => (r.result as Record<string, unknown> | null)?._dfid === dfid),
        };
    const first = audits.find((a) => a.dfid === dfid);
    const flowName = first ? String(details.get(first.id)!.agent_id ?? first.event) : 'flow';
    runs.push({
      row: {
        run_id: dfid,
        parent_run_id: sessionOf.get(dfid) ?? null,
        forked_at_event_id: null,
        label: null,
        created_at: events[0]?.timestamp ?? '',
        goal: isSession ? `simulation ${dfid}` : `${flowName} decision flow`,
        frame_id: null,
      },
      nativeStatus: isSession ? (audits.some((a) => a.dfid === dfid && a.event === 'SIMULATION_END') ? 'ENDED' : 'RUNNING') : (lastTransition?.to_status ?? null),
      attributes,
      events,
    });
  }
  return new ForeignStore(url, 'sqlite', 'DIR', runs);
}
