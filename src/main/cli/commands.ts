/** The Active Graph-compatible commands: inspect, replay, fork, diff, export-trace. */
import fs from 'node:fs';
import path from 'node:path';
import { InspectorError, usageError } from '../base/errors.js';
import type { EventStore } from '../store/event-store.js';
import { diffRuns, diffSummary } from '../engine/diff.js';
import { forkInto } from '../usecases/fork.js';
import { packVersions, searchRun } from '../engine/inspect-queries.js';
import { openStore, toStoreUrl } from '../store/open-store.js';
import { decodePayloadExact, loadRun } from '../engine/projection.js';
import { PyFloat, pyDumps } from '../base/pyjson.js';
import type { RunStatus } from '../../shared/model.js';
import { resolveRunId } from '../engine/runs.js';
import { parseSettingAssignments } from '../usecases/settings-overrides.js';
import { runStatus } from '../engine/status.js';
import { exportTrace } from '../usecases/export-trace.js';
import { diffText, eventJson, eventText, packVersionsText, replayText, searchText, statusText } from './format.js';
import { CliExit, untilInterrupted, type CliIO } from './io.js';

/** Opens a store relative to the command's working directory (sqlite:///x.db is relative). */
export async function withStore<T>(io: CliIO, url: string, lenient: boolean, fn: (store: EventStore) => Promise<T>): Promise<T> {
  const parsed = toStoreUrl(url, { lenient });
  const resolved = parsed.kind === 'sqlite' ? { ...parsed, path: path.resolve(io.cwd, parsed.path) } : parsed;
  const store = await openStore(resolved);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const json = (v: unknown): string => pyDumps(v) + '\n';

/** Budget values are Python floats (`0.0`), whatever their value. */
function statusForPython(s: RunStatus): unknown {
  const used = Object.fromEntries(Object.entries(s.budget.used).map(([k, v]) => [k, new PyFloat(v)]));
  return { ...s, budget: { ...s.budget, used } };
}

export interface InspectOptions {
  runId?: string;
  tail: number;
  json?: boolean;
  event?: string;
  behaviors?: boolean;
  packVersion?: boolean;
  memo?: boolean;
  search?: string;
}

export async function inspectCommand(io: CliIO, url: string, o: InspectOptions): Promise<void> {
  const selectors = [o.event !== undefined, o.behaviors, o.packVersion, o.memo, o.search !== undefined].filter(Boolean).length;
  if (selectors > 1) throw new CliExit(2, '--event, --behaviors, --pack-version, --memo, and --search are mutually exclusive.');
  if (o.tail < 0) throw usageError(`--tail must be zero or positive, got ${o.tail}`);
  const explicitRun = o.runId !== undefined;
  if (!explicitRun) toStoreUrl(url); // a bare path is refused when no run is named (spec §1)
  let store: EventStore | undefined;
  try {
    await withStore(io, url, explicitRun, async (s) => {
      store = s;
      let runId: string;
      try {
        runId = await resolveRunId(s, o.runId);
      } catch (err) {
        if (!explicitRun && err instanceof InspectorError && err.className === 'RunNotFoundError') throw new CliExit(3, `no runs found in ${url}`);
        throw err;
      }
      const loaded = await loadRun(s, runId); // a load decodes (and so validates) every payload
      if (o.event !== undefined) {
        const e = await s.getEvent(runId, o.event);
        if (!e) throw new CliExit(3, `event '${o.event}' not found in run ${runId}`);
        const payload = decodePayloadExact(e, runId);
        io.out(o.json ? eventJson(e, payload) : eventText(e, payload));
      } else if (o.behaviors) {
        io.out(o.json ? json([]) : '(no behaviors registered in this run)\n');
      } else if (o.packVersion) {
        const packs = await packVersions(s, runId);
        io.out(o.json ? json(packs) : packVersionsText(packs));
      } else if (o.memo) {
        const memos = [...loaded.graph.objects.values()].filter((x) => x.type === 'memo').map((x) => ({ company: x.data.company ?? null, object: x }));
        io.out(
          o.json
            ? json(memos)
            : memos.length
              ? memos.map((m) => `Memo: ${String(m.company)}\n${pyDumps(m.object.data, { indent: 2 })}`).join('\n') + '\n'
              : '(no memo objects in this run)\n',
        );
      } else if (o.search !== undefined) {
        const matches = await searchRun(s, runId, o.search);
        io.out(o.json ? json(matches) : searchText(o.search, matches));
      } else {
        const status = await runStatus(s, runId, o.tail);
        io.out(o.json ? json(statusForPython(status)) : statusText(status));
      }
    });
  } catch (err) {
    if (!explicitRun && !store && err instanceof InspectorError && err.className === 'RunNotFoundError') throw new CliExit(3, `no runs found in ${url}`);
    throw err;
  }
}

export async function replayCommand(io: CliIO, url: string, o: { runId?: string; json?: boolean }): Promise<void> {
  await withStore(io, url, true, async (s) => {
    const runId = await resolveRunId(s, o.runId);
    const { graph, events } = await loadRun(s, runId);
    const summary = { run_id: runId, events, objects: graph.objects.size, relations: graph.relations.size };
    io.out(o.json ? json(summary) : replayText(summary));
  });
}

export async function diffCommand(io: CliIO, url: string, o: { runA: string; runB: string; json?: boolean }): Promise<void> {
  await withStore(io, url, true, async (s) => {
    await resolveRunId(s, o.runA);
    await resolveRunId(s, o.runB);
    const d = await diffRuns(s, o.runA, o.runB);
    io.out(o.json ? json(diffSummary(d)) : diffText(d));
  });
}

export async function exportTraceCommand(io: CliIO, url: string, o: { runId?: string; format: string; output?: string }): Promise<void> {
  if (o.format !== 'text' && o.format !== 'jsonl') throw new CliExit(2, `Error: Invalid value for '--format': '${o.format}' is not one of 'text', 'jsonl'.`);
  await withStore(io, url, true, async (s) => {
    const runId = await resolveRunId(s, o.runId);
    await loadRun(s, runId);
    const target = o.output ? fs.openSync(path.resolve(io.cwd, o.output), 'w') : null;
    try {
      for await (const line of exportTrace(s, runId, o.format as 'text' | 'jsonl')) {
        if (target !== null) fs.writeSync(target, line + '\n');
        else io.out(line + '\n');
      }
    } finally {
      if (target !== null) fs.closeSync(target);
    }
  });
}

export interface ForkCliOptions {
  runId: string;
  atEvent: string;
  label?: string;
  to?: string;
  record?: boolean;
  set: string[];
  json?: boolean;
}

export async function forkCommand(io: CliIO, url: string, o: ForkCliOptions): Promise<void> {
  const destUrl = toStoreUrl(o.to ?? url);
  const plan = parseSettingAssignments(o.set);
  await withStore(io, url, false, async (source) => {
    const destination = destUrl.kind === 'sqlite' ? { ...destUrl, path: path.resolve(io.cwd, destUrl.path) } : destUrl;
    const { result, overrideEvents } = await untilInterrupted((signal) =>
      forkInto(source, { runId: o.runId, atEventId: o.atEvent, destination, label: o.label, record: o.record, settings: plan, signal }),
    );
    if (o.json) {
      const out: Record<string, unknown> = {
        parent_run_id: result.parent_run_id,
        new_run_id: result.new_run_id,
        at_event: result.at_event,
        label: result.label,
        events_copied: result.events_copied,
      };
      if (plan) {
        out.settings_overrides = plan.overrides;
        out.settings_override_events = overrideEvents;
      }
      if (o.record) out.recording = true;
      io.out(json(out));
    } else {
      let text = `forked ${result.parent_run_id} at ${result.at_event} -> ${result.new_run_id} (${result.events_copied} events)\n`;
      for (const id of overrideEvents) text += `  settings override recorded: ${id}\n`;
      if (o.record) text += '  recording fork: load this run without replay_strict=True to accept new LLM/tool cache entries.\n';
      io.out(text);
    }
  });
}
