/** The stores of Graphite, DIR and NeuroCore open read-only into the same runs and events. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/main/engine/event-store.js';
import { scanEvents } from '../../src/main/engine/event-store.js';
import { openStore } from '../../src/main/engine/open-store.js';
import { SpanIndex } from '../../src/main/engine/spans.js';
import { pyLoadsFast } from '../../src/main/engine/pyjson.js';
import { cli } from '../support/cli.js';
import { OTHER_FIXTURES, sha256File, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';

function copyOther(name: string): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, name);
  fs.copyFileSync(path.join(OTHER_FIXTURES, name), file);
  return { dir, file };
}

async function events(store: EventStore, runId: string) {
  const out = [];
  for await (const chunk of scanEvents(store, runId)) out.push(...chunk);
  return out;
}

describe('NeuroCore', () => {
  it('a run per runs row, steps in step_index order, failing, suspended and running runs', async () => {
    const { file } = copyOther('neurocore.db');
    const before = sha256File(file);
    const store = await openStore(`sqlite:///${file}`);
    expect(store.runtime).toBe('NeuroCore');
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.goal, r.native_status])).toEqual(
      [
        ['research-agent v1.2.0', 'completed'],
        ['email-outreach v0.3.1', 'suspended'],
        ['rag-agent v2.0.0', 'failed'],
        ['research-agent v1.2.0', 'running'],
      ].map(([g, s]) => [expect.stringMatching(new RegExp(`^${g!.split(' ')[0]} v`)), s]),
    );
    const [completed, suspended, failed, running] = runs;

    const done = await events(store, completed!.run_id);
    expect(done.map((e) => e.type)).toEqual(['run.started', 'step.completed', 'step.completed', 'step.completed', 'run.completed']);
    expect(done.map((e) => e.actor)).toEqual(['executor', 'search', 'summarize', 'format', 'executor']);
    expect(done[2]!.caused_by).toBe(done[1]!.id); // sequential: each step caused by the previous one

    expect(suspended!.attributes).toMatchObject({
      suspended_at_node: 'human_review',
      checkpoint_id: expect.any(String),
      checkpoint: { checkpoint_id: suspended!.attributes!.checkpoint_id },
    });
    const susp = await events(store, suspended!.run_id);
    expect(susp[susp.length - 1]!.type).toBe('run.suspended');

    const fail = await events(store, failed!.run_id);
    expect(fail.filter((e) => e.type === 'step.failed').map((e) => e.actor)).toEqual(['docs', 'tickets']);
    const failedSteps = fail.filter((e) => e.type === 'step.failed').map((e) => pyLoadsFast(e.payload) as { started_at: string; error: string });
    expect(failedSteps[0]!.started_at).toBe(failedSteps[1]!.started_at); // the DAG layer shares its start
    expect(String(failed!.attributes!.error)).toMatch(/^Blueprint execution failed: /);
    expect(fail[fail.length - 1]!.type).toBe('run.failed');

    const live = await events(store, running!.run_id);
    expect(live.map((e) => e.type)).toEqual(['run.started', 'step.completed']); // no end event while running
    await store.close();
    expect(sha256File(file)).toBe(before);
  });
});

describe('DIR (dir-core 0.2)', () => {
  it('a run per decision flow, lifecycle transitions merged, flows under their simulation, state tables as a side panel', async () => {
    const { file } = copyOther('dir_core.db');
    const before = sha256File(file);
    const store = await openStore(`sqlite:///${file}`);
    expect(store.runtime).toBe('DIR');
    const runs = await store.listRuns();
    const session = runs.find((r) => r.run_id.startsWith('refund_sim_'))!;
    const flows = runs.filter((r) => r !== session);
    expect(flows).toHaveLength(4);
    expect(flows.every((f) => f.parent_run_id === session.run_id)).toBe(true);
    expect((await events(store, session.run_id)).map((e) => e.type)).toEqual(['audit.simulation_start', 'audit.simulation_end']);
    expect(flows.map((f) => f.native_status).sort()).toEqual(['CLOSED', 'CLOSED', 'ESCALATED', 'PARTIAL_SUCCESS_DIRTY']);

    // Every audit row and transition of the file is an event of exactly one run.
    let audit = 0;
    let lifecycle = 0;
    for (const r of runs) {
      const evs = await events(store, r.run_id);
      audit += evs.filter((e) => e.type.startsWith('audit.')).length;
      lifecycle += evs.filter((e) => e.type.startsWith('lifecycle.')).length;
      // Order: time, and transitions (whole seconds) after the audit rows of their second.
      const keys = evs.map((e) => e.timestamp.slice(0, 19));
      expect([...keys].sort()).toEqual(keys);
    }
    expect(audit).toBe(22);
    expect(lifecycle).toBe(19);

    const dirty = flows.find((f) => f.native_status === 'PARTIAL_SUCCESS_DIRTY')!;
    expect((dirty.attributes!.saga_dirty_state as unknown[]).length).toBe(1);
    expect((dirty.attributes!.resource_locks as unknown[]).length).toBe(2);
    const escalated = flows.find((f) => f.native_status === 'ESCALATED')!;
    expect(escalated.attributes!.escalation_requests).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    const overridden = flows.find((f) => (f.attributes!.escalation_requests as { human_decision?: string }[]).some((e) => e.human_decision === 'OVERRIDE'))!;
    expect(overridden.native_status).toBe('CLOSED');
    await store.close();
    expect(sha256File(file)).toBe(before);
  });
});

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
    expect(requests.map((r) => r.event_count).sort((a, b) => a - b)).toEqual([18, 21, 24, 36]);
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
});

describe('detection', () => {
  it('the CLI inspects and exports the other runtimes too', async () => {
    const { dir } = copyOther('neurocore.db');
    const res = await cli(['export-trace', 'sqlite:///neurocore.db', '--run-id', (await (await openStore(`sqlite:///${dir}/neurocore.db`)).listRuns())[0]!.run_id], dir);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('step.completed');
    const { dir: d2 } = copyOther('dir_core.db');
    const ins = await cli(['inspect', 'sqlite:///dir_core.db', '--json'], d2);
    expect(ins.code).toBe(0);
  });

  it('a schema no adapter knows is refused with how much was found (never the names) and what is supported', async () => {
    const url = await freshDatabase('unknown');
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('CREATE TABLE invoices (id int); CREATE TABLE customers (id int)');
    await c.end();
    const res = await cli(['inspect', url, '--json'], tempDir());
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('It has 2 tables, none of them a supported event log.');
    expect(res.stderr).not.toMatch(/customers|invoices/);
    expect(res.stderr).toContain('Graphite');
    expect(res.stderr).toContain('NeuroCore');
    expect(res.stderr).toContain('dir-core 0.2');
  });
});

describe('read only', () => {
  it('fork and migrate refuse other runtimes before touching any destination', async () => {
    const { dir } = copyOther('neurocore.db');
    const run = (await (await openStore(`sqlite:///${dir}/neurocore.db`)).listRuns())[0]!.run_id;
    const fork = await cli(['fork', 'sqlite:///neurocore.db', '--run-id', run, '--at-event', 'step.0', '--to', 'sqlite:///out.db'], dir);
    expect(fork.code).toBe(2);
    expect(fork.stderr).toMatch(/^UnsupportedOperation: fork works on Active Graph stores; this is a NeuroCore store/);
    const mig = await cli(['migrate', '--from', 'sqlite:///neurocore.db', '--to', 'sqlite:///out.db'], dir);
    expect(mig.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'out.db'))).toBe(false);
  });
});
