/**
 * `run-inspector export-otlp <url> --run-id R [-o FILE | --endpoint URL] [--protocol …]`: a run as
 * OpenTelemetry traces (usecases/export-otlp). To a receiver, each batch is one OTLP/HTTP request
 * (protobuf by default, as OpenTelemetry's exporters send); to a file or stdout, OTLP JSON lines
 * (one ExportTraceServiceRequest a line, the collector's file format).
 */
import { RunSpans } from '../engine/spans.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { otlpSendFailed, usageError } from '../base/errors.js';
import { otlpBody, otlpExport, type OtlpProtocol } from '../usecases/export-otlp.js';
import { withStore } from './commands.js';
import { untilInterrupted, type CliIO } from './io.js';

interface Options {
  runId: string;
  output?: string;
  endpoint?: string;
  protocol?: string;
}

/** The traces URL of an endpoint: a per-signal URL as given, a base URL with /v1/traces (as OTEL_EXPORTER_OTLP_ENDPOINT reads). */
export function tracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw usageError(`--endpoint ${endpoint} is not a URL: give the receiver's OTLP/HTTP address, e.g. http://localhost:4318`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--endpoint ${endpoint}: OTLP over HTTP needs an http:// or https:// address`);
  return url.pathname.endsWith('/v1/traces') ? url.href : new URL(`${url.pathname.replace(/\/$/, '')}/v1/traces`, url).href;
}

export async function exportOtlpCommand(io: CliIO, url: string, o: Options): Promise<void> {
  if (o.output && o.endpoint) throw usageError('give either -o FILE or --endpoint URL, not both');
  const protocol = (o.protocol ?? (o.endpoint ? 'http/protobuf' : 'http/json')) as OtlpProtocol;
  if (protocol !== 'http/json' && protocol !== 'http/protobuf') throw usageError(`--protocol ${o.protocol}: use http/protobuf or http/json`);
  if (!o.endpoint && protocol !== 'http/json') throw usageError('a trace file is OTLP JSON lines: --protocol http/protobuf is for --endpoint');
  const target = o.endpoint ? tracesUrl(o.endpoint) : null;
  await withStore(io, url, true, (store) =>
    untilInterrupted(async (signal) => {
      const { batches, counts } = await otlpExport(store, o.runId, () => new RunSpans(store, o.runId).refresh(signal), signal);
      const file = o.output ? fs.openSync(path.resolve(io.cwd, o.output), 'w') : null;
      try {
        for await (const batch of batches) {
          const body = otlpBody(batch, protocol);
          if (target) await send(target, body, protocol, counts.spans - batch.length, signal);
          else if (file !== null) fs.writeSync(file, Buffer.concat([body, Buffer.from('\n')]));
          else io.out(Buffer.from(body).toString('utf8') + '\n');
        }
      } finally {
        if (file !== null) fs.closeSync(file);
      }
      const where = target ?? (o.output ? o.output : null);
      const summary = `exported ${counts.spans} spans (${counts.spanEvents} span events${counts.dropped ? `, ${counts.dropped} dropped beyond 10,000 a span` : ''}) of run ${o.runId}${where ? ` to ${where}` : ''}\n`;
      if (where) io.out(summary);
      else io.err(summary);
    }),
  );
}

async function send(url: string, body: Uint8Array, protocol: OtlpProtocol, sent: number, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf' }, signal });
  } catch (err) {
    if (signal.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw otlpSendFailed(url, cause?.code ?? cause?.message ?? String(err), sent);
  }
  if (!res.ok) throw otlpSendFailed(url, `HTTP ${res.status} ${res.statusText}: ${(await res.text()).slice(0, 300)}`, sent);
}

export function registerExportOtlp(program: Command, io: CliIO): void {
  program
    .command('export-otlp')
    .description('A run as OpenTelemetry traces (GenAI semantic conventions): to an OTLP/HTTP receiver, or OTLP JSON lines to a file or stdout')
    .argument('<store_url>')
    .requiredOption('--run-id <id>', 'the run')
    .option('-o, --output <file>', 'write OTLP JSON lines to this file')
    .option('--endpoint <url>', 'send to this OTLP/HTTP receiver (e.g. http://localhost:4318)')
    .option('--protocol <protocol>', 'http/protobuf (default with --endpoint) or http/json')
    .action((url: string, o: Options) => exportOtlpCommand(io, url, o));
}
