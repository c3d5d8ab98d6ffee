/** Small formatting helpers for the UI. */
import { TYPE_FAMILIES, typeFamily } from '../../../shared/event-types';

const FAMILY_HUES: Record<string, number> = {
  object: 210,
  relation: 265,
  patch: 35,
  behavior: 145,
  relation_behavior: 160,
  llm: 300,
  tool: 20,
  embedding: 185,
  runtime: 228, // not red: red is for failures
  goal: 50,
  pack: 90,
  approval: 330,
  promote: 240,
  context: 200,
  pattern: 120,
  authority: 10,
  dev: 280,
};

/** Failures are red whatever their family. */
export const FAILURE_HUE = 0;

/** A stable hue per event family (chips); families of other runtimes get one from their name, never red. */
export function familyHue(type: string): number {
  const family = typeFamily(type);
  return family === 'custom' ? 30 + (typeHue(type.split('.')[0] ?? type) % 300) : (FAMILY_HUES[family] ?? 220);
}

/** The families of these event types (the part before the first dot): Active Graph's in their usual order, then the rest. */
export function familiesOf(types: string[]): string[] {
  const heads = new Set(types.map((t) => t.split('.')[0] ?? t));
  const known = TYPE_FAMILIES.filter((f) => heads.has(f));
  const others = [...heads].filter((h) => !(TYPE_FAMILIES as readonly string[]).includes(h)).sort();
  return [...known, ...others];
}

export function typeHue(objectType: string): number {
  let h = 0;
  for (const ch of objectType) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

/** `2026-09-01T09:00:03Z` → `09:00:03` (date shown only when it changes elsewhere). */
export function shortTime(ts: string): string {
  const m = /T(\d\d:\d\d:\d\d(?:\.\d+)?)/.exec(ts);
  return m ? m[1]! : ts;
}

export function compactNumber(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US');
}

export function shortRunId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** An integer with thousands separators, the same everywhere. */
export function int(n: number): string {
  return n.toLocaleString('en-US');
}

/** A duration for a person: `850 ms`, `4.2 s`, `3 min 05 s`, `2 h 07 min`. */
/** A file size as people read one: 512 B, 4.0 KB, 12.3 MB, 1.2 GB (powers of 1024). */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** How long after `since` a timestamp is (the run's start, for the relative-time column): `+0:04`, `+1:02:07`. */
export function relativeTime(ts: string, since: string | null): string {
  const t = Date.parse(ts);
  const t0 = since === null ? NaN : Date.parse(since);
  if (Number.isNaN(t) || Number.isNaN(t0)) return '';
  const ms = t - t0;
  const sign = ms < 0 ? '−' : '+';
  const s = Math.floor(Math.abs(ms) / 1000);
  const frac = Math.abs(ms) % 1000 ? `.${String(Math.abs(ms) % 1000).padStart(3, '0')}` : '';
  const mmss = `${String(Math.floor((s % 3600) / 60)).padStart(s >= 3600 ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}${frac}`;
  return `${sign}${s >= 3600 ? `${Math.floor(s / 3600)}:` : ''}${mmss}`;
}

/** The full date and time, in UTC as stored and in the viewer's zone: the timeline's hover. */
export function fullTime(ts: string): string {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return ts;
  const local = new Date(t).toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'long' });
  return `${ts} (stored)\n${local} (local)`;
}

/** A share as a percentage that never rounds a failure away: `0%`, `<1%`, `4%`, `100%`. */
export function share(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  const pct = (100 * part) / whole;
  return pct < 1 ? '<1%' : `${Math.round(pct)}%`;
}
