/**
 * Forking a run at an event, inclusively, in Active Graph's format (spec §7.4): `forkInto` is the use
 * case the CLI's `fork` and the app's Fork dialog both call (guards, destination, settings overrides);
 * `forkRun` the copy itself.
 */
import type { ForkResult } from '../../shared/model.js';
import { requireActiveGraph, eventNotFound } from '../base/errors.js';
import { scanEvents, type EventStore } from '../store/event-store.js';
import { agTimestamp, newUlid } from '../engine/ids.js';
import { decodePayload } from '../engine/projection.js';
import type { StoreWriter } from '../store/store-writer.js';
import { openDestination } from '../store/open-store.js';
import type { StoreUrl } from '../store/store-url.js';
import { resolveRunId } from '../engine/runs.js';
import { appendSettingsOverrides, checkPacksLoaded, type SettingsPlan } from './settings-overrides.js';

export interface ForkOptions {
  label?: string | null;
  /** `--record`: the label becomes `<label>-recording` (or `recording`). */
  record?: boolean;
  newRunId?: string;
  createdAt?: string;
  signal?: AbortSignal;
  onProgress?: (copied: number) => void;
}

/**
 * Copies every hot-log row of `parentRunId` with seq ≤ the fork point into `dest` under a new run
 * id, in one destination transaction (the guards are forkInto's). `dest` may be the same store (a second, writable
 * connection) or another store; a compacted parent's snapshot blob travels with it.
 */
export async function forkRun(source: EventStore, dest: StoreWriter, parentRunId: string, atEventId: string, opts: ForkOptions = {}): Promise<ForkResult> {
  const cut = await source.getEvent(parentRunId, atEventId);
  if (!cut) throw eventNotFound(atEventId, parentRunId, 'fork', await source.isArchived(parentRunId, atEventId));
  const parent = await source.getRun(parentRunId);
  const label = opts.record ? (opts.label ? `${opts.label}-recording` : 'recording') : (opts.label ?? null);
  const newRunId = opts.newRunId ?? newUlid();

  await dest.begin();
  try {
    await dest.insertRun({
      run_id: newRunId,
      parent_run_id: parentRunId,
      forked_at_event_id: atEventId,
      label,
      created_at: opts.createdAt ?? agTimestamp(),
      goal: parent?.goal ?? null,
      frame_id: parent?.frame_id ?? null,
    });
    let copied = 0;
    let first = true;
    for await (const chunk of scanEvents(source, parentRunId, { untilSeq: cut.seq, signal: opts.signal })) {
      if (first && chunk[0]?.type === 'runtime.snapshot') {
        const hash = (decodePayload(chunk[0], parentRunId) as { state_hash?: string }).state_hash ?? '';
        const blob = await source.snapshotBlob(hash);
        if (blob !== null) await dest.insertSnapshot(hash, blob, new Date().toISOString());
      }
      first = false;
      copied += await dest.insertEvents(newRunId, chunk);
      opts.onProgress?.(copied);
    }
    await dest.commit();
    const result: ForkResult = { parent_run_id: parentRunId, new_run_id: newRunId, at_event: atEventId, label, events_copied: copied };
    if (opts.record) result.recording = true;
    return result;
  } catch (err) {
    await dest.rollback();
    throw err;
  }
}

export interface ForkRequest extends ForkOptions {
  runId: string;
  atEventId: string;
  /** Where the fork is written: the source's own store, or another one (created if absent). */
  destination: StoreUrl;
  /** `--set pack.key=value` assignments, recorded as settings-override events after the copy. */
  settings?: SettingsPlan | null;
}

/**
 * Forks a run of `source` into `destination`: refused on another runtime's store or for a run or
 * pack that is not there, before the destination is touched; the copy then its overrides.
 */
export async function forkInto(source: EventStore, req: ForkRequest): Promise<{ result: ForkResult; overrideEvents: string[] }> {
  requireActiveGraph(source, 'fork');
  await resolveRunId(source, req.runId);
  if (req.settings) await checkPacksLoaded(source, req.runId, req.atEventId, req.settings);
  const dest = await openDestination(req.destination);
  try {
    const result = await forkRun(source, dest, req.runId, req.atEventId, req);
    const overrideEvents = req.settings ? await appendSettingsOverrides(dest, result.new_run_id, req.atEventId, req.settings) : [];
    return { result, overrideEvents };
  } finally {
    await dest.close();
  }
}
