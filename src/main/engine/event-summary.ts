/** One-line, human summaries of event payloads for the timeline (the live trace printer's spirit, §12). */

type P = Record<string, any>;
const s = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const clip = (t: string, n = 160): string => (t.length > n ? t.slice(0, n - 1) + '…' : t);

export function summarizePayload(type: string, payload: unknown): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return clip(s(payload));
  const p = payload as P;
  if (p.span && typeof p.span.depth === 'number') return spanSummary(p);
  const family = type.split('.')[0];
  if (family === 'step' && 'step_index' in p)
    return clip(
      `${s(p.component)} (${s(p.skill_type)})${p.duration_ms !== null && p.duration_ms !== undefined ? ` ${Math.round(Number(p.duration_ms))} ms` : ''}${p.error ? ` — ${s(p.error)}` : ''}`,
    );
  if (family === 'audit' && 'step_id' in p) return clip(`${s(p.step_id)} ${s(p.state)}${p.detail?.reason ? ` — ${s(p.detail.reason)}` : ''}`);
  if (family === 'run' && 'blueprint' in p) return clip(`${s(p.blueprint)} v${s(p.version)} (${s(p.flow_type)})`);
  if (family === 'run' && 'status' in p && 'final_context' in p)
    return clip(`${s(p.status)}${p.suspended_at_node ? ` at ${s(p.suspended_at_node)}` : ''}${p.error ? ` — ${s(p.error)}` : ''}`);
  if (family === 'lifecycle' && 'to_status' in p) return `${s(p.from_status) || '∅'} → ${s(p.to_status)}`;
  switch (type) {
    case 'goal.created':
      return clip(`"${s(p.goal)}"`);
    case 'object.created': {
      const o = p.object ?? {};
      const title = o.data?.title || o.data?.text;
      return clip(`${s(o.id)}${title ? ` "${s(title)}"` : ''}${o.data?.status ? ` (${s(o.data.status)})` : ''}`);
    }
    case 'object.removed':
    case 'relation.removed':
      return s(p.id);
    case 'relation.created': {
      const r = p.relation ?? {};
      return clip(`${s(r.source)} --${s(r.type)}--> ${s(r.target)}`);
    }
    case 'patch.proposed':
      return clip(`${s(p.patch?.target)} ${s(p.patch?.op)} by ${s(p.patch?.proposed_by)}`);
    case 'patch.applied': {
      const fields = Object.entries((p.diff ?? {}) as Record<string, { old: unknown; new: unknown }>).map(([k, d]) => `${k}: ${s(d?.old)} → ${s(d?.new)}`);
      return clip(`${s(p.target)} ${fields.length ? fields.join(', ') : '(no change)'}`);
    }
    case 'patch.rejected':
      return clip(`${s(p.patch_id)}: ${s(p.reason)}`);
    case 'behavior.started':
    case 'behavior.completed':
    case 'relation_behavior.started':
      return clip(`${s(p.behavior)}${p.triggering_object_id ? ` (on ${s(p.triggering_object_id)})` : ''}`);
    case 'behavior.failed':
      return clip(`${s(p.behavior)}: ${s(p.exception_type)}: ${s(p.message)}`);
    case 'behavior.scheduled':
      return clip(`${s(p.behavior)} activate_after=${s(p.activate_after)}`);
    case 'llm.requested':
      return clip(`${s(p.behavior)} model=${s(p.model)}${p.cache_hit ? ' cache_hit' : ''}${p.estimated_cost_usd ? ` est=$${s(p.estimated_cost_usd)}` : ''}`);
    case 'llm.responded':
      return p.error
        ? clip(`${s(p.behavior)} error=${s(p.error?.reason)}: ${s(p.error?.message)}`)
        : clip(
            `${s(p.behavior)} model=${s(p.model)} tokens=${s(p.input_tokens)}/${s(p.output_tokens)} cost=$${s(p.cost_usd)} latency=${s(p.latency_seconds)}s${p.cache_hit ? ' cache_hit' : ''}`,
          );
    case 'tool.requested':
      return clip(`${s(p.behavior)} tool=${s(p.tool)}${p.cache_hit ? ' cache_hit' : ''}`);
    case 'tool.responded':
      return p.error ? clip(`${s(p.tool)} error=${s(p.error?.reason)}`) : clip(`${s(p.tool)} latency=${s(p.latency_seconds)}s cost=$${s(p.cost_usd)}`);
    case 'embedding.requested':
      return clip(`model=${s(p.model)} inputs=${s(p.input_count)}${p.cache_hit ? ' cache_hit' : ''}`);
    case 'embedding.responded':
      return p.error ? clip(`error: ${s(p.error?.message)}`) : clip(`model=${s(p.model)} vectors=${s(p.vector_count)}×${s(p.dimensions)}`);
    case 'runtime.budget_exhausted': {
      const at = p.stop_position;
      return clip(
        `stopped: ${s(p.exhausted_by)}${at && typeof at === 'object' ? ` at sequence ${s(at.accepted_sequence)} (tick ${s(at.event_tick)}, ${s(at.queue_depth)} queued, ${s(at.delayed_depth)} delayed)` : ''}`,
      );
    }
    case 'context.read':
      return clip(
        `${s(p.behavior)} read ${s(p.count)} object${p.count === 1 ? '' : 's'}${Array.isArray(p.object_ids) && p.object_ids.length ? `: ${p.object_ids.slice(0, 6).map(s).join(', ')}${p.object_ids.length > 6 || p.truncated ? ', …' : ''}` : ''}`,
      );
    case 'authority.decision':
      return clip(
        `${s(p.decision)} ${s(p.capability)} (${s(p.action_class)}) ceiling=${s(p.effective_ceiling)}${p.matched_policy ? ` policy=${s(p.matched_policy)}` : ''}${p.reason ? ` — ${s(p.reason)}` : ''}`,
      );
    case 'authority.ceiling_changed':
      return clip(`ceiling ${s(p.previous_ceiling)} → ${s(p.ceiling)} by ${s(p.actor)}${p.reason ? ` — ${s(p.reason)}` : ''}`);
    case 'dev.override':
      return clip(`${s(p.actor)} overrode ${s(p.target_gate)} (${s(p.scope)}) → ${s(p.resulting_authority)}${p.reason ? ` — ${s(p.reason)}` : ''}`);
    case 'pack.settings_overridden':
      return clip(`${s(p.pack)}: ${Array.isArray(p.assignments) ? p.assignments.map(s).join(' ') : s(p.overrides)}`);
    case 'trial.wall_clock_exhausted':
      return clip(
        `wall clock exhausted: ${Object.entries(p)
          .map(([k, v]) => `${k}=${s(v)}`)
          .join(' ')}`,
      );
    case 'promote.applied': {
      const n = (k: string) => (Array.isArray(p[k]) ? p[k].length : 0);
      const parts = [
        n('objects_created') + n('relations_created') ? `+${n('objects_created') + n('relations_created')}` : '',
        n('objects_patched') ? `~${n('objects_patched')}` : '',
        n('objects_removed') + n('relations_removed') ? `-${n('objects_removed') + n('relations_removed')}` : '',
      ].filter(Boolean);
      return clip(`promoted from ${s(p.from_run)} (${parts.join(' ') || 'empty delta'}) forked at ${s(p.forked_at_event)}`);
    }
    case 'runtime.idle':
      return 'queue empty';
    case 'runtime.snapshot':
      return clip(`${s(p.events_covered)} events compacted through ${s(p.covers_through)}`);
    case 'pack.loaded':
      return clip(`${s(p.name)} v${s(p.version)}`);
  }
  return clip(JSON.stringify(p));
}

/** Graphite spans: indented by nesting depth (Assistant ⊃ Workflow ⊃ Node ⊃ Tool). */
function spanSummary(p: P): string {
  const indent = '  '.repeat(p.span.depth);
  const name = s(p.context?.name ?? p.context?.node_name ?? p.context?.tool_name ?? p.context?.workflow_name ?? p.context?.assistant_name ?? p.context?.topic_name ?? '');
  const error = p.span.phase === 'failed' ? ` — ${s(p.data?.error ?? '')}` : '';
  return clip(`${indent}${p.span.kind.toLowerCase()} ${p.span.phase} ${name}${error}`);
}
