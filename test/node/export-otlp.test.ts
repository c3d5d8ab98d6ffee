/**
 * `run-inspector export-otlp`: each demo run sent to an OTLP/HTTP receiver this test starts on
 * loopback, decoded there with OpenTelemetry JS's own protobuf decoder (the collector side of the
 * wire), and checked against the run: every span the waterfall has, its parent, times, status and
 * GenAI attributes; every other event once, as a span event; one trace with derived ids. The JSON
 * lines written with -o say the same, and a receiver that refuses ends the command with its reason.
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunSpans } from '../../src/main/engine/spans.js';
import { scanEvents, type StoredEvent } from '../../src/main/store/event-store.js';
import { openStore } from '../../src/main/store/open-store.js';
import { otlpIds } from '../../src/main/usecases/export-otlp.js';
import { cli } from '../support/cli.js';
import { copyFixture, tempDir } from '../support/fixtures.js';

const require = createRequire(import.meta.url);
const { opentelemetry } = require('otlp-decoder/build/src/generated/root.js');
const Request = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

interface Received {
  contentType: string;
  body: Buffer;
}

/** An OTLP/HTTP receiver on loopback: keeps what it is sent; answers `status`. */
async function receiver(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.method === 'POST') received.push({ contentType: String(req.headers['content-type']), body: Buffer.concat(parts) });
      res.writeHead(req.url === '/v1/traces' ? status : 404, { 'Content-Type': 'application/x-protobuf' });
      res.end(status === 200 ? '' : 'refused by the test');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const attrs = (kvs: { key: string; value: Record<string, unknown> }[]) =>
  Object.fromEntries(
    kvs.map(({ key, value }) => {
      const v = value.stringValue ?? value.boolValue ?? value.doubleValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.arrayValue;
      return [key, v && typeof v === 'object' && 'values' in v ? (v as { values: { stringValue: string }[] }).values.map((x) => x.stringValue) : v];
    }),
  );

interface Flat {
  traceId: string;
  spanId: string;
  parent: string;
  name: string;
  start: number;
  end: number;
  status: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
}

function flatten(requests: any[]): Flat[] {
  return requests.flatMap((r) =>
    r.resourceSpans.flatMap((rs: any) =>
      rs.scopeSpans.flatMap((ss: any) =>
        ss.spans.map((s: any): Flat => ({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parent: s.parentSpanId?.length ? hex(s.parentSpanId) : '',
          name: s.name,
          start: Number(BigInt(s.startTimeUnixNano.toString()) / 1_000_000n),
          end: Number(BigInt(s.endTimeUnixNano.toString()) / 1_000_000n),
          status: s.status?.code ?? 0,
          attributes: attrs(s.attributes),
          events: s.events.map((e: any) => ({ name: e.name, attributes: attrs(e.attributes) })),
        })),
      ),
    ),
  );
}

const payload = (e: StoredEvent | undefined) => (e ? JSON.parse(e.payload) : {});

