/**
 * A run as OpenTelemetry traces, for Langfuse, Phoenix, Jaeger or Tempo: the run is one trace whose
 * root span is the run; each behavior execution is a span under it, and each LLM, tool and
 * embedding request a span under the execution that made it (the waterfall's nesting, spans.ts).
 * Attributes follow the GenAI semantic conventions (`gen_ai.operation.name`, `gen_ai.request.model`,
 * `gen_ai.usage.input_tokens`…); failures are span statuses; the other events are span events of
 * the execution whose behavior emitted them (else of the run). Ids are derived from the run and
 * event ids, so exporting twice gives the same trace. The OTLP encoding (JSON and protobuf) is
 * OpenTelemetry's own (`@opentelemetry/otlp-transformer`).
 */
import { createHash } from 'node:crypto';
import { SpanKind, SpanStatusCode, type Attributes, type SpanContext, type SpanStatus } from '@opentelemetry/api';
import { hrTimeDuration, millisToHrTime } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { pyLoadsFast } from '../base/pyjson.js';
import { resolveRunId } from '../engine/runs.js';
import type { Span, SpanIndex } from '../engine/spans.js';
import { scanEvents, type EventStore, type StoredEvent } from '../store/event-store.js';

/** Spans per OTLP request (a collector's default batch is 512). */
export const OTLP_BATCH = 512;
/** Span events kept per span; more are counted as dropped, as OpenTelemetry's span limits do. */
export const EVENTS_PER_SPAN = 10_000;

const hex = (text: string, bytes: number) =>
  createHash('sha256')
    .update(text)
    .digest('hex')
    .slice(0, bytes * 2);
/** The run's trace id and its spans' ids: the same on every export (derived, not random). */
export const otlpIds = {
  trace: (runId: string) => hex(`activegraph-run:${runId}`, 16),
  span: (runId: string, eventId: string) => hex(`activegraph-span:${runId}:${eventId}`, 8),
  root: (runId: string) => hex(`activegraph-run-span:${runId}`, 8),
};

const OPERATION: Record<Span['kind'], string> = { behavior: 'invoke_agent', llm: 'chat', tool: 'execute_tool', embedding: 'embeddings' };

type Payload = Record<string, unknown>;
const payloadOf = (e: StoredEvent): Payload => {
  try {
    const p = pyLoadsFast(e.payload);
    return p && typeof p === 'object' && !Array.isArray(p) ? (p as Payload) : {};
  } catch {
    return {}; // a damaged payload: the span keeps what the log's other events say
  }
};

/** What a request's error says: Active Graph's {reason, message} (or {type, message}) dict, or a string. */
function errorOf(p: Payload): { type: string; message: string } | null {
  const err = p.error;
  if (err === null || err === undefined) return null;
  if (typeof err === 'object') {
    const e = err as Payload;
    return { type: String(e.reason ?? e.type ?? 'error'), message: String(e.message ?? '') };
  }
  return { type: 'error', message: String(err) };
}

interface Building {
  span: Span;
  attributes: Attributes;
  status: SpanStatus;
  events: TimedEvent[];
  dropped: number;
}

export interface OtlpExport {
  /** Batches of finished spans, in the order they ended (the run's root span last). */
  batches: AsyncGenerator<ReadableSpan[]>;
  /** Counts so far: spans, span events, events dropped beyond EVENTS_PER_SPAN. */
  counts: { spans: number; spanEvents: number; dropped: number };
}

