/** Graphite stores (formats/graphite), both layouts, in a real Postgres: requests as runs, nested spans. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { SpanIndex } from '../../src/main/engine/spans.js';
import { GraphCursor } from '../../src/main/engine/graph-cursor.js';
import { pyLoadsFast } from '../../src/main/base/pyjson.js';
import { cli } from '../support/cli.js';
import { OTHER_FIXTURES, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';
import { events } from '../support/other-stores.js';

function loadSql(url: string, file: string): void {
  const u = new URL(url);
  execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-h', u.hostname, '-p', u.port, '-U', u.username, '-d', u.pathname.slice(1), '-f', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

describe.each([
  ['graphite.sql', 'legacy'],
  ['graphite_v2.sql', 'current'],
])('Graphite %s (%s layout) in a real Postgres', (fixture, layout) => {
  it('requests as runs under their conversation, ordered by id, nested spans, the failure chain, odd rows parsed', async () => {
    const url = await freshDatabase('graphite');
    loadSql(url, path.join(OTHER_FIXTURES, fixture));
    const store = await openStore(url);
    expect(store.runtime).toBe('Graphite');
    const runs = await store.listRuns();
    const requests = runs.filter((r) => !r.run_id.startsWith('conversation:'));
    const conversations = runs.filter((r) => r.run_id.startsWith('conversation:'));
    expect(conversations.map((c) => c.run_id.slice('conversation:'.length)).sort()).toEqual(['b3f1c0de9a7e4d2b8c61f0a4e5d7c913', 'conversation_id', 'support-7f3a']);
    expect(requests.map((r) => r.event_count).sort((a, b) => a! - b!)).toEqual([18, 21, 24, 36]);
    expect(requests.every((r) => r.attributes!.layout === layout)).toBe(true);
    const support = requests.filter((r) => r.parent_run_id === 'conversation:support-7f3a');
    expect(support.map((r) => r.native_status).sort()).toEqual(['failed', 'succeeded']);

    // Spans: a tool call sits inside its node, inside the workflow, inside the assistant.
    const weather = requests.find((r) => r.event_count === 24)!;
    const evs = await events(store, weather.run_id);
    const byId = new Map(evs.map((e) => [e.id, e]));
    const tool = evs.find((e) => e.type === 'tool.invoke')!;
    const chain = [tool.type];
    for (let e = byId.get(tool.caused_by!); e; e = e.caused_by ? byId.get(e.caused_by) : undefined) chain.push(e.type);
    expect(chain).toEqual(['tool.invoke', 'node.invoke', 'workflow.invoke', 'assistant.invoke']);
    expect((pyLoadsFast(tool.payload) as { span: { depth: number } }).span.depth).toBe(3);
    const respond = evs.find((e) => e.type === 'tool.respond')!;
    expect(respond.caused_by).toBe(tool.id);
    // Ordered by the table's id: a node's consume rows come after its respond, though their timestamps are earlier.
    const nodeRespond = evs.findIndex((e) => e.type === 'node.respond');
    const nextConsume = evs.findIndex((e, i) => i > nodeRespond && e.type === 'topic.consume');
    expect(nextConsume).toBeGreaterThan(nodeRespond);
    expect(evs[nextConsume]!.timestamp < evs[nodeRespond]!.timestamp).toBe(true);

    // The same spans in the span index: every invoke closed by its respond, nested as the log says.
    const spans = new SpanIndex();
    for (const e of evs) spans.add(e);
    const invokes = evs.filter((e) => e.type.endsWith('.invoke'));
    expect(spans.spans.map((x) => x.id)).toEqual(invokes.map((e) => e.id));
    expect(spans.spans.every((x) => x.status === 'ok')).toBe(true);
    for (const x of spans.spans) expect(x.depth).toBe((pyLoadsFast(byId.get(x.id)!.payload) as { span: { depth: number } }).span.depth);
    expect(spans.spanOf(respond.id)!.id).toBe(tool.id);

    // The failing request: ToolFailed → NodeFailed → WorkflowFailed → AssistantFailed.
    const failed = support.find((r) => r.native_status === 'failed')!;
    const failTypes = (await events(store, failed.run_id)).map((e) => e.type).filter((t) => t.endsWith('.failed'));
    expect(failTypes).toEqual(['tool.failed', 'node.failed', 'workflow.failed', 'assistant.failed']);
    const failing = new SpanIndex();
    for (const e of await events(store, failed.run_id)) failing.add(e);
    expect(failing.spans.filter((x) => x.status === 'failed').map((x) => x.kind)).toEqual(['behavior', 'behavior', 'behavior', 'tool']);

    // The odd-but-valid row parses (last key wins, big numbers kept) and shows in the CLI.
    const react = requests.find((r) => r.event_count === 36)!;
    const odd = (await events(store, react.run_id)).filter((e) => e.type === 'tool.respond');
    expect(odd.length).toBeGreaterThan(0);
    for (const e of odd) expect(() => pyLoadsFast(e.payload)).not.toThrow();
    const trace = await cli(['export-trace', url, '--run-id', react.run_id, '--format', 'jsonl'], tempDir());
    expect(trace.code).toBe(0);
    expect(trace.stdout.trim().split('\n')).toHaveLength(36);
    const inspect = await cli(['inspect', url, '--run-id', failed.run_id, '--json'], tempDir());
    expect(JSON.parse(inspect.stdout)).toMatchObject({ run_id: failed.run_id, events_processed: 21 });
    await store.close();
  });

  it('a request as a graph of its components and topics, each from the first event that shows it', async () => {
    const url = await freshDatabase('graphite_graph');
    loadSql(url, path.join(OTHER_FIXTURES, fixture));
    const store = await openStore(url);
    const run = (await store.listRuns()).find((r) => r.event_count === 24)!;
    const evs = await events(store, run.run_id);
    const payloadOf = (e: (typeof evs)[number]) => pyLoadsFast(e.payload) as { context: Record<string, unknown> };
    const invokes = evs.filter((e) => e.type.endsWith('.invoke'));
    const objectOf = (e: (typeof evs)[number]) => `${e.type.split('.')[0]}:${e.actor}`;
    const topics = new Set(
      evs
        .filter((e) => e.type.startsWith('topic.'))
        .map((e) => String(payloadOf(e).context.topic_name ?? payloadOf(e).context.name))
        .filter((t) => t !== ''),
    );
    const byId = new Map(evs.map((e) => [e.id, e]));

    const cursor = new GraphCursor(store, run.run_id);
    const end = (await cursor.at()).graph;
    const objects = [...end.objects.values()];
    expect(new Set(objects.filter((o) => o.type !== 'topic').map((o) => o.id))).toEqual(new Set(invokes.map(objectOf)));
    expect(new Set(objects.filter((o) => o.type === 'topic').map((o) => o.data.name))).toEqual(topics);
    // Each invoke inside another is a `contains` relation from the enclosing component.
    const contains = [...end.relations.values()].filter((r) => r.type === 'contains').map((r) => `${r.source}>${r.target}`);
    const nested = invokes.filter((e) => e.caused_by).map((e) => `${objectOf(byId.get(e.caused_by!)!)}>${objectOf(e)}`);
    expect(new Set(contains)).toEqual(new Set(nested));
    // Every topic event's publisher or consumer is linked to its topic.
    for (const e of evs.filter((x) => x.type === 'topic.consume')) {
      const c = payloadOf(e).context;
      expect(
        [...end.relations.values()].some((r) => r.type === 'consumes_from' && r.target === `topic:${c.topic_name ?? c.name}` && r.source.endsWith(`:${c.consumer_name}`)),
      ).toBe(true);
    }

    // As of the first event only the assistant is known; the tool appears with its invoke.
    expect([...(await cursor.at(evs[0]!.seq)).graph.objects.keys()]).toEqual([objectOf(evs[0]!)]);
    const tool = invokes.find((e) => e.type === 'tool.invoke')!;
    expect((await cursor.at(tool.seq - 1)).graph.objects.has(objectOf(tool))).toBe(false);
    expect((await cursor.at(tool.seq)).graph.objects.has(objectOf(tool))).toBe(true);
    await store.close();
  });
});
