/** `fork --set pack.key=value`: validated assignments recorded as pack.settings_overridden events (spec §7.6). */
import { ExitCode, InspectorError, eventNotFound, usageError } from '../base/errors.js';
import { scanEvents, type EventStore } from '../store/event-store.js';
import { agTimestamp } from '../engine/ids.js';
import { decodePayload } from '../engine/projection.js';
import { pyDumps, pyParse, toPlain } from '../base/pyjson.js';
import type { StoreWriter } from '../store/store-writer.js';

export interface SettingsPlan {
  /** pack → nested overrides */
  overrides: Record<string, Record<string, unknown>>;
  /** pack → the raw assignments */
  assignments: Record<string, string[]>;
}

function coerce(raw: string): unknown {
  if (raw.trim().toLowerCase() === 'none') return null;
  try {
    return toPlain(pyParse(raw));
  } catch {
    return raw;
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parseSettingAssignments(list: string[]): SettingsPlan | null {
  if (list.length === 0) return null;
  const plan: SettingsPlan = { overrides: {}, assignments: {} };
  for (const a of list) {
    const eq = a.indexOf('=');
    if (eq < 0) throw usageError(`--set '${a}' must look like pack.setting=value`);
    const parts = a.slice(0, eq).split('.');
    if (parts.length < 2 || parts.some((p) => p === '')) throw usageError(`--set key '${a.slice(0, eq)}' must name a pack and a setting (pack.setting[.nested])`);
    const [pack, ...keys] = parts as [string, ...string[]];
    let node = (plan.overrides[pack] ??= {});
    for (const k of keys.slice(0, -1)) {
      if (k in node && !isMap(node[k])) throw usageError(`--set '${a}' conflicts with an earlier scalar assignment to ${pack}.${k}`);
      node = (node[k] ??= {}) as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (isMap(node[last])) throw usageError(`--set '${a}' conflicts with earlier nested assignments under ${pack}.${keys.join('.')}`);
    node[last] = coerce(a.slice(eq + 1));
    (plan.assignments[pack] ??= []).push(a);
  }
  return plan;
}

/** Every named pack must have been loaded at or before the fork point. */
export async function checkPacksLoaded(store: EventStore, runId: string, atEvent: string, plan: SettingsPlan): Promise<void> {
  const loaded = new Set<string>();
  let reached = false;
  outer: for await (const chunk of scanEvents(store, runId)) {
    for (const e of chunk) {
      if (e.type === 'pack.loaded') {
        const name = (decodePayload(e, runId) as { name?: unknown }).name;
        if (typeof name === 'string') loaded.add(name);
      }
      if (e.id === atEvent) {
        reached = true;
        break outer;
      }
    }
  }
  if (!reached) throw eventNotFound(atEvent, runId, 'fork');
  for (const pack of Object.keys(plan.overrides)) {
    if (!loaded.has(pack))
      throw new InspectorError('UsageError', { summary: `no pack.loaded event for '${pack}' at or before ${atEvent} in run ${runId}`, exitCode: ExitCode.usage });
  }
}

/** Appends one override event per pack, ids continuing after the fork's log; returns their ids. */
export async function appendSettingsOverrides(dest: StoreWriter, runId: string, atEvent: string, plan: SettingsPlan): Promise<string[]> {
  let maxN = 0;
  for await (const chunk of scanEvents(dest.reader, runId)) {
    for (const e of chunk) {
      const m = /^[A-Za-z]+_(\d+)$/.exec(e.id);
      if (m) maxN = Math.max(maxN, Number(m[1]));
    }
  }
  const ids: string[] = [];
  await dest.begin();
  try {
    for (const [pack, overrides] of Object.entries(plan.overrides)) {
      const id = `evt_${String(++maxN).padStart(3, '0')}`;
      const payload = pyDumps({ pack, overrides, assignments: plan.assignments[pack] }, { ensureAscii: false });
      await dest.insertEvents(runId, [{ id, type: 'pack.settings_overridden', actor: 'runtime', payload, frame_id: null, caused_by: atEvent, timestamp: agTimestamp() }]);
      ids.push(id);
    }
    await dest.commit();
  } catch (err) {
    await dest.rollback();
    throw err;
  }
  return ids;
}
