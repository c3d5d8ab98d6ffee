/** Text renderings of Active Graph's CLI, line for line (spec §8–§10). */
import type { DiffDetail, ReplaySummary, RunStatus } from '../../shared/model.js';
import type { StoredEvent } from '../store/event-store.js';
import type { PackVersion, SearchMatch } from '../engine/inspect-queries.js';
import { pyDumps, pyFloatRepr, pyStrRepr } from '../base/pyjson.js';

const pyNum = (v: number): string => pyFloatRepr(v);

export function statusText(s: RunStatus): string {
  const lines = [
    `${'run_id:'.padEnd(18)}${s.run_id}`,
    `${'state:'.padEnd(18)}${s.state}`,
    `${'queue_depth:'.padEnd(18)}${s.queue_depth}`,
    `${'events_processed:'.padEnd(18)}${s.events_processed}`,
  ];
  if (s.frame) lines.push(`${'frame:'.padEnd(18)}${s.frame.id} (${s.frame.name ?? 'None'})`);
  lines.push('budget:');
  for (const [dim, used] of Object.entries(s.budget.used)) {
    const limit = s.budget.limits[dim];
    lines.push(`  ${dim.padEnd(20)} ${pyNum(used)} / ${limit === null || limit === undefined ? 'unlimited' : String(limit)}`);
  }
  if (s.budget.exhausted_by) lines.push(`  exhausted_by:        ${s.budget.exhausted_by}`);
  lines.push(`recent events (last ${s.recent_events.length}):`);
  for (const e of s.recent_events) lines.push(`  ${e.id.padEnd(18)} ${e.type}`);
  return lines.join('\n') + '\n';
}

export function eventText(e: StoredEvent, payload: unknown): string {
  const row = (label: string, v: string | null): string => `${label.padEnd(13)}${v ?? '(none)'}`;
  return (
    [
      row('event:', e.id),
      row('type:', e.type),
      row('actor:', e.actor),
      row('frame:', e.frame_id),
      row('caused_by:', e.caused_by),
      row('timestamp:', e.timestamp),
      'payload:',
      pyDumps(payload, { indent: 2 }),
    ].join('\n') + '\n'
  );
}

export function eventJson(e: StoredEvent, payload: unknown): string {
  return pyDumps({ id: e.id, type: e.type, actor: e.actor, frame_id: e.frame_id, caused_by: e.caused_by, timestamp: e.timestamp, payload }) + '\n';
}

export function packVersionsText(packs: PackVersion[]): string {
  if (packs.length === 0) return '(no packs loaded in this run)\n';
  const lines = [`packs loaded (${packs.length}):`];
  for (const p of packs) {
    lines.push(`  ${String(p.pack).padEnd(24)} ${String(p.version).padEnd(14)}  (${p.event_id})`);
    const prompts = p.prompts && typeof p.prompts === 'object' ? Object.entries(p.prompts as Record<string, unknown>) : [];
    for (const [name, entry] of prompts) {
      if (typeof entry === 'string') {
        lines.push(`    prompt ${name.padEnd(24)} hash=${entry.replace(/^sha256:/, '').slice(0, 12)}`);
      } else {
        const { version, hash } = (entry ?? {}) as { version?: unknown; hash?: unknown };
        const h = typeof hash === 'string' && hash ? hash.replace(/^sha256:/, '').slice(0, 12) : '?';
        lines.push(`    prompt ${name.padEnd(24)} v${String(version ?? '').padEnd(8)} hash=${h}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export function searchText(query: string, matches: SearchMatch[]): string {
  if (matches.length === 0) return `(no matches for ${pyStrRepr(query)})\n`;
  const lines = [`matches (${matches.length}):`];
  for (const m of matches) {
    lines.push(`  ${m.id.padEnd(18)} ${m.type.padEnd(24)} actor=${m.actor ?? '(none)'} fields=${m.matched_fields.join(',')}`);
    lines.push(`    ${m.snippet}`);
  }
  return lines.join('\n') + '\n';
}

export function replayText(r: ReplaySummary): string {
  return (
    [`${'run_id:'.padEnd(11)}${r.run_id}`, `${'events:'.padEnd(11)}${r.events}`, `${'objects:'.padEnd(11)}${r.objects}`, `${'relations:'.padEnd(11)}${r.relations}`].join('\n') +
    '\n'
  );
}

export function diffText(d: DiffDetail): string {
  const lines = [`diff ${d.run_a} vs ${d.run_b}:`];
  for (const key of ['shared_events', 'parent_only_events', 'fork_only_events', 'divergent_objects', 'divergent_relations'] as const) lines.push(`  ${key.padEnd(24)} ${d[key]}`);
  if (d.objects.length) {
    lines.push('divergent objects:');
    for (const o of d.objects) {
      if (!o.in_parent) lines.push(`  - ${o.id} only in fork`);
      else if (!o.in_fork) lines.push(`  - ${o.id} only in parent`);
      else lines.push(`  - ${o.id} differs (parent v${o.in_parent.version} \u2194 fork v${o.in_fork.version})`);
    }
  }
  if (d.relations.length) {
    lines.push('divergent relations:');
    for (const r of d.relations) {
      const one = r.in_parent ?? r.in_fork!;
      const shape = `(${one.source} --${one.type}--> ${one.target})`;
      if (!r.in_parent) lines.push(`  - ${r.id} only in fork ${shape}`);
      else if (!r.in_fork) lines.push(`  - ${r.id} only in parent ${shape}`);
      else lines.push(`  - ${r.id} differs`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Rows as aligned columns (two spaces apart), the first row the header. */
export function columnsText(table: string[][]): string {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table
    .map(
      (r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}
