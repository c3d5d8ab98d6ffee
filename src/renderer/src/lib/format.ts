/** Small formatting helpers for the UI. */
import { typeFamily } from '../../../shared/event-types';

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
  custom: 220,
};

/** Failures are red whatever their family. */
export const FAILURE_HUE = 0;

/** A stable hue per event family (chips) or per object type (graph nodes). */
export function familyHue(type: string): number {
  return FAMILY_HUES[typeFamily(type)] ?? 220;
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
