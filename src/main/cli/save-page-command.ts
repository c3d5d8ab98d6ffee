/**
 * `run-inspector save-page <url> --run-id R -o FILE [--max-events N] [--around EVENT]`: the run as
 * one offline HTML page (usecases/save-page). It says what the page keeps and about how big it is
 * before writing it.
 */
import { RunSpans } from '../engine/spans.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../base/errors.js';
import { pageViewer } from '../paths.js';
import { toStoreUrl } from '../store/open-store.js';
import { storeDisplayName } from '../store/store-url.js';
import { PAGE_MAX_EVENTS, pageHtml, pagePlan, runPage } from '../usecases/save-page.js';
import { withStore } from './commands.js';
import { untilInterrupted, type CliIO } from './io.js';

interface Options {
  runId: string;
  output: string;
  maxEvents?: string;
  around?: string;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export async function savePageCommand(io: CliIO, url: string, o: Options): Promise<void> {
  const maxEvents = o.maxEvents === undefined ? PAGE_MAX_EVENTS : Number(o.maxEvents);
  if (!Number.isInteger(maxEvents) || maxEvents < 1) throw usageError(`--max-events ${o.maxEvents}: give a whole number of events (at least 1)`);
  const viewer = pageViewer();
  await withStore(io, url, true, (store) =>
    untilInterrupted(async (signal) => {
      const plan = await pagePlan(store, o.runId, { maxEvents, around: o.around, viewerBytes: viewer.bytes });
      io.out(
        plan.whole
          ? `saving all ${plan.eventsTotal} events of run ${o.runId} (about ${mb(plan.approxBytes)})\n`
          : `saving events ${plan.fromSeq}–${plan.toSeq} (${plan.kept} of ${plan.eventsTotal}) of run ${o.runId} (about ${mb(plan.approxBytes)}); --max-events and --around choose others\n`,
      );
      const html = pageHtml(
        await runPage(store, plan, storeDisplayName(toStoreUrl(url, { lenient: true })), () => new RunSpans(store, plan.runId).refresh(signal), signal),
        viewer,
      );
      const file = path.resolve(io.cwd, o.output);
      fs.writeFileSync(file, html);
      io.out(`wrote ${o.output} (${mb(Buffer.byteLength(html))})\n`);
    }),
  );
}

export function registerSavePage(program: Command, io: CliIO): void {
  program
    .command('save-page')
    .description('The run as one offline HTML page: timeline, event detail, graph as of any event, waterfall; no server, no network')
    .argument('<store_url>')
    .requiredOption('--run-id <id>', 'the run')
    .requiredOption('-o, --output <file>', 'the HTML file to write')
    .option('--max-events <n>', `events the page keeps at most (default ${PAGE_MAX_EVENTS})`)
    .option('--around <event_id>', 'for a bigger run: keep the events around this one (default: from the start)')
    .action((url: string, o: Options) => savePageCommand(io, url, o));
}