/** The run's spans as OpenTelemetry spans, in batches: two passes over the log (its spans, then their details and events). */
export async function otlpExport(store: EventStore, runId: string, spans: () => Promise<SpanIndex>, signal?: AbortSignal, batchSize = OTLP_BATCH): Promise<OtlpExport> {
  await resolveRunId(store, runId);
  const run = (await store.getRun(runId))!;
  const index = await spans();
  const traceId = otlpIds.trace(runId);
  const rootId = otlpIds.root(runId);
  const resource = resourceFromAttributes({ 'service.name': store.runtime === 'Active Graph' ? 'activegraph' : store.runtime.toLowerCase(), 'activegraph.run.id': runId });
  const scope = { name: 'run-inspector', version: '0.1.0' };
  const context = (spanId: string): SpanContext => ({ traceId, spanId, traceFlags: 1 });
  const counts = { spans: 0, spanEvents: 0, dropped: 0 };
  const first = run.first_at ? Date.parse(run.first_at) : 0;
  const last = run.last_at ? Date.parse(run.last_at) : first;
  const name = run.label ?? run.goal ?? runId;
  const root: Building = {
    span: { id: rootId, seq: 0, kind: 'behavior', name, behavior: '', start: first, end: last, endId: null, status: 'ok', parent: -1, depth: -1 },
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.id': runId,
      'gen_ai.agent.name': name,
      ...(run.parent_run_id ? { 'activegraph.parent_run.id': run.parent_run_id, 'activegraph.forked_at_event.id': run.forked_at_event_id ?? '' } : {}),
    },
    status: { code: SpanStatusCode.UNSET },
    events: [],
    dropped: 0,
  };

  const toReadable = (b: Building, spanId: string, parentId: string | null): ReadableSpan => {
    const startTime = millisToHrTime(b.span.start ?? first);
    const endTime = millisToHrTime(b.span.end ?? Math.max(last, b.span.start ?? first));
    counts.spans++;
    counts.spanEvents += b.events.length;
    counts.dropped += b.dropped;
    return {
      name: spanName(b),
      kind: b.span.kind === 'behavior' ? SpanKind.INTERNAL : SpanKind.CLIENT,
      spanContext: () => context(spanId),
      parentSpanContext: parentId ? context(parentId) : undefined,
      startTime,
      endTime,
      status: b.status,
      attributes: b.attributes,
      links: [],
      events: b.events,
      duration: hrTimeDuration(startTime, endTime),
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: b.dropped,
      droppedLinksCount: 0,
    };
  };

  async function* batches(): AsyncGenerator<ReadableSpan[]> {
    const building = new Map<Span, Building>();
    /** Open executions by behavior, innermost last: where an event of that behavior belongs. */
    const open = new Map<string, Building[]>();
    let batch: ReadableSpan[] = [];
    const attach = (b: Building, e: StoredEvent) => {
      if (b.events.length >= EVENTS_PER_SPAN) return void b.dropped++;
      const attributes: Attributes = { 'activegraph.event.id': e.id, 'activegraph.event.seq': e.seq, 'activegraph.event.payload': e.payload };
      if (e.actor !== null) attributes['activegraph.event.actor'] = e.actor;
      b.events.push({ name: e.type, time: millisToHrTime(Date.parse(e.timestamp) || first), attributes, droppedAttributesCount: 0 });
    };
    const finish = (b: Building) => {
      const parent = b.span.parent >= 0 ? otlpIds.span(runId, index.spans[b.span.parent]!.id) : rootId;
      batch.push(toReadable(b, otlpIds.span(runId, b.span.id), parent));
      building.delete(b.span);
    };
    for await (const chunk of scanEvents(store, runId, { signal })) {
      for (const e of chunk) {
        const span = index.spanOf(e.id);
        if (!span) {
          const within = e.actor !== null ? open.get(e.actor) : undefined;
          attach(within?.length ? within[within.length - 1]! : root, e);
          continue;
        }
        if (span.id === e.id) {
          const b: Building = { span, attributes: startAttributes(span, e, payloadOf(e)), status: { code: SpanStatusCode.UNSET }, events: [], dropped: 0 };
          building.set(span, b);
          if (span.kind === 'behavior') (open.get(span.name) ?? open.set(span.name, []).get(span.name)!).push(b);
        }
        if (span.endId === e.id) {
          const b = building.get(span);
          if (!b) continue;
          endDetails(b, e, payloadOf(e));
          if (span.kind === 'behavior') {
            const stack = open.get(span.name)!;
            stack.splice(stack.lastIndexOf(b), 1);
          }
          finish(b);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
    }
    // Spans still open when the log ends (a live or crashed run) end with it.
    for (const b of [...building.values()]) {
      b.attributes['activegraph.span.open'] = true;
      finish(b);
    }
    batch.push(toReadable(root, rootId, null));
    yield batch;
  }
  return { batches: batches(), counts };
}

function spanName(b: Building): string {
  const a = b.attributes;
  const op = String(a['gen_ai.operation.name']);
  if (b.span.kind === 'behavior') return `${op} ${b.span.name}`;
  if (b.span.kind === 'tool') return `${op} ${String(a['gen_ai.tool.name'] ?? b.span.name)}`;
  return `${op} ${String(a['gen_ai.request.model'] ?? b.span.name)}`;
}

function startAttributes(span: Span, e: StoredEvent, p: Payload): Attributes {
  const a: Attributes = { 'gen_ai.operation.name': OPERATION[span.kind], 'activegraph.event.id': e.id, 'activegraph.event.seq': e.seq };
  if (span.kind === 'behavior') {
    a['gen_ai.agent.name'] = span.name;
    if (typeof p.event_id === 'string') a['activegraph.trigger.event.id'] = p.event_id;
  } else a['activegraph.behavior'] = span.behavior;
  if ((span.kind === 'llm' || span.kind === 'embedding') && typeof p.model === 'string') a['gen_ai.request.model'] = p.model;
  if (span.kind === 'llm' && typeof p.turn_index === 'number') a['activegraph.llm.turn_index'] = p.turn_index;
  if (span.kind === 'tool') {
    a['gen_ai.tool.name'] = typeof p.tool === 'string' ? p.tool : span.name;
    if (typeof p.call_id === 'string') a['gen_ai.tool.call.id'] = p.call_id;
  }
  return a;
}

function endDetails(b: Building, e: StoredEvent, p: Payload): void {
  const a = b.attributes;
  a['activegraph.end_event.id'] = e.id;
  if (b.span.kind === 'llm') {
    if (typeof p.model === 'string') a['gen_ai.response.model'] = p.model;
    if (typeof p.input_tokens === 'number') a['gen_ai.usage.input_tokens'] = p.input_tokens;
    if (typeof p.output_tokens === 'number') a['gen_ai.usage.output_tokens'] = p.output_tokens;
    if (typeof p.finish_reason === 'string') a['gen_ai.response.finish_reasons'] = [p.finish_reason];
  }
  if ((b.span.kind === 'llm' || b.span.kind === 'tool') && typeof p.cost_usd === 'string') a['activegraph.cost_usd'] = p.cost_usd;
  const failed = b.span.kind === 'behavior' ? e.type === 'behavior.failed' || e.type.endsWith('.failed') : errorOf(p) !== null;
  if (!failed) {
    b.status = { code: SpanStatusCode.OK };
    return;
  }
  const err = b.span.kind === 'behavior' ? { type: String(p.reason ?? p.exception_type ?? 'error'), message: String(p.message ?? '') } : errorOf(p)!;
  a['error.type'] = err.type;
  b.status = { code: SpanStatusCode.ERROR, message: err.message };
}

export type OtlpProtocol = 'http/json' | 'http/protobuf';

/** One OTLP/HTTP request body of a batch, encoded by OpenTelemetry's serializers. */
export function otlpBody(spans: ReadableSpan[], protocol: OtlpProtocol): Uint8Array {
  return (protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans)!;
}
