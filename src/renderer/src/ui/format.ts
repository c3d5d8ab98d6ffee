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
