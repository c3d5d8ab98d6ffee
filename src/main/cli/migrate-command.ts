/** `run-inspector migrate --from SRC --to DST [--run-id R]... [--skip-corrupted] [--json]` (spec §11.2). */
import path from 'node:path';
import type { Command } from 'commander';
import { migrateInto, type MigrateProgress, type MigrateRunReport } from '../usecases/migrate.js';
import { openStore, toStoreUrl } from '../store/open-store.js';
import { pyDumps } from '../base/pyjson.js';
import { redactUrl, type StoreUrl } from '../store/store-url.js';
import { CliExit, untilInterrupted, type CliIO } from './io.js';

function resolve(io: CliIO, url: StoreUrl): StoreUrl {
  return url.kind === 'sqlite' ? { ...url, path: path.resolve(io.cwd, url.path) } : url;
}

/** Active Graph's keys in its order, then ours. */
function reportJson(r: MigrateRunReport): Record<string, unknown> {
  const out: Record<string, unknown> = { run_id: r.run_id, status: r.status, events_migrated: r.events_migrated };
  if (r.error) out.error = r.error;
  if (r.skipped_events?.length) out.skipped_events = r.skipped_events;
  out.archived_migrated = r.archived_migrated;
  out.snapshots_migrated = r.snapshots_migrated;
  if (r.verification) out.verification = r.verification;
  return out;
}

function reportText(r: MigrateRunReport): string {
  let line = `  ${r.status.padEnd(7)} run=${r.run_id} events=${r.events_migrated}`;
  if (r.error) line += ` error=${r.error}`;
  if (r.skipped_events?.length) line += ` skipped=${r.skipped_events.length}`;
  const lines = [line, ...(r.skipped_events ?? []).map((id) => `    skipped (corrupted): ${id}`)];
  if (r.archived_migrated || r.snapshots_migrated) lines.push(`    carried: ${r.archived_migrated} archived event(s), ${r.snapshots_migrated} snapshot(s)`);
  if (r.verification) lines.push(`    verified: ${r.verification.dest_events} events, sha256 ${r.verification.dest_hash.slice(0, 16)}${r.verification.ok ? '' : ' MISMATCH'}`);
  return lines.join('\n') + '\n';
}

function progressBar(p: MigrateProgress): string {
  const frac = p.eventsTotal ? Math.min(1, p.eventsDone / p.eventsTotal) : 1;
  const width = 24;
  const filled = Math.round(frac * width);
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] run ${p.runIndex + 1}/${p.runCount} ${p.runId.slice(0, 12)}… ${p.eventsDone}/${p.eventsTotal} events`;
}

export function registerMigrate(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('Copy runs between stores (SQLite/Postgres), verified; archive tier and snapshots included')
    .requiredOption('--from <store_url>', 'source store (read only)')
    .requiredOption('--to <store_url>', 'destination store (created if absent)')
    .option('--run-id <id>', 'only this run (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--skip-corrupted', 'skip events whose payload cannot be decoded (listed in the report)')
    .option('--json', 'print the report as JSON')
    .action(async (o: { from: string; to: string; runId: string[]; skipCorrupted?: boolean; json?: boolean }) => {
      const from = resolve(io, toStoreUrl(o.from));
      const to = resolve(io, toStoreUrl(o.to));
      const source = await openStore(from);
      try {
        await untilInterrupted(async (signal) => {
          const showProgress = io.isTTY && !o.json;
          const result = await migrateInto(source, to, {
            runIds: o.runId,
            skipCorrupted: o.skipCorrupted,
            signal,
            onProgress: showProgress ? (p) => io.err(p.report ? '\r\x1b[2K' : progressBar(p)) : undefined,
          });
          const src = redactUrl(o.from);
          const dst = redactUrl(o.to);
          if (o.json) io.out(pyDumps({ source_url: src, dest_url: dst, runs: result.runs.map(reportJson), ...(result.cancelled ? { cancelled: true } : {}) }) + '\n');
          else {
            let text = `migrate ${src} -> ${dst}\n`;
            for (const r of result.runs) text += reportText(r);
            const ok = result.runs.filter((r) => r.status === 'ok').length;
            text += `summary: ${ok} ok, ${result.runs.length - ok} failed\n`;
            if (result.cancelled) text += 'cancelled: the runs listed above are complete; the rest were not touched\n';
            io.out(text);
          }
          if (result.cancelled || result.runs.some((r) => r.status === 'failed')) throw new CliExit(1);
        });
      } finally {
        await source.close();
      }
    });
}