describe('export-otlp', () => {
  let file: string;
  let runIds: string[];
  beforeAll(async () => {
    file = copyFixture('demo').file;
    const store = await openStore(`sqlite:///${file}`);
    runIds = (await store.listRuns()).map((r) => r.run_id);
    await store.close();
  });

  it('sends every run as one trace a real receiver decodes, span for span as the run’s waterfall', async () => {
    const rx = await receiver();
    const store = await openStore(`sqlite:///${file}`);
    const seen = { llm: 0, tokens: 0, failed: 0, spanEvents: 0 };
    try {
      for (const runId of runIds) {
        rx.received.length = 0;
        const r = await cli(['export-otlp', `sqlite:///${file}`, '--run-id', runId, '--endpoint', rx.url], tempDir());
        expect(r.code, r.stderr).toBe(0);
        expect(rx.received.every((x) => x.contentType === 'application/x-protobuf')).toBe(true);
        const spans = flatten(rx.received.map((x) => Request.decode(x.body)));
        const events: StoredEvent[] = [];
        for await (const chunk of scanEvents(store, runId)) events.push(...chunk);
        const byId = new Map(events.map((e) => [e.id, e]));
        const index = await new RunSpans(store, runId).refresh();
        expect(spans).toHaveLength(index.spans.length + 1);
        expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([otlpIds.trace(runId)]));
        const root = spans.find((s) => s.parent === '')!;
        expect(root.spanId).toBe(otlpIds.root(runId));
        expect(root.attributes['gen_ai.agent.id']).toBe(runId);
        const bySpanId = new Map(spans.map((s) => [s.spanId, s]));
        for (const sp of index.spans) {
          const o = bySpanId.get(otlpIds.span(runId, sp.id))!;
          expect(o, sp.id).toBeDefined();
          expect(o.parent).toBe(sp.parent >= 0 ? otlpIds.span(runId, index.spans[sp.parent]!.id) : root.spanId);
          expect(o.start).toBe(sp.start);
          if (sp.end !== null) expect(o.end).toBe(sp.end);
          expect(o.status).toBe(sp.status === 'failed' ? 2 : sp.status === 'ok' ? 1 : 0);
          const op = { behavior: 'invoke_agent', llm: 'chat', tool: 'execute_tool', embedding: 'embeddings' }[sp.kind];
          expect(o.attributes['gen_ai.operation.name']).toBe(op);
          expect(o.name.startsWith(`${op} `)).toBe(true);
          const [start, end] = [payload(byId.get(sp.id)), payload(sp.endId ? byId.get(sp.endId) : undefined)];
          if (sp.kind === 'llm') {
            expect(o.attributes['gen_ai.request.model']).toBe(start.model);
            if (typeof end.input_tokens === 'number') expect(o.attributes['gen_ai.usage.input_tokens']).toBe(end.input_tokens);
            if (typeof end.output_tokens === 'number') expect(o.attributes['gen_ai.usage.output_tokens']).toBe(end.output_tokens);
          }
          if (sp.kind === 'tool') expect(o.attributes['gen_ai.tool.name']).toBe(start.tool);
          if (sp.kind === 'behavior') expect(o.attributes['gen_ai.agent.name']).toBe(sp.name);
          if (sp.status === 'failed') expect(o.attributes['error.type']).toBeTruthy();
          seen.llm += sp.kind === 'llm' ? 1 : 0;
          seen.tokens += typeof o.attributes['gen_ai.usage.input_tokens'] === 'number' ? 1 : 0;
          seen.failed += o.status === 2 ? 1 : 0;
        }
        seen.spanEvents += spans.reduce((n, s) => n + s.events.length, 0);
        // Every event is in the trace once: as a span's start or end, or as a span event.
        const inSpans = index.spans.flatMap((sp) => [sp.id, ...(sp.endId && sp.endId !== sp.id ? [sp.endId] : [])]);
        const asEvents = spans.flatMap((s) => s.events.map((e) => String(e.attributes['activegraph.event.id'])));
        expect([...inSpans, ...asEvents].sort()).toEqual(events.map((e) => e.id).sort());
        for (const s of spans) for (const e of s.events) expect(e.name).toBe(byId.get(String(e.attributes['activegraph.event.id']))!.type);
      }
      // The demo's runs make LLM calls with token counts, fail, and emit graph events.
      expect(seen.llm).toBeGreaterThan(0);
      expect(seen.tokens).toBeGreaterThan(0);
      expect(seen.failed).toBeGreaterThan(0);
      expect(seen.spanEvents).toBeGreaterThan(100);
    } finally {
      await store.close();
      await rx.close();
    }
  });

  it('writes OTLP JSON lines to a file, the same spans; the ids are the same on every export', async () => {
    const dir = tempDir();
    const runId = runIds[0]!;
    const rx = await receiver();
    try {
      expect((await cli(['export-otlp', `sqlite:///${file}`, '--run-id', runId, '--endpoint', `${rx.url}/v1/traces`, '--protocol', 'http/json'], dir)).code).toBe(0);
      expect(rx.received[0]!.contentType).toBe('application/json');
      const r = await cli(['export-otlp', `sqlite:///${file}`, '--run-id', runId, '-o', 'trace.jsonl'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^exported \d+ spans/);
      const lines = fs
        .readFileSync(path.join(dir, 'trace.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const fromFile = lines.flatMap((l) => l.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
      const sent = rx.received.flatMap((x) => JSON.parse(x.body.toString('utf8')).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
      expect(fromFile.map((s: any) => [s.spanId, s.parentSpanId, s.name, s.startTimeUnixNano])).toEqual(
        sent.map((s: any) => [s.spanId, s.parentSpanId, s.name, s.startTimeUnixNano]),
      );
    } finally {
      await rx.close();
    }
  });

  it('a receiver that refuses ends the command with its answer; bad flags are usage errors', async () => {
    const rx = await receiver(503);
    try {
      const r = await cli(['export-otlp', `sqlite:///${file}`, '--run-id', runIds[0]!, '--endpoint', rx.url], tempDir());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('could not send the trace');
      expect(r.stderr).toContain('HTTP 503');
    } finally {
      await rx.close();
    }
    expect((await cli(['export-otlp', `sqlite:///${file}`, '--run-id', runIds[0]!, '-o', 'x', '--endpoint', 'http://127.0.0.1:1'], tempDir())).code).toBe(2);
    expect((await cli(['export-otlp', `sqlite:///${file}`, '--run-id', runIds[0]!, '--endpoint', 'ftp://x'], tempDir())).code).toBe(2);
    expect((await cli(['export-otlp', `sqlite:///${file}`, '--run-id', 'no-such-run', '-o', 'x'], tempDir())).code).toBe(3);
  });
});
